"""API: the participation report of a cohort (teaching inspection), as JSON, or as the
CSV and XLSX downloads that the report page offers."""

from flask import jsonify, request
from flask_babel import gettext as _

from forum.api import bp
from forum.api.common import MAX_PER_PAGE, api_user, document, int_arg, operation, path_param, schema
from forum.errors import ServiceError
from forum.permissions import can_view_participation, get_cohort_or_404
from forum.reports import export, services, xlsx

FORMATS = ("json", "csv", "xlsx")


@bp.get("/cohorts/<slug>/participation")
def participation(slug):
    """One row per trainee (``?from=&to=`` days, ``?format=json|csv|xlsx``); instructors and admins."""
    user = api_user()
    cohort = get_cohort_or_404(slug, user)
    if not can_view_participation(user, cohort):
        raise ServiceError("forbidden", _("You are not allowed to do that."), 403)
    fmt = request.args.get("format") or "json"
    if fmt not in FORMATS:
        raise ServiceError("invalid", _("format must be json, csv or xlsx."), 400, "format")
    start, end = services.date_range(cohort, request.args.get("from"), request.args.get("to"))
    report = services.participation(user, cohort, start, end)
    if fmt == "csv":
        return export.csv_response(report)
    if fmt == "xlsx":
        return xlsx.xlsx_response(report)
    # Every trainee on one page by default (a cohort rarely exceeds 100); ?page= for more.
    page = int_arg("page", 1, minimum=1, maximum=1_000_000)
    per_page = int_arg("per_page", MAX_PER_PAGE, minimum=1, maximum=MAX_PER_PAGE)
    rows = report.trainees
    total = len(rows)
    data = export.report_json(report)
    data.update(
        {
            "items": [row.as_json() for row in rows[(page - 1) * per_page : page * per_page]],
            "page": page,
            "per_page": per_page,
            "total": total,
            "pages": (total + per_page - 1) // per_page,
        }
    )
    return jsonify(data)


_I = {"type": "integer"}
_N = {"type": "integer", "nullable": True}
schema(
    "ParticipationRow",
    {
        "type": "object",
        "required": ["username", "threads", "posts", "words", "room_messages", "last_active"],
        "properties": {
            "username": {"type": "string"},
            "display_name": {"type": "string"},
            "threads": {**_I, "description": "Threads started"},
            "posts": {**_I, "description": "Replies (opening posts are counted in threads)"},
            "words": {**_I, "description": "CJK characters count one each; other words by whitespace"},
            "case_answers": {**_I, "description": "Replies in case threads"},
            "room_messages": _I,
            "reactions": {**_I, "description": "Reactions received"},
            "last_active": {"type": "string", "format": "date-time", "nullable": True},
        },
    },
)
schema(
    "ParticipationInstructor",
    {
        "type": "object",
        "properties": {
            "username": {"type": "string"},
            "display_name": {"type": "string"},
            "replies": _I,
            "first_replies": _I,
            "median_first_reply_seconds": _N,
        },
    },
)
schema(
    "Participation",
    {
        "type": "object",
        "properties": {
            "cohort": {"type": "string"},
            "from": {"type": "string", "format": "date"},
            "to": {"type": "string", "format": "date"},
            "generated_at": {"type": "string", "format": "date-time"},
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/ParticipationRow"}},
            "instructors": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/ParticipationInstructor"},
            },
            "summary": {
                "type": "object",
                "properties": {
                    "questions": _I,
                    "answered": _I,
                    "unanswered": _I,
                    "median_first_reply_seconds": _N,
                },
            },
            "page": _I,
            "per_page": _I,
            "total": _I,
            "pages": _I,
        },
    },
)

_spec = operation(
    "Participation per trainee (instructors of the cohort, admins)",
    "Participation",
    errors=(400, 403, 404),
    tag="reports",
    params=[
        {
            "name": "from",
            "in": "query",
            "schema": {"type": "string", "format": "date"},
            "description": "First day (default: the cohort's start)",
        },
        {
            "name": "to",
            "in": "query",
            "schema": {"type": "string", "format": "date"},
            "description": "Last day, included (default: today)",
        },
        {
            "name": "format",
            "in": "query",
            "schema": {"type": "string", "enum": list(FORMATS), "default": "json"},
            "description": "csv and xlsx: the report page's file downloads (an attachment)",
        },
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
        {
            "name": "per_page",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
        },
    ],
)
_spec["responses"]["200"]["content"]["text/csv"] = {"schema": {"type": "string"}}
_spec["responses"]["200"]["content"][xlsx.XLSX_TYPE] = {"schema": {"type": "string", "format": "binary"}}
document(
    "/cohorts/{slug}/participation",
    {
        "parameters": [path_param("slug", "string")],
        "get": _spec,
    },
)
