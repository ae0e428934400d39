"""Case discussion records: a thread for the teaching file, as a printable page and DOCX."""

from flask import Blueprint

bp = Blueprint("records", __name__)


def init_app(app) -> None:
    """Register the feature's pages."""
    from forum.records import views  # noqa: F401  (views register on bp; not at import, so models load alone)

    app.register_blueprint(bp)
