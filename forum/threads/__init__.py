"""Threads pages."""

from flask import Blueprint

bp = Blueprint("threads", __name__)


def init_app(app) -> None:
    """Register the feature's pages."""
    from forum.threads import views  # noqa: F401  (views register on bp; not at import, so models load alone)

    app.register_blueprint(bp)
