"""The engagement feature listens to the forum's signals (sent after commit): it keeps
revisions, reading positions and notifications, and drives live thread pages."""

import logging
from functools import wraps

from flask import current_app

from forum import events
from forum.accounts.models import User
from forum.engagement import events as live
from forum.engagement import notifications, reading, services
from forum.extensions import db

log = logging.getLogger(__name__)


def _guarded(fn):
    """A receiver never turns a committed write into an error page (tests see failures)."""

    @wraps(fn)
    def receiver(sender, **kwargs):
        try:
            fn(sender, **kwargs)
        except Exception:
            db.session.rollback()
            if current_app.testing:
                raise
            log.exception("engagement receiver %s failed", fn.__name__)

    return receiver


def _announce_counts(user_ids) -> None:
    if not user_ids:
        return

    counts = {}
    for user_id in set(user_ids):
        user = db.session.get(User, user_id)
        if user is not None:
            counts[user_id] = notifications.unread_count(user)
    live.announce_counts(counts.keys(), counts)


@events.post_created.connect
@_guarded
def on_post_created(author, obj=None, **_extra):
    """A new post: its author has read it, people are notified, open pages hear of it."""
    post = obj
    if author is not None and getattr(author, "id", None) == post.author_id:
        reading.mark_read(author, post.thread, post.number)
    _announce_counts(notifications.notify_post(post))
    live.announce_post("post_created", post)


@events.staff_note_created.connect
@_guarded
def on_staff_note_created(author, obj=None, **_extra):
    """A staff note: as a new post, for the staff only (every step checks who may see it)."""
    on_post_created(author, obj=obj)


@events.held_content_reviewed.connect
@_guarded
def on_held_content_reviewed(actor, obj=None, approved=False, **_extra):
    """A held post approved: now the people it concerns hear of it, and open pages show it."""
    post = getattr(obj, "post", None)
    if not approved or post is None or getattr(obj, "target_type", "post") != "post":
        return
    _announce_counts(notifications.notify_post(post))
    live.announce_post("post_created", post)


@events.post_updated.connect
@_guarded
def on_post_updated(actor, obj=None, previous_body=None, **_extra):
    """An edit keeps the earlier text; a post hidden from some loses their notifications."""
    post = obj
    services.record_revision(actor, post, previous_body)
    _announce_counts(notifications.prune_for_post(post))
    live.announce_post("post_updated", post)


@events.post_deleted.connect
@_guarded
def on_post_deleted(actor, obj=None, **_extra):
    """A deleted post: its notifications go, open pages show the placeholder."""
    post = obj
    _announce_counts(notifications.prune_for_post(post))
    live.announce_post("post_deleted", post)


@events.thread_updated.connect
@_guarded
def on_thread_updated(actor, obj=None, **_extra):
    """A thread hidden or made private: notifications about it go for those who lost it."""
    _announce_counts(notifications.prune_for_thread(obj))


@events.answer_accepted.connect
@_guarded
def on_answer_accepted(actor, obj=None, **_extra):
    """An accepted answer: its author hears of it."""
    _announce_counts(notifications.notify_accepted(actor, obj))
