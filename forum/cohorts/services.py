"""Cohorts, their members and their boards."""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from forum import events, validation
from forum.cohorts.models import COHORT_KINDS, COHORT_LANGUAGES, MEMBERSHIP_ROLES, Board, Cohort, Membership
from forum.errors import Forbidden, ServiceError
from forum.extensions import db
from forum.moderation import services as audit
from forum.permissions import can_manage_board, can_manage_cohort, can_manage_site
from forum.utils import utcnow


def _year(value):
    if value in (None, ""):
        return None
    return validation.integer(value, "year", minimum=1949, maximum=2200)


def find_cohort(slug) -> Cohort | None:
    if not isinstance(slug, str):
        return None
    return db.session.execute(select(Cohort).where(Cohort.slug == slug.strip().lower())).scalar_one_or_none()


def create_cohort(actor, slug, name, kind, year=None, language="zh", description="") -> Cohort:
    """A new cohort (admins; the CLI acts as the system with actor None)."""
    if actor is not None and not can_manage_site(actor):
        raise Forbidden()
    slug = validation.slug(slug)
    name = validation.text(name, "name", max_length=current_app.config["FORUM_NAME_MAX"])
    kind = validation.choice(kind, "kind", COHORT_KINDS)
    language = validation.choice(language or "zh", "language", COHORT_LANGUAGES)
    description = validation.text(
        description, "description", max_length=current_app.config["FORUM_DESCRIPTION_MAX"], min_length=0
    )
    year = _year(year)
    if find_cohort(slug) is not None:
        raise ServiceError("exists", _("A cohort with the slug %(slug)s exists.", slug=slug), 409, "slug")
    cohort = Cohort(slug=slug, name=name, kind=kind, year=year, language=language, description=description)
    db.session.add(cohort)
    db.session.commit()
    return cohort


def update_cohort(actor, cohort, **changes) -> Cohort:
    """Edit a cohort's details, or archive / reopen it (admins)."""
    if actor is not None and not can_manage_site(actor):
        raise Forbidden()
    if "name" in changes:
        cohort.name = validation.text(changes["name"], "name", max_length=current_app.config["FORUM_NAME_MAX"])
    if "kind" in changes:
        cohort.kind = validation.choice(changes["kind"], "kind", COHORT_KINDS)
    if "year" in changes:
        cohort.year = _year(changes["year"])
    if "language" in changes:
        cohort.language = validation.choice(changes["language"], "language", COHORT_LANGUAGES)
    if "description" in changes:
        cohort.description = validation.text(
            changes["description"], "description",
            max_length=current_app.config["FORUM_DESCRIPTION_MAX"], min_length=0,
        )
    if "archived" in changes:
        archived = validation.boolean(changes["archived"], "archived")
        if archived != cohort.archived:
            audit.record(
                actor, "archive_cohort" if archived else "unarchive_cohort", cohort,
                cohort_id=cohort.id, before={"archived": cohort.archived}, after={"archived": archived},
            )
            cohort.archived = archived
            cohort.archived_at = utcnow() if archived else None
    db.session.commit()
    events.cohort_updated.send(actor, obj=cohort)
    return cohort


def list_cohorts_for(user):
    """The cohorts a user may see, newest first (admins: all)."""
    from forum.permissions import visible_cohort_ids

    stmt = select(Cohort).order_by(Cohort.archived, Cohort.year.desc().nulls_last(), Cohort.id.desc())
    ids = visible_cohort_ids(user)
    if ids is not None:
        stmt = stmt.where(Cohort.id.in_(ids))
    return stmt


def add_membership(actor, cohort, user, role, *, commit=True) -> Membership:
    """Enrol a user in a cohort, or change their role there (instructors of it, admins)."""
    if actor is not None and not can_manage_cohort(actor, cohort):
        raise Forbidden()
    if cohort.archived:
        raise ServiceError("archived", _("This cohort is archived and read-only."), 403)
    role = validation.choice(role, "role", MEMBERSHIP_ROLES)
    # Only admins make instructors: an instructor cannot promote a trainee to staff.
    if role == "instructor" and actor is not None and not can_manage_site(actor):
        raise Forbidden(_("Only an administrator can add instructors."))
    membership = db.session.execute(
        select(Membership).where(Membership.cohort_id == cohort.id, Membership.user_id == user.id)
    ).scalar_one_or_none()
    before = membership.role if membership else None
    if membership is None:
        membership = Membership(cohort_id=cohort.id, user_id=user.id, role=role)
        db.session.add(membership)
    else:
        membership.role = role
    if before != role:
        audit.record(actor, "set_membership", user, cohort_id=cohort.id,
                     before={"role": before}, after={"role": role})
    user.forget_cohort_roles()
    if commit:
        db.session.commit()
    return membership


def remove_membership(actor, cohort, user) -> None:
    if actor is not None and not can_manage_site(actor):
        raise Forbidden()
    membership = db.session.execute(
        select(Membership).where(Membership.cohort_id == cohort.id, Membership.user_id == user.id)
    ).scalar_one_or_none()
    if membership is None:
        raise ServiceError("not_member", _("%(name)s is not a member.", name=user.username), 404)
    audit.record(actor, "remove_membership", user, cohort_id=cohort.id,
                 before={"role": membership.role}, after=None)
    db.session.delete(membership)
    user.forget_cohort_roles()
    db.session.commit()


def members(cohort):
    from forum.accounts.models import User

    return db.session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort.id)
        .order_by(Membership.role, User.username)
    ).all()


def create_board(actor, cohort, name, description="", anonymous_allowed=False) -> Board:
    """A new board at the end of the cohort's list (its instructors, admins)."""
    if actor is not None and not can_manage_cohort(actor, cohort):
        raise Forbidden()
    name = validation.text(name, "name", max_length=current_app.config["FORUM_NAME_MAX"])
    description = validation.text(
        description, "description", max_length=current_app.config["FORUM_DESCRIPTION_MAX"], min_length=0
    )
    anonymous_allowed = validation.boolean(anonymous_allowed, "anonymous_allowed")
    position = db.session.execute(
        select(func.coalesce(func.max(Board.position), 0)).where(Board.cohort_id == cohort.id)
    ).scalar_one()
    board = Board(
        cohort_id=cohort.id, name=name, description=description,
        anonymous_allowed=anonymous_allowed, position=position + 1,
    )
    db.session.add(board)
    db.session.commit()
    return board


def update_board(actor, board, **changes) -> Board:
    if not can_manage_board(actor, board):
        raise Forbidden()
    if "name" in changes:
        board.name = validation.text(changes["name"], "name", max_length=current_app.config["FORUM_NAME_MAX"])
    if "description" in changes:
        board.description = validation.text(
            changes["description"], "description",
            max_length=current_app.config["FORUM_DESCRIPTION_MAX"], min_length=0,
        )
    if "anonymous_allowed" in changes:
        board.anonymous_allowed = validation.boolean(changes["anonymous_allowed"], "anonymous_allowed")
    if "position" in changes:
        board.position = validation.integer(changes["position"], "position", minimum=0, maximum=10_000)
    db.session.commit()
    return board
