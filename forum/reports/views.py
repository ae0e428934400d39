"""Pages: the participation report of a cohort, and its exports (CSV, XLSX; also as
``?format=csv|xlsx`` on the page's own address)."""

from flask import abort, render_template, request
from flask_login import current_user, login_required

from forum.errors import ServiceError
from forum.permissions import can_view_participation, get_cohort_or_404
from forum.reports import bp, chart, export, services, xlsx


@bp.context_processor
def _chart_helper():
    """Templates of the reports blueprint may draw ``activity_chart(report)``."""
    return {"activity_chart": chart.activity_svg}


def _report_cohort(slug):
    """The cohort of the address, or 404/403: one check for the page and its downloads."""
    cohort = get_cohort_or_404(slug, current_user)
    if not can_view_participation(current_user, cohort):
        abort(403)
    return cohort


def _download(slug, respond):
    """A download of the report over the requested range; a bad range is a 400."""
    cohort = _report_cohort(slug)
    try:
        start, end = services.date_range(cohort, request.args.get("from"), request.args.get("to"))
    except ServiceError:
        abort(400)
    return respond(services.participation(current_user, cohort, start, end))


@bp.route("/cohorts/<slug>/participation")
@login_required
def participation(slug):
    """Per trainee and per instructor figures over a date range, in sortable tables."""
    cohort = _report_cohort(slug)
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
    return _download(slug, export.csv_response)


@bp.route("/cohorts/<slug>/participation.xlsx")
@login_required
def participation_xlsx(slug):
    """The participation report as an XLSX workbook (same figures as the CSV)."""
    return _download(slug, xlsx.xlsx_response)
