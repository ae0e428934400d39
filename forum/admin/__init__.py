"""Admin pages."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")


def init_app(app) -> None:
    """Register the admin pages (the course catalogue's pages join them: forum/courses)."""
    from forum.admin import views, views_lifecycle, views_site, views_users  # noqa: F401  (views register on bp; not at import, so models load alone)

    app.register_blueprint(bp)
