"""Rooms and messages as JSON: one shape for socket events, the API and the page's script."""

from flask import url_for

from forum.sanitize import plain_text
from forum.utils import isoformat

QUOTE_CHARS = 140


def author_json(user) -> dict | None:
    if user is None:
        return None
    return {"username": user.username, "display_name": user.display_name}


def quote_json(message) -> dict | None:
    """The message a reply answers, as a short quote (or a marker once it is deleted)."""
    if message is None:
        return None
    if message.deleted_at is not None:
        return {"id": message.id, "deleted": True, "author": None, "excerpt": ""}
    excerpt = plain_text(message.body_html).strip()
    if len(excerpt) > QUOTE_CHARS:
        excerpt = excerpt[: QUOTE_CHARS - 1] + "…"
    return {"id": message.id, "deleted": False, "author": author_json(message.author), "excerpt": excerpt}


def message_json(message) -> dict:
    """The ``message`` event payload (CONTRACT.md) plus the quoted message of a reply."""
    return {
        "id": message.id,
        "room_id": message.room_id,
        "client_id": message.client_id,
        "author": author_json(message.author),
        "body_html": message.body_html,
        "created_at": isoformat(message.created_at),
        "reply_to": quote_json(message.reply_to) if message.reply_to_id else None,
    }


def room_json(room, pinned=None) -> dict:
    """A room's state: what a page needs to draw its header and notices."""
    pinned = pinned if pinned is not None else room.pinned_message
    return {
        "id": room.id,
        "url": url_for("rooms.room", room_id=room.id),
        "cohort": room.cohort.slug,
        "name": room.name,
        "status": room.status,
        "thread_id": room.thread_id,
        "slow_mode_seconds": room.slow_mode_seconds,
        "pinned": message_json(pinned) if pinned is not None and pinned.deleted_at is None else None,
        "created_at": isoformat(room.created_at),
        "closed_at": isoformat(room.closed_at),
    }
