"""Threads pages."""

from flask import Blueprint

bp = Blueprint("threads", __name__)

from forum.threads import views  # noqa: E402,F401
