"""Subscriptions to forum.signals: every write that changes what search should find
queues an index job in the same unit of work (the worker is woken after the commit;
inline mode runs it then)."""

from forum import signals
from forum.materials.citations import record_citations
from forum.search.jobs import enqueue


def _queue(kind: str, obj) -> None:
    target = getattr(obj, "id", None)
    if target is None:
        return
    # A job that cannot be queued fails the whole unit: no write goes unindexed.
    enqueue(kind, target)


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
        record_citations(obj)


def on_message_changed(actor, obj=None, **_extra):
    """A room message sent or deleted."""
    _queue("message", obj)


def on_cohort_updated(actor, obj=None, **_extra):
    """A cohort changed (or was removed): documents follow if it is gone."""
    _queue("cohort", obj)


def connect() -> None:
    """Subscribe once per process (blinker ignores a second identical connect)."""
    signals.thread_created.connect(on_thread_created)
    signals.thread_updated.connect(on_thread_changed)
    signals.thread_deleted.connect(on_thread_changed)
    signals.post_created.connect(on_post_changed)
    signals.post_updated.connect(on_post_changed)
    signals.post_deleted.connect(on_post_changed)
    staff_note_created = getattr(signals, "staff_note_created", None)
    if staff_note_created is not None:  # forum/discussion: staff-only notes (found by staff)
        staff_note_created.connect(on_post_changed)
    signals.room_message_created.connect(on_message_changed)
    signals.room_message_deleted.connect(on_message_changed)
    signals.cohort_updated.connect(on_cohort_updated)
