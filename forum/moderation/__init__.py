"""Moderation pages: the review queue, reports, featured posts, thread restructuring,
mutes and warnings, watched words and the audit log."""

from flask import Blueprint

bp = Blueprint("moderation", __name__)


def init_app(app) -> None:
    """Register the moderation pages and their template helpers (forum/moderation/views.py)."""
    from forum.moderation import views, views_admin, views_threads  # noqa: F401  (views register on bp; not at import, so models load alone)

    app.register_blueprint(bp)
