"""Case briefs, role-play roles, marks on replies and thread summaries."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.utils import utcnow

MARK_KINDS = ("accepted", "endorsed", "key")


class CaseBrief(db.Model):
    """The brief of a case thread, shown above its discussion."""

    __tablename__ = "case_briefs"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), unique=True)
    background: Mapped[str] = mapped_column(Text, default="")
    background_html: Mapped[str] = mapped_column(Text, default="")
    questions: Mapped[str] = mapped_column(Text, default="")
    questions_html: Mapped[str] = mapped_column(Text, default="")
    # Only the cohort's staff see the teaching notes.
    teaching_notes: Mapped[str] = mapped_column(Text, default="")
    teaching_notes_html: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (Index("ix_case_briefs_updated_by_id", "updated_by_id"),)


class CaseMaterial(db.Model):
    """A teaching material linked from a case brief (by id: the library may be absent)."""

    __tablename__ = "case_materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    material_id: Mapped[int] = mapped_column()
    position: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        UniqueConstraint("thread_id", "material_id"),
        Index("ix_case_materials_material_id", "material_id"),
    )


class ThreadRole(db.Model):
    """Role play: a trainee's role in one case thread (e.g. the mayor)."""

    __tablename__ = "thread_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(60))
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped["User"] = relationship(foreign_keys=[user_id])  # noqa: F821

    __table_args__ = (
        UniqueConstraint("thread_id", "user_id"),
        Index("ix_thread_roles_user_id", "user_id"),
        Index("ix_thread_roles_assigned_by_id", "assigned_by_id"),
    )


class PostMark(db.Model):
    """An accepted answer, an instructor's endorsement or a key contribution."""

    __tablename__ = "post_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    # By post only (no thread id): a mark follows its post when threads are merged or split.
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("post_id", "kind"),
        Index("ix_post_marks_marked_by_id", "marked_by_id"),
    )


class ThreadSummary(db.Model):
    """The pinned "conclusions so far" of a research thread, written by its instructors."""

    __tablename__ = "thread_summaries"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), unique=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (Index("ix_thread_summaries_updated_by_id", "updated_by_id"),)
