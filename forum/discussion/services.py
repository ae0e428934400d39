"""Discussion features: thread options, marks, summaries and staff notes (case briefs
and role play: forum/discussion/cases.py). Plain functions taking the acting user
first; they only flush: the request or command that calls them commits."""

from datetime import UTC, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from forum import audit, signals, validation
from forum.discussion.cases import clean_brief, write_brief
from forum.discussion.models import MARK_KINDS, PostMark, ThreadSummary
from forum.errors import Forbidden, ServiceError
from forum.extensions import db
from forum.permissions import (
    can_ask_privately,
    can_change_thread_settings,
    can_mark_post,
    can_moderate_cohort,
    can_write_staff_note,
    can_write_summary,
)
from forum.sanitize import render_markdown
from forum.threads.models import Post, Thread
from forum.utils import utcnow

THREAD_OPTIONS = ("private", "answer_first", "answer_due_at", "brief")
ANSWER_FIRST_KINDS = ("case", "question")


def _refuse_archived(thread) -> None:
    if thread.board.cohort.archived:
        raise ServiceError("archived", _("This class is archived and read-only."), 403)


def parse_due(value, field: str = "answer_due_at") -> datetime | None:
    """A due date: None/"" (none), a datetime, or ISO 8601 text (UTC unless an offset is given)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and len(value) <= 40:
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            parsed = None
    else:
        parsed = None
    if parsed is None:
        raise ServiceError(
            "invalid", _("%(field)s must be a date and time (ISO 8601).", field=field), 400, field
        )
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    if not 2000 <= parsed.year <= 2200:
        raise ServiceError("out_of_range", _("%(field)s is out of range.", field=field), 400, field)
    return parsed.replace(microsecond=0)


# --- options given when a thread is started ------------------------------------------------


def prepare_thread_options(author, board, kind, options) -> dict:
    """Check a new thread's discussion options before anything is written."""
    if options in (None, {}):
        return {}
    if not isinstance(options, dict):
        raise ServiceError("invalid", _("%(field)s must be an object.", field="options"), 400, "options")
    unknown = sorted(set(options) - set(THREAD_OPTIONS))
    if unknown:
        raise ServiceError("unknown_field", _("Unknown field: %(name)s.", name=unknown[0]), 400, unknown[0])
    prepared: dict = {}
    if options.get("private") is not None:
        prepared["private"] = validation.boolean(options["private"], "private")
        if prepared["private"] and not can_ask_privately(author, board):
            raise Forbidden()
    staff = can_moderate_cohort(author, board.cohort)
    if options.get("answer_first") is not None:
        prepared["answer_first"] = validation.boolean(options["answer_first"], "answer_first")
        if prepared["answer_first"]:
            _check_answer_first_kind(kind)
            if not staff:
                raise Forbidden(_("Only instructors set “answer before you see”."))
    due = parse_due(options.get("answer_due_at"))
    if due is not None:
        if not prepared.get("answer_first"):
            raise ServiceError(
                "invalid", _("A due date needs “answer before you see”."), 400, "answer_due_at"
            )
        _check_future(due)
        prepared["answer_due_at"] = due
    if options.get("brief") not in (None, {}):
        if kind != "case" or not staff:
            raise Forbidden(_("Only instructors write a case brief, in a case thread."))
        prepared["brief"] = clean_brief(author, board.cohort, options["brief"])
    return prepared


def apply_thread_options(author, thread, prepared: dict) -> None:
    """Write checked options onto a new (flushed, uncommitted) thread; the caller commits."""
    thread.private = prepared.get("private", False)
    thread.answer_first = prepared.get("answer_first", False)
    thread.answer_due_at = prepared.get("answer_due_at")
    if prepared.get("brief"):
        write_brief(author, thread, prepared["brief"])


def _check_answer_first_kind(kind) -> None:
    if kind not in ANSWER_FIRST_KINDS:
        raise ServiceError(
            "invalid", _("“Answer before you see” is for case and question threads."), 400, "answer_first"
        )


def _check_future(due: datetime) -> None:
    if due <= utcnow():
        raise ServiceError("invalid", _("The due date must be in the future."), 400, "answer_due_at")


def update_thread_settings(actor, thread, **changes):
    """Change a thread's private / answer-first / due-date settings (the cohort's staff)."""
    if not can_change_thread_settings(actor, thread):
        raise Forbidden()
    unknown = sorted(set(changes) - {"private", "answer_first", "answer_due_at"})
    if unknown:
        raise ServiceError("unknown_field", _("Unknown field: %(name)s.", name=unknown[0]), 400, unknown[0])
    before = {
        "private": thread.private,
        "answer_first": thread.answer_first,
        "answer_due_at": _iso(thread.answer_due_at),
    }
    if changes.get("private") is not None:
        thread.private = validation.boolean(changes["private"], "private")
    if changes.get("answer_first") is not None:
        value = validation.boolean(changes["answer_first"], "answer_first")
        if value:
            _check_answer_first_kind(thread.kind)
        thread.answer_first = value
    if "answer_due_at" in changes:
        due = parse_due(changes["answer_due_at"])
        if due is not None and due != thread.answer_due_at:
            _check_future(due)
        thread.answer_due_at = due
    if not thread.answer_first:
        thread.answer_due_at = None
    after = {
        "private": thread.private,
        "answer_first": thread.answer_first,
        "answer_due_at": _iso(thread.answer_due_at),
    }
    if after == before:
        return thread
    audit.record(
        actor, "thread_settings", thread, cohort_id=thread.board.cohort_id, before=before, after=after
    )
    db.session.flush()
    signals.thread_updated.send(actor, obj=thread)
    return thread


def _iso(value):
    return value.isoformat() if value else None


# --- marks: accepted answer, endorsement, key contribution ----------------------------------


def set_mark(actor, post, kind, on=True) -> bool:
    """Accept / endorse / mark a reply as a key contribution, or take the mark away.

    A question has one accepted answer: accepting another reply moves the mark.
    Returns whether anything changed.
    """
    kind = validation.choice(kind, "kind", MARK_KINDS)
    on = validation.boolean(on, "on")
    _refuse_archived(post.thread)
    if not can_mark_post(actor, post, kind):
        raise Forbidden()
    existing = db.session.execute(
        select(PostMark).where(PostMark.post_id == post.id, PostMark.kind == kind)
    ).scalar_one_or_none()
    if on == (existing is not None):
        return False
    if on:
        if kind == "accepted":
            thread_posts = select(Post.id).where(Post.thread_id == post.thread_id)
            db.session.execute(
                delete(PostMark).where(PostMark.post_id.in_(thread_posts), PostMark.kind == "accepted")
            )
        db.session.add(PostMark(post_id=post.id, kind=kind, marked_by_id=actor.id))
    else:
        db.session.delete(existing)
    if kind in ("accepted", "endorsed"):
        audit.record(
            actor,
            f"{'' if on else 'un'}{'accept' if kind == 'accepted' else 'endorse'}_post",
            post,
            cohort_id=post.thread.board.cohort_id,
        )
    db.session.flush()
    signals.post_marked.send(actor, obj=post, kind=kind, value=on)
    if kind == "accepted" and on:
        signals.answer_accepted.send(actor, obj=post)
    return True


# --- research summaries ----------------------------------------------------------------------


def save_summary(actor, thread, body) -> ThreadSummary | None:
    """Write the pinned "conclusions so far" (an empty body removes it)."""
    if not can_write_summary(actor, thread):
        raise Forbidden()
    body = validation.text(body, "body", max_length=current_app.config["FORUM_POST_MAX"], min_length=0)
    summary = db.session.execute(
        select(ThreadSummary).where(ThreadSummary.thread_id == thread.id)
    ).scalar_one_or_none()
    if not body:
        if summary is not None:
            db.session.delete(summary)
            db.session.flush()
        return None
    if summary is None:
        summary = ThreadSummary(thread_id=thread.id, body=body, body_html="")
        db.session.add(summary)
    summary.body = body
    summary.body_html = render_markdown(body)
    summary.updated_at = utcnow()
    summary.updated_by_id = actor.id
    db.session.flush()
    return summary


# --- staff notes ---------------------------------------------------------------------------


def create_staff_note(actor, thread, body, reply_to=None):
    """A note inside a thread that only the cohort's staff see.

    It takes the next post number but leaves the thread's reply count and last
    activity alone, and is announced as ``staff_note_created`` (never
    ``post_created``), so nothing a trainee sees reveals it.
    """
    _refuse_archived(thread)
    if not can_write_staff_note(actor, thread):
        raise Forbidden()
    body = validation.text(body, "body", max_length=current_app.config["FORUM_POST_MAX"])
    reply_to_id = None
    if reply_to not in (None, ""):
        reply_to_id = validation.integer(reply_to, "reply_to", minimum=1, maximum=2**31 - 1)
        target = db.session.get(Post, reply_to_id)
        if target is None or target.thread_id != thread.id:
            raise ServiceError("invalid", _("The post you reply to is not in this thread."), 400, "reply_to")
    number = db.session.execute(
        update(Thread)
        .where(Thread.id == thread.id)
        .values(post_count=Thread.post_count + 1)
        .returning(Thread.post_count)
    ).scalar_one()
    post = Post(
        thread_id=thread.id,
        author_id=actor.id,
        number=number,
        body=body,
        body_html=render_markdown(body),
        reply_to_id=reply_to_id,
        staff_note=True,
        created_at=utcnow(),
    )
    db.session.add(post)
    db.session.flush()
    db.session.refresh(thread)
    signals.staff_note_created.send(actor, obj=post)
    return post
