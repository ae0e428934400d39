"""API: the college's course catalogue (everyone signed in reads it; admins add and edit)."""

from flask import jsonify, request, url_for

from forum.api import bp
from forum.api.common import (
    ID,
    PAGE_PARAMETERS,
    api_user,
    document,
    json_body,
    json_int,
    nothing_to_change,
    operation,
    page_schema,
    paginate,
    present,
    schema,
)
from forum.courses import services
from forum.errors import Forbidden
from forum.permissions import can_manage_courses, get_course_or_404
from forum.utils import isoformat

FIELDS = ("name", "lecturer", "year")


def course_json(course) -> dict:
    """A course as the API shows it; ``url`` is the library filtered to its materials."""
    return {
        "id": course.id,
        "url": url_for("materials.library", course=course.id),
        "name": course.name,
        "lecturer": course.lecturer,
        "year": course.year,
        "created_at": isoformat(course.created_at),
    }


def _year(data: dict):
    year = data.get("year")
    return None if year is None else json_int(year, "year", minimum=None)


@bp.get("/courses")
def list_courses():
    """The course catalogue in name order (``?q=`` narrows to a name or lecturer)."""
    api_user()
    return jsonify(paginate(services.courses_query(request.args.get("q", "")[:100]), course_json))


@bp.post("/courses")
def create_course():
    """Add a course (admins); a name already in the catalogue (any case) is a 409."""
    user = api_user()
    if not can_manage_courses(user):
        raise Forbidden()
    data = json_body(required=("name",), optional=("lecturer", "year"))
    course = services.create_course(user, data["name"], data.get("lecturer") or "", _year(data))
    response = jsonify(course_json(course))
    response.headers["Location"] = url_for("api.get_course", course_id=course.id)
    return response, 201


@bp.get(f"/courses/<{ID}:course_id>")
def get_course(course_id):
    """One course of the catalogue."""
    return jsonify(course_json(get_course_or_404(course_id, api_user())))


@bp.patch(f"/courses/<{ID}:course_id>")
def update_course(course_id):
    """Change a course's name, lecturer or year (admins); ``year: null`` clears the year."""
    user = api_user()
    course = get_course_or_404(course_id, user)
    if not can_manage_courses(user):
        raise Forbidden()
    data = json_body(optional=FIELDS)
    if not present(data, "name", "lecturer") and "year" not in data:
        raise nothing_to_change()
    services.update_course(
        user,
        course,
        name=data.get("name"),
        lecturer=data.get("lecturer"),
        year=_year(data) if "year" in data else services.UNCHANGED,
    )
    return jsonify(course_json(course))


_YEAR = {"type": "integer", "minimum": services.YEAR_MIN, "maximum": services.YEAR_MAX, "nullable": True}
schema(
    "Course",
    {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "url": {"type": "string", "description": "The library page listing the course's materials"},
            "name": {"type": "string"},
            "lecturer": {"type": "string"},
            "year": {"type": "integer", "nullable": True},
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
)
schema("CoursePage", page_schema("Course"))
schema(
    "CourseCreate",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": services.NAME_MAX},
            "lecturer": {"type": "string", "maxLength": services.LECTURER_MAX},
            "year": _YEAR,
        },
    },
)
schema(
    "CourseUpdate",
    {
        "type": "object",
        "additionalProperties": False,
        "minProperties": 1,
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": services.NAME_MAX},
            "lecturer": {"type": "string", "maxLength": services.LECTURER_MAX},
            "year": {**_YEAR, "description": "null clears the year"},
        },
    },
)
document(
    "/courses",
    {
        "get": operation(
            "The course catalogue",
            "CoursePage",
            errors=(400,),
            params=[*PAGE_PARAMETERS, {"name": "q", "in": "query", "schema": {"type": "string"}}],
            tag="courses",
        ),
        "post": operation(
            "Add a course (admins)",
            "Course",
            status=201,
            body="CourseCreate",
            errors=(403, 409),
            tag="courses",
        ),
    },
)
document(
    "/courses/{course_id}",
    {
        "get": operation("A course", "Course", errors=(404,), tag="courses"),
        "patch": operation(
            "Change a course (admins)", "Course", body="CourseUpdate", errors=(403, 404, 409), tag="courses"
        ),
    },
)
