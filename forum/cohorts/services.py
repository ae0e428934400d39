"""Cohorts, their members and their boards."""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload

from forum import audit, signals, validation
from forum.accounts.models import User
from forum.cohorts.models import (
    BOARD_KINDS,
    COHORT_KINDS,
    COHORT_LANGUAGES,
    MEMBERSHIP_ROLES,
    Board,
    Cohort,
    Membership,
)
from forum.errors import Forbidden, ServiceError
from forum.extensions import db
from forum.permissions import (
    can_manage_board,
    can_manage_cohort,
    can_manage_site,
    visible_cohorts,
    visible_threads_clause,
)
from forum.threads.models import Post, Thread
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
        raise ServiceError("exists", _("A class with the slug %(slug)s exists.", slug=slug), 409, "slug")
    cohort = Cohort(slug=slug, name=name, kind=kind, year=year, language=language, description=description)
    db.session.add(cohort)
    db.session.flush()
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
    db.session.flush()
    signals.cohort_updated.send(actor, obj=cohort)
    return cohort


def list_cohorts_for(user):
    """The cohorts a user may see, newest first (admins: all)."""
    stmt = select(Cohort).order_by(Cohort.archived, Cohort.year.desc().nulls_last(), Cohort.id.desc())
    return visible_cohorts(stmt, user)


def add_membership(actor, cohort, user, role) -> Membership:
    """Enrol a user in a cohort, or change their role there (instructors of it, admins)."""
    if actor is not None and not can_manage_cohort(actor, cohort):
        raise Forbidden()
    if cohort.archived:
        raise ServiceError("archived", _("This class is archived and read-only."), 403)
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
    db.session.flush()
    return membership


def remove_membership(actor, cohort, user) -> None:
    """Take a user out of a cohort (admins); refused once the cohort is archived."""
    if actor is not None and not can_manage_site(actor):
        raise Forbidden()
    if cohort.archived:
        raise ServiceError("archived", _("This class is archived and read-only."), 403)
    membership = db.session.execute(
        select(Membership).where(Membership.cohort_id == cohort.id, Membership.user_id == user.id)
    ).scalar_one_or_none()
    if membership is None:
        raise ServiceError("not_member", _("%(name)s is not a member.", name=user.username), 404)
    audit.record(actor, "remove_membership", user, cohort_id=cohort.id,
                 before={"role": membership.role}, after=None)
    db.session.delete(membership)
    user.forget_cohort_roles()
    db.session.flush()


def members(cohort):
    return db.session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort.id)
        .order_by(Membership.role, User.username)
    ).all()


def create_board(actor, cohort, name, description="", anonymous_allowed=False, kind="discussion") -> Board:
    """A new board at the end of the cohort's list (its instructors, admins)."""
    if actor is not None and not can_manage_cohort(actor, cohort):
        raise Forbidden()
    name = validation.text(name, "name", max_length=current_app.config["FORUM_NAME_MAX"])
    description = validation.text(
        description, "description", max_length=current_app.config["FORUM_DESCRIPTION_MAX"], min_length=0
    )
    anonymous_allowed = validation.boolean(anonymous_allowed, "anonymous_allowed")
    kind = validation.choice(kind or "discussion", "kind", BOARD_KINDS)
    position = db.session.execute(
        select(func.coalesce(func.max(Board.position), 0)).where(Board.cohort_id == cohort.id)
    ).scalar_one()
    board = Board(
        cohort_id=cohort.id, name=name, description=description,
        anonymous_allowed=anonymous_allowed, position=position + 1, kind=kind,
    )
    db.session.add(board)
    db.session.flush()
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
    if "kind" in changes:
        board.kind = validation.choice(changes["kind"], "kind", BOARD_KINDS)
    db.session.flush()
    return board


# --- page queries ------------------------------------------------------------------------


def board_summaries(cohort, viewer):
    """The cohort's boards with thread and reply counts and their latest thread.

    Three queries whatever the number of boards; hidden threads count only for
    those who may see them.
    """
    boards = list(
        db.session.execute(
            select(Board).where(Board.cohort_id == cohort.id).order_by(Board.position, Board.id)
        ).scalars()
    )
    if not boards:
        return []
    ids = [board.id for board in boards]
    visible = Thread.board_id.in_(ids) & visible_threads_clause(viewer)
    counts = {
        board_id: (threads, replies or 0)
        for board_id, threads, replies in db.session.execute(
            select(Thread.board_id, func.count(Thread.id), func.sum(Thread.reply_count))
            .where(visible)
            .group_by(Thread.board_id)
        ).all()
    }
    ranked = (
        select(
            Thread.id,
            func.row_number()
            .over(
                partition_by=Thread.board_id,
                order_by=(Thread.last_activity_at.desc(), Thread.id.desc()),
            )
            .label("rank"),
        )
        .where(visible)
        .subquery()
    )
    latest = {
        thread.board_id: thread
        for thread in db.session.execute(
            select(Thread)
            .join(ranked, ranked.c.id == Thread.id)
            .where(ranked.c.rank == 1)
            .options(joinedload(Thread.last_poster))
        ).scalars()
    }
    return [
        {
            "board": board,
            "threads": counts.get(board.id, (0, 0))[0],
            "replies": counts.get(board.id, (0, 0))[1],
            "latest": latest.get(board.id),
        }
        for board in boards
    ]


def site_counts() -> dict:
    """Counts for the administration overview."""
    def count(stmt):
        return db.session.execute(stmt).scalar_one()

    return {
        "users": count(select(func.count(User.id))),
        "active_users": count(select(func.count(User.id)).where(User.active.is_(True))),
        "cohorts": count(select(func.count(Cohort.id)).where(Cohort.archived.is_(False))),
        "archived_cohorts": count(select(func.count(Cohort.id)).where(Cohort.archived.is_(True))),
        "boards": count(select(func.count(Board.id))),
        "threads": count(select(func.count(Thread.id))),
        "posts": count(select(func.count(Post.id)).where(Post.deleted_at.is_(None))),
    }


def member_counts(cohort_ids) -> dict[int, dict[str, int]]:
    """Cohort id -> {"instructor": n, "trainee": n}, in one query."""
    result: dict[int, dict[str, int]] = {}
    if not cohort_ids:
        return result
    rows = db.session.execute(
        select(Membership.cohort_id, Membership.role, func.count(Membership.id))
        .where(Membership.cohort_id.in_(list(cohort_ids)))
        .group_by(Membership.cohort_id, Membership.role)
    ).all()
    for cohort_id, role, n in rows:
        result.setdefault(cohort_id, {})[role] = n
    return result


def instructor_ids(cohort) -> set[int]:
    """Ids of the cohort's instructors (one query), to mark staff posts on a page."""
    return set(
        db.session.execute(
            select(Membership.user_id).where(
                Membership.cohort_id == cohort.id, Membership.role == "instructor"
            )
        ).scalars()
    )


# --- API list queries ---------------------------------------------------------------------


def boards_query(cohort):
    """The cohort's boards in their order, as a select statement (for pagination)."""
    return select(Board).where(Board.cohort_id == cohort.id).order_by(Board.position, Board.id)


def memberships_query(cohort):
    """The cohort's memberships with their users, instructors first, then by username."""
    return (
        select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(Membership.cohort_id == cohort.id)
        .options(contains_eager(Membership.user))
        .order_by(Membership.role, User.username)
    )
