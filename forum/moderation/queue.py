"""The review queue: trainees' reports of posts and content held by a watched word,
worked by the cohort's instructors (dismiss, hide, warn; approve or reject), and the
warnings a trainee receives."""

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from forum import signals, validation
from forum.audit import record
from forum.cohorts.models import Cohort
from forum.errors import Forbidden, ServiceError
from forum.extensions import db
from forum.moderation.models import ConductWarning, ReviewItem
from forum.permissions import (
    can_be_muted,
    can_mute_in_cohort,
    can_report_post,
    can_work_queue,
    moderated_cohort_ids,
)
from forum.threads.models import Post, Thread
from forum.threads.services import _recount, moderate_post
from forum.utils import utcnow

REPORT_ACTIONS = ("dismiss", "hide", "warn")
HELD_ACTIONS = ("approve", "reject")


def report_post(reporter, post, reason) -> ReviewItem:
    """A member flags a post for the cohort's instructors, saying why."""
    if not can_report_post(reporter, post):
        raise Forbidden()
    reason = validation.text(reason, "reason", max_length=500)
    duplicate = db.session.execute(
        select(ReviewItem.id).where(
            ReviewItem.post_id == post.id,
            ReviewItem.user_id == reporter.id,
            ReviewItem.kind == "report",
            ReviewItem.status == "open",
        )
    ).first()
    if duplicate:
        raise ServiceError("already_reported", _("You have already reported this post."), 409)
    item = ReviewItem(
        kind="report",
        cohort_id=post.thread.board.cohort_id,
        target_type="post",
        target_id=post.id,
        post_id=post.id,
        user_id=reporter.id,
        reason=reason,
    )
    db.session.add(item)
    db.session.flush()
    return item


def queue_query(viewer, cohort=None, *, status="open", kind=None):
    """Queue entries the viewer may work (one cohort, or all they moderate), oldest first."""
    stmt = (
        select(ReviewItem)
        .options(
            joinedload(ReviewItem.user),
            joinedload(ReviewItem.resolved_by),
            joinedload(ReviewItem.post).joinedload(Post.author),
            joinedload(ReviewItem.post).joinedload(Post.thread).joinedload(Thread.board),
        )
        .order_by(ReviewItem.created_at, ReviewItem.id)
    )
    if cohort is not None:
        if not can_work_queue(viewer, cohort):
            raise Forbidden()
        stmt = stmt.where(ReviewItem.cohort_id == cohort.id)
    else:
        ids = moderated_cohort_ids(viewer)
        if ids is not None:
            stmt = stmt.where(ReviewItem.cohort_id.in_(ids or [-1]))
    if status:
        stmt = stmt.where(
            ReviewItem.status
            == validation.choice(
                status, "status", ("open", "dismissed", "hidden", "warned", "approved", "rejected")
            )
        )
    if kind:
        stmt = stmt.where(ReviewItem.kind == validation.choice(kind, "kind", ("report", "held")))
    return stmt


def open_count(viewer, cohort) -> int:
    """How many entries wait in a cohort's queue."""
    if not can_work_queue(viewer, cohort):
        return 0
    return db.session.execute(
        select(func.count(ReviewItem.id)).where(
            ReviewItem.cohort_id == cohort.id, ReviewItem.status == "open"
        )
    ).scalar_one()


def _close(item, actor, status, note) -> None:
    item.status = status
    item.resolved_by_id = actor.id
    item.resolved_at = utcnow()
    item.resolution = note[:500]


def resolve(actor, item, action, reason: str = "") -> ReviewItem:
    """Work one queue entry. Reports: ``dismiss``, ``hide`` (the post, with ``reason``
    shown to its author) or ``warn`` (``reason`` is the message the author receives).
    Held content: ``approve`` (it becomes visible) or ``reject`` (it stays hidden)."""
    cohort = db.session.get(Cohort, item.cohort_id)
    if not can_work_queue(actor, cohort):
        raise Forbidden()
    if cohort.archived:
        raise ServiceError("archived", _("This class is archived and read-only."), 403)
    if not item.is_open:
        raise ServiceError("resolved", _("This entry has already been dealt with."), 409)
    allowed = REPORT_ACTIONS if item.kind == "report" else HELD_ACTIONS
    action = validation.choice(action, "action", allowed)
    reason = validation.text(reason, "reason", max_length=1000, min_length=0)
    if action == "warn" and not reason:
        raise ServiceError("required", _("Write the warning the author will read."), 400, "reason")
    if item.kind == "report":
        return _resolve_report(actor, cohort, item, action, reason)
    return _resolve_held(actor, cohort, item, action, reason)


def _resolve_report(actor, cohort, item, action, reason) -> ReviewItem:
    post = item.post
    if action == "hide":
        if post is None:
            raise ServiceError("gone", _("The reported post no longer exists."), 409)
        moderate_post(actor, post, hidden=True, reason=reason[:500])  # writes hide_post
        status = "hidden"
    elif action == "warn":
        if post is None or post.author is None:
            raise ServiceError("gone", _("The author of this post is no longer a member."), 409)
        warning = warn_user(actor, cohort, post.author, reason, post=post, announce=False)
        status = "warned"
    else:
        status = "dismissed"
    # Everyone else's open reports of the same post are settled by the same decision.
    siblings = [item]
    if item.post_id is not None:
        siblings = list(
            db.session.execute(
                select(ReviewItem).where(
                    ReviewItem.post_id == item.post_id,
                    ReviewItem.kind == "report",
                    ReviewItem.status == "open",
                )
            ).scalars()
        )
    for entry in siblings:
        _close(entry, actor, status, reason)
    record(
        actor,
        "dismiss_report" if action == "dismiss" else "resolve_report",
        item,
        cohort_id=cohort.id,
        reason=reason[:500],
        before={"status": "open", "post_id": item.post_id},
        after={"status": status, "reports_closed": len(siblings)},
    )
    db.session.flush()
    if action == "warn":
        signals.user_warned.send(actor, obj=warning)
    return item


def _resolve_held(actor, cohort, item, action, reason) -> ReviewItem:
    approved = action == "approve"
    post = item.post
    if item.target_type == "post":
        if post is None:
            raise ServiceError("gone", _("The held post no longer exists."), 409)
        post.held = False
        post.hidden = not approved
        post.hidden_reason = "" if approved else (reason[:500] or _("Not approved by an instructor."))
        thread = db.session.get(Thread, post.thread_id)
        if post.number == 1 and thread.held:
            thread.held = False
            thread.hidden = not approved
        _recount(thread)
    _close(item, actor, "approved" if approved else "rejected", reason)
    record(
        actor,
        f"{action}_{item.target_type}",
        post if post is not None else item,
        cohort_id=cohort.id,
        reason=reason[:500],
        before={"held": True},
        after={"held": False, "hidden": not approved},
    )
    db.session.flush()
    if post is not None:
        signals.post_updated.send(actor, obj=post, previous_body=post.body)
        if post.number == 1:
            signals.thread_updated.send(actor, obj=post.thread)
    signals.held_content_reviewed.send(actor, obj=item, approved=approved)
    return item


# --- warnings -------------------------------------------------------------------------------


def warn_user(actor, cohort, user, message, *, post=None, announce=True) -> ConductWarning:
    """Send a trainee a warning about their conduct; they see it on their warnings page."""
    if not can_mute_in_cohort(actor, cohort):
        raise Forbidden()
    if not can_be_muted(user, cohort):
        raise ServiceError("not_trainee", _("Only trainees of this class can be warned."), 400, "username")
    message = validation.text(message, "message", max_length=1000)
    warning = ConductWarning(
        cohort_id=cohort.id,
        user_id=user.id,
        issued_by_id=actor.id,
        post_id=post.id if post is not None else None,
        message=message,
    )
    db.session.add(warning)
    db.session.flush()
    record(
        actor,
        "warn_user",
        user,
        cohort_id=cohort.id,
        reason=message[:500],
        after={"warning_id": warning.id, "post_id": warning.post_id},
    )
    db.session.flush()
    if announce:  # resolving a report announces the warning itself, once the report is closed
        signals.user_warned.send(actor, obj=warning)
    return warning


def warnings_for(user):
    """One's own warnings, newest first."""
    return (
        select(ConductWarning)
        .where(ConductWarning.user_id == user.id)
        .options(joinedload(ConductWarning.cohort), joinedload(ConductWarning.issued_by))
        .order_by(ConductWarning.created_at.desc(), ConductWarning.id.desc())
    )


def unseen_warning_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return db.session.execute(
        select(func.count(ConductWarning.id)).where(
            ConductWarning.user_id == user.id, ConductWarning.seen_at.is_(None)
        )
    ).scalar_one()


def mark_warnings_seen(user) -> int:
    """Mark every warning of the user as read (they opened their warnings page)."""
    unseen = list(
        db.session.execute(
            select(ConductWarning).where(ConductWarning.user_id == user.id, ConductWarning.seen_at.is_(None))
        ).scalars()
    )
    now = utcnow()
    for warning in unseen:
        warning.seen_at = now
    if unseen:
        db.session.flush()
    return len(unseen)
