"""Signing in and out, one's own account and language."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from forum.accounts import views  # noqa: E402,F401
