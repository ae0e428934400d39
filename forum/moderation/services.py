"""Moderation actions, and reading the audit log (forum/audit.py writes it).

More actions live beside this module: ``threadops`` (move, merge, split), ``queue``
(reports, held content, warnings), ``mutes`` and ``filters`` (watched words).
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import joinedload

from forum import signals, validation
from forum.accounts.models import User
from forum.audit import record
from forum.cohorts.models import Board, Membership
from forum.errors import Forbidden, ServiceError
from forum.extensions import db
from forum.moderation.models import AuditEntry
from forum.permissions import (
    can_be_assigned,
    can_feature_post,
    can_restructure_thread,
    can_view_audit,
    can_work_queue,
    moderated_cohort_ids,
    visible_posts,
)
from forum.threads.models import Post, Thread
from forum.utils import utcnow

# --- reading the audit log -----------------------------------------------------------------


def audit_query(
    viewer,
    cohort=None,
    *,
    action=None,
    actor=None,
    target_type=None,
    since: datetime | None = None,
    until: datetime | None = None,
):
    """The audit log as ``viewer`` may read it, newest first, optionally filtered.

    ``cohort`` None is the whole site for admins, and every cohort they moderate for
    instructors; ``actor`` is a username.
    """
    stmt = (
        select(AuditEntry)
        .options(joinedload(AuditEntry.actor), joinedload(AuditEntry.cohort))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
    if cohort is not None:
        if not can_view_audit(viewer, cohort):
            raise Forbidden()
        stmt = stmt.where(AuditEntry.cohort_id == cohort.id)
    elif not can_view_audit(viewer):
        moderated = moderated_cohort_ids(viewer)
        if not moderated:
            raise Forbidden()
        stmt = stmt.where(AuditEntry.cohort_id.in_(moderated))
    if action:
        stmt = stmt.where(AuditEntry.action == validation.text(action, "action", max_length=64))
    if target_type:
        stmt = stmt.where(
            AuditEntry.target_type == validation.text(target_type, "target_type", max_length=32)
        )
    if actor:
        name = validation.text(actor, "actor", max_length=64).lower()
        stmt = stmt.where(AuditEntry.actor_id.in_(select(User.id).where(User.username == name)))
    if since is not None:
        stmt = stmt.where(AuditEntry.created_at >= since)
    if until is not None:
        stmt = stmt.where(AuditEntry.created_at < until)
    return stmt


# --- featured posts ("精华") --------------------------------------------------------------


def feature_post(actor, post, featured: bool = True, reason: str = ""):
    """Mark a post as featured (or not); featured posts are listed per cohort."""
    if not can_feature_post(actor, post):
        raise Forbidden()
    featured = validation.boolean(featured, "featured")
    reason = validation.text(reason, "reason", max_length=500, min_length=0)
    if featured and (post.hidden or post.is_deleted):
        raise ServiceError("not_visible", _("A hidden or deleted post cannot be featured."), 400)
    if featured == post.featured:
        return post
    record(
        actor,
        "feature_post" if featured else "unfeature_post",
        post,
        cohort_id=post.thread.board.cohort_id,
        reason=reason,
        before={"featured": post.featured},
        after={"featured": featured},
    )
    post.featured = featured
    post.featured_at = utcnow() if featured else None
    db.session.flush()
    signals.post_updated.send(actor, obj=post, previous_body=post.body)
    return post


def featured_posts_query(viewer, cohort):
    """A cohort's featured posts that the viewer may read, most recently featured first."""
    stmt = (
        select(Post)
        .join(Thread, Thread.id == Post.thread_id)
        .join(Board, Board.id == Thread.board_id)
        .options(joinedload(Post.author), joinedload(Post.thread))
        .where(
            Board.cohort_id == cohort.id,
            Post.featured.is_(True),
            Post.deleted_at.is_(None),
            Post.hidden.is_(False),
        )
        .order_by(Post.featured_at.desc(), Post.id.desc())
    )
    return visible_posts(stmt, viewer)


# --- assigning threads and the questions queue ---------------------------------------------


def assign_thread(actor, thread, assignee, reason: str = ""):
    """Ask one of the cohort's instructors to answer a thread (None clears it)."""
    if not can_restructure_thread(actor, thread):
        raise Forbidden()
    cohort = thread.board.cohort
    if assignee is not None and not can_be_assigned(assignee, cohort):
        raise ServiceError(
            "not_instructor", _("Threads can only be assigned to the class's instructors."), 400, "username"
        )
    reason = validation.text(reason, "reason", max_length=500, min_length=0)
    new_id = assignee.id if assignee is not None else None
    if new_id == thread.assigned_to_id:
        return thread
    previous = _username(thread.assigned_to_id)
    record(
        actor,
        "assign_thread" if assignee else "unassign_thread",
        thread,
        cohort_id=cohort.id,
        reason=reason,
        before={"assigned_to": previous},
        after={"assigned_to": assignee.username if assignee else None},
    )
    thread.assigned_to_id = new_id
    db.session.flush()
    signals.thread_updated.send(actor, obj=thread)
    return thread


def _username(user_id):
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    return user.username if user else None


def staff_ids_query(cohort_id):
    """Ids of the people whose reply counts as a staff reply in a cohort."""
    return (
        select(Membership.user_id)
        .where(Membership.cohort_id == cohort_id, Membership.role == "instructor")
        .union(select(User.id).where(User.role == "admin"))
    )


def unanswered_questions_query(viewer, cohort, *, assigned_to=None):
    """Trainees' questions in a cohort without a visible staff reply yet, oldest first."""
    if not can_work_queue(viewer, cohort):
        raise Forbidden()
    staff = staff_ids_query(cohort.id)
    staff_reply = [
        Post.thread_id == Thread.id,
        Post.number > 1,
        Post.deleted_at.is_(None),
        Post.hidden.is_(False),
        Post.author_id.in_(staff),
    ]
    if hasattr(Post, "staff_note"):
        staff_reply.append(Post.staff_note.is_(False))
    stmt = (
        select(Thread)
        .join(Board, Board.id == Thread.board_id)
        .options(joinedload(Thread.author), joinedload(Thread.board))
        .where(
            Board.cohort_id == cohort.id,
            Thread.kind == "question",
            Thread.hidden.is_(False),
            Thread.merged_into_id.is_(None),
            or_(Thread.author_id.is_(None), Thread.author_id.not_in(staff)),
            ~exists().where(*staff_reply),
        )
        .order_by(Thread.created_at, Thread.id)
    )
    if assigned_to is not None:
        stmt = stmt.where(Thread.assigned_to_id == assigned_to.id)
    return stmt
