"""The forum's blinker signals, sent by the services inside the unit of work that writes.

A service sends a signal right after it has flushed its write, before the unit commits.
Receivers that write rows (index jobs, notifications, reading state, revisions) run in
the same transaction, so their rows commit or roll back with the write; whatever they
send out of the process (socket emits, waking the worker) they queue with
``forum.transaction.after_commit``, so nothing announces a row that was not committed.
Search indexing, live pages and notifications subscribe here, so a service never
imports them. Each signal is sent with the acting user as sender and the object as
keyword ``obj``.
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
# forum/discussion: a reply accepted/endorsed/marked key (extra: kind, value), a staff note
# written (never sent as post_created, so nothing that trainees see announces it).
post_marked = _signals.signal("post-marked")
staff_note_created = _signals.signal("staff-note-created")
# Sent by the discussion features when an answer is accepted (obj = the accepted post);
# the engagement feature notifies the post's author.
answer_accepted = _signals.signal("answer-accepted")
# forum/moderation: a held item was approved or rejected (obj = the ReviewItem, extra:
# approved); features holding their own content (room messages) show or drop it then.
held_content_reviewed = _signals.signal("held-content-reviewed")
# forum/moderation: a trainee received a warning (obj = the ConductWarning).
user_warned = _signals.signal("user-warned")
