"""Every feature's models, imported in one place for Alembic and `flask shell`."""

from forum.accounts.models import LoginFailure, User
from forum.cohorts.models import Board, Cohort, Membership
from forum.moderation.models import AuditEntry
from forum.threads.models import Post, Thread

__all__ = ["AuditEntry", "Board", "Cohort", "LoginFailure", "Membership", "Post", "Thread", "User"]
