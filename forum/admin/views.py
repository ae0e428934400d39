"""Administration pages."""

from flask import render_template

from forum.admin import bp


@bp.route("/")
def index():
    """Administration overview."""
    return render_template("admin/index.html")
