"""Reading state: how far each person has read each thread, unread counts for
thread lists and boards, and the first unread post."""

from functools import cache

from sqlalchemy import and_, bindparam, exists, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from forum import validation
from forum.cohorts.models import Board
from forum.engagement.models import ReadState
from forum.extensions import db
from forum.permissions import counted_posts_clause, counted_posts_params, visible_threads_clause
from forum.threads.models import Post, Thread
from forum.utils import utcnow


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def read_position(user, thread) -> int | None:
    """The highest post number the user has read in the thread; None if never opened."""
    if not _signed_in(user):
        return None
    return db.session.execute(
        select(ReadState.last_read_number).where(
            ReadState.user_id == user.id, ReadState.thread_id == thread.id
        )
    ).scalar_one_or_none()


def mark_read(user, thread, number, flush: bool = True) -> None:
    """Record that the user has read the thread up to post ``number`` (never backwards)."""
    number = validation.integer(number, "last_read_number", minimum=0, maximum=2_147_483_647)
    number = min(number, thread.post_count or 0)
    now = utcnow()
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(ReadState).values(
        user_id=user.id, thread_id=thread.id, last_read_number=number, updated_at=now
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[ReadState.user_id, ReadState.thread_id],
        set_={
            "last_read_number": func.max(ReadState.last_read_number, stmt.excluded.last_read_number)
            if dialect is sqlite
            else func.greatest(ReadState.last_read_number, stmt.excluded.last_read_number),
            "updated_at": now,
        },
    )
    db.session.execute(stmt)
    if flush:
        db.session.flush()


# The unread statements below are built once per kind of user (admin or not) with the
# user's values as bind parameters: building the filter (an aliased Post, a dozen
# comparisons) costs more than running the query, and a thread page runs one per view.


def _unread_posts(everything: bool):
    """Posts that count as unread for the user in any thread (joined to their board);
    bind parameters: ``counted_posts_params(user)``."""
    others = or_(Post.author_id.is_(None), Post.author_id != bindparam("counted_user_id"))
    return counted_posts_clause(Post, Board, everything=everything) & others


def _unread_params(user) -> tuple[bool, dict]:
    params = counted_posts_params(user)
    return params.pop("everything"), params


@cache
def _unread_counts_statement(everything: bool):
    return (
        select(Post.thread_id, func.count(Post.id))
        .join(Thread, Thread.id == Post.thread_id)
        .join(Board, Board.id == Thread.board_id)
        .outerjoin(
            ReadState,
            and_(ReadState.thread_id == Post.thread_id, ReadState.user_id == bindparam("counted_user_id")),
        )
        .where(
            Post.thread_id.in_(bindparam("thread_ids", expanding=True)),
            Post.number > func.coalesce(ReadState.last_read_number, 0),
        )
        .where(_unread_posts(everything))
        .group_by(Post.thread_id)
    )


def thread_unread(user, threads) -> dict[int, dict]:
    """``{thread_id: {"last_read": n|None, "unread": n, "new": bool}}`` for a list of
    threads, in two queries. ``new``: never opened; ``unread``: posts since last read."""
    ids = [t.id for t in threads]
    result = {tid: {"last_read": None, "unread": 0, "new": False} for tid in ids}
    if not ids or not _signed_in(user):
        return result
    states = dict(
        db.session.execute(
            select(ReadState.thread_id, ReadState.last_read_number).where(
                ReadState.user_id == user.id, ReadState.thread_id.in_(ids)
            )
        ).all()
    )
    everything, params = _unread_params(user)
    counts = dict(
        db.session.execute(_unread_counts_statement(everything), {**params, "thread_ids": ids}).all()
    )
    for tid in ids:
        entry = result[tid]
        entry["last_read"] = states.get(tid)
        entry["unread"] = counts.get(tid, 0)
        entry["new"] = tid not in states and entry["unread"] > 0
    return result


def _has_unread(everything: bool):
    return exists().where(
        Post.thread_id == Thread.id,
        Post.number > func.coalesce(ReadState.last_read_number, 0),
        _unread_posts(everything),
    )


def board_unread(user, boards) -> dict[int, int]:
    """``{board_id: number of visible threads with unread posts}`` in one query."""
    ids = [b.id for b in boards]
    result = dict.fromkeys(ids, 0)
    if not ids or not _signed_in(user):
        return result
    everything, params = _unread_params(user)
    rows = db.session.execute(
        select(Thread.board_id, func.count(Thread.id))
        .join(Board, Board.id == Thread.board_id)
        .outerjoin(ReadState, and_(ReadState.thread_id == Thread.id, ReadState.user_id == user.id))
        .where(Thread.board_id.in_(ids), visible_threads_clause(user), _has_unread(everything))
        .group_by(Thread.board_id),
        params,
    ).all()
    result.update(dict(rows))
    return result


@cache
def _reading_position_statement(everything: bool):
    first_unread = (
        select(func.min(Post.number))
        .join(Thread, Thread.id == Post.thread_id)
        .join(Board, Board.id == Thread.board_id)
        .where(
            Post.thread_id == ReadState.thread_id,
            Post.number > ReadState.last_read_number,
            _unread_posts(everything),
        )
        .scalar_subquery()
    )
    return select(ReadState.last_read_number, first_unread).where(
        ReadState.user_id == bindparam("counted_user_id"), ReadState.thread_id == bindparam("thread_id")
    )


def reading_position(user, thread) -> tuple[int | None, int | None]:
    """``(read_position, first_unread_number)`` in one query; ``(None, None)`` if the user
    never opened the thread."""
    if not _signed_in(user):
        return None, None
    everything, params = _unread_params(user)
    row = db.session.execute(
        _reading_position_statement(everything), {**params, "thread_id": thread.id}
    ).first()
    return (row[0], row[1]) if row is not None else (None, None)


@cache
def _first_unread_statement(everything: bool):
    return (
        select(func.min(Post.number))
        .join(Thread, Thread.id == Post.thread_id)
        .join(Board, Board.id == Thread.board_id)
        .where(
            Post.thread_id == bindparam("thread_id"),
            Post.number > bindparam("last"),
            _unread_posts(everything),
        )
    )


def first_unread_number(user, thread, last: int | None = None) -> int | None:
    """The number of the first post the user has not read (None: all read)."""
    if last is None:
        last = read_position(user, thread) or 0
    everything, params = _unread_params(user)
    return db.session.execute(
        _first_unread_statement(everything), {**params, "thread_id": thread.id, "last": last}
    ).scalar_one_or_none()


def mark_board_read(user, board) -> int:
    """Mark every thread of a board the user may see as read; returns how many changed."""
    threads = db.session.execute(
        select(Thread.id, Thread.post_count)
        .join(Board, Board.id == Thread.board_id)
        .outerjoin(ReadState, and_(ReadState.thread_id == Thread.id, ReadState.user_id == user.id))
        .where(Thread.board_id == board.id, visible_threads_clause(user))
        .where(Thread.post_count > func.coalesce(ReadState.last_read_number, 0))
    ).all()
    for thread_id, post_count in threads:
        mark_read(user, _Stub(thread_id, post_count), post_count, flush=False)
    db.session.flush()
    return len(threads)


class _Stub:
    """Just enough of a thread for ``mark_read`` (id and post count)."""

    def __init__(self, thread_id: int, post_count: int):
        self.id = thread_id
        self.post_count = post_count
