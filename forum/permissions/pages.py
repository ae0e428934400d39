"""Permissions of one viewer on one thread page, decided once for the page by calling
the same rules as everywhere else (tests/test_permissions_pages.py compares them)."""

from forum.permissions.cohorts import can_post_anonymously, can_see_anonymous_author, is_muted
from forum.permissions.discussion import (
    can_assign_roles,
    can_change_thread_settings,
    can_edit_case_brief,
    can_view_teaching_notes,
    can_write_staff_note,
    can_write_summary,
    post_markable,
    thread_marks,
)
from forum.permissions.posts import can_see_hidden_posts, post_rights
from forum.permissions.threads import can_moderate_thread, can_reply, can_view_thread
from forum.permissions.viewer import viewer_of


class ThreadPagePermissions:
    """What a viewer may do on one thread page: the thread-level answers once, the
    per-post ones from ``can_edit_post`` / ``can_delete_post``."""

    def __init__(self, user, thread):
        self.viewer = viewer = viewer_of(user)
        cohort = thread.board.cohort
        self.user_id = viewer.id
        self.archived = bool(cohort.archived)
        self.locked = bool(thread.locked)
        self.can_view = can_view_thread(viewer, thread)
        self.can_moderate = can_moderate_thread(viewer, thread)
        self.can_moderate_now = self.can_moderate and not self.archived
        self.can_reply = can_reply(viewer, thread)
        self.can_post_anonymously = can_post_anonymously(viewer, thread.board)
        self.sees_anonymous = can_see_anonymous_author(viewer, cohort)
        self.sees_hidden = can_see_hidden_posts(viewer, thread)
        self.muted = is_muted(viewer, cohort)
        self.posts = post_rights(viewer, thread)

    def can_edit(self, post) -> bool:
        return self.posts.can_edit(post)

    def can_delete(self, post) -> bool:
        return self.posts.can_delete(post)

    def can_quote(self, post) -> bool:
        return self.can_reply and not post.is_deleted and not post.hidden


def thread_page_permissions(user, thread) -> ThreadPagePermissions:
    """The page-level permission flags of a thread page for this viewer."""
    return ThreadPagePermissions(user, thread)


class DiscussionPagePermissions:
    """The discussion actions of one viewer on one thread page; the per-post answers are
    ``can_mark_post`` for this thread's posts."""

    def __init__(self, user, thread):
        self.viewer = viewer = viewer_of(user)
        self.can_settings = can_change_thread_settings(viewer, thread)
        self.can_edit_brief = can_edit_case_brief(viewer, thread)
        self.can_assign_roles = can_assign_roles(viewer, thread)
        self.can_write_summary = can_write_summary(viewer, thread)
        self.can_write_staff_note = can_write_staff_note(viewer, thread)
        self.sees_teaching_notes = can_view_teaching_notes(viewer, thread)
        self._marks = thread_marks(viewer, thread)
        self._posts = post_rights(viewer, thread)
        self.any_tools = self.can_settings

    def may_mark(self, kind: str) -> bool:
        """Whether the viewer gives this kind of mark in this thread at all."""
        return self._marks.get(kind, False)

    def can_mark(self, post, kind: str) -> bool:
        return self._marks.get(kind, False) and post_markable(self._posts, post, kind)


def discussion_page_permissions(user, thread) -> DiscussionPagePermissions:
    """The page-level discussion permission flags of a thread page for this viewer."""
    return DiscussionPagePermissions(user, thread)
