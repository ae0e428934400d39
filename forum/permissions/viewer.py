"""The reader the rules ask about: who is signed in, their roles per cohort, their
running mutes and the answer-first threads they have answered, loaded once per request
(or socket event) and read by every rule."""

from datetime import datetime

from flask import g, has_app_context
from flask_login import AnonymousUserMixin
from sqlalchemy import event, exists, select
from sqlalchemy.orm import Session

from forum.extensions import db
from forum.moderation.models import Mute
from forum.threads.models import Post
from forum.utils import utcnow


def _signed_in(user) -> bool:
    if isinstance(user, Viewer):
        return user.signed_in
    return user is not None and not isinstance(user, AnonymousUserMixin) and user.is_authenticated


class Viewer:
    """What the rules need to know about one reader.

    Roles come from ``user.cohort_roles`` (cached on the user object, forgotten when a
    membership changes); mutes and answers are cached in the app context (one request or
    socket event) and forgotten when a mute changes or the session commits.
    """

    __slots__ = ("user", "signed_in", "id", "is_admin")

    def __init__(self, user):
        self.user = user
        self.signed_in = _signed_in(user)
        self.id = user.id if self.signed_in else None
        self.is_admin = bool(self.signed_in and user.is_admin)

    @property
    def roles(self) -> dict[int, str]:
        return self.user.cohort_roles if self.signed_in else {}

    def role(self, cohort_id) -> str | None:
        return self.roles.get(cohort_id) if self.signed_in else None

    def is_member(self, cohort_id) -> bool:
        return self.signed_in and (self.is_admin or cohort_id in self.roles)

    def moderates(self, cohort_id) -> bool:
        return self.signed_in and (self.is_admin or self.roles.get(cohort_id) == "instructor")

    def visible_cohort_ids(self) -> list[int] | None:
        """Cohort ids whose content the reader may read; None means every cohort (admins)."""
        if not self.signed_in:
            return []
        return None if self.is_admin else sorted(self.roles)

    def moderated_cohort_ids(self) -> list[int] | None:
        """Cohort ids where the reader moderates; None means every cohort (admins)."""
        if not self.signed_in:
            return []
        return None if self.is_admin else sorted(c for c, role in self.roles.items() if role == "instructor")

    def mutes(self) -> dict[int, datetime]:
        """Cohort id -> end of the reader's running mute there."""
        return load_mutes(self.user) if self.signed_in else {}

    def is_muted(self, cohort_id) -> bool:
        """A trainee muted in the cohort right now (admins and staff are never muted)."""
        if not self.signed_in or self.is_admin or self.roles.get(cohort_id) != "trainee":
            return False
        until = self.mutes().get(cohort_id)
        return until is not None and until > utcnow()

    def has_answered(self, thread_id) -> bool:
        """The reader has a reply in the thread that counts as their own answer."""
        if not self.signed_in:
            return False
        cache = g.setdefault("_answered", {}) if has_app_context() else {}
        key = (self.id, thread_id)
        if key not in cache:
            cache[key] = db.session.execute(
                select(exists().where(*answer_conditions(Post, self.id, thread_id)))
            ).scalar_one()
        return cache[key]


def viewer_of(user) -> Viewer:
    """The reader's viewer object, built once per user object and app context."""
    if isinstance(user, Viewer):
        return user
    if user is None or not has_app_context():
        return Viewer(user)
    viewers = g.setdefault("_viewers", {})
    # Keyed by the object: the viewer holds it, so the key cannot be reused meanwhile.
    viewer = viewers.get(id(user))
    if viewer is None or viewer.user is not user:
        viewer = viewers[id(user)] = Viewer(user)
    return viewer


def load_mutes(user) -> dict[int, datetime]:
    """Cohort id -> end of the user's running mute there.

    Loaded once per user and app context (a request, a socket event), so a page that asks
    many permission questions runs one query; ``forget_mutes`` drops it after a change.
    """
    cache = g.setdefault("_active_mutes", {}) if has_app_context() else {}
    cached = cache.get(user.id)
    if cached is None:
        rows = db.session.execute(
            select(Mute.cohort_id, Mute.until).where(
                Mute.user_id == user.id, Mute.lifted_at.is_(None), Mute.until > utcnow()
            )
        ).all()
        cached = {}
        for cohort_id, until in rows:
            cached[cohort_id] = max(until, cached.get(cohort_id, until))
        cache[user.id] = cached
    return cached


def forget_mutes(user) -> None:
    if has_app_context():
        g.get("_active_mutes", {}).pop(user.id, None)


def answer_conditions(post_cls, user_id, thread_id):
    """A post that counts as a trainee's answer: a visible reply of theirs, not deleted."""
    return (
        post_cls.thread_id == thread_id,
        post_cls.author_id == user_id,
        post_cls.number > 1,
        post_cls.deleted_at.is_(None),
        post_cls.hidden.is_(False),
        post_cls.staff_note.is_(False),
    )


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_answers(*_args) -> None:
    # A reply just written (or rolled back) changes who has answered.
    if has_app_context():
        g.pop("_answered", None)
