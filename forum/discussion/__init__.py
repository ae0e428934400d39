"""Discussion features for case teaching: case briefs, answer before you see, role play,
key contributions and summaries, accepted and endorsed answers, private questions,
staff notes and announcement boards."""

from flask import Blueprint

bp = Blueprint("discussion", __name__)


def init_app(app) -> None:
    """Register the feature's pages."""
    from forum.discussion import views  # noqa: F401  (views register on bp; not at import, so models load alone)

    app.register_blueprint(bp)
