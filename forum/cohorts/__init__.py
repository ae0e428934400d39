"""Cohorts pages."""

from flask import Blueprint

bp = Blueprint("cohorts", __name__)

from forum.cohorts import views  # noqa: E402,F401
