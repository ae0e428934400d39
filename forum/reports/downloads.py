"""Pages: the participation report as XLSX, and the activity chart for the report page."""

from flask import abort, request
from flask_login import current_user, login_required

from forum.errors import ServiceError
from forum.permissions import can_view_participation, get_cohort_or_404
from forum.reports import bp, chart, services, xlsx


@bp.context_processor
def _chart_helper():
    """Templates of the reports blueprint may draw ``activity_chart(report)``."""
    return {"activity_chart": chart.activity_svg}


@bp.route("/cohorts/<slug>/participation.xlsx")
@login_required
def participation_xlsx(slug):
    """The participation report as an XLSX workbook (same figures as the CSV)."""
    cohort = get_cohort_or_404(slug, current_user)
    if not can_view_participation(current_user, cohort):
        abort(403)
    try:
        start, end = services.date_range(cohort, request.args.get("from"), request.args.get("to"))
    except ServiceError:
        abort(400)
    return xlsx.xlsx_response(services.participation(current_user, cohort, start, end))
