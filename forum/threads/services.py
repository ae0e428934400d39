"""Threads and posts: starting, replying, editing, deleting, moderating, listing."""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload

from forum import audit, signals, validation
from forum.cohorts.models import Board
from forum.discussion import services as discussion
from forum.errors import Forbidden, ServiceError
from forum.extensions import db
from forum.moderation import filters as watched
from forum.permissions import (
    author_display,
    can_create_thread,
    can_delete_post,
    can_edit_post,
    can_moderate_thread,
    can_post_anonymously,
    can_rename_thread,
    can_reply,
    can_view_post,
    is_opening_post,
    visible_cohort_ids,
    visible_posts,
    visible_threads,
)
from forum.sanitize import render_markdown
from forum.threads.models import THREAD_KINDS, Post, Thread
from forum.utils import utcnow


def _title(value) -> str:
    return validation.text(value, "title", max_length=current_app.config["FORUM_TITLE_MAX"])


def _body(value) -> str:
    return validation.text(value, "body", max_length=current_app.config["FORUM_POST_MAX"])


def _refuse_write(cohort):
    if cohort.archived:
        raise ServiceError("archived", _("This class is archived and read-only."), 403)


def _next_number(thread: Thread) -> int:
    # One atomic UPDATE ... RETURNING, so concurrent replies never share a number.
    return db.session.execute(
        update(Thread)
        .where(Thread.id == thread.id)
        .values(post_count=Thread.post_count + 1)
        .returning(Thread.post_count)
    ).scalar_one()


def create_thread(author, board, title, body, kind="discussion", anonymous=False, options=None) -> Thread:
    """Start a thread with its opening post (``options``: forum/discussion's private,
    answer_first, answer_due_at and case brief fields)."""
    _refuse_write(board.cohort)
    watched.refuse_if_muted(author, board.cohort)
    if not can_create_thread(author, board):
        raise Forbidden()
    title = _title(title)
    body = _body(body)
    screened = watched.screen(author, board.cohort, title=title, body=body)  # watched words
    title, body = screened["title"], screened["body"]
    kind = validation.choice(kind or "discussion", "kind", THREAD_KINDS)
    anonymous = validation.boolean(anonymous, "anonymous")
    if anonymous and not can_post_anonymously(author, board):
        raise ServiceError("anonymous_not_allowed", _("Anonymous posting is not allowed here."), 403, "anonymous")

    prepared = discussion.prepare_thread_options(author, board, kind, options)
    now = utcnow()
    thread = Thread(
        board_id=board.id, author_id=author.id, title=title, kind=kind, anonymous=anonymous,
        created_at=now, last_activity_at=now, last_poster_id=author.id, post_count=1,
        last_post_anonymous=anonymous,
    )
    db.session.add(thread)
    db.session.flush()
    post = Post(
        thread_id=thread.id, author_id=author.id, number=1, body=body,
        body_html=render_markdown(body), anonymous=anonymous, created_at=now,
    )
    db.session.add(post)
    if screened.held:
        watched.hold_post(author, post, thread, screened.reason)
    discussion.apply_thread_options(author, thread, prepared)
    db.session.flush()
    signals.thread_created.send(author, obj=thread)
    signals.post_created.send(author, obj=post)
    return thread


def create_post(author, thread, body, reply_to=None, anonymous=False) -> Post:
    """Reply in a thread (optionally to one of its posts)."""
    _refuse_write(thread.board.cohort)
    watched.refuse_if_muted(author, thread.board.cohort)
    if not can_reply(author, thread):
        if thread.locked:
            raise ServiceError("locked", _("This thread is locked."), 403)
        raise Forbidden()
    body = _body(body)
    screened = watched.screen(author, thread.board.cohort, body=body)  # watched words
    body = screened["body"]
    anonymous = validation.boolean(anonymous, "anonymous")
    if anonymous and not can_post_anonymously(author, thread.board):
        raise ServiceError("anonymous_not_allowed", _("Anonymous posting is not allowed here."), 403, "anonymous")
    reply_to_id = None
    if reply_to is not None:
        reply_to_id = validation.integer(reply_to, "reply_to", minimum=1, maximum=2**31 - 1)
        target = db.session.get(Post, reply_to_id)
        # A post the author may not see (hidden, staff-only) is as good as absent.
        if target is None or target.thread_id != thread.id or not can_view_post(author, target):
            raise ServiceError("invalid", _("The post you reply to is not in this thread."), 400, "reply_to")
    now = utcnow()
    post = Post(
        thread_id=thread.id, author_id=author.id, number=_next_number(thread), body=body,
        body_html=render_markdown(body), reply_to_id=reply_to_id, anonymous=anonymous, created_at=now,
    )
    db.session.add(post)
    if screened.held:
        watched.hold_post(author, post, thread, screened.reason)
    db.session.execute(
        update(Thread)
        .where(Thread.id == thread.id)
        .values(
            reply_count=Thread.reply_count + (0 if screened.held else 1),
            last_activity_at=now,
            last_poster_id=author.id,
            last_post_anonymous=anonymous,
        )
    )
    db.session.flush()
    db.session.refresh(thread)
    signals.post_created.send(author, obj=post)
    return post


def edit_post(actor, post, body) -> Post:
    """Change a post's text (its author, or a moderator)."""
    _refuse_write(post.thread.board.cohort)
    watched.refuse_if_muted(actor, post.thread.board.cohort)
    if not can_edit_post(actor, post):
        raise Forbidden()
    body = _body(body)
    screened = watched.screen(actor, post.thread.board.cohort, body=body)  # watched words
    body = screened["body"]
    previous = post.body
    if body == previous:
        return post
    post.body = body
    post.body_html = render_markdown(body)
    post.edited_at = utcnow()
    post.edited_by_id = actor.id
    if actor.id != post.author_id:
        audit.record(actor, "edit_post", post, cohort_id=post.thread.board.cohort_id,
                     before={"body": previous[:2000]}, after={"body": body[:2000]})
    if screened.held:
        watched.hold_post(actor, post, post.thread, screened.reason)
        _recount(post.thread)
    db.session.flush()
    signals.post_updated.send(actor, obj=post, previous_body=previous)
    return post


def _recount(thread: Thread) -> None:
    thread.reply_count = db.session.execute(
        select(func.count(Post.id)).where(
            Post.thread_id == thread.id, Post.number > 1, Post.hidden.is_(False), Post.deleted_at.is_(None),
            Post.staff_note.is_(False),
        )
    ).scalar_one()


def delete_post(actor, post) -> None:
    """Soft-delete a post (the record stays for the teaching file); the opening post
    deletes the thread's content only by a moderator hiding the thread."""
    _refuse_write(post.thread.board.cohort)
    if not can_delete_post(actor, post):
        if is_opening_post(post) and can_edit_post(actor, post):
            raise ServiceError(
                "opening_post", _("The opening post cannot be deleted; ask an instructor to hide the thread."), 400
            )
        raise Forbidden()
    post.deleted_at = utcnow()
    if actor.id != post.author_id:
        audit.record(actor, "delete_post", post, cohort_id=post.thread.board.cohort_id)
    _recount(post.thread)
    db.session.flush()
    signals.post_deleted.send(actor, obj=post)


def moderate_post(actor, post, *, hidden: bool, reason: str = "") -> Post:
    """Hide or show a post, with a reason its author sees."""
    if not can_moderate_thread(actor, post.thread):
        raise Forbidden()
    _refuse_write(post.thread.board.cohort)
    hidden = validation.boolean(hidden, "hidden")
    reason = validation.text(reason, "reason", max_length=500, min_length=0)
    if hidden != post.hidden:
        audit.record(actor, "hide_post" if hidden else "unhide_post", post,
                     cohort_id=post.thread.board.cohort_id, reason=reason,
                     before={"hidden": post.hidden}, after={"hidden": hidden})
        post.hidden = hidden
        post.hidden_reason = reason if hidden else ""
        _recount(post.thread)
        db.session.flush()
        signals.post_updated.send(actor, obj=post, previous_body=post.body)
    return post


def moderate_thread(actor, thread, reason: str = "", **changes) -> Thread:
    """Pin, lock or hide a thread (moderators), each change written to the audit log."""
    if not can_moderate_thread(actor, thread):
        raise Forbidden()
    if thread.board.cohort.archived:
        raise ServiceError("archived", _("This class is archived and read-only."), 403)
    reason = validation.text(reason, "reason", max_length=500, min_length=0)
    # Check every field before changing any, so a bad one leaves the thread untouched.
    values = {
        field: validation.boolean(changes[field], field)
        for field in ("pinned", "locked", "hidden")
        if changes.get(field) is not None
    }
    changed = False
    for field, value in values.items():
        if value != getattr(thread, field):
            action = {"pinned": ("pin", "unpin"), "locked": ("lock", "unlock"), "hidden": ("hide", "unhide")}
            audit.record(actor, f"{action[field][0 if value else 1]}_thread", thread,
                         cohort_id=thread.board.cohort_id, reason=reason,
                         before={field: getattr(thread, field)}, after={field: value})
            setattr(thread, field, value)
            changed = True
    if changed:
        db.session.flush()
        signals.thread_updated.send(actor, obj=thread)
    return thread


def update_thread(actor, thread, title=None) -> Thread:
    """Rename a thread (its author while it is open, or a moderator)."""
    _refuse_write(thread.board.cohort)
    if not can_rename_thread(actor, thread, opening_post(thread)):
        raise Forbidden()
    if title is not None:
        thread.title = _title(title)
    db.session.flush()
    signals.thread_updated.send(actor, obj=thread)
    return thread


# --- reading -----------------------------------------------------------------------------


def opening_post(thread) -> Post | None:
    return db.session.execute(
        select(Post).where(Post.thread_id == thread.id, Post.number == 1)
    ).scalar_one_or_none()


def board_threads_query(board, viewer):
    """Threads of a board as the viewer sees them: pinned first, then latest activity."""
    return visible_threads(
        select(Thread)
        .where(Thread.board_id == board.id)
        .options(joinedload(Thread.author), joinedload(Thread.last_poster))
        .order_by(Thread.pinned.desc(), Thread.last_activity_at.desc(), Thread.id.desc()),
        viewer,
    )


def visible_posts_query(thread, viewer):
    """Posts of a thread in order, with authors loaded in the same query."""
    stmt = (
        select(Post)
        .where(Post.thread_id == thread.id)
        .options(
            joinedload(Post.author),
            joinedload(Post.edited_by),
            selectinload(Post.reply_to).joinedload(Post.author),
        )
        .order_by(Post.number)
    )
    return visible_posts(stmt, viewer, thread=thread)


def page_of_post(thread, viewer, post, per_page: int) -> int:
    """The page of the thread (as the viewer sees it) on which a post stands."""
    stmt = visible_posts_query(thread, viewer).where(Post.number < post.number)
    before = db.session.execute(
        select(func.count()).select_from(stmt.options().order_by(None).subquery())
    ).scalar_one()
    return before // per_page + 1


def author_label(post_or_thread, viewer_sees_anonymous: bool):
    """``(username, display_name)`` as this viewer may see it (``author_display``)."""
    shown = author_display(post_or_thread, None, sees_anonymous=viewer_sees_anonymous)
    return shown.username, shown.name


def recent_threads(viewer, limit: int = 15):
    """The latest active threads across the viewer's cohorts (hidden ones only for
    their moderators), with board, cohort and last poster loaded."""
    if visible_cohort_ids(viewer) == []:
        return []
    stmt = (
        select(Thread)
        .options(joinedload(Thread.board).joinedload(Board.cohort), joinedload(Thread.last_poster))
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
        .limit(limit)
    )
    return list(db.session.execute(visible_threads(stmt, viewer)).unique().scalars())


def last_poster_label(thread, viewer_sees_anonymous: bool) -> str:
    """Who posted last in a thread, as this viewer may see it (``author_display``)."""
    return author_display(thread, None, last=True, sees_anonymous=viewer_sees_anonymous).name


def thread_posts_page(thread, viewer, page: int, per_page: int):
    """One page of a thread's posts as the viewer sees them: a fixed number of queries
    (count, posts with authors and editors, the posts they reply to with authors)."""
    return db.paginate(visible_posts_query(thread, viewer), page=page, per_page=per_page, error_out=False)


def quote_text(post) -> str:
    """A post's Markdown as a quotation to start a reply with."""
    lines = (post.body or "").strip().splitlines() or [""]
    return "\n".join(f"> {line}" if line else ">" for line in lines) + "\n\n"


def reply_target(thread, viewer, post_id: int):
    """A post of this thread the viewer may see and answer, or None."""
    target = db.session.get(Post, post_id)
    if target is None or target.thread_id != thread.id or target.is_deleted:
        return None
    return target if can_view_post(viewer, target) else None
