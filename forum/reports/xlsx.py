"""The participation report as an XLSX workbook (openpyxl): the same rows and numbers
as the CSV, plus a sheet for instructors."""

import io

from flask import Response
from flask_babel import gettext as _
from openpyxl import Workbook

from forum.reports.services import TRAINEE_COLUMNS, Participation

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INSTRUCTOR_COLUMNS = ("username", "display_name", "replies", "first_replies", "median_first_reply_seconds")


def _put(sheet, row: int, column: int, value) -> None:
    """Write a cell; text is always text (a name starting with '=' is not a formula)."""
    cell = sheet.cell(row=row, column=column, value=None if value is None else value)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"


def _table(sheet, columns, rows) -> None:
    for column, name in enumerate(columns, start=1):
        _put(sheet, 1, column, name)
    for number, data in enumerate(rows, start=2):
        for column, name in enumerate(columns, start=1):
            _put(sheet, number, column, data[name])
    sheet.freeze_panes = "A2"


def to_xlsx(report: Participation) -> bytes:
    """Trainees on the first sheet (CSV columns), instructors on the second, range on the third."""
    book = Workbook()
    trainees = book.active
    trainees.title = "trainees"
    _table(trainees, TRAINEE_COLUMNS, [row.as_json() for row in report.trainees])
    _table(
        book.create_sheet("instructors"), INSTRUCTOR_COLUMNS, [row.as_json() for row in report.instructors]
    )
    about = book.create_sheet("about")
    for number, (name, value) in enumerate(
        (
            ("cohort", report.cohort.slug),
            ("name", report.cohort.name),
            ("from", report.start.isoformat()),
            ("to", report.end.isoformat()),
            ("note", _("Days in the forum's time zone, both ends included.")),
        ),
        start=1,
    ):
        _put(about, number, 1, name)
        _put(about, number, 2, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_filename(report: Participation) -> str:
    return f"participation-{report.cohort.slug}-{report.start.isoformat()}-{report.end.isoformat()}.xlsx"


def xlsx_response(report: Participation) -> Response:
    """The workbook as a file download (the report page and the API offer the same one)."""
    return Response(
        to_xlsx(report),
        mimetype=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{xlsx_filename(report)}"'},
    )
