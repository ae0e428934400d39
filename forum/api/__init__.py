"""The JSON API, ``/api/v1`` (CONTRACT.md)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from forum.api import views  # noqa: E402,F401
