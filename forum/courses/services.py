"""The college's course catalogue: listing, adding and editing courses (admins).

A course's name is unique without regard to case, as materials find their course by name
(find_or_create_course, on upload). Each change writes an audit row in the
same commit.
"""

import logging
from contextlib import contextmanager

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from forum import validation
from forum.audit import record
from forum.courses.models import Course
from forum.errors import Forbidden, ServiceError
from forum.extensions import db
from forum.materials.models import Material
from forum.permissions import can_manage_courses

log = logging.getLogger(__name__)

NAME_MAX = 200  # Course.name
LECTURER_MAX = 120  # Course.lecturer
YEAR_MIN, YEAR_MAX = 1949, 2200  # the same range as cohorts and materials
UNCHANGED = object()


def find_or_create_course(name, lecturer=None, year=None) -> Course | None:
    """The catalogue's course of this name (created on first use); None for no name."""
    name = validation.text(name or "", "course", max_length=200, min_length=0)
    if not name:
        return None
    course = db.session.execute(
        select(Course).where(func.lower(Course.name) == name.lower())
    ).scalar_one_or_none()
    if course is None:
        course = Course(name=name, lecturer=lecturer or "", year=year)
        db.session.add(course)
        db.session.flush()
    return course


def courses_query(search: str = ""):
    """The catalogue in name order, optionally narrowed to a name or lecturer containing ``search``."""
    stmt = select(Course).order_by(func.lower(Course.name), Course.id)
    search = (search or "").strip().lower()[:200]
    if search:
        stmt = stmt.where(
            or_(
                func.lower(Course.name).contains(search, autoescape=True),
                func.lower(Course.lecturer).contains(search, autoescape=True),
            )
        )
    return stmt


def material_counts(course_ids) -> dict[int, int]:
    """Course id -> number of materials filed under it, in one query."""
    if not course_ids:
        return {}
    rows = db.session.execute(
        select(Material.course_id, func.count(Material.id))
        .where(Material.course_id.in_(list(course_ids)))
        .group_by(Material.course_id)
    ).all()
    return dict(rows)


def _name(value) -> str:
    return validation.text(value, "name", max_length=NAME_MAX)


def _lecturer(value) -> str:
    return validation.text(value or "", "lecturer", max_length=LECTURER_MAX, min_length=0)


def _year(value) -> int | None:
    if value in (None, ""):
        return None
    return validation.integer(value, "year", minimum=YEAR_MIN, maximum=YEAR_MAX)


def _refuse_duplicate(name: str, course: Course | None = None) -> None:
    stmt = select(Course.id).where(func.lower(Course.name) == name.lower())
    if course is not None:
        stmt = stmt.where(Course.id != course.id)
    if db.session.execute(stmt.limit(1)).first() is not None:
        raise ServiceError("exists", _("A course named %(name)s already exists.", name=name), 409, "name")


@contextmanager
def _unique_name(name: str):
    """Write the change in the block in a savepoint: a course of the same name added
    meanwhile (the unique index) undoes only this change, and is a clear 409."""
    try:
        with db.session.begin_nested():
            yield
            db.session.flush()
    except IntegrityError:
        raise ServiceError(
            "exists", _("A course named %(name)s already exists.", name=name), 409, "name"
        ) from None


def _state(course: Course) -> dict:
    return {"name": course.name, "lecturer": course.lecturer, "year": course.year}


def create_course(actor, name, lecturer="", year=None) -> Course:
    """Add a course to the catalogue (admins)."""
    if not can_manage_courses(actor):
        raise Forbidden()
    course = Course(name=_name(name), lecturer=_lecturer(lecturer), year=_year(year))
    _refuse_duplicate(course.name)
    with _unique_name(course.name):
        db.session.add(course)
    record(actor, "course_create", course, after=_state(course))
    db.session.flush()
    log.info("course %s (%r) added by %s", course.id, course.name, actor.username)
    return course


def update_course(actor, course: Course, *, name=None, lecturer=None, year=UNCHANGED) -> Course:
    """Change a course's name, lecturer or year (admins); ``year=None`` clears the year."""
    if not can_manage_courses(actor):
        raise Forbidden()
    changes = {}
    if name is not None:
        changes["name"] = _name(name)
        if changes["name"] != course.name:
            _refuse_duplicate(changes["name"], course)
    if lecturer is not None:
        changes["lecturer"] = _lecturer(lecturer)
    if year is not UNCHANGED:
        changes["year"] = _year(year)
    before = _state(course)
    changed = {key: value for key, value in changes.items() if before[key] != value}
    if not changed:
        return course
    with _unique_name(changed.get("name", course.name)):
        for key, value in changed.items():
            setattr(course, key, value)
    record(
        actor,
        "course_update",
        course,
        before={key: before[key] for key in changed},
        after=changed,
    )
    db.session.flush()
    log.info("course %s changed by %s: %s", course.id, actor.username, sorted(changed))
    return course
