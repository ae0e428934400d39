"""What the thread page shows of moderation, decided once per page (never per post in
the template): report / feature links, the restructuring tools, the assignee."""

from forum.accounts.models import User
from forum.extensions import db
from forum.permissions import can_restructure_thread, can_view_thread
from forum.threads.models import Thread


class ThreadModeration:
    """Moderation flags of one thread page for one viewer."""

    def __init__(self, user, thread):
        cohort = thread.board.cohort
        self.user_id = getattr(user, "id", None)
        self.archived = bool(cohort.archived)
        self.can_restructure = can_restructure_thread(user, thread)
        self.can_feature = self.can_restructure
        # Anyone who can read the thread (and is not its author) may report a post in it;
        # the per-post answer below matches can_report_post for this thread's posts.
        self._may_report = self.user_id is not None and not self.archived
        self.assignee = None
        if thread.assigned_to_id and self.can_restructure:
            self.assignee = db.session.get(User, thread.assigned_to_id)

    def can_report(self, post) -> bool:
        return self._may_report and not post.is_deleted and post.author_id != self.user_id

    def can_feature_post(self, post) -> bool:
        return self.can_feature and not post.hidden and not post.is_deleted


def thread_moderation(user, thread) -> ThreadModeration:
    return ThreadModeration(user, thread)


def merged_target(thread_id: int, viewer):
    """Where a merged thread now lives (following chains), if the viewer may see it."""
    thread = db.session.get(Thread, thread_id)
    seen = set()
    while thread is not None and thread.merged_into_id and thread.id not in seen:
        seen.add(thread.id)
        thread = db.session.get(Thread, thread.merged_into_id)
    if not seen or thread is None:
        return None

    return thread if can_view_thread(viewer, thread) else None
