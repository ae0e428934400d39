"""Case teaching: a case thread's brief (background, questions, teaching notes, linked
materials) and the roles trainees play in it. Services take the acting user first and
only flush: the request or command that calls them commits."""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from forum import validation
from forum.discussion.materials import check_linkable
from forum.discussion.models import CaseBrief, CaseMaterial, ThreadRole
from forum.errors import Forbidden, ServiceError
from forum.extensions import db
from forum.permissions import can_assign_roles, can_edit_case_brief, cohort_role
from forum.sanitize import render_markdown
from forum.utils import utcnow

BRIEF_FIELDS = ("background", "questions", "teaching_notes", "material_ids")
ROLE_LABEL_MAX = 60
MATERIALS_MAX = 30


# --- case briefs ---------------------------------------------------------------------------


def clean_brief(actor, cohort, data) -> dict:
    """A brief's fields checked: texts within FORUM_POST_MAX, linkable material ids."""
    if not isinstance(data, dict):
        raise ServiceError("invalid", _("%(field)s must be an object.", field="brief"), 400, "brief")
    unknown = sorted(set(data) - set(BRIEF_FIELDS))
    if unknown:
        raise ServiceError("unknown_field", _("Unknown field: %(name)s.", name=unknown[0]), 400, unknown[0])
    limit = current_app.config["FORUM_POST_MAX"]
    clean = {
        name: validation.text(data.get(name), name, max_length=limit, min_length=0)
        for name in ("background", "questions", "teaching_notes")
    }
    clean["material_ids"] = _material_ids(actor, cohort, data.get("material_ids"))
    return clean


def _material_ids(actor, cohort, value) -> list[int]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MATERIALS_MAX:
        raise ServiceError(
            "invalid",
            _("%(field)s must be a list of at most %(n)d ids.", field="material_ids", n=MATERIALS_MAX),
            400,
            "material_ids",
        )
    ids: list[int] = []
    for item in value:
        material_id = validation.integer(item, "material_ids", minimum=1, maximum=2**31 - 1)
        if material_id not in ids:
            ids.append(material_id)

    check_linkable(actor, ids)
    return ids


def write_brief(actor, thread, clean: dict) -> CaseBrief | None:
    """Store a checked brief on a thread (an empty one removes it)."""
    brief = db.session.execute(select(CaseBrief).where(CaseBrief.thread_id == thread.id)).scalar_one_or_none()
    empty = not any(clean[name] for name in ("background", "questions", "teaching_notes"))
    db.session.execute(delete(CaseMaterial).where(CaseMaterial.thread_id == thread.id))
    if empty and not clean["material_ids"]:
        if brief is not None:
            db.session.delete(brief)
        return None
    if brief is None:
        brief = CaseBrief(thread_id=thread.id)
        db.session.add(brief)
    for name in ("background", "questions", "teaching_notes"):
        setattr(brief, name, clean[name])
        setattr(brief, f"{name}_html", render_markdown(clean[name]) if clean[name] else "")
    brief.updated_at = utcnow()
    brief.updated_by_id = actor.id
    for position, material_id in enumerate(clean["material_ids"]):
        db.session.add(CaseMaterial(thread_id=thread.id, material_id=material_id, position=position))
    return brief


def save_case_brief(actor, thread, data: dict) -> CaseBrief | None:
    """Write (or, when every field is empty, remove) a case thread's brief."""
    if not can_edit_case_brief(actor, thread):
        raise Forbidden()
    brief = write_brief(actor, thread, clean_brief(actor, thread.board.cohort, data))
    db.session.flush()
    return brief


def case_brief(thread) -> CaseBrief | None:
    """A thread's brief, if it has one."""
    return db.session.execute(select(CaseBrief).where(CaseBrief.thread_id == thread.id)).scalar_one_or_none()


# --- role play -----------------------------------------------------------------------------


def assign_role(actor, thread, user, label) -> ThreadRole:
    """Give a trainee of the cohort a role in a case thread (or change it)."""
    if not can_assign_roles(actor, thread):
        raise Forbidden()
    label = validation.text(label, "label", max_length=ROLE_LABEL_MAX)
    if cohort_role(user, thread.board.cohort_id) != "trainee":
        raise ServiceError("not_trainee", _("Roles are given to trainees of this class."), 400, "username")
    role = db.session.execute(
        select(ThreadRole).where(ThreadRole.thread_id == thread.id, ThreadRole.user_id == user.id)
    ).scalar_one_or_none()
    if role is None:
        role = ThreadRole(thread_id=thread.id, user_id=user.id, label=label, assigned_by_id=actor.id)
        db.session.add(role)
    else:
        role.label = label
        role.assigned_by_id = actor.id
    db.session.flush()
    return role


def remove_role(actor, thread, user) -> None:
    """Take a trainee's role in a case thread away."""
    if not can_assign_roles(actor, thread):
        raise Forbidden()
    result = db.session.execute(
        delete(ThreadRole).where(ThreadRole.thread_id == thread.id, ThreadRole.user_id == user.id)
    )
    if result.rowcount == 0:
        raise ServiceError("not_found", _("%(name)s has no role here.", name=user.username), 404)
    db.session.flush()


def thread_roles(thread) -> list[ThreadRole]:
    """A thread's roles with their users, by label (one query)."""
    return list(
        db.session.execute(
            select(ThreadRole)
            .where(ThreadRole.thread_id == thread.id)
            .options(joinedload(ThreadRole.user))
            .order_by(ThreadRole.label, ThreadRole.id)
        ).scalars()
    )
