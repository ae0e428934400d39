"""Every feature's models, imported in one place for Alembic and `flask shell`."""

from forum.accounts.models import LoginFailure, User
from forum.admin.models import SiteSetting  # noqa: F401
from forum.cohorts.models import Board, Cohort, Membership
from forum.courses.models import Course  # noqa: F401
from forum.discussion.models import CaseBrief, CaseMaterial, PostMark, ThreadRole, ThreadSummary  # noqa: F401
from forum.engagement.models import Notification, PostRevision, Reaction, ReadState, Watch  # noqa: F401
from forum.materials.models import Material, MaterialCitation, MaterialPage  # noqa: F401
from forum.moderation.models import AuditEntry, ConductWarning, Mute, ReviewItem, WatchedWord  # noqa: F401
from forum.rooms.models import Room, RoomMessage, RoomMute  # noqa: F401
from forum.search.models import IndexJob  # noqa: F401
from forum.threads.models import Post, Thread

__all__ = ["AuditEntry", "Board", "Cohort", "LoginFailure", "Membership", "Post", "Thread", "User"]
