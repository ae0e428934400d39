"""Who may do what: the one place where access is decided.

Views, the JSON API, socket events, the CLI and templates (as Jinja globals) all ask
these functions. ``can_*`` answer a question; ``get_*_or_404`` look an object up
from an id sent by a client and refuse it (as "not found", so that existence does
not leak) when the user may not see it.
"""

from flask_login import AnonymousUserMixin

from forum.errors import NotFound
from forum.extensions import db


def _signed_in(user) -> bool:
    return user is not None and not isinstance(user, AnonymousUserMixin) and user.is_authenticated


def cohort_role(user, cohort_id: int) -> str | None:
    """The user's membership role in a cohort ("instructor", "trainee") or None."""
    if not _signed_in(user):
        return None
    return user.cohort_roles.get(cohort_id)


def visible_cohort_ids(user) -> list[int] | None:
    """Cohort ids whose content the user may read; None means every cohort (admins)."""
    if not _signed_in(user):
        return []
    if user.is_admin:
        return None
    return sorted(user.cohort_roles)


def moderated_cohort_ids(user) -> list[int] | None:
    """Cohort ids where the user moderates; None means every cohort (admins)."""
    if not _signed_in(user):
        return []
    if user.is_admin:
        return None
    return sorted(cid for cid, role in user.cohort_roles.items() if role == "instructor")


# --- site -----------------------------------------------------------------------------


def can_manage_site(user) -> bool:
    """Create users and cohorts, change memberships anywhere, site settings."""
    return _signed_in(user) and user.is_admin


# --- cohorts and boards ------------------------------------------------------------------


def can_view_cohort(user, cohort) -> bool:
    if not _signed_in(user):
        return False
    return user.is_admin or cohort.id in user.cohort_roles


def can_moderate_cohort(user, cohort) -> bool:
    """Instructors of the cohort and admins moderate it (archived or not)."""
    if not _signed_in(user):
        return False
    return user.is_admin or user.cohort_roles.get(cohort.id) == "instructor"


def can_write_in_cohort(user, cohort) -> bool:
    """Any write by a member: refused everywhere once a cohort is archived."""
    return can_view_cohort(user, cohort) and not cohort.archived


def can_manage_cohort(user, cohort) -> bool:
    """Add boards and rooms, enrol members: the cohort's instructors and admins."""
    return can_moderate_cohort(user, cohort) and not cohort.archived


def can_manage_members(user, cohort) -> bool:
    return can_manage_cohort(user, cohort)


def can_view_board(user, board) -> bool:
    return can_view_cohort(user, board.cohort)


def can_manage_board(user, board) -> bool:
    return can_manage_cohort(user, board.cohort)


def can_create_thread(user, board) -> bool:
    return can_write_in_cohort(user, board.cohort)


def can_post_anonymously(user, board) -> bool:
    """Anonymity protects trainees' candour; staff always post under their name."""
    return (
        board.anonymous_allowed
        and can_write_in_cohort(user, board.cohort)
        and cohort_role(user, board.cohort_id) == "trainee"
    )


# --- threads and posts ---------------------------------------------------------------


def can_view_thread(user, thread) -> bool:
    cohort = thread.board.cohort
    if not can_view_cohort(user, cohort):
        return False
    return not thread.hidden or can_moderate_cohort(user, cohort)


def can_moderate_thread(user, thread) -> bool:
    return can_moderate_cohort(user, thread.board.cohort)


def can_reply(user, thread) -> bool:
    cohort = thread.board.cohort
    if not can_view_thread(user, thread) or cohort.archived:
        return False
    return not thread.locked or can_moderate_cohort(user, cohort)


def can_view_post(user, post) -> bool:
    if not can_view_thread(user, post.thread):
        return False
    if post.hidden and not can_moderate_thread(user, post.thread):
        # The author still sees a hidden post, with the reason it was hidden.
        return _signed_in(user) and post.author_id == user.id
    return True


def can_see_hidden_posts(user, thread) -> bool:
    return can_moderate_thread(user, thread)


def can_see_anonymous_author(user, cohort) -> bool:
    return can_moderate_cohort(user, cohort)


def can_edit_post(user, post) -> bool:
    thread = post.thread
    if post.is_deleted or not can_view_post(user, post) or thread.board.cohort.archived:
        return False
    if can_moderate_thread(user, thread):
        return True
    return post.author_id == user.id and not thread.locked and not post.hidden


def can_delete_post(user, post) -> bool:
    return can_edit_post(user, post)


# --- lookups from client-sent ids ------------------------------------------------------


def get_cohort_or_404(slug: str, for_user):
    from forum.cohorts.models import Cohort

    cohort = db.session.execute(db.select(Cohort).filter_by(slug=slug)).scalar_one_or_none()
    if cohort is None or not can_view_cohort(for_user, cohort):
        raise NotFound()
    return cohort


def get_board_or_404(board_id: int, for_user):
    from forum.cohorts.models import Board

    board = db.session.get(Board, board_id)
    if board is None or not can_view_board(for_user, board):
        raise NotFound()
    return board


def get_thread_or_404(thread_id: int, for_user):
    from forum.threads.models import Thread

    thread = db.session.get(Thread, thread_id)
    if thread is None or not can_view_thread(for_user, thread):
        raise NotFound()
    return thread


def get_post_or_404(post_id: int, for_user):
    from forum.threads.models import Post

    post = db.session.get(Post, post_id)
    if post is None or not can_view_post(for_user, post):
        raise NotFound()
    return post


def get_user_or_404(username: str, for_user):
    """Users are visible to the site's members; only admins list everybody."""
    from forum.accounts.models import User

    user = db.session.execute(
        db.select(User).filter_by(username=username.lower())
    ).scalar_one_or_none()
    if user is None or not _signed_in(for_user):
        raise NotFound()
    return user


JINJA_GLOBALS = {
    name: value
    for name, value in dict(globals()).items()
    if name.startswith(("can_", "cohort_role"))
}
