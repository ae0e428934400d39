"""Replying extras: reactions, revisions, watch settings, @mention lookups and
similar threads. Reading state lives in ``reading.py``, notifications in
``notifications.py``."""

import logging
import re

from flask import has_app_context
from flask_babel import gettext as _
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import joinedload

from forum import validation
from forum.accounts.models import User
from forum.cohorts.models import Board, Membership
from forum.engagement.models import REACTION_KINDS, WATCH_LEVELS, PostRevision, Reaction, Watch
from forum.errors import Forbidden, ServiceError
from forum.extensions import db
from forum.permissions import (
    can_mention_in,
    can_react,
    can_view_revisions,
    can_watch_board,
    can_watch_thread,
    visible_threads,
)
from forum.sanitize import render_markdown
from forum.search.services import similar_threads as search_similar
from forum.threads.models import Thread
from forum.utils import utcnow

log = logging.getLogger(__name__)

MEMBER_URL_PREFIX = "/members/"
MENTION_QUERY_MAX = 64
SIMILAR_TITLE_MAX = 200


# --- reactions --------------------------------------------------------------------------


def _reaction_kind(kind) -> str:
    return validation.choice(kind, "kind", REACTION_KINDS)


def set_reaction(user, post, kind, on: bool = True) -> dict:
    """Add (``on``) or take back one's reaction of one kind to a post; returns the post's
    reaction summary."""
    kind = _reaction_kind(kind)
    on = validation.boolean(on, "on")
    if not can_react(user, post):
        if post.author_id == user.id:
            raise ServiceError("own_post", _("You cannot react to your own post."), 403)
        raise Forbidden()
    existing = db.session.execute(
        select(Reaction).where(
            Reaction.post_id == post.id, Reaction.user_id == user.id, Reaction.kind == kind
        )
    ).scalar_one_or_none()
    if on and existing is None:
        db.session.add(Reaction(post_id=post.id, user_id=user.id, kind=kind))
    elif not on and existing is not None:
        db.session.delete(existing)
    db.session.flush()
    return reaction_summaries([post.id], user)[post.id]


def toggle_reaction(user, post, kind) -> dict:
    """Flip one's reaction of one kind to a post (the button on the page)."""
    kind = _reaction_kind(kind)
    mine = reaction_summaries([post.id], user)[post.id]["mine"]
    return set_reaction(user, post, kind, kind not in mine)


def reaction_summaries(post_ids, viewer) -> dict[int, dict]:
    """``{post_id: {"counts": {kind: n}, "mine": [kind...]}}`` for many posts in one query."""
    result = {pid: {"counts": {}, "mine": []} for pid in post_ids}
    if not post_ids:
        return result
    viewer_id = getattr(viewer, "id", None) or -1
    rows = db.session.execute(
        select(
            Reaction.post_id,
            Reaction.kind,
            func.count(Reaction.id),
            func.sum(case((Reaction.user_id == viewer_id, 1), else_=0)),
        )
        .where(Reaction.post_id.in_(list(post_ids)))
        .group_by(Reaction.post_id, Reaction.kind)
    ).all()
    for post_id, kind, count, mine in rows:
        entry = result[post_id]
        entry["counts"][kind] = count
        if mine:
            entry["mine"].append(kind)
    return result


# --- revisions --------------------------------------------------------------------------


def record_revision(editor, post, previous_body: str) -> PostRevision | None:
    """Keep the text a post had before an edit (a post_updated receiver, in the edit's own unit of work)."""
    if previous_body is None or previous_body == post.body:
        return None  # a moderation change, not a new text
    revision = PostRevision(
        post_id=post.id,
        editor_id=getattr(editor, "id", None),
        body=previous_body,
        body_html=render_markdown(previous_body),
        created_at=post.edited_at or utcnow(),
    )
    db.session.add(revision)
    db.session.flush()
    return revision


def post_versions(viewer, post) -> list[dict]:
    """Every version of a post, oldest first: ``{number, body, body_html, editor,
    created_at, current}``. The first version is the author's; each later one names who
    made that edit. Only its author and the cohort's staff may read them."""
    if not can_view_revisions(viewer, post):
        raise Forbidden()
    revisions = list(
        db.session.execute(
            select(PostRevision)
            .where(PostRevision.post_id == post.id)
            .order_by(PostRevision.created_at, PostRevision.id)
        ).scalars()
    )
    versions = []
    author, made_at = post.author, post.created_at
    for index, revision in enumerate(revisions):
        versions.append(
            {
                "number": index + 1,
                "body": revision.body,
                "body_html": revision.body_html,
                "editor": author,
                "created_at": made_at,
                "current": False,
            }
        )
        author, made_at = revision.editor, revision.created_at
    versions.append(
        {
            "number": len(revisions) + 1,
            "body": post.body,
            "body_html": post.body_html,
            "editor": author,
            "created_at": made_at,
            "current": True,
        }
    )
    return versions


# --- watch settings -----------------------------------------------------------------------


def _level(level) -> str:
    return validation.choice(level, "level", WATCH_LEVELS)


def _set_watch(user, level, **target) -> str:
    watch = db.session.execute(select(Watch).filter_by(user_id=user.id, **target)).scalar_one_or_none()
    if level == "normal":
        if watch is not None:
            db.session.delete(watch)
    elif watch is None:
        db.session.add(Watch(user_id=user.id, level=level, **target))
    else:
        watch.level = level
        watch.updated_at = utcnow()
    db.session.flush()
    return level


def set_thread_watch(user, thread, level) -> str:
    """Watch (every new post), normal (mentions and replies) or mute a thread."""
    level = _level(level)
    if not can_watch_thread(user, thread):
        raise Forbidden()
    return _set_watch(user, level, thread_id=thread.id)


def set_board_watch(user, board, level) -> str:
    """Watch (every new thread), normal, or mute (its threads stay quiet) a board."""
    level = _level(level)
    if not can_watch_board(user, board):
        raise Forbidden()
    return _set_watch(user, level, board_id=board.id)


def thread_watch_level(user, thread) -> str:
    """The level set on the thread itself ("normal" when none)."""
    level = db.session.execute(
        select(Watch.level).where(Watch.user_id == user.id, Watch.thread_id == thread.id)
    ).scalar_one_or_none()
    return level or "normal"


def board_watch_level(user, board) -> str:
    level = db.session.execute(
        select(Watch.level).where(Watch.user_id == user.id, Watch.board_id == board.id)
    ).scalar_one_or_none()
    return level or "normal"


def effective_levels(user_ids, thread) -> dict[int, str]:
    """Each user's level for a thread: the thread's own setting, else "mute" when its
    board is muted, else "normal". One query for any number of users."""
    levels = {uid: "normal" for uid in user_ids}
    if not user_ids:
        return levels
    rows = db.session.execute(
        select(Watch.user_id, Watch.thread_id, Watch.level).where(
            Watch.user_id.in_(list(user_ids)),
            or_(Watch.thread_id == thread.id, Watch.board_id == thread.board_id),
        )
    ).all()
    for user_id, thread_id, level in sorted(rows, key=lambda row: row[1] is not None):
        if thread_id is not None:
            levels[user_id] = level  # the thread's own setting wins over the board's
        elif level == "mute":
            levels[user_id] = "mute"
    return levels


def watchers(thread=None, board=None, level="watch") -> list[int]:
    """Ids of the users who set ``level`` on this thread or board."""
    stmt = select(Watch.user_id).where(Watch.level == level)
    stmt = (
        stmt.where(Watch.thread_id == thread.id)
        if thread is not None
        else stmt.where(Watch.board_id == board.id)
    )
    return list(db.session.execute(stmt).scalars())


# --- @mentions ----------------------------------------------------------------------------


def mention_candidates(user, cohort, prefix, limit: int = 8) -> list:
    """Members of a cohort whose username or display name starts with ``prefix``."""
    prefix = validation.text(prefix, "q", max_length=MENTION_QUERY_MAX, min_length=0).lstrip("@")
    if not can_mention_in(user, cohort):
        raise Forbidden()
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    stmt = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.cohort_id == cohort.id, User.active.is_(True))
        .order_by(User.username)
        .limit(limit)
    )
    if escaped:
        stmt = stmt.where(
            or_(
                User.username.like(f"{escaped.lower()}%", escape="\\"),
                func.lower(User.display_name).like(f"{escaped.lower()}%", escape="\\"),
            )
        )
    return list(db.session.execute(stmt).scalars())


def resolve_mentions(names) -> dict[str, str]:
    """The sanitizer's resolver: existing, active usernames -> their mention link."""
    if not has_app_context() or not names:
        return {}
    found = db.session.execute(
        select(User.username).where(User.username.in_(sorted(names)[:50]), User.active.is_(True))
    ).scalars()
    return {name: MEMBER_URL_PREFIX + name for name in found}


_MENTION_LINK_RE = re.compile(r'<a [^>]*class="mention"[^>]*>@([A-Za-z0-9._-]+)</a>')


def mentioned_usernames(body_html: str) -> set[str]:
    """Usernames a sanitized post body mentions (the renderer marked them)."""
    return {name.lower() for name in _MENTION_LINK_RE.findall(body_html or "")}


# --- similar threads -------------------------------------------------------------------------


_WORD_RE = re.compile(r"[A-Za-z0-9]{3,}|[\u3400-\u9fff]+")


def _title_terms(title: str) -> set[str]:
    """Words of a title: Latin words of 3+ letters, and two-character pieces of Chinese."""
    terms = set()
    for word in _WORD_RE.findall(title.lower()):
        if word.isascii():
            terms.add(word)
        elif len(word) == 1:
            terms.add(word)
        else:
            terms.update(word[i : i + 2] for i in range(len(word) - 1))
    return terms


def similar_threads(user, title, limit: int = 5, cohort_id: int | None = None) -> list:
    """Visible threads whose titles look like ``title`` (the search index when it is
    there, else a title match in SQL)."""
    title = validation.text(title, "title", max_length=SIMILAR_TITLE_MAX, min_length=0)
    limit = validation.integer(limit, "limit", minimum=1, maximum=20)
    if len(title) < 2:
        return []
    try:
        # In a savepoint: a statement of the search that fails (PostgreSQL then refuses the
        # rest of the transaction) is undone alone, and the fallback can still read.
        with db.session.begin_nested():
            found = search_similar(title, user, limit if cohort_id is None else 20)
            found = [t for t in found if cohort_id is None or t.board.cohort_id == cohort_id][:limit]
        if found:
            return found
    except Exception:  # the index may be missing or rebuilding: fall back to SQL
        log.exception("search similar_threads failed; using the title match")
    # No index yet, or it has not caught up: a plain title match.
    return _similar_by_title(user, title, limit, cohort_id)


def _similar_by_title(user, title, limit, cohort_id):
    terms = sorted(_title_terms(title), key=len, reverse=True)[:12]
    if not terms:
        return []
    stmt = (
        select(Thread)
        .join(Board, Board.id == Thread.board_id)
        .where(or_(*[func.lower(Thread.title).contains(term, autoescape=True) for term in terms]))
        .options(joinedload(Thread.board).joinedload(Board.cohort))
        .order_by(Thread.last_activity_at.desc())
        .limit(100)
    )
    if cohort_id is not None:
        stmt = stmt.where(Board.cohort_id == cohort_id)
    scored = []
    for thread in db.session.execute(visible_threads(stmt, user)).unique().scalars():
        shared = len(terms_in(thread.title, terms))
        scored.append((shared / max(len(terms), 1), thread.last_activity_at, thread))
    scored.sort(key=lambda row: (row[0], row[1]), reverse=True)
    return [thread for _score, _at, thread in scored[:limit]]


def terms_in(text: str, terms) -> list[str]:
    lowered = text.lower()
    return [term for term in terms if term in lowered]
