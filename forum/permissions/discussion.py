"""Discussion features: case threads, answer first, private questions, staff notes, marks."""

from forum.permissions.cohorts import can_create_thread
from forum.permissions.posts import post_rights
from forum.permissions.threads import can_moderate_thread, can_view_thread
from forum.permissions.viewer import viewer_of


def _cohort_open(thread) -> bool:
    return not thread.board.cohort.archived


def can_write_staff_note(user, thread) -> bool:
    return can_moderate_thread(user, thread) and _cohort_open(thread)


def can_view_teaching_notes(user, thread) -> bool:
    """A case brief's teaching notes are for the cohort's staff only."""
    return can_moderate_thread(user, thread)


def can_change_thread_settings(user, thread) -> bool:
    """Answer first, its due date, private or not: the cohort's staff."""
    return can_moderate_thread(user, thread) and _cohort_open(thread)


def can_edit_case_brief(user, thread) -> bool:
    return thread.kind == "case" and can_change_thread_settings(user, thread)


def can_assign_roles(user, thread) -> bool:
    """Role play: the cohort's staff give trainees a role in a case thread."""
    return thread.kind == "case" and can_change_thread_settings(user, thread)


def can_write_summary(user, thread) -> bool:
    """The pinned "conclusions so far" of a research (or case) thread."""
    return thread.kind in ("research", "case") and can_change_thread_settings(user, thread)


def can_ask_privately(user, board) -> bool:
    """A question only the asker and the cohort's staff see."""
    return can_create_thread(user, board)


def _markable(post) -> bool:
    return post.number > 1 and not post.is_deleted and not post.hidden and not post.staff_note


def thread_marks(user, thread) -> dict[str, bool]:
    """Which kinds of mark the viewer gives in this thread at all (before the post's own
    conditions): the asker accepts in a question thread, the staff endorse and mark."""
    viewer = viewer_of(user)
    settings = can_change_thread_settings(viewer, thread)
    asker = (
        thread.kind == "question"
        and _cohort_open(thread)
        and viewer.signed_in
        and thread.author_id == viewer.id
        and can_view_thread(viewer, thread)
    )
    return {
        "accepted": thread.kind == "question" and (settings or asker),
        "endorsed": settings,
        "key": thread.kind in ("research", "case") and settings,
    }


def can_mark_post(user, post, kind: str) -> bool:
    """One entry point for the three marks ("accepted", "endorsed", "key")."""
    viewer = viewer_of(user)
    return thread_marks(viewer, post.thread).get(kind, False) and post_markable(
        post_rights(viewer, post.thread), post, kind
    )


def post_markable(rights, post, kind: str) -> bool:
    """The post's own part of ``can_mark_post``, given the viewer's ``post_rights`` in its
    thread: a live, visible reply; the asker accepts only a reply they can read."""
    return _markable(post) and (kind != "accepted" or rights.moderator or rights.can_view(post))


def can_accept_answer(user, post) -> bool:
    """Question threads: the asker or the cohort's staff accept one reply."""
    return can_mark_post(user, post, "accepted")


def can_endorse_post(user, post) -> bool:
    """The cohort's staff endorse any reply."""
    return can_mark_post(user, post, "endorsed")


def can_mark_key_contribution(user, post) -> bool:
    return can_mark_post(user, post, "key")
