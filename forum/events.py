"""Signals sent after a write has been committed.

Search indexing, live pages and notifications subscribe here, so a service never
imports them, and nothing announces a row that is not committed. Each signal is
sent with the acting user as sender and the object as keyword ``obj``.
"""

from blinker import Namespace

_signals = Namespace()

thread_created = _signals.signal("thread-created")
thread_updated = _signals.signal("thread-updated")
thread_deleted = _signals.signal("thread-deleted")
post_created = _signals.signal("post-created")
post_updated = _signals.signal("post-updated")
post_deleted = _signals.signal("post-deleted")
cohort_updated = _signals.signal("cohort-updated")
room_message_created = _signals.signal("room-message-created")
room_message_deleted = _signals.signal("room-message-deleted")
