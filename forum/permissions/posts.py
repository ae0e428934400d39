"""Posts: who reads one (``can_view_post``) and the same rule in SQL
(``visible_posts``), editing and deleting, unread counting, and what any surface shows
of the author of a possibly anonymous post or thread (``author_display``)."""

from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, exists, false, or_, select, true
from sqlalchemy.orm import aliased

from forum.cohorts.models import Board
from forum.permissions.cohorts import can_see_anonymous_author, is_muted
from forum.permissions.threads import (
    answer_first_applies,
    can_moderate_thread,
    can_view_thread,
    has_answered,
    visible_threads_clause,
)
from forum.permissions.viewer import answer_conditions, viewer_of
from forum.threads.models import Post, Thread
from forum.utils import utcnow


def can_view_staff_notes(user, thread) -> bool:
    """Staff-only notes inside a thread: the cohort's instructors and admins."""
    return can_moderate_thread(user, thread)


def can_see_hidden_posts(user, thread) -> bool:
    return can_moderate_thread(user, thread)


class PostRights:
    """The post rules of one viewer in one thread: the thread's part is decided once, so
    that a page of posts (or one post) only adds each post's own conditions.
    ``can_view_post``, ``can_edit_post`` and ``can_delete_post`` are these methods."""

    __slots__ = ("viewer", "thread", "sees_thread", "moderator", "archived", "locked", "_muted", "_waiting")

    def __init__(self, viewer, thread):
        self.viewer = viewer
        self.thread = thread
        self.sees_thread = can_view_thread(viewer, thread)
        self.moderator = can_moderate_thread(viewer, thread)
        self.archived = bool(thread.board.cohort.archived)
        self.locked = bool(thread.locked)
        self._muted = None
        self._waiting = None

    def _own(self, post) -> bool:
        return self.viewer.signed_in and post.author_id == self.viewer.id

    @property
    def muted(self) -> bool:
        if self._muted is None:
            self._muted = is_muted(self.viewer, self.thread.board.cohort)
        return self._muted

    def answer_first_allows(self, post) -> bool:
        """Answer before you see: the opening post and one's own posts are always readable."""
        if post.number == 1 or self._own(post):
            return True
        if self._waiting is None:
            self._waiting = answer_first_applies(self.viewer, self.thread) and not has_answered(
                self.viewer, self.thread
            )
        return not self._waiting

    def can_view(self, post) -> bool:
        if not self.sees_thread:
            return False
        if post.staff_note and not self.moderator:  # staff notes: as can_view_staff_notes
            return False
        if not self.answer_first_allows(post):
            return False
        if post.hidden and not self.moderator:
            # The author still sees a hidden post, with the reason it was hidden.
            return self._own(post)
        return True

    def can_edit(self, post) -> bool:
        # The cheap conditions first: on a page of others' posts most answers end there.
        if post.is_deleted or self.archived:
            return False
        if not self.moderator and (self.locked or post.hidden or not self._own(post)):
            return False
        return self.can_view(post) and (self.moderator or not self.muted)

    def can_delete(self, post) -> bool:
        return not is_opening_post(post) and self.can_edit(post)


def post_rights(user, thread) -> PostRights:
    """The post rules of this viewer in this thread (see ``PostRights``)."""
    return PostRights(viewer_of(user), thread)


def answer_first_allows(user, post) -> bool:
    """Answer before you see: the opening post and one's own posts are always readable."""
    return post_rights(user, post.thread).answer_first_allows(post)


def can_view_post(user, post) -> bool:
    return post_rights(user, post.thread).can_view(post)


def _thread_posts_clause(viewer, thread):
    """``can_view_post`` in SQL for the posts of one thread already loaded (a thread page)."""

    if not can_view_thread(viewer, thread):
        return false()
    if can_moderate_thread(viewer, thread):
        return None
    own = Post.author_id == viewer.id
    conditions = [or_(Post.hidden.is_(False), own), Post.staff_note.is_(False)]
    if answer_first_applies(viewer, thread):
        answer = aliased(Post)
        conditions.append(
            or_(Post.number == 1, own, exists().where(*answer_conditions(answer, viewer.id, thread.id)))
        )
    return and_(*conditions)


# One alias for every statement: aliasing Post anew on each call costs more than the
# rest of the condition (the search page builds it for every query).
_ANSWER = aliased(Post, name="answer")


def visible_posts_clause(user):
    """SQL condition on Post equal to ``can_view_post`` across threads (needs no join).
    Deleted posts are the caller's choice."""

    viewer = viewer_of(user)
    if not viewer.signed_in:
        return false()
    if viewer.is_admin:
        return true()
    moderated = viewer.moderated_cohort_ids() or [-1]
    staff = Post.thread_id.in_(
        select(Thread.id)
        .where(Thread.board_id.in_(select(Board.id).where(Board.cohort_id.in_(moderated)).correlate(None)))
        .correlate(None)
    )
    own = Post.author_id == viewer.id
    now = utcnow()
    waiting = (  # threads where answer first holds this viewer back (as answer_first_applies)
        select(Thread.id)
        .where(
            Thread.answer_first.is_(True),
            or_(Thread.author_id.is_(None), Thread.author_id != viewer.id),
            or_(Thread.answer_due_at.is_(None), Thread.answer_due_at > now),
        )
        .correlate(None)
    )
    answered = exists().where(*answer_conditions(_ANSWER, viewer.id, Post.thread_id))
    return and_(
        Post.thread_id.in_(select(Thread.id).where(visible_threads_clause(viewer)).correlate(None)),
        or_(Post.hidden.is_(False), own, staff),
        or_(Post.staff_note.is_(False), staff),
        or_(Post.number == 1, own, staff, Post.thread_id.not_in(waiting), answered),
    )


def visible_posts(stmt, user, thread=None):
    """``stmt`` (a select over Post) narrowed to the posts ``can_view_post`` allows.

    With ``thread``, the statement holds only that thread's posts and the condition is
    the shorter one of a thread page (the thread's own checks are made here in Python).
    """
    viewer = viewer_of(user)
    clause = _thread_posts_clause(viewer, thread) if thread is not None else visible_posts_clause(viewer)
    return stmt if clause is None else stmt.where(clause)


def is_opening_post(post) -> bool:
    """The opening post carries the thread: it is never deleted on its own (a moderator
    hides the thread instead)."""
    return post.number == 1


def can_edit_post(user, post) -> bool:
    return post_rights(user, post.thread).can_edit(post)


def can_delete_post(user, post) -> bool:
    return post_rights(user, post.thread).can_delete(post)


def can_rename_thread(user, thread, opening) -> bool:
    """Rename a thread: its moderators, or whoever may edit its opening post (``opening``);
    never in an archived cohort."""
    if thread.board.cohort.archived:
        return False
    rights = post_rights(user, thread)
    return rights.moderator or (opening is not None and rights.can_edit(opening))


def can_react(user, post) -> bool:
    """React to a post one may see: not one's own, not a removed one, not when archived."""
    viewer = viewer_of(user)
    if not viewer.signed_in or post.author_id == viewer.id:
        return False
    if post.is_deleted or post.hidden or post.thread.board.cohort.archived:
        return False
    return can_view_post(viewer, post)


def can_view_revisions(user, post) -> bool:
    """Earlier versions of a post and who edited it: its author and the cohort's staff."""
    viewer = viewer_of(user)
    if not can_view_post(viewer, post):
        return False
    return can_moderate_thread(viewer, post.thread) or post.author_id == viewer.id


# --- unread counting ---------------------------------------------------------------------


def counted_posts_clause(post_cls, board_cls, *, everything: bool):
    """SQL filter: posts that count as unread for the user (never deleted ones; hidden
    posts and staff notes only for the cohort's staff; in an answer-first thread, the
    others' replies only once the user may read them). The statement joins Thread.

    The user's values are bind parameters, given by ``counted_posts_params(user)``, so that
    a statement using the filter is built once (building it costs more than running it);
    ``everything`` is that dictionary's value of the same name (an admin's filter)."""

    clause = post_cls.deleted_at.is_(None)
    if everything:
        return clause
    user_id = bindparam("counted_user_id")
    readable = or_(  # as answer_first_allows
        Thread.answer_first.is_(False),
        post_cls.number == 1,
        Thread.author_id == user_id,
        and_(Thread.answer_due_at.is_not(None), Thread.answer_due_at <= bindparam("counted_now")),
        exists().where(*answer_conditions(aliased(Post), user_id, Thread.id)),
    )
    ordinary = post_cls.hidden.is_(False) & post_cls.staff_note.is_(False) & readable
    return clause & or_(board_cls.cohort_id.in_(bindparam("counted_moderated", expanding=True)), ordinary)


def counted_posts_params(user) -> dict:
    """The bind parameters of ``counted_posts_clause`` for this signed-in user."""
    viewer = viewer_of(user)
    moderated = viewer.moderated_cohort_ids()
    return {
        "everything": moderated is None,
        "counted_user_id": viewer.id,
        "counted_moderated": moderated or [-1],
        "counted_now": utcnow(),
    }


# --- authors ---------------------------------------------------------------------------


class AuthorDisplay(NamedTuple):
    """What a surface shows of an author: ``user`` is the account to name or link (None
    when the author is anonymous to this viewer, or the account was removed)."""

    user: object | None
    name: str
    anonymous: bool
    concealed: bool
    removed: bool

    @property
    def username(self) -> str | None:
        return self.user.username if self.user is not None else None


def _conceals(anonymous: bool, thread, viewer, sees_anonymous: bool | None) -> bool:
    if not anonymous:
        return False
    if sees_anonymous is None:
        sees_anonymous = can_see_anonymous_author(viewer, thread.board.cohort)
    return not sees_anonymous


def author_concealed(post, viewer, *, sees_anonymous: bool | None = None) -> bool:
    """Whether ``author_display`` hides who wrote this post from the viewer (without
    loading the author): anything naming the author, such as a role label, hides too."""
    return _conceals(bool(post.anonymous), post.thread, viewer, sees_anonymous)


def author_display(item, viewer, *, last: bool = False, sees_anonymous: bool | None = None) -> AuthorDisplay:
    """The author of a post or thread (``last``: a thread's last poster; a notification:
    its actor) as this viewer may see them. Staff see the real author of an anonymous
    post, marked anonymous; everyone else sees "Anonymous trainee".

    ``sees_anonymous`` is the viewer's ``can_see_anonymous_author`` for the item's cohort
    when the caller has decided it already for a whole page."""
    if hasattr(item, "actor_anonymous"):
        thread, anonymous, person = item.thread, bool(item.actor_anonymous), "actor"
    elif last:
        thread, anonymous, person = item, bool(item.last_post_anonymous), "last_poster"
    else:
        thread, anonymous, person = getattr(item, "thread", item), bool(item.anonymous), "author"
    if _conceals(anonymous, thread, viewer, sees_anonymous):
        return AuthorDisplay(None, _("Anonymous trainee"), True, True, False)
    user = getattr(item, person)
    if user is None:
        return AuthorDisplay(None, _("Former member"), anonymous, False, True)
    return AuthorDisplay(user, user.display_name, anonymous, False, False)
