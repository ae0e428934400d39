"""Pages: the participation report of a cohort, and its CSV export (``?format=csv|xlsx`` too)."""

from flask import abort, render_template, request
from flask_login import current_user, login_required

from forum.errors import ServiceError
from forum.permissions import can_view_participation, get_cohort_or_404
from forum.reports import bp, export, services, xlsx


@bp.route("/cohorts/<slug>/participation")
@login_required
def participation(slug):
    """Per trainee and per instructor figures over a date range, in sortable tables."""
    cohort = get_cohort_or_404(slug, current_user)
    if not can_view_participation(current_user, cohort):
        abort(403)
    error = None
    try:
        start, end = services.date_range(cohort, request.args.get("from"), request.args.get("to"))
    except ServiceError as refused:
        error = refused.message
        start, end = services.date_range(cohort)
    report = services.participation(current_user, cohort, start, end)
    if request.args.get("format") == "csv" and error is None:
        return export.csv_response(report)
    if request.args.get("format") == "xlsx" and error is None:
        return xlsx.xlsx_response(report)
    return render_template(
        "reports/participation.html",
        cohort=cohort,
        report=report,
        error=error,
        format_duration=export.format_duration,
    ), 400 if error else 200


@bp.route("/cohorts/<slug>/participation.csv")
@login_required
def participation_csv(slug):
    """The trainee table as a CSV file."""
    cohort = get_cohort_or_404(slug, current_user)
    if not can_view_participation(current_user, cohort):
        abort(403)
    try:
        start, end = services.date_range(cohort, request.args.get("from"), request.args.get("to"))
    except ServiceError:
        abort(400)
    return export.csv_response(services.participation(current_user, cohort, start, end))
