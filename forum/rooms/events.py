"""Socket.IO handlers of rooms on the ``/live`` namespace (CONTRACT.md, "Live rooms").

Every handler: the user behind the connection (forum.sockets.socket_user), a payload
that is a JSON object whose fields are type- and size-checked, the room looked up
from its id and checked by forum.permissions, then one service call. The ack is the
answer: ``{ok: true, ...}`` / ``{id}``, or ``{error: {code, message}}``, never an
exception. The handler is one unit of work: broadcasts go out after its commit.
"""

import logging
import time
from functools import cache

from flask import current_app, request
from flask_babel import gettext as _
from flask_socketio import join_room, leave_room
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from forum import validation
from forum.accounts.models import User
from forum.errors import NotFound
from forum.extensions import db, socketio
from forum.permissions import (
    can_moderate_room,
    can_post_in_room,
    can_write_in_cohort,
    get_room_message_or_404,
    get_room_or_404,
)
from forum.rooms import live, moderation, services
from forum.rooms.models import Room
from forum.rooms.presence import presence_for, presence_payload
from forum.rooms.serialize import author_json, message_json, room_json
from forum.sockets import ack_error, check_fields, disconnect_hooks, id_field, live_event
from forum.utils import isoformat

log = logging.getLogger(__name__)
PRESENCE_DELAY = 1.0  # seconds: joins and leaves within it go out as one presence event
TYPING_EVERY = 2.0  # seconds: at most one typing event per connection and room

_joined: dict[str, set[int]] = {}  # sid -> room ids joined on this connection
_presence_pending: set[int] = set()
_typing_last: dict[tuple[str, int], float] = {}


@cache
def _room_with_cohort():
    return select(Room).options(joinedload(Room.cohort)).where(Room.id == bindparam("room_id"))


def _room(user, data: dict):
    room_id = id_field(data, "room_id")
    # The room and its cohort in one round trip (every event asks about both); the
    # permission check below finds them in the session while ``_loaded`` holds them.
    _loaded = db.session.execute(_room_with_cohort(), {"room_id": room_id}).scalar()
    try:
        return get_room_or_404(room_id, user)
    except NotFound:
        raise NotFound(_("There is no such room, or you may not enter it.")) from None


# --- presence ---------------------------------------------------------------------------


def _announce_presence(app, room_id: int) -> None:
    socketio.sleep(PRESENCE_DELAY)
    _presence_pending.discard(room_id)
    try:
        with app.app_context():
            live.to_room("presence", room_id, presence_payload(app, room_id))
    except Exception:
        log.exception("presence for room %s failed", room_id)


def _presence_changed(room_id: int) -> None:
    """Coalesce: a burst of joins costs one presence event per room and second."""
    if room_id in _presence_pending:
        return
    _presence_pending.add(room_id)
    socketio.start_background_task(_announce_presence, current_app._get_current_object(), room_id)


def _leave_everything(sid: str, _user_id) -> None:
    app = current_app._get_current_object()
    for room_id in _joined.pop(sid, set()):
        presence_for(app).remove(room_id, sid)
        _typing_last.pop((sid, room_id), None)
        _presence_changed(room_id)


disconnect_hooks.append(_leave_everything)


# --- joining and reading -----------------------------------------------------------------


@live_event("join")
def on_join(user, data):
    """Enter a room: its state, who is here, and the messages after ``after`` (catch-up)."""
    check_fields(data, ("room_id", "after"))
    room = _room(user, data)
    after = id_field(data, "after", required=False)
    # Join before reading: a message stored in between arrives twice (the page keeps
    # one by id) rather than not at all.
    join_room(live.room_key(room.id))
    if room.id not in _joined.setdefault(request.sid, set()):
        _joined[request.sid].add(room.id)
        entry = {"id": user.id, **author_json(user)}
        presence_for(current_app._get_current_object()).add(room.id, request.sid, entry)
        _presence_changed(room.id)
    limit = services.HISTORY_MAX if after is not None else services.HISTORY_DEFAULT
    messages, more = services.history(user, room, after=after, limit=limit)
    mute = services.active_mute(room, user)
    return {
        "ok": True,
        "room": room_json(room),
        "history": [message_json(m) for m in messages],
        "more": more,
        "presence": presence_payload(current_app._get_current_object(), room.id),
        "can_post": can_post_in_room(user, room),
        "can_write": can_write_in_cohort(user, room.cohort),
        "can_moderate": can_moderate_room(user, room),
        "muted_until": isoformat(mute.until) if mute else None,
    }


@live_event("leave")
def on_leave(user, data):
    """Leave a room: no more of its events on this connection."""
    check_fields(data, ("room_id",))
    room_id = id_field(data, "room_id")
    leave_room(live.room_key(room_id))
    if room_id in _joined.get(request.sid, set()):
        _joined[request.sid].discard(room_id)
        presence_for(current_app._get_current_object()).remove(room_id, request.sid)
        _presence_changed(room_id)
    return {"ok": True}


@live_event("history")
def on_history(user, data):
    """More of a room's messages: ``after`` an id (the rest of a catch-up) or ``before`` one."""
    check_fields(data, ("room_id", "after", "before", "limit"))
    room = _room(user, data)
    limit = id_field(data, "limit", required=False) or services.HISTORY_DEFAULT
    messages, more = services.history(
        user,
        room,
        after=id_field(data, "after", required=False),
        before=id_field(data, "before", required=False),
        limit=limit,
    )
    return {"ok": True, "history": [message_json(m) for m in messages], "more": more}


# --- speaking ------------------------------------------------------------------------------


@live_event("message")
def on_message(user, data):
    """Send a message: stored first, acknowledged with its id, then broadcast to the room."""
    check_fields(data, ("room_id", "body", "client_id", "reply_to"))
    room = _room(user, data)
    message, created = services.send_message(
        user, room, data.get("body"), data.get("client_id"), id_field(data, "reply_to", required=False)
    )
    payload = message_json(message)
    return {"id": payload["id"], "duplicate": not created, "message": payload}


@live_event("typing")
def on_typing(user, data):
    """Tell the room this user is typing (throttled, never stored)."""
    check_fields(data, ("room_id",))
    room_id = id_field(data, "room_id")
    if room_id not in _joined.get(request.sid, ()):
        return ack_error("not_joined", _("Join the room first."))
    key = (request.sid, room_id)
    now = time.monotonic()
    if now - _typing_last.get(key, 0.0) < TYPING_EVERY:
        return {"ok": True}
    room = _room(user, data)
    if not can_post_in_room(user, room):
        return ack_error("forbidden", _("You cannot write in this room."))
    _typing_last[key] = now
    live.to_room("typing", room.id, {"room_id": room.id, "user": author_json(user)}, skip_sid=request.sid)
    return {"ok": True}


# --- moderation ------------------------------------------------------------------------------


@live_event("delete_message")
def on_delete_message(user, data):
    """Remove a message for everyone (instructors)."""
    check_fields(data, ("room_id", "message_id", "reason"))
    room = _room(user, data)
    message = get_room_message_or_404(id_field(data, "message_id"), room, user)
    moderation.delete_message(user, message, data.get("reason") or "")
    return {"ok": True}


@live_event("pin")
def on_pin(user, data):
    """Pin a message at the top of the room; ``message_id: null`` unpins (instructors)."""
    check_fields(data, ("room_id", "message_id"))
    room = _room(user, data)
    message_id = id_field(data, "message_id", required=False)
    message = get_room_message_or_404(message_id, room, user) if message_id else None
    moderation.pin_message(user, room, message)
    return {"ok": True}


@live_event("slow_mode")
def on_slow_mode(user, data):
    """Set slow mode: one message per ``seconds`` per trainee; 0 is off (instructors)."""
    check_fields(data, ("room_id", "seconds"))
    room = _room(user, data)
    moderation.set_slow_mode(user, room, id_field(data, "seconds"))
    return {"ok": True}


@live_event("mute")
def on_mute(user, data):
    """Mute a trainee in the room for ``minutes`` (0 lifts it) (instructors)."""
    check_fields(data, ("room_id", "username", "minutes", "reason"))
    room = _room(user, data)
    username = validation.text(data.get("username"), "username", max_length=64)
    target = db.session.execute(db.select(User).filter_by(username=username.lower())).scalar_one_or_none()
    if target is None:
        raise NotFound(_("No such user."))
    row = moderation.mute(user, room, target, id_field(data, "minutes"), data.get("reason") or "")
    return {"ok": True, "until": isoformat(row.until) if row else None}


@live_event("close_room")
def on_close_room(user, data):
    """Close the room: read-only from now on (instructors)."""
    check_fields(data, ("room_id",))
    moderation.close_room(user, _room(user, data))
    return {"ok": True}


@live_event("reopen_room")
def on_reopen_room(user, data):
    """Open a closed room again (instructors)."""
    check_fields(data, ("room_id",))
    moderation.reopen_room(user, _room(user, data))
    return {"ok": True}
