"""Restructuring threads: move to another board, merge two threads, split replies off."""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from forum import signals, validation
from forum.audit import record
from forum.errors import Forbidden, ServiceError
from forum.extensions import db
from forum.permissions import can_manage_site, can_move_thread, can_restructure_thread
from forum.threads.models import Post, Thread

MAX_SPLIT_POSTS = 500


def _thread_state(thread) -> dict:
    return {"board_id": thread.board_id, "cohort_id": thread.board.cohort_id}


def move_thread(actor, thread, board, reason: str = "") -> Thread:
    """Move a thread to another board of its cohort (admins: of any cohort)."""
    if not can_move_thread(actor, thread, board):
        raise Forbidden()
    reason = validation.text(reason, "reason", max_length=500, min_length=0)
    if board.id == thread.board_id:
        raise ServiceError("same_board", _("The thread is already on that board."), 400, "board_id")
    before = _thread_state(thread)
    source_cohort = thread.board.cohort_id
    thread.board = board
    after = {"board_id": board.id, "cohort_id": board.cohort_id}
    record(actor, "move_thread", thread, cohort_id=source_cohort, reason=reason, before=before, after=after)
    if board.cohort_id != source_cohort:
        # The new cohort's staff see the move in their log too; the old assignee is not theirs.
        record(
            actor, "move_thread", thread, cohort_id=board.cohort_id, reason=reason, before=before, after=after
        )
        thread.assigned_to_id = None
    db.session.flush()
    signals.thread_updated.send(actor, obj=thread)
    return thread


def _refresh_counters(thread) -> None:
    """Reply count, last activity and last poster from the posts the thread now holds."""
    visible = [
        Post.thread_id == thread.id,
        Post.hidden.is_(False),
        Post.deleted_at.is_(None),
        Post.staff_note.is_(False),  # forum/discussion: staff notes never count or show as last post
    ]
    thread.reply_count = db.session.execute(
        select(func.count(Post.id)).where(*visible, Post.number > 1)
    ).scalar_one()
    last = db.session.execute(
        select(Post).where(*visible).order_by(Post.created_at.desc(), Post.id.desc()).limit(1)
    ).scalar_one_or_none()
    if last is not None:
        thread.last_activity_at = last.created_at
        thread.last_poster_id = last.author_id
        thread.last_post_anonymous = last.anonymous


def _renumber(thread, ordered_posts) -> None:
    """Give ``ordered_posts`` the numbers 1..n in ``thread``, avoiding (thread, number)
    clashes on the way by passing through negative numbers."""
    for post in ordered_posts:
        post.number = -post.id
    db.session.flush()
    for post in ordered_posts:
        post.thread = thread
        post.thread_id = thread.id
    db.session.flush()
    for number, post in enumerate(ordered_posts, start=1):
        post.number = number
    db.session.flush()
    thread.post_count = max(len(ordered_posts), thread.post_count or 0)


def _posts_of(thread) -> list[Post]:
    return list(
        db.session.execute(select(Post).where(Post.thread_id == thread.id).order_by(Post.number)).scalars()
    )


def merge_threads(actor, source, target, reason: str = "") -> Thread:
    """Move every post of ``source`` into ``target`` and renumber all replies in time order
    (the target's opening post stays first); ``source`` then redirects to ``target``."""
    if not (can_restructure_thread(actor, source) and can_restructure_thread(actor, target)):
        raise Forbidden()
    reason = validation.text(reason, "reason", max_length=500, min_length=0)
    if source.id == target.id:
        raise ServiceError("same_thread", _("A thread cannot be merged into itself."), 400, "target_id")
    if source.merged_into_id or target.merged_into_id:
        raise ServiceError("merged", _("That thread has already been merged."), 409, "target_id")
    if source.board.cohort_id != target.board.cohort_id and not can_manage_site(actor):
        raise ServiceError(
            "other_cohort", _("Only administrators can merge threads of different classes."), 403, "target_id"
        )
    target_posts = _posts_of(target)
    source_posts = _posts_of(source)
    opening, replies = target_posts[0], target_posts[1:] + source_posts
    replies.sort(key=lambda p: (p.created_at, p.id))
    _renumber(target, [opening, *replies])
    _refresh_counters(target)
    before = {"thread_id": source.id, "posts": len(source_posts), "hidden": source.hidden}
    after = {"merged_into": target.id, "target_posts": target.post_count, "hidden": True}
    source.merged_into_id = target.id
    source.hidden = True
    source.reply_count = 0
    record(
        actor,
        "merge_thread",
        source,
        cohort_id=source.board.cohort_id,
        reason=reason,
        before=before,
        after=after,
    )
    if target.board.cohort_id != source.board.cohort_id:
        record(
            actor,
            "merge_thread",
            source,
            cohort_id=target.board.cohort_id,
            reason=reason,
            before=before,
            after=after,
        )
    db.session.flush()
    signals.thread_updated.send(actor, obj=source)
    signals.thread_updated.send(actor, obj=target)
    for post in source_posts:
        signals.post_updated.send(actor, obj=post, previous_body=post.body)
    return target


def _post_ids(value) -> list[int]:
    if not isinstance(value, list | tuple) or not value:
        raise ServiceError("required", _("Choose the replies to split off."), 400, "post_ids")
    if len(value) > MAX_SPLIT_POSTS:
        raise ServiceError(
            "too_many", _("At most %(n)d replies can be split at once.", n=MAX_SPLIT_POSTS), 400, "post_ids"
        )
    return sorted({validation.integer(v, "post_ids", minimum=1, maximum=2**31 - 1) for v in value})


def split_thread(actor, thread, post_ids, title, reason: str = "") -> Thread:
    """Move chosen replies of a thread into a new thread on the same board; the earliest
    becomes its opening post. Numbers left behind stay as they were (never reused)."""
    if not can_restructure_thread(actor, thread):
        raise Forbidden()
    ids = _post_ids(post_ids)
    title = validation.text(title, "title", max_length=current_app.config["FORUM_TITLE_MAX"])
    reason = validation.text(reason, "reason", max_length=500, min_length=0)
    posts = list(
        db.session.execute(select(Post).where(Post.id.in_(ids), Post.thread_id == thread.id)).scalars()
    )
    if len(posts) != len(ids):
        raise ServiceError("invalid", _("Some chosen posts are not in this thread."), 400, "post_ids")
    if any(p.number == 1 for p in posts):
        raise ServiceError("opening_post", _("The opening post cannot be split off."), 400, "post_ids")
    posts.sort(key=lambda p: (p.created_at, p.id))
    first, last = posts[0], posts[-1]
    new = Thread(
        board_id=thread.board_id,
        author_id=first.author_id,
        title=title,
        kind=thread.kind,
        anonymous=first.anonymous,
        created_at=first.created_at,
        last_activity_at=last.created_at,
        last_poster_id=last.author_id,
        last_post_anonymous=last.anonymous,
        post_count=len(posts),
        # forum/discussion: replies split off a private question stay private, and so on.
        private=thread.private,
        answer_first=thread.answer_first,
        answer_due_at=thread.answer_due_at,
    )
    db.session.add(new)
    db.session.flush()
    moved = {p.id for p in posts}
    _renumber(new, posts)
    # Replies that pointed across the cut no longer point anywhere sensible.
    for post in posts:
        if post.reply_to_id and post.reply_to_id not in moved:
            post.reply_to_id = None
    for post in db.session.execute(
        select(Post).where(Post.thread_id == thread.id, Post.reply_to_id.in_(moved))
    ).scalars():
        post.reply_to_id = None
    _refresh_counters(new)
    _refresh_counters(thread)
    db.session.flush()
    record(
        actor,
        "split_thread",
        thread,
        cohort_id=thread.board.cohort_id,
        reason=reason,
        before={"thread_id": thread.id, "post_ids": ids},
        after={"new_thread_id": new.id, "title": title},
    )
    db.session.flush()
    signals.thread_created.send(actor, obj=new)
    signals.thread_updated.send(actor, obj=thread)
    for post in posts:
        signals.post_updated.send(actor, obj=post, previous_body=post.body)
    return new
