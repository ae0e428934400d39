"""Live rooms: reading, posting, moderating and managing them."""

from sqlalchemy import false, select

from forum.permissions.cohorts import (
    can_manage_cohort,
    can_moderate_cohort,
    can_view_cohort,
    can_write_in_cohort,
    is_muted,
    visible_cohort_ids,
)
from forum.rooms.models import Room, RoomMessage


def can_view_room(user, room) -> bool:
    """Members of the room's cohort (and admins) read a room, open or closed."""
    return can_view_cohort(user, room.cohort)


def visible_rooms(stmt, user):
    """``stmt`` (a select over Room) narrowed to the rooms ``can_view_room`` allows."""

    ids = visible_cohort_ids(user)
    if ids is None:
        return stmt
    return stmt.where(Room.cohort_id.in_(ids) if ids else false())


def can_view_room_message(user, message) -> bool:
    """A message is read where its room is read, until it is deleted."""
    return message.deleted_at is None and can_view_room(user, message.room)


def visible_room_messages(stmt, user):
    """``stmt`` (a select over RoomMessage) narrowed to what ``can_view_room_message`` allows."""

    stmt = stmt.where(RoomMessage.deleted_at.is_(None))
    if visible_cohort_ids(user) is None:
        return stmt  # every room
    return stmt.where(RoomMessage.room_id.in_(visible_rooms(select(Room.id), user)))


def can_create_room(user, cohort) -> bool:
    """Instructors of the cohort (and admins) open rooms; never in an archived cohort."""
    return can_manage_cohort(user, cohort)


def can_moderate_room(user, room) -> bool:
    """Delete messages, pin, slow mode, mute, close and reopen: the cohort's instructors."""
    return can_moderate_cohort(user, room.cohort)


def can_post_in_room(user, room) -> bool:
    """Send a message: a member, in an open room of a cohort that is not archived.

    Mutes, slow mode and the rate limit are per-moment states checked by the service.
    """
    return (
        room.status == "open" and can_write_in_cohort(user, room.cohort) and not is_muted(user, room.cohort)
    )


def can_manage_room(user, room) -> bool:
    """Close, reopen or append the transcript: moderators while the cohort is not archived."""
    return can_moderate_room(user, room) and not room.cohort.archived


def is_room_exempt_from_slow_mode(user, room) -> bool:
    """Slow mode holds trainees back, not the people running the session."""
    return can_moderate_room(user, room)
