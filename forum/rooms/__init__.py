"""Live discussion rooms: pages, services and the Socket.IO handlers on ``/live``."""

from flask import Blueprint

bp = Blueprint("rooms", __name__)


def init_app(app) -> None:
    """Register the rooms' pages, their Socket.IO handlers and ``flask forum purge-rooms``."""
    from forum.rooms import cli, events, views  # noqa: F401  (views, handlers and commands register on import; not at import, so models load alone)

    app.register_blueprint(bp)
