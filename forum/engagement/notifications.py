"""Notifications: who hears of a new post or thread, the notification centre's list,
unread counts, marking read. A notification never names an anonymous author to
someone who may not see it, and nobody hears of content they may not see."""

import logging
import re

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import joinedload

from forum import validation
from forum.accounts.models import User
from forum.cohorts.models import Board, Membership
from forum.engagement import services
from forum.engagement.models import Notification
from forum.errors import NotFound, ServiceError
from forum.extensions import db
from forum.permissions import author_display, can_view_post, can_view_thread
from forum.sanitize import plain_text
from forum.threads.models import Post, Thread
from forum.utils import utcnow

log = logging.getLogger(__name__)

# When one post gives a person several reasons to hear of it, the first kind here wins.
PRIORITY = ("announcement", "mention", "quote", "reply", "accepted", "new_thread", "post")
MARK_READ_MAX = 100
EXCERPT_LENGTH = 140
# A quoted passage ends with a link to its source post (static/js/thread_reply.js writes it).
_QUOTE_SOURCE_RE = re.compile(r"<blockquote>.*?</blockquote>", re.S)
_POST_LINK_RE = re.compile(r'href="/posts/(\d+)(?:[?#][^"]*)?"')


def _users(ids):
    if not ids:
        return {}
    rows = db.session.execute(select(User).where(User.id.in_(list(ids)), User.active.is_(True))).scalars()
    return {user.id: user for user in rows}


def quoted_post_ids(post) -> set[int]:
    """Posts of the same thread that this post quotes: source links inside its quotes,
    and the post it replies to when it opens with a quotation."""
    ids = set()
    for block in _QUOTE_SOURCE_RE.findall(post.body_html or ""):
        ids.update(int(match) for match in _POST_LINK_RE.findall(block))
    if post.reply_to_id is not None and (post.body or "").lstrip().startswith(">"):
        ids.add(post.reply_to_id)
    ids.discard(post.id)
    if not ids:
        return set()
    return set(
        db.session.execute(
            select(Post.id).where(Post.id.in_(ids), Post.thread_id == post.thread_id)
        ).scalars()
    )


def _reasons_for_post(post) -> dict[int, str]:
    """user id -> notification kind for a new post (before permission and level checks)."""
    thread = post.thread
    reasons: dict[int, set[str]] = {}

    def add(user_id, kind):
        if user_id is not None:
            reasons.setdefault(user_id, set()).add(kind)

    if post.number > 1:
        target = post.reply_to if post.reply_to_id is not None else None
        if target is None:
            target = db.session.execute(
                select(Post).where(Post.thread_id == thread.id, Post.number == 1)
            ).scalar_one_or_none()
        if target is not None and not target.is_deleted:
            add(target.author_id, "reply")
        quoted = quoted_post_ids(post)
        if quoted:
            for author_id in db.session.execute(select(Post.author_id).where(Post.id.in_(quoted))).scalars():
                add(author_id, "quote")
        for user_id in services.watchers(thread=thread):
            add(user_id, "post")
    names = services.mentioned_usernames(post.body_html)
    if names:
        for user_id in db.session.execute(select(User.id).where(User.username.in_(names))).scalars():
            add(user_id, "mention")
    if post.number == 1:
        for user_id in services.watchers(board=thread.board):
            add(user_id, "new_thread")
        if getattr(thread.board, "kind", "discussion") == "announcement":
            members = select(Membership.user_id).where(Membership.cohort_id == thread.board.cohort_id)
            for user_id in db.session.execute(members).scalars():
                add(user_id, "announcement")
    reasons.pop(post.author_id, None)
    return {uid: next(k for k in PRIORITY if k in kinds) for uid, kinds in reasons.items()}


def notify_post(post) -> list[int]:
    """Notify everyone who should hear of a new post (or a new thread's opening post);
    returns the ids of the people notified."""
    reasons = _reasons_for_post(post)
    if reasons:
        # Held posts are announced again once approved: nobody hears of one post twice.
        told = db.session.execute(
            select(Notification.user_id).where(Notification.post_id == post.id)
        ).scalars()
        for user_id in set(told):
            reasons.pop(user_id, None)
    if not reasons:
        return []
    thread = post.thread
    levels = services.effective_levels(reasons.keys(), thread)
    users = _users(reasons.keys())
    notified = []
    for user_id, kind in sorted(reasons.items()):
        user = users.get(user_id)
        if user is None or levels.get(user_id) == "mute":
            continue
        if not can_view_post(user, post):
            continue
        db.session.add(
            Notification(
                user_id=user_id,
                kind=kind,
                actor_id=post.author_id,
                actor_anonymous=bool(post.anonymous),
                thread_id=thread.id,
                post_id=post.id,
            )
        )
        notified.append(user_id)
    db.session.flush()
    return notified


def notify_accepted(actor, post) -> list[int]:
    """Tell a post's author that their answer was accepted."""
    thread = post.thread
    author_id = post.author_id
    if author_id is None or actor is None or author_id == actor.id:
        return []
    user = _users([author_id]).get(author_id)
    if user is None or services.effective_levels([author_id], thread)[author_id] == "mute":
        return []
    if not can_view_post(user, post):
        return []
    # The asker of an anonymous question accepts anonymously too.
    anonymous = bool(thread.anonymous and thread.author_id == actor.id)
    db.session.add(
        Notification(
            user_id=author_id,
            kind="accepted",
            actor_id=actor.id,
            actor_anonymous=anonymous,
            thread_id=thread.id,
            post_id=post.id,
        )
    )
    db.session.flush()
    return [author_id]


def prune_for_post(post) -> list[int]:
    """Drop notifications about a post their recipients may no longer see (it was
    deleted, hidden, made staff-only ...); returns whose unread count changed."""
    rows = (
        db.session.execute(
            select(Notification).where(Notification.post_id == post.id).options(joinedload(Notification.user))
        )
        .scalars()
        .all()
    )
    return _drop(rows, lambda user: not post.is_deleted and can_view_post(user, post))


def prune_for_thread(thread) -> list[int]:
    """Drop notifications about a thread their recipients may no longer see."""
    rows = (
        db.session.execute(
            select(Notification)
            .where(Notification.thread_id == thread.id)
            .options(joinedload(Notification.user))
        )
        .scalars()
        .all()
    )
    return _drop(rows, lambda user: can_view_thread(user, thread))


def _drop(rows, still_visible) -> list[int]:
    changed, doomed, verdicts = set(), [], {}
    for row in rows:
        if row.user_id not in verdicts:
            verdicts[row.user_id] = still_visible(row.user)
        if not verdicts[row.user_id]:
            doomed.append(row.id)
            if row.read_at is None:
                changed.add(row.user_id)
    if doomed:
        db.session.execute(delete(Notification).where(Notification.id.in_(doomed)))
        db.session.flush()
    return sorted(changed)


# --- reading the notification centre ---------------------------------------------------------


def unread_count(user) -> int:
    return db.session.execute(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    ).scalar_one()


def notifications_query(user, unread_only: bool = False):
    """The user's notifications, newest first, with what they point at loaded."""
    stmt = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .options(
            joinedload(Notification.actor),
            joinedload(Notification.thread).joinedload(Thread.board).joinedload(Board.cohort),
            joinedload(Notification.post),
        )
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return stmt


def describe(notification, viewer) -> dict:
    """What the centre shows of a notification, as this viewer may see it:
    ``{text, actor_label, actor, excerpt, url, visible}``."""
    thread, post = notification.thread, notification.post
    visible = can_view_post(viewer, post) if post is not None else can_view_thread(viewer, thread)
    shown = author_display(notification, viewer)
    actor, label = shown.user, shown.name
    title = thread.title if visible else _("(no longer available)")
    texts = {
        "mention": _("%(who)s mentioned you in %(thread)s", who=label, thread=title),
        "reply": _("%(who)s replied to your post in %(thread)s", who=label, thread=title),
        "quote": _("%(who)s quoted your post in %(thread)s", who=label, thread=title),
        "post": _("%(who)s posted in %(thread)s", who=label, thread=title),
        "new_thread": _("%(who)s started %(thread)s", who=label, thread=title),
        "accepted": _("%(who)s accepted your answer in %(thread)s", who=label, thread=title),
        "announcement": _("%(who)s made an announcement: %(thread)s", who=label, thread=title),
    }
    excerpt = ""
    if visible and post is not None and not post.is_deleted:
        excerpt = " ".join(plain_text(post.body_html).split())[:EXCERPT_LENGTH]
    url = (f"/posts/{post.id}" if post is not None else f"/threads/{thread.id}") if visible else None
    return {
        "text": texts.get(notification.kind, title),
        "actor_label": label,
        "actor": actor if visible else None,
        "thread_title": title,
        "excerpt": excerpt,
        "url": url,
        "visible": visible,
    }


def get_notification_or_404(user, notification_id):
    """One of the user's own notifications (anyone else's is "not found")."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise NotFound()
    return notification


def mark_read(user, ids=None, everything: bool = False) -> int:
    """Mark some (``ids``) or all of the user's notifications read; returns the unread count."""
    stmt = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if not everything:
        if not isinstance(ids, list | tuple) or not ids:
            raise ServiceError("required", _("Give the notifications to mark (ids) or all."), 400, "ids")
        if len(ids) > MARK_READ_MAX:
            raise ServiceError("too_many", _("At most %(n)d at once.", n=MARK_READ_MAX), 400, "ids")
        ids = [validation.integer(i, "ids", minimum=1, maximum=2_147_483_647) for i in ids]
        stmt = stmt.where(Notification.id.in_(ids))
    db.session.execute(stmt.values(read_at=utcnow()))
    db.session.flush()
    return unread_count(user)
