"""Live discussion rooms: pages, services and the Socket.IO handlers on ``/live``."""

from flask import Blueprint

bp = Blueprint("rooms", __name__)

from forum.rooms import cli, views  # noqa: E402,F401
