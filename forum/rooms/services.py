"""Rooms and their messages: opening a room, sending, reading history.

Moderation (delete, pin, slow mode, mute, close) is in ``moderation.py``, the
transcript in ``transcript.py``. Each function takes the acting user first, flushes
(the socket event, request or command commits), raises ServiceError, and queues its
broadcasts to go out after the commit.
"""

import logging
from datetime import datetime, timedelta
from functools import cache
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from forum import signals, validation
from forum.errors import Forbidden, ServiceError
from forum.extensions import db
from forum.moderation.filters import check_text
from forum.moderation.mutes import refuse_if_muted
from forum.permissions import (
    can_create_room,
    can_post_in_room,
    can_view_room,
    can_view_thread,
    is_room_exempt_from_slow_mode,
)
from forum.rooms import live
from forum.rooms.models import Room, RoomMessage, RoomMute
from forum.rooms.serialize import message_json
from forum.sanitize import render_inline
from forum.transaction import after_commit
from forum.utils import utcnow

log = logging.getLogger(__name__)

HISTORY_DEFAULT = 100
HISTORY_MAX = 500
CLIENT_ID_MAX = 64


class RoomLimitError(ServiceError):
    """A refusal that clears by itself: rate limit, slow mode, mute (``retry_after`` s)."""

    def __init__(self, code: str, message: str, retry_after: int):
        super().__init__(code, message, 429)
        self.retry_after = max(1, int(retry_after))


# --- rooms ------------------------------------------------------------------------------


def create_room(actor, cohort, name, thread=None) -> Room:
    """Open a live room in a cohort, optionally as the live session of one of its threads."""
    if cohort.archived:
        raise ServiceError("archived", _("This class is archived and read-only."), 403)
    if not can_create_room(actor, cohort):
        raise Forbidden()
    name = validation.text(name, "name", max_length=current_app.config["FORUM_NAME_MAX"])
    if thread is not None and (thread.board.cohort_id != cohort.id or not can_view_thread(actor, thread)):
        raise ServiceError("invalid", _("The thread is not in this class."), 400, "thread_id")
    room = Room(
        cohort_id=cohort.id,
        thread_id=thread.id if thread else None,
        name=name,
        created_by_id=actor.id,
    )
    db.session.add(room)
    db.session.flush()
    log.info("room %s opened in %s by %s", room.id, cohort.slug, actor.username)
    return room


def rooms_of_cohort(cohort):
    """A cohort's rooms: open ones first, newest first."""
    return (
        db.session.execute(
            select(Room)
            .where(Room.cohort_id == cohort.id)
            .order_by((Room.status == "open").desc(), Room.created_at.desc(), Room.id.desc())
        )
        .scalars()
        .all()
    )


def rooms_query(cohort):
    """The same list as a statement, for the paginated API."""
    return (
        select(Room)
        .where(Room.cohort_id == cohort.id)
        .order_by((Room.status == "open").desc(), Room.created_at.desc(), Room.id.desc())
    )


# --- reading ---------------------------------------------------------------------------


def retention_cutoff():
    """Messages older than this are past the retention period (None: kept forever)."""
    days = current_app.config.get("FORUM_ROOM_RETENTION_DAYS")
    return utcnow() - timedelta(days=int(days)) if days else None


def _visible(stmt):
    stmt = stmt.where(RoomMessage.deleted_at.is_(None))
    cutoff = retention_cutoff()
    if cutoff is not None:
        stmt = stmt.where(RoomMessage.created_at >= cutoff)
    return stmt.options(
        selectinload(RoomMessage.author),
        selectinload(RoomMessage.reply_to).selectinload(RoomMessage.author),
    )


def history(viewer, room, after=None, before=None, limit=HISTORY_DEFAULT) -> tuple[list[RoomMessage], bool]:
    """Messages of a room in order: after an id (catch-up), before one (older), or the latest.

    Returns ``(messages, more)``; ``more`` says another call would find more in that direction.
    """
    if not can_view_room(viewer, room):
        raise Forbidden()
    limit = validation.integer(limit, "limit", minimum=1, maximum=HISTORY_MAX)
    stmt = _visible(select(RoomMessage).where(RoomMessage.room_id == room.id))
    if after is not None:
        after = validation.integer(after, "after", minimum=0)
        rows = (
            db.session.execute(stmt.where(RoomMessage.id > after).order_by(RoomMessage.id).limit(limit + 1))
            .scalars()
            .all()
        )
        return list(rows[:limit]), len(rows) > limit
    if before is not None:
        before = validation.integer(before, "before", minimum=1)
        stmt = stmt.where(RoomMessage.id < before)
    rows = db.session.execute(stmt.order_by(RoomMessage.id.desc()).limit(limit + 1)).scalars().all()
    return list(reversed(rows[:limit])), len(rows) > limit


# --- sending ---------------------------------------------------------------------------


def _existing(room, author, client_id) -> RoomMessage | None:
    return db.session.execute(
        select(RoomMessage).where(
            RoomMessage.room_id == room.id,
            RoomMessage.author_id == author.id,
            RoomMessage.client_id == client_id,
        )
    ).scalar_one_or_none()


def active_mute(room, user) -> RoomMute | None:
    """The user's mute in this room while it lasts."""
    return db.session.execute(
        select(RoomMute).where(
            RoomMute.room_id == room.id, RoomMute.user_id == user.id, RoomMute.until > utcnow()
        )
    ).scalar_one_or_none()


def _refuse_closed(author, room) -> None:
    if room.cohort.archived:
        raise ServiceError("archived", _("This class is archived and read-only."), 403)
    if room.status != "open":
        raise ServiceError(
            "room_closed", _("This room is closed: its messages stay, but nobody can add one."), 403
        )
    refuse_if_muted(author, room.cohort)  # muted in the cohort: say so, and until when
    raise Forbidden()


class _SendFacts(NamedTuple):
    now: datetime
    existing_id: int | None
    mute_until: datetime | None
    recent_count: int
    last_at: datetime | None


@cache
def _send_facts_statement():
    """Built once: this runs per message, and building the expression costs more than running it."""
    room_id, author_id = bindparam("room_id"), bindparam("author_id")
    existing = (
        select(RoomMessage.id)
        .where(
            RoomMessage.room_id == room_id,
            RoomMessage.author_id == author_id,
            RoomMessage.client_id == bindparam("client_id"),
        )
        .scalar_subquery()
    )
    mute_until = (
        select(RoomMute.until)
        .where(RoomMute.room_id == room_id, RoomMute.user_id == author_id, RoomMute.until > bindparam("now"))
        .scalar_subquery()
    )
    recent = (
        select(func.count(RoomMessage.id))
        .where(RoomMessage.author_id == author_id, RoomMessage.created_at > bindparam("since"))
        .scalar_subquery()
    )
    last = (
        select(func.max(RoomMessage.created_at))
        .where(RoomMessage.room_id == room_id, RoomMessage.author_id == author_id)
        .scalar_subquery()
    )
    return select(existing, mute_until, recent, last)


def _send_facts(author, room, client_id) -> _SendFacts:
    """What a new message is checked against, read fresh in one round trip (this runs per
    message): the stored message of a resend, the room mute, the sender's recent messages."""
    now = utcnow()
    window = current_app.config.get("FORUM_ROOM_RATE_SECONDS", 5)
    params = {
        "room_id": room.id,
        "author_id": author.id,
        "client_id": client_id,
        "now": now,
        "since": now - timedelta(seconds=window),
    }
    return _SendFacts(now, *db.session.execute(_send_facts_statement(), params).one())


def _check_limits(author, room, facts: _SendFacts) -> None:
    """Room mute, rate limit and slow mode, from the facts read for this message."""
    now, until, recent_count, last_at = facts.now, facts.mute_until, facts.recent_count, facts.last_at
    count = current_app.config.get("FORUM_ROOM_RATE_COUNT", 5)
    window = current_app.config.get("FORUM_ROOM_RATE_SECONDS", 5)
    if until is not None:
        minutes = max(1, int((until - now).total_seconds() + 59) // 60)
        raise RoomLimitError(
            "muted",
            _("An instructor muted you in this room for %(n)d more minute(s).", n=minutes),
            (until - now).total_seconds(),
        )
    if recent_count >= count:
        times = (
            db.session.execute(
                select(RoomMessage.created_at)
                .where(
                    RoomMessage.author_id == author.id,
                    RoomMessage.created_at > now - timedelta(seconds=window),
                )
                .order_by(RoomMessage.created_at.desc())
                .limit(count)
            )
            .scalars()
            .all()
        )
        wait = window - (now - times[-1]).total_seconds() if times else window
        raise RoomLimitError(
            "rate_limited",
            _(
                "You are sending too fast: at most %(count)d messages in %(seconds)d seconds. "
                "Try again in a moment.",
                count=count,
                seconds=window,
            ),
            wait,
        )
    if room.slow_mode_seconds and last_at is not None and not is_room_exempt_from_slow_mode(author, room):
        wait = room.slow_mode_seconds - (now - last_at).total_seconds()
        if wait > 0:
            raise RoomLimitError(
                "slow_mode",
                _(
                    "Slow mode is on: one message every %(n)d seconds. Wait %(wait)d s.",
                    n=room.slow_mode_seconds,
                    wait=int(wait + 0.999),
                ),
                wait,
            )


@cache
def _insert_message_statement():
    return insert(RoomMessage).returning(RoomMessage)


def send_message(author, room, body, client_id, reply_to=None) -> tuple[RoomMessage, bool]:
    """Store a message, then broadcast it; a resend with the same ``client_id`` is not stored twice.

    Returns ``(message, created)``: ``created`` is False for a resend of a stored message.
    """
    if not can_view_room(author, room):
        raise Forbidden()
    client_id = validation.text(client_id, "client_id", max_length=CLIENT_ID_MAX)
    room_id = room.id
    # Read before the checks: a resend of a stored message is answered with it even if the
    # room closed or the sender hit a limit since.
    facts = _send_facts(author, room, client_id)
    if facts.existing_id is not None:
        return db.session.get(RoomMessage, facts.existing_id), False
    if not can_post_in_room(author, room):
        _refuse_closed(author, room)
    body = validation.text(body, "body", max_length=current_app.config.get("FORUM_ROOM_MESSAGE_MAX", 2000))
    target = None
    if reply_to is not None:
        target = db.session.get(RoomMessage, validation.integer(reply_to, "reply_to", minimum=1))
        if target is None or target.room_id != room.id or target.deleted_at is not None:
            raise ServiceError("invalid", _("The message you reply to is not in this room."), 400, "reply_to")
    refuse_if_muted(author, room.cohort)
    screened = check_text(body, field_name="body")
    if screened.held and not is_room_exempt_from_slow_mode(author, room):
        # A live room cannot wait for a review: the trainee rephrases instead.
        raise ServiceError(
            "held",
            _(
                "This message contains words an instructor must review first; it was not sent. "
                "Please rephrase it."
            ),
            400,
            "body",
        )
    body = screened.text
    _check_limits(author, room, facts)
    values = {
        "room_id": room_id,
        "author_id": author.id,
        "client_id": client_id,
        "body": body,
        "body_html": render_inline(body),
        "reply_to_id": target.id if target else None,
        "created_at": utcnow(),
        "deleted_at": None,
        "deleted_by_id": None,
    }
    try:
        # One INSERT ... RETURNING gives the stored row as an object, without a unit-of-work
        # flush (this runs per message); its relationships are the objects already at hand.
        # In a savepoint, so that a lost race undoes only this insert.
        with db.session.begin_nested():
            message = db.session.execute(_insert_message_statement(), values).scalar_one()
        set_committed_value(message, "author", author)
        set_committed_value(message, "reply_to", target)
    except IntegrityError:
        # The same client_id raced in from another connection: that one won.
        existing = _existing(room, author, client_id)
        if existing is None:
            raise
        return existing, False
    # Receivers queue the index job in this unit of work; the room hears of the message
    # only once both are committed.
    signals.room_message_created.send(author, obj=message)
    after_commit(live.to_room, "message", room_id, message_json(message))
    return message, True


def purge_expired(now=None, batch: int = 1000) -> int:
    """Delete messages past the retention period (none when it is unset); returns how many."""
    days = current_app.config.get("FORUM_ROOM_RETENTION_DAYS")
    if not days:
        return 0
    cutoff = (now or utcnow()) - timedelta(days=int(days))
    total = 0
    while True:
        expired = (
            db.session.execute(
                select(RoomMessage)
                .where(RoomMessage.created_at < cutoff)
                .order_by(RoomMessage.id)
                .limit(batch)
            )
            .scalars()
            .all()
        )
        if not expired:
            return total
        ids = [m.id for m in expired]
        for message in expired:
            db.session.expunge(message)  # keeps its loaded fields for the signal below
        rooms, messages = Room.__table__, RoomMessage.__table__
        db.session.execute(
            rooms.update().where(rooms.c.pinned_message_id.in_(ids)).values(pinned_message_id=None)
        )
        db.session.execute(messages.update().where(messages.c.reply_to_id.in_(ids)).values(reply_to_id=None))
        db.session.execute(messages.delete().where(messages.c.id.in_(ids)))
        db.session.flush()
        for message in expired:
            signals.room_message_deleted.send(None, obj=message)
        total += len(ids)
