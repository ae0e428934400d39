"""Case discussion records: a thread for the teaching file, as a printable page and DOCX."""

from flask import Blueprint

bp = Blueprint("records", __name__)

from forum.records import views  # noqa: E402,F401
