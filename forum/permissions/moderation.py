"""Moderation and reports: mutes, the review queue, moving threads, the audit log,
participation."""

from forum.permissions.cohorts import (
    can_manage_cohort,
    can_manage_site,
    can_moderate_cohort,
    cohort_role,
)
from forum.permissions.posts import can_view_post
from forum.permissions.threads import can_moderate_thread
from forum.permissions.viewer import viewer_of


def can_mute_in_cohort(user, cohort) -> bool:
    """Mute and unmute trainees, warn them: the cohort's instructors and admins."""
    return can_manage_cohort(user, cohort)


def can_be_muted(user, cohort) -> bool:
    """Only trainees can be muted (staff are never silenced in their own cohort)."""
    viewer = viewer_of(user)
    return viewer.signed_in and not viewer.is_admin and cohort_role(viewer, cohort.id) == "trainee"


def can_report_post(user, post) -> bool:
    """Any member who sees a post may report it, except its own author."""
    viewer = viewer_of(user)
    return (
        can_view_post(viewer, post)
        and not post.is_deleted
        and post.author_id != viewer.id
        and not post.thread.board.cohort.archived
    )


def can_work_queue(user, cohort) -> bool:
    """Read and resolve a cohort's reports and held content."""
    return can_moderate_cohort(user, cohort)


def can_feature_post(user, post) -> bool:
    return can_moderate_thread(user, post.thread) and not post.thread.board.cohort.archived


def can_move_thread(user, thread, board=None) -> bool:
    """Moderators move within their cohort; only admins move a thread to another cohort."""
    if not can_moderate_thread(user, thread) or thread.board.cohort.archived:
        return False
    if board is None:
        return True
    if board.cohort_id != thread.board.cohort_id:
        return can_manage_site(user) and not board.cohort.archived
    return True


def can_restructure_thread(user, thread) -> bool:
    """Merge, split and assign threads: the cohort's moderators while it is open."""
    return can_moderate_thread(user, thread) and not thread.board.cohort.archived


def can_be_assigned(user, cohort) -> bool:
    """A thread is assigned to one of the cohort's instructors."""
    return cohort_role(user, cohort.id) == "instructor"


def can_view_audit(user, cohort=None) -> bool:
    """A cohort's audit log: its instructors and admins; the whole site's log: admins."""
    if cohort is None:
        return can_manage_site(user)
    return can_moderate_cohort(user, cohort)


def can_manage_watched_words(user) -> bool:
    return can_manage_site(user)


def can_view_participation(user, cohort) -> bool:
    """The participation report (teaching inspection): the cohort's instructors, admins."""
    return can_moderate_cohort(user, cohort)
