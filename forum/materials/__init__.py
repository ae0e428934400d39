"""The teaching materials library: pages to upload, browse, preview and edit materials."""

from flask import Blueprint

bp = Blueprint("materials", __name__, url_prefix="/materials")


def init_app(app) -> None:
    """Register the library's pages and ``flask forum import-materials``."""
    from forum.materials import cli, views  # noqa: F401  (views and commands register on import; not at import, so models load alone)

    app.register_blueprint(bp)
