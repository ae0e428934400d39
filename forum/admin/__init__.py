"""Admin pages."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from forum.admin import cohort_lifecycle_views, course_views, health, users, views  # noqa: E402,F401
