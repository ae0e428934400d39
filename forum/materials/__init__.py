"""The teaching materials library: pages to upload, browse, preview and edit materials."""

from flask import Blueprint

bp = Blueprint("materials", __name__, url_prefix="/materials")

from forum.materials import views  # noqa: E402,F401
