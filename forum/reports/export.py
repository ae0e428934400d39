"""The participation report as JSON, CSV (and its download) and text for people (durations)."""

import csv
import io

from flask import Response
from flask_babel import gettext as _

from forum.reports.services import TRAINEE_COLUMNS, Participation
from forum.utils import isoformat, utcnow

# --- output -----------------------------------------------------------------------------------


def report_json(report: Participation) -> dict:
    return {
        "cohort": report.cohort.slug,
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "generated_at": isoformat(utcnow()),
        "instructors": [row.as_json() for row in report.instructors],
        "summary": report.summary(),
    }


def to_csv(report: Participation) -> str:
    """The trainee table as CSV (UTF-8 with a BOM, so spreadsheet programs read Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TRAINEE_COLUMNS)
    for row in report.trainees:
        data = row.as_json()
        writer.writerow([_csv_cell(data[name]) for name in TRAINEE_COLUMNS])
    return "\ufeff" + out.getvalue()


def _csv_cell(value):
    """Neutralise spreadsheet formulas in text cells (a display name may start with '=')."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_filename(report: Participation) -> str:
    return f"participation-{report.cohort.slug}-{report.start.isoformat()}-{report.end.isoformat()}.csv"


def csv_response(report: Participation) -> Response:
    """The CSV as a file download (the report page and the API offer the same one)."""
    return Response(
        to_csv(report),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{csv_filename(report)}"'},
    )


def format_duration(seconds: int | None) -> str:
    """A delay for people: "3 d 4 h", "2 h 5 min", "12 min", "40 s"; empty for none."""
    if seconds is None:
        return ""
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return _("%(d)d d %(h)d h", d=days, h=hours)
    if hours:
        return _("%(h)d h %(m)d min", h=hours, m=minutes)
    if minutes:
        return _("%(m)d min", m=minutes)
    return _("%(s)d s", s=secs)
