"""A room's transcript: Markdown to download, or appended to its thread as posts."""

from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.errors import Forbidden, ServiceError
from forum.extensions import db
from forum.permissions import can_manage_room, can_reply, can_view_room
from forum.rooms.models import RoomMessage
from forum.rooms.services import retention_cutoff
from forum.threads import services as thread_services


def _when(value) -> str:
    return format_datetime(value, "yyyy-MM-dd HH:mm") if value else ""


def _messages(room) -> list[RoomMessage]:
    stmt = (
        select(RoomMessage)
        .where(RoomMessage.room_id == room.id, RoomMessage.deleted_at.is_(None))
        .options(selectinload(RoomMessage.author), selectinload(RoomMessage.reply_to))
        .order_by(RoomMessage.id)
    )
    cutoff = retention_cutoff()
    if cutoff is not None:
        stmt = stmt.where(RoomMessage.created_at >= cutoff)
    return list(db.session.execute(stmt).scalars())


def _line(message) -> str:
    author = message.author.display_name if message.author else _("Former member")
    time = format_datetime(message.created_at, "HH:mm")
    body = message.body.replace("\r\n", "\n").strip()
    # Continuation lines are indented so a multi-line message stays one list item.
    body = "\n  ".join(body.split("\n"))
    reply = ""
    if message.reply_to is not None:
        reply = " " + _("(reply to #%(id)d)", id=message.reply_to_id)
    return f"- #{message.id} **{author}** {time}{reply}: {body}"


def header(room) -> list[str]:
    lines = [f"# {room.name}", ""]
    lines.append(_("Class: %(name)s", name=room.cohort.name) + "  ")
    if room.thread is not None:
        lines.append(_("Thread: %(title)s", title=room.thread.title) + "  ")
    lines.append(_("Opened: %(when)s", when=_when(room.created_at)) + "  ")
    if room.closed_at:
        lines.append(_("Closed: %(when)s", when=_when(room.closed_at)) + "  ")
    lines.append("")
    return lines


def to_markdown(viewer, room) -> str:
    """The whole room as Markdown: a header, then one list item per message, in order."""
    if not can_view_room(viewer, room):
        raise Forbidden()
    lines = header(room)
    messages = _messages(room)
    if not messages:
        lines.append(_("(no messages)"))
    lines.extend(_line(m) for m in messages)
    return "\n".join(lines) + "\n"


def _chunks(room, limit: int) -> list[str]:
    """The transcript cut at message boundaries into pieces that each fit in one post."""
    head = "\n".join(header(room)) + "\n"
    pieces, current = [], head
    for message in _messages(room):
        line = _line(message) + "\n"
        if len(line) > limit - 200:
            line = line[: limit - 200] + "…\n"
        if len(current) + len(line) > limit - 100:
            pieces.append(current)
            current = ""
        current += line
    pieces.append(current)
    return pieces


def append_to_thread(actor, room) -> list:
    """Post a closed room's transcript in its thread (as several posts if it is long)."""
    if not can_manage_room(actor, room):
        raise Forbidden()
    if room.thread is None:
        raise ServiceError("no_thread", _("This room is not tied to a thread."), 400)
    if room.status != "closed":
        raise ServiceError("room_open", _("Close the room before appending its transcript."), 409)
    if room.transcript_post_id is not None:
        raise ServiceError("already_appended", _("The transcript is already in the thread."), 409)
    if not can_reply(actor, room.thread):
        raise Forbidden(_("You may not reply in that thread."))
    limit = current_app.config["FORUM_POST_MAX"]
    pieces = _chunks(room, limit - 100)
    posts = []
    for number, piece in enumerate(pieces, start=1):
        title = _("Transcript of the live room")
        if len(pieces) > 1:
            title = _("Transcript of the live room (part %(n)d of %(total)d)", n=number, total=len(pieces))
        posts.append(thread_services.create_post(actor, room.thread, f"**{title}**\n\n{piece}"))
    room.transcript_post_id = posts[0].id
    db.session.flush()
    return posts
