"""Gather a thread's record: brief, replies, featured posts, summary, room transcripts.

Only what the viewer may read goes in: no deleted, hidden or held posts; staff notes,
teaching notes and anonymous authors as the permissions decide.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from forum.discussion.models import CaseBrief, ThreadSummary
from forum.extensions import db
from forum.permissions import (
    author_display,
    can_see_anonymous_author,
    can_view_room,
    can_view_teaching_notes,
    visible_posts,
)
from forum.rooms.models import Room, RoomMessage
from forum.threads.models import Post
from forum.utils import utcnow


@dataclass
class Entry:
    """One post or room message in the record."""

    number: int
    author: str
    created_at: datetime
    body: str
    body_html: str
    featured: bool = False


@dataclass
class Transcript:
    room_name: str
    messages: list = field(default_factory=list)


@dataclass
class Record:
    thread: object
    cohort: object
    opening: Entry | None
    replies: list
    featured: list
    brief: object | None
    teaching_notes: bool
    summary: object | None
    transcripts: list
    generated_at: datetime


def _name(post, sees_anonymous: bool) -> str:
    """The record's wording of ``author_display``: "Anonymous", a name marked anonymous
    for the staff, "Former member"."""
    shown = author_display(post, None, sees_anonymous=sees_anonymous)
    if shown.concealed:
        return _("Anonymous")
    return f"{shown.name} ({_('anonymous')})" if shown.anonymous else shown.name


def build_record(viewer, thread) -> Record:
    """The record of ``thread`` as ``viewer`` may read it (the caller checked can_view_thread)."""
    cohort = thread.board.cohort
    sees_anonymous = can_see_anonymous_author(viewer, cohort)
    stmt = (
        select(Post)
        .where(
            Post.thread_id == thread.id,
            Post.deleted_at.is_(None),
            Post.hidden.is_(False),
            Post.held.is_(False),
        )
        .order_by(Post.number)
    )
    stmt = visible_posts(stmt, viewer, thread=thread)
    entries = [
        Entry(
            p.number,
            _name(p, sees_anonymous),
            p.created_at,
            p.body,
            p.body_html,
            p.featured,
        )
        for p in db.session.execute(stmt).scalars()
    ]
    opening = entries[0] if entries and entries[0].number == 1 else None
    replies = entries[1:] if opening else entries
    brief = db.session.execute(select(CaseBrief).where(CaseBrief.thread_id == thread.id)).scalar_one_or_none()
    summary = db.session.execute(
        select(ThreadSummary).where(ThreadSummary.thread_id == thread.id)
    ).scalar_one_or_none()
    return Record(
        thread=thread,
        cohort=cohort,
        opening=opening,
        replies=replies,
        featured=[e for e in replies if e.featured],
        brief=brief,
        teaching_notes=bool(brief and brief.teaching_notes and can_view_teaching_notes(viewer, thread)),
        summary=summary,
        transcripts=_transcripts(viewer, thread),
        generated_at=utcnow(),
    )


def _transcripts(viewer, thread) -> list:
    """The messages of every live room linked to the thread that the viewer may read."""
    result = []
    rooms = db.session.execute(select(Room).where(Room.thread_id == thread.id).order_by(Room.id)).scalars()
    for room in rooms:
        if not can_view_room(viewer, room):
            continue
        messages = db.session.execute(
            select(RoomMessage)
            .where(RoomMessage.room_id == room.id, RoomMessage.deleted_at.is_(None))
            .order_by(RoomMessage.created_at, RoomMessage.id)
        ).scalars()
        transcript = Transcript(room.name)
        for number, message in enumerate(messages, start=1):
            author = message.author.display_name if message.author else _("Former member")
            transcript.messages.append(
                Entry(number, author, message.created_at, message.body, message.body_html)
            )
        result.append(transcript)
    return result
