"""Moderation: the append-only audit log, the review queue (reports and held content),
mutes, warnings and the site's watched words."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from forum.extensions import db
from forum.utils import utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The cohort the target belongs to, so instructors can read their cohorts' log.
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[int | None] = mapped_column()
    reason: Mapped[str] = mapped_column(String(500), default="")
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    actor: Mapped["User | None"] = relationship()  # noqa: F821
    cohort: Mapped["Cohort | None"] = relationship()  # noqa: F821

    __table_args__ = (
        Index("ix_audit_entries_cohort_id_created_at", "cohort_id", "created_at"),
        Index("ix_audit_entries_actor_id", "actor_id"),
        Index("ix_audit_entries_created_at", "created_at"),
    )


class AuditLogImmutable(RuntimeError):
    """Raised when code tries to change or remove an audit row."""


@event.listens_for(AuditEntry, "before_update")
def _refuse_audit_update(_mapper, _connection, target):
    """The audit log is append-only: an ORM update of a row is a programming error."""
    raise AuditLogImmutable(f"audit entry {target.id} cannot be changed")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_audit_delete(_mapper, _connection, target):
    """The audit log is append-only: an ORM delete of a row is a programming error."""
    raise AuditLogImmutable(f"audit entry {target.id} cannot be deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_audit_writes(state):
    """Bulk ``update(AuditEntry)`` / ``delete(AuditEntry)`` through a session are refused too."""
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) == AuditEntry.__tablename__:
        raise AuditLogImmutable("audit entries cannot be changed or deleted")


class ReviewItem(db.Model):
    """One entry of a cohort's moderation queue: a trainee's report of a post, or
    content held back by a watched word until an instructor approves it."""

    __tablename__ = "review_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # report, held
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    # "post" (post_id set) or another feature's content, e.g. "roommessage".
    target_type: Mapped[str] = mapped_column(String(32), default="post")
    target_id: Mapped[int] = mapped_column()
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    # The reporter (reports) or the author of the held content.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(500), default="")
    # open, dismissed, hidden, warned, approved, rejected
    status: Mapped[str] = mapped_column(String(16), default="open")
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolution: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    post: Mapped["Post | None"] = relationship()  # noqa: F821
    user: Mapped["User | None"] = relationship(foreign_keys=[user_id])  # noqa: F821
    resolved_by: Mapped["User | None"] = relationship(foreign_keys=[resolved_by_id])  # noqa: F821

    __table_args__ = (
        Index("ix_review_items_cohort_id_status_created_at", "cohort_id", "status", "created_at"),
        Index("ix_review_items_post_id", "post_id"),
        Index("ix_review_items_user_id", "user_id"),
        Index("ix_review_items_resolved_by_id", "resolved_by_id"),
        Index("ix_review_items_target", "target_type", "target_id"),
    )

    @property
    def is_open(self) -> bool:
        return self.status == "open"


class Mute(db.Model):
    """A trainee may read but not post or chat in a cohort until ``until``."""

    __tablename__ = "mutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    muted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(500), default="")
    until: Mapped[datetime] = mapped_column(DateTime)
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped["User"] = relationship(foreign_keys=[user_id])  # noqa: F821
    muted_by: Mapped["User | None"] = relationship(foreign_keys=[muted_by_id])  # noqa: F821

    __table_args__ = (
        Index("ix_mutes_user_id_cohort_id_until", "user_id", "cohort_id", "until"),
        Index("ix_mutes_cohort_id_created_at", "cohort_id", "created_at"),
        Index("ix_mutes_muted_by_id", "muted_by_id"),
    )


class ConductWarning(db.Model):
    """A message from an instructor to a trainee about their conduct."""

    __tablename__ = "warnings"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(String(1000))
    seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    cohort: Mapped["Cohort"] = relationship()  # noqa: F821
    user: Mapped["User"] = relationship(foreign_keys=[user_id])  # noqa: F821
    issued_by: Mapped["User | None"] = relationship(foreign_keys=[issued_by_id])  # noqa: F821
    post: Mapped["Post | None"] = relationship()  # noqa: F821

    __table_args__ = (
        Index("ix_warnings_user_id_created_at", "user_id", "created_at"),
        Index("ix_warnings_cohort_id", "cohort_id"),
        Index("ix_warnings_issued_by_id", "issued_by_id"),
        Index("ix_warnings_post_id", "post_id"),
    )


WATCH_ACTIONS = ("hold", "block", "replace")


class WatchedWord(db.Model):
    """A site-wide watched word or pattern and what happens to text that contains it."""

    __tablename__ = "watched_words"

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(200))
    # A regular expression instead of a plain (case-insensitive) word.
    is_regex: Mapped[bool] = mapped_column(Boolean, default=False)
    action: Mapped[str] = mapped_column(String(16))
    replacement: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        Index("ix_watched_words_word", "word"),
        Index("ix_watched_words_created_by_id", "created_by_id"),
    )
