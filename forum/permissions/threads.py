"""Threads: who reads one (``can_view_thread``) and the same rule in SQL
(``visible_threads``), replying, answer first."""

from sqlalchemy import and_, false, or_, select, true

from forum.cohorts.models import Board
from forum.permissions.cohorts import can_moderate_cohort, can_view_cohort, is_muted
from forum.permissions.viewer import viewer_of
from forum.threads.models import Thread
from forum.utils import utcnow


def can_view_thread(user, thread) -> bool:
    viewer = viewer_of(user)
    cohort = thread.board.cohort
    if not can_view_cohort(viewer, cohort):
        return False
    if thread.private and thread.author_id != viewer.id and not can_moderate_cohort(viewer, cohort):
        # A private question: only its asker and the cohort's staff.
        return False
    if thread.hidden and thread.held and thread.author_id == viewer.id:
        return True  # held for review: its author sees it (marked as waiting)
    return not thread.hidden or can_moderate_cohort(viewer, cohort)


def visible_threads_clause(user, thread_cls=None):
    """SQL condition on Thread equal to ``can_view_thread`` (needs no join)."""

    thread_cls = thread_cls or Thread
    viewer = viewer_of(user)
    if not viewer.signed_in:
        return false()
    visible = viewer.visible_cohort_ids()
    if visible is None:
        return true()
    staff = thread_cls.board_id.in_(
        select(Board.id).where(Board.cohort_id.in_(viewer.moderated_cohort_ids() or [-1])).correlate(None)
    )
    own = thread_cls.author_id == viewer.id
    return and_(
        thread_cls.board_id.in_(select(Board.id).where(Board.cohort_id.in_(visible or [-1])).correlate(None)),
        or_(thread_cls.hidden.is_(False), staff, and_(thread_cls.held.is_(True), own)),
        or_(thread_cls.private.is_(False), own, staff),
    )


def visible_threads(stmt, user):
    """``stmt`` (a select over Thread) narrowed to the threads ``can_view_thread`` allows."""
    return stmt.where(visible_threads_clause(user))


def can_moderate_thread(user, thread) -> bool:
    return can_moderate_cohort(user, thread.board.cohort)


def can_reply(user, thread) -> bool:
    cohort = thread.board.cohort
    if not can_view_thread(user, thread) or cohort.archived or is_muted(user, cohort):
        return False
    return not thread.locked or can_moderate_cohort(user, cohort)


def can_watch_thread(user, thread) -> bool:
    return can_view_thread(user, thread)


def answer_first_applies(user, thread) -> bool:
    """Whether this viewer must post a reply before seeing the thread's other replies.

    The thread's author and the cohort's staff always see everything; once the
    first-answer due date has passed, the thread is open to everyone.
    """
    viewer = viewer_of(user)
    if not thread.answer_first or not viewer.signed_in or thread.author_id == viewer.id:
        return False
    if thread.answer_due_at is not None and thread.answer_due_at <= utcnow():
        return False
    return not can_moderate_thread(viewer, thread)


def has_answered(user, thread) -> bool:
    """The user has a reply in the thread that counts as their own answer."""
    return viewer_of(user).has_answered(thread.id)
