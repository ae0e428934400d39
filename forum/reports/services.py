"""The participation report: who took part in a cohort, and how, over a date range.

Definitions (also shown under the report's table):

- The range is whole days in the forum's time zone (``BABEL_DEFAULT_TIMEZONE``),
  ``start`` and ``end`` both included.
- Only visible contributions count: posts that are not deleted, not hidden (nor held
  for review), not staff-only notes, in threads that are not hidden.
- ``threads``: threads the trainee started in the range. ``posts``: their replies
  (every post but a thread's opening post). ``case_answers``: replies in case threads.
- ``words``: in everything they wrote (opening posts and replies), each Chinese,
  Japanese or Korean character is one word, and any other run of text between
  whitespace that holds at least one letter or digit is one word (so "AI 规划 2030"
  is 1 + 2 + 1 = 4 words); Markdown symbols and punctuation on their own are not words.
- ``room_messages``: live-room messages in the cohort's rooms (not deleted).
- ``reactions``: reactions others gave, in the range, to the trainee's posts.
- ``last_active``: their latest post or room message in the cohort within the range.
- Instructors: ``replies`` in the range; on trainees' questions (threads of kind
  "question") started in the range, the time from the question to the first visible
  staff reply; ``first_replies`` counts the questions where they replied first and
  ``median_first_reply_seconds`` is the median of those delays.
"""

import re
import statistics
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.cohorts.models import Board, Membership
from forum.engagement.models import Reaction
from forum.errors import Forbidden, ServiceError
from forum.extensions import db
from forum.moderation.services import staff_ids_query
from forum.permissions import can_view_participation
from forum.rooms.models import Room, RoomMessage
from forum.threads.models import Post, Thread
from forum.utils import isoformat

MAX_RANGE_DAYS = 3 * 366
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]")
_ALNUM = re.compile(r"[^\W_]")

TRAINEE_COLUMNS = (
    "username",
    "display_name",
    "threads",
    "posts",
    "words",
    "case_answers",
    "room_messages",
    "reactions",
    "last_active",
)


def count_words(text: str) -> int:
    """Words as the report counts them: CJK characters one each, other words by whitespace."""
    if not text:
        return 0
    cjk = len(_CJK.findall(text))
    rest = _CJK.sub(" ", text)
    return cjk + sum(1 for token in rest.split() if _ALNUM.search(token))


@dataclass
class TraineeRow:
    user_id: int
    username: str
    display_name: str
    threads: int = 0
    posts: int = 0
    words: int = 0
    case_answers: int = 0
    room_messages: int = 0
    reactions: int = 0
    last_active: datetime | None = None

    def seen(self, moment: datetime) -> None:
        if self.last_active is None or moment > self.last_active:
            self.last_active = moment

    def as_json(self) -> dict:
        data = asdict(self)
        data.pop("user_id")
        data["last_active"] = isoformat(self.last_active)
        return data


@dataclass
class InstructorRow:
    user_id: int
    username: str
    display_name: str
    replies: int = 0
    delays: list = field(default_factory=list)

    @property
    def first_replies(self) -> int:
        return len(self.delays)

    @property
    def median_first_reply_seconds(self) -> int | None:
        return int(statistics.median(self.delays)) if self.delays else None

    def as_json(self) -> dict:
        return {
            "username": self.username,
            "display_name": self.display_name,
            "replies": self.replies,
            "first_replies": self.first_replies,
            "median_first_reply_seconds": self.median_first_reply_seconds,
        }


@dataclass
class Participation:
    cohort: object
    start: date
    end: date
    trainees: list
    instructors: list
    questions: int = 0
    answered: int = 0
    delays: list = field(default_factory=list)

    @property
    def median_first_reply_seconds(self) -> int | None:
        return int(statistics.median(self.delays)) if self.delays else None

    def summary(self) -> dict:
        return {
            "questions": self.questions,
            "answered": self.answered,
            "unanswered": self.questions - self.answered,
            "median_first_reply_seconds": self.median_first_reply_seconds,
        }


# --- the date range ---------------------------------------------------------------------------


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")


def today() -> date:
    return datetime.now(_zone()).date()


def _parse_day(value, name: str) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > 10:
        raise ServiceError("invalid", _("%(field)s must be a date (YYYY-MM-DD).", field=name), 400, name)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ServiceError(
            "invalid", _("%(field)s must be a date (YYYY-MM-DD).", field=name), 400, name
        ) from None


def date_range(cohort, start=None, end=None) -> tuple[date, date]:
    """The report's days from the request (``YYYY-MM-DD``); by default from the cohort's
    creation to today."""
    end_day = _parse_day(end, "to") or today()
    start_day = _parse_day(start, "from")
    if start_day is None:
        created = cohort.created_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(_zone()).date()
        start_day = min(created, end_day)
    if start_day > end_day:
        raise ServiceError("invalid", _("The first day must not be after the last day."), 400, "from")
    if (end_day - start_day).days > MAX_RANGE_DAYS:
        raise ServiceError(
            "out_of_range", _("The range may span at most %(n)d days.", n=MAX_RANGE_DAYS), 400, "from"
        )
    return start_day, end_day


def utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The range's first and after-last moments as naive UTC (how timestamps are stored)."""
    zone, utc = _zone(), ZoneInfo("UTC")
    low = datetime.combine(start, time.min, zone).astimezone(utc).replace(tzinfo=None)
    high = datetime.combine(end + timedelta(days=1), time.min, zone).astimezone(utc).replace(tzinfo=None)
    return low, high


# --- the report -------------------------------------------------------------------------------


def _members(cohort):
    return db.session.execute(
        select(User.id, User.username, User.display_name, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort.id)
        .order_by(User.username)
    ).all()


def _visible_posts(cohort_id):
    conditions = [
        Board.cohort_id == cohort_id,
        Post.deleted_at.is_(None),
        Post.hidden.is_(False),
        Thread.hidden.is_(False),
    ]
    if hasattr(Post, "staff_note"):
        conditions.append(Post.staff_note.is_(False))
    return conditions


def participation(viewer, cohort, start: date, end: date) -> Participation:
    """Per trainee and per instructor figures for a cohort over ``start``..``end``."""
    if not can_view_participation(viewer, cohort):
        raise Forbidden()
    low, high = utc_bounds(start, end)
    trainees, instructors = {}, {}
    for user_id, username, display_name, role in _members(cohort):
        target = trainees if role == "trainee" else instructors
        row_type = TraineeRow if role == "trainee" else InstructorRow
        target[user_id] = row_type(user_id, username, display_name)

    rows = db.session.execute(
        select(Post.author_id, Post.number, Post.body, Post.created_at, Thread.kind)
        .join(Thread, Thread.id == Post.thread_id)
        .join(Board, Board.id == Thread.board_id)
        .where(
            *_visible_posts(cohort.id),
            Post.created_at >= low,
            Post.created_at < high,
            Post.author_id.in_(list(trainees) + list(instructors) or [-1]),
        )
    ).all()
    for author_id, number, body, created_at, kind in rows:
        if author_id in instructors:
            if number > 1:
                instructors[author_id].replies += 1
            continue
        row = trainees[author_id]
        if number == 1:
            row.threads += 1
        else:
            row.posts += 1
            if kind == "case":
                row.case_answers += 1
        row.words += count_words(body)
        row.seen(created_at)

    _count_room_messages(cohort, trainees, low, high)
    _count_reactions(cohort, trainees, low, high)
    report = Participation(cohort, start, end, list(trainees.values()), list(instructors.values()))
    _first_replies(cohort, report, trainees, instructors, low, high)
    return report


def _count_room_messages(cohort, trainees, low, high) -> None:
    """Live-room messages (forum/rooms)."""
    conditions = [
        Room.cohort_id == cohort.id,
        RoomMessage.created_at >= low,
        RoomMessage.created_at < high,
        RoomMessage.author_id.in_(list(trainees) or [-1]),
    ]
    if hasattr(RoomMessage, "deleted_at"):
        conditions.append(RoomMessage.deleted_at.is_(None))
    for author_id, count, last in db.session.execute(
        select(RoomMessage.author_id, func.count(RoomMessage.id), func.max(RoomMessage.created_at))
        .join(Room, Room.id == RoomMessage.room_id)
        .where(*conditions)
        .group_by(RoomMessage.author_id)
    ):
        trainees[author_id].room_messages = count
        trainees[author_id].seen(last)


def _count_reactions(cohort, trainees, low, high) -> None:
    """Reactions others gave to the trainee's posts (forum/engagement)."""
    for author_id, count in db.session.execute(
        select(Post.author_id, func.count(Reaction.id))
        .join(Post, Post.id == Reaction.post_id)
        .join(Thread, Thread.id == Post.thread_id)
        .join(Board, Board.id == Thread.board_id)
        .where(
            *_visible_posts(cohort.id),
            Reaction.created_at >= low,
            Reaction.created_at < high,
            Reaction.user_id != Post.author_id,
            Post.author_id.in_(list(trainees) or [-1]),
        )
        .group_by(Post.author_id)
    ):
        trainees[author_id].reactions = count


def _first_replies(cohort, report, trainees, instructors, low, high) -> None:
    """Time from each trainee question (started in the range) to its first staff reply."""
    questions = dict(
        db.session.execute(
            select(Thread.id, Thread.created_at)
            .join(Board, Board.id == Thread.board_id)
            .where(
                Board.cohort_id == cohort.id,
                Thread.kind == "question",
                Thread.hidden.is_(False),
                Thread.created_at >= low,
                Thread.created_at < high,
                Thread.author_id.in_(list(trainees) or [-1]),
            )
        ).all()
    )
    report.questions = len(questions)
    if not questions:
        return
    first = {}
    for thread_id, author_id, created_at in db.session.execute(
        select(Post.thread_id, Post.author_id, Post.created_at)
        .join(Thread, Thread.id == Post.thread_id)
        .join(Board, Board.id == Thread.board_id)
        .where(
            *_visible_posts(cohort.id),
            Post.thread_id.in_(list(questions)),
            Post.number > 1,
            Post.author_id.in_(staff_ids_query(cohort.id)),
        )
        .order_by(Post.created_at, Post.id)
    ):
        first.setdefault(thread_id, (author_id, created_at))
    for thread_id, (author_id, created_at) in first.items():
        delay = max(0, int((created_at - questions[thread_id]).total_seconds()))
        report.delays.append(delay)
        row = instructors.get(author_id)
        if row is None:  # an admin who is not a member of the cohort
            user = db.session.get(User, author_id)
            row = instructors[author_id] = InstructorRow(author_id, user.username, user.display_name)
            report.instructors.append(row)
        row.delays.append(delay)
    report.answered = len(first)
