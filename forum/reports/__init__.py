"""Teaching inspection: the participation report of a cohort."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from forum.reports import views  # noqa: E402,F401
