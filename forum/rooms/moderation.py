"""Keeping a busy room in order: delete, pin, slow mode, mute, close and reopen.

Every action is the instructors' (permissions.can_moderate_room), is written to the
audit log in the same commit, and is announced to the room after the commit.
"""

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from forum import audit, signals, validation
from forum.errors import Forbidden, ServiceError
from forum.extensions import db
from forum.permissions import can_manage_room, can_moderate_room, cohort_role
from forum.rooms import live
from forum.rooms.models import Room, RoomMessage, RoomMute
from forum.rooms.serialize import author_json, message_json
from forum.transaction import after_commit
from forum.utils import isoformat, utcnow

SLOW_MODE_MAX = 3600
MUTE_MAX_MINUTES = 24 * 60


def _moderator(actor, room) -> None:
    if not can_moderate_room(actor, room):
        raise Forbidden()


def delete_message(actor, message, reason: str = "") -> RoomMessage:
    """Remove a message for everyone; the audit log keeps what it said."""
    room = message.room
    _moderator(actor, room)
    if message.deleted_at is not None:
        return message
    reason = validation.text(reason, "reason", max_length=500, min_length=0)
    message.deleted_at = utcnow()
    message.deleted_by_id = actor.id
    unpinned = room.pinned_message_id == message.id
    if unpinned:
        room.pinned_message_id = None
    audit.record(
        actor,
        "delete_room_message",
        message,
        cohort_id=room.cohort_id,
        reason=reason,
        before={"room_id": room.id, "author_id": message.author_id, "body": message.body},
    )
    db.session.flush()
    signals.room_message_deleted.send(actor, obj=message)
    after_commit(live.to_room, "message_deleted", room.id, {"room_id": room.id, "id": message.id})
    if unpinned:
        after_commit(live.to_room, "pinned", room.id, {"room_id": room.id, "message": None})
    return message


def pin_message(actor, room, message=None) -> Room:
    """Pin a question at the top of the room (``None`` unpins)."""
    _moderator(actor, room)
    if message is not None and (message.room_id != room.id or message.deleted_at is not None):
        raise ServiceError("invalid", _("The message is not in this room."), 400, "message_id")
    before = room.pinned_message_id
    room.pinned_message_id = message.id if message is not None else None
    audit.record(
        actor,
        "pin_room_message" if message else "unpin_room_message",
        room,
        cohort_id=room.cohort_id,
        before={"pinned_message_id": before},
        after={"pinned_message_id": room.pinned_message_id},
    )
    db.session.flush()
    after_commit(
        live.to_room,
        "pinned",
        room.id,
        {"room_id": room.id, "message": message_json(message) if message else None},
    )
    return room


def set_slow_mode(actor, room, seconds) -> Room:
    """One message per ``seconds`` per trainee (0 turns slow mode off)."""
    _moderator(actor, room)
    seconds = validation.integer(seconds, "seconds", minimum=0, maximum=SLOW_MODE_MAX)
    before = room.slow_mode_seconds
    room.slow_mode_seconds = seconds
    audit.record(
        actor,
        "set_room_slow_mode",
        room,
        cohort_id=room.cohort_id,
        before={"slow_mode_seconds": before},
        after={"slow_mode_seconds": seconds},
    )
    db.session.flush()
    after_commit(live.to_room, "slow_mode", room.id, {"room_id": room.id, "seconds": seconds})
    return room


def mute(actor, room, user, minutes, reason: str = "") -> RoomMute | None:
    """Mute a trainee in this room for some minutes (0 lifts the mute)."""
    _moderator(actor, room)
    minutes = validation.integer(minutes, "minutes", minimum=0, maximum=MUTE_MAX_MINUTES)
    reason = validation.text(reason, "reason", max_length=500, min_length=0)
    if user.is_admin or cohort_role(user, room.cohort_id) != "trainee":
        raise ServiceError("invalid", _("Only trainees of this class can be muted."), 400, "username")
    row = db.session.execute(
        select(RoomMute).where(RoomMute.room_id == room.id, RoomMute.user_id == user.id)
    ).scalar_one_or_none()
    now = utcnow()
    if minutes == 0:
        if row is not None:
            db.session.delete(row)
        row = None
        until = None
    else:
        until = now + timedelta(minutes=minutes)
        if row is None:
            row = RoomMute(room_id=room.id, user_id=user.id)
            db.session.add(row)
        row.until, row.created_by_id, row.created_at = until, actor.id, now
    audit.record(
        actor,
        "mute_in_room" if minutes else "unmute_in_room",
        user,
        cohort_id=room.cohort_id,
        reason=reason,
        after={"room_id": room.id, "minutes": minutes},
    )
    db.session.flush()
    after_commit(
        live.to_user,
        "muted",
        user.id,
        {"room_id": room.id, "user": author_json(user), "until": isoformat(until)},
    )
    return row


def close_room(actor, room) -> Room:
    """Make a room read-only: its messages stay, its transcript can be exported."""
    if not can_manage_room(actor, room):
        raise Forbidden()
    if room.status == "closed":
        return room
    room.status = "closed"
    room.closed_at = utcnow()
    audit.record(actor, "close_room", room, cohort_id=room.cohort_id)
    db.session.flush()
    after_commit(
        live.to_room, "room_closed", room.id, {"room_id": room.id, "closed_at": isoformat(room.closed_at)}
    )
    return room


def reopen_room(actor, room) -> Room:
    """Open a closed room again."""
    if not can_manage_room(actor, room):
        raise Forbidden()
    if room.status == "open":
        return room
    room.status = "open"
    room.closed_at = None
    audit.record(actor, "reopen_room", room, cohort_id=room.cohort_id)
    db.session.flush()
    after_commit(live.to_room, "room_reopened", room.id, {"room_id": room.id})
    return room
