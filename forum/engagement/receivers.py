"""The engagement feature listens to the forum's signals (sent inside the writer's unit of
work): it keeps revisions, reading positions and notifications, and queues the live
thread pages' events for after the commit."""

import logging
from functools import wraps

from forum import signals
from forum.accounts.models import User
from forum.engagement import events as live
from forum.engagement import notifications, reading, services
from forum.extensions import db

log = logging.getLogger(__name__)


def _guarded(fn):
    """A receiver runs inside the writer's unit of work: if it fails, the write fails
    with it (logged here with the receiver's name), so no half of it is committed."""

    @wraps(fn)
    def receiver(sender, **kwargs):
        try:
            fn(sender, **kwargs)
        except Exception:
            log.exception("engagement receiver %s failed", fn.__name__)
            raise

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


@signals.post_created.connect
@_guarded
def on_post_created(author, obj=None, **_extra):
    """A new post: its author has read it, people are notified, open pages hear of it."""
    post = obj
    if author is not None and getattr(author, "id", None) == post.author_id:
        reading.mark_read(author, post.thread, post.number)
    _announce_counts(notifications.notify_post(post))
    live.announce_post("post_created", post)


@signals.staff_note_created.connect
@_guarded
def on_staff_note_created(author, obj=None, **_extra):
    """A staff note: as a new post, for the staff only (every step checks who may see it)."""
    on_post_created(author, obj=obj)


@signals.held_content_reviewed.connect
@_guarded
def on_held_content_reviewed(actor, obj=None, approved=False, **_extra):
    """A held post approved: now the people it concerns hear of it, and open pages show it."""
    post = getattr(obj, "post", None)
    if not approved or post is None or getattr(obj, "target_type", "post") != "post":
        return
    _announce_counts(notifications.notify_post(post))
    live.announce_post("post_created", post)


@signals.post_updated.connect
@_guarded
def on_post_updated(actor, obj=None, previous_body=None, **_extra):
    """An edit keeps the earlier text; a post hidden from some loses their notifications."""
    post = obj
    services.record_revision(actor, post, previous_body)
    _announce_counts(notifications.prune_for_post(post))
    live.announce_post("post_updated", post)


@signals.post_deleted.connect
@_guarded
def on_post_deleted(actor, obj=None, **_extra):
    """A deleted post: its notifications go, open pages show the placeholder."""
    post = obj
    _announce_counts(notifications.prune_for_post(post))
    live.announce_post("post_deleted", post)


@signals.thread_updated.connect
@_guarded
def on_thread_updated(actor, obj=None, **_extra):
    """A thread hidden or made private: notifications about it go for those who lost it."""
    _announce_counts(notifications.prune_for_thread(obj))


@signals.answer_accepted.connect
@_guarded
def on_answer_accepted(actor, obj=None, **_extra):
    """An accepted answer: its author hears of it."""
    _announce_counts(notifications.notify_accepted(actor, obj))
