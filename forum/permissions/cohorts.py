"""The site, cohorts and boards: who reads, writes in, moderates and manages them."""

from sqlalchemy import false

from forum.cohorts.models import Cohort
from forum.permissions.viewer import viewer_of


def cohort_role(user, cohort_id: int) -> str | None:
    """The user's membership role in a cohort ("instructor", "trainee") or None."""
    return viewer_of(user).role(cohort_id)


def visible_cohort_ids(user) -> list[int] | None:
    """Cohort ids whose content the user may read; None means every cohort (admins)."""
    return viewer_of(user).visible_cohort_ids()


def moderated_cohort_ids(user) -> list[int] | None:
    """Cohort ids where the user moderates; None means every cohort (admins)."""
    return viewer_of(user).moderated_cohort_ids()


def is_muted(user, cohort) -> bool:
    """A trainee muted in the cohort right now: may read, may not post or chat."""
    return viewer_of(user).is_muted(getattr(cohort, "id", cohort))


# --- site -----------------------------------------------------------------------------


def can_manage_site(user) -> bool:
    """Create users and cohorts, change memberships anywhere, site settings."""
    return viewer_of(user).is_admin


# --- cohorts and boards ------------------------------------------------------------------


def can_view_cohort(user, cohort) -> bool:
    return viewer_of(user).is_member(cohort.id)


def visible_cohorts(stmt, user):
    """``stmt`` (a select over Cohort) narrowed to the cohorts ``can_view_cohort`` allows."""

    ids = visible_cohort_ids(user)
    if ids is None:
        return stmt
    return stmt.where(Cohort.id.in_(ids) if ids else false())


def can_moderate_cohort(user, cohort) -> bool:
    """Instructors of the cohort and admins moderate it (archived or not)."""
    return viewer_of(user).moderates(cohort.id)


def can_write_in_cohort(user, cohort) -> bool:
    """Any write by a member: refused everywhere once a cohort is archived."""
    return can_view_cohort(user, cohort) and not cohort.archived


def can_manage_cohort(user, cohort) -> bool:
    """Add boards and rooms, enrol members: the cohort's instructors and admins."""
    return can_moderate_cohort(user, cohort) and not cohort.archived


def can_view_board(user, board) -> bool:
    return can_view_cohort(user, board.cohort)


def can_manage_board(user, board) -> bool:
    return can_manage_cohort(user, board.cohort)


def can_create_thread(user, board) -> bool:
    if is_muted(user, board.cohort):
        return False
    if getattr(board, "kind", "discussion") == "announcement":
        # Announcement boards: only the cohort's instructors (and admins) start threads.
        return can_manage_board(user, board)
    return can_write_in_cohort(user, board.cohort)


def can_post_anonymously(user, board) -> bool:
    """Anonymity protects trainees' candour; staff always post under their name."""
    return (
        board.anonymous_allowed
        and can_write_in_cohort(user, board.cohort)
        and cohort_role(user, board.cohort_id) == "trainee"
    )


def can_see_anonymous_author(user, cohort) -> bool:
    return can_moderate_cohort(user, cohort)


def can_mention_in(user, cohort) -> bool:
    """List a cohort's members to @mention them: the cohort's own members (and admins)."""
    return can_view_cohort(user, cohort)


def can_watch_board(user, board) -> bool:
    return can_view_board(user, board)
