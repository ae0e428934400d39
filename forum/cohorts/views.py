"""Pages: home, cohort, board."""

from flask import render_template
from flask_login import login_required

from forum.cohorts import bp


@bp.route("/")
@login_required
def home():
    """Home: my cohorts and their latest activity."""
    return render_template("cohorts/home.html")
