"""Subscriptions to forum.events: every committed write that changes what search
should find queues an index job (run at once in inline mode)."""

import logging

from forum import events
from forum.extensions import db
from forum.materials.citations import record_citations
from forum.search.jobs import enqueue

log = logging.getLogger(__name__)


def _queue(kind: str, obj) -> None:
    target = getattr(obj, "id", None)
    if target is None:
        return
    try:
        enqueue(kind, target)
    except Exception:  # the write itself succeeded; the start-up check will catch up
        log.exception("could not queue index job %s %s", kind, target)
        db.session.rollback()


def on_thread_created(actor, obj=None, **_extra):
    """A new thread: index its title (its opening post comes as post_created)."""
    _queue("thread", obj)


def on_thread_changed(actor, obj=None, **_extra):
    """A thread renamed, hidden, made private, moved or deleted: it and its posts."""
    _queue("thread_tree", obj)


def on_post_changed(actor, obj=None, **_extra):
    """A post written, edited, hidden, approved or deleted."""
    _queue("post", obj)
    if obj is not None:
        try:
            record_citations(obj)
        except Exception:
            log.exception("could not record material citations of post %s", getattr(obj, "id", None))
            db.session.rollback()


def on_message_changed(actor, obj=None, **_extra):
    """A room message sent or deleted."""
    _queue("message", obj)


def on_cohort_updated(actor, obj=None, **_extra):
    """A cohort changed (or was removed): documents follow if it is gone."""
    _queue("cohort", obj)


def connect() -> None:
    """Subscribe once per process (blinker ignores a second identical connect)."""
    events.thread_created.connect(on_thread_created)
    events.thread_updated.connect(on_thread_changed)
    events.thread_deleted.connect(on_thread_changed)
    events.post_created.connect(on_post_changed)
    events.post_updated.connect(on_post_changed)
    events.post_deleted.connect(on_post_changed)
    staff_note_created = getattr(events, "staff_note_created", None)
    if staff_note_created is not None:  # forum/discussion: staff-only notes (found by staff)
        staff_note_created.connect(on_post_changed)
    events.room_message_created.connect(on_message_changed)
    events.room_message_deleted.connect(on_message_changed)
    events.cohort_updated.connect(on_cohort_updated)
