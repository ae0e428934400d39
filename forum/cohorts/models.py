"""Cohorts (classes), who is in them, and their boards."""

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.utils import utcnow

COHORT_KINDS = ("national", "special", "foreign", "course")
COHORT_LANGUAGES = ("zh", "en")
MEMBERSHIP_ROLES = ("instructor", "trainee")
BOARD_KINDS = ("discussion", "announcement")


class Cohort(db.Model):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    year: Mapped[int | None] = mapped_column()
    language: Mapped[str] = mapped_column(String(8), default="zh")
    description: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    boards: Mapped[list["Board"]] = relationship(
        back_populates="cohort", order_by="Board.position, Board.id"
    )

    def __repr__(self) -> str:
        return f"<Cohort {self.slug}>"


class Membership(db.Model):
    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship()
    user: Mapped["User"] = relationship()  # noqa: F821

    __table_args__ = (
        UniqueConstraint("cohort_id", "user_id"),
        Index("ix_memberships_user_id", "user_id"),
    )


class Board(db.Model):
    __tablename__ = "boards"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    # Trainees may post "anonymous to classmates" here; instructors still see names.
    anonymous_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    # "discussion", or "announcement": only instructors start threads there (forum/discussion).
    kind: Mapped[str] = mapped_column(String(16), default="discussion")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="boards")

    __table_args__ = (Index("ix_boards_cohort_id_position", "cohort_id", "position"),)

    def __repr__(self) -> str:
        return f"<Board {self.id} {self.name!r}>"
