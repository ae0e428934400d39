"""Live thread pages on the ``/live`` namespace (CONTRACT.md): ``subscribe`` /
``unsubscribe`` a thread, and the per-viewer ``post_created`` / ``post_updated`` /
``post_deleted`` events and the ``notification`` count.

Every post event goes to one viewer at a time, after a ``can_view_post`` check for
that viewer, to the Socket.IO room ``thread:<id>:user:<id>`` their connections join
when they subscribe; nothing is ever sent to all of a thread's subscribers at once.
The payload carries no author: the page fetches the post rendered for its viewer
(``/live/posts/<id>``), so anonymity holds as on the page itself.
"""

import logging

from flask import current_app, request
from flask_babel import gettext as _
from flask_socketio import join_room, leave_room
from sqlalchemy import or_, select

from forum import sockets
from forum.accounts.models import User
from forum.cohorts.models import Membership
from forum.errors import NotFound
from forum.extensions import db, socketio
from forum.permissions import can_view_post, get_thread_or_404
from forum.sockets import NAMESPACE, ack_error, check_fields, id_field, live_event, user_room
from forum.threads.models import Post
from forum.transaction import after_commit

log = logging.getLogger(__name__)
CATCH_UP_MAX = 200  # posts returned to a reconnecting client; more: it reloads the page


def thread_room(thread_id: int) -> str:
    """Every subscribed connection of a thread (used only to find subscribers)."""
    return f"thread:{thread_id}"


def viewer_room(thread_id: int, user_id: int) -> str:
    """One user's subscribed connections to one thread: where that user's events go."""
    return f"thread:{thread_id}:user:{user_id}"


def post_payload(post) -> dict:
    """What a post event says: no author, no text (the page fetches them per viewer)."""
    return {
        "id": post.id,
        "thread_id": post.thread_id,
        "number": post.number,
        "url": f"/posts/{post.id}",
        "html_url": f"/live/posts/{post.id}",
    }


@live_event("subscribe")
def on_subscribe(user, data):
    """Follow a thread's new posts; with ``after`` (the last post number seen), also
    return the visible posts missed since then."""
    check_fields(data, ("thread_id", "after"))
    thread_id = id_field(data, "thread_id", minimum=1)
    after = id_field(data, "after", required=False)
    try:
        thread = get_thread_or_404(thread_id, user)
    except NotFound:
        return ack_error("not_found", _("There is no such thread, or you may not see it."))
    join_room(thread_room(thread.id), sid=request.sid, namespace=NAMESPACE)
    join_room(viewer_room(thread.id, user.id), sid=request.sid, namespace=NAMESPACE)
    answer = {"ok": True, "thread_id": thread.id}
    if after is not None:
        posts = (
            db.session.execute(
                select(Post)
                .where(Post.thread_id == thread.id, Post.number > after)
                .order_by(Post.number)
                .limit(CATCH_UP_MAX + 1)
            )
            .scalars()
            .all()
        )
        visible = [post_payload(p) for p in posts[:CATCH_UP_MAX] if can_view_post(user, p)]
        answer["missed"] = visible
        answer["more"] = len(posts) > CATCH_UP_MAX
    return answer


@live_event("unsubscribe")
def on_unsubscribe(user, data):
    """Stop following a thread on this connection."""
    check_fields(data, ("thread_id",))
    thread_id = id_field(data, "thread_id", minimum=1)
    leave_room(thread_room(thread_id), sid=request.sid, namespace=NAMESPACE)
    leave_room(viewer_room(thread_id, user.id), sid=request.sid, namespace=NAMESPACE)
    return {"ok": True}


# --- emits, queued to go out after the commit -------------------------------------------------


def _local_subscribers(thread_id: int) -> set[int]:
    connected = getattr(sockets, "_connected", {})
    manager = socketio.server.manager if socketio.server is not None else None
    if manager is None:
        return set()
    ids = set()
    for sid, _eio in manager.get_participants(NAMESPACE, thread_room(thread_id)):
        user_id = connected.get(sid)
        if user_id is not None:
            ids.add(user_id)
    return ids


def _possible_viewers(thread) -> set[int]:
    """With a message queue, subscribers may sit in other processes: everyone who could
    see the thread (its cohort's members, the admins) is a candidate."""
    members = select(Membership.user_id).where(Membership.cohort_id == thread.board.cohort_id)
    admins = select(User.id).where(User.role == "admin")
    rows = db.session.execute(select(User.id).where(or_(User.id.in_(members), User.id.in_(admins))))
    return set(rows.scalars())


def announce_post(event: str, post) -> int:
    """Send ``event`` about a post to every subscribed viewer who may see it; returns
    how many viewers were sent it (this process's subscribers, or every candidate
    with a message queue)."""
    thread = post.thread
    candidates = _local_subscribers(thread.id)
    if current_app.config.get("REDIS_URL"):
        candidates |= _possible_viewers(thread)
    if not candidates:
        return 0
    users = db.session.execute(
        select(User).where(User.id.in_(sorted(candidates)), User.active.is_(True))
    ).scalars()
    payload = post_payload(post)
    sent = 0
    for user in users:
        if can_view_post(user, post):
            after_commit(_emit, event, payload, viewer_room(thread.id, user.id))
            sent += 1
    return sent


def announce_counts(user_ids, counts: dict[int, int]) -> None:
    """Tell each user their new unread notification count (every connection of theirs)."""
    for user_id in user_ids:
        after_commit(_emit, "notification", {"unread_count": counts[user_id]}, user_room(user_id))


def _emit(event: str, payload: dict, room: str) -> None:
    try:
        socketio.emit(event, payload, to=room, namespace=NAMESPACE)
    except Exception:  # a lost live update must never undo a committed write
        log.exception("emitting %s to %s failed", event, room)
