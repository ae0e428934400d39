"""Threads and their posts."""

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.utils import utcnow

THREAD_KINDS = ("discussion", "case", "research", "question")


class Thread(db.Model):
    __tablename__ = "threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="discussion")
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    # The opening post is posted anonymously (its author is hidden from trainees).
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    # Discussion features (forum/discussion): a private question only its author and the
    # cohort's instructors see; "answer before you see" with an optional first-answer due date.
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    answer_first: Mapped[bool] = mapped_column(Boolean, default=False)
    answer_due_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_poster_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    last_post_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    # Replies visible to everyone (the opening post is not a reply).
    reply_count: Mapped[int] = mapped_column(default=0)
    # The highest post number given so far; post numbers never repeat in a thread.
    post_count: Mapped[int] = mapped_column(default=0)
    # Moderation: held back by a watched word until approved (also hidden);
    # the instructor asked to answer; the thread this one was merged into.
    held: Mapped[bool] = mapped_column(Boolean, default=False)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="SET NULL"))

    board: Mapped["Board"] = relationship()  # noqa: F821
    author: Mapped["User | None"] = relationship(foreign_keys=[author_id])  # noqa: F821
    last_poster: Mapped["User | None"] = relationship(foreign_keys=[last_poster_id])  # noqa: F821

    __table_args__ = (
        Index("ix_threads_board_id_pinned_last_activity_at", "board_id", "pinned", "last_activity_at"),
        Index("ix_threads_author_id", "author_id"),
        Index("ix_threads_last_poster_id", "last_poster_id"),
        Index("ix_threads_last_activity_at", "last_activity_at"),
        Index("ix_threads_assigned_to_id", "assigned_to_id"),
        Index("ix_threads_merged_into_id", "merged_into_id"),
    )

    def __repr__(self) -> str:
        return f"<Thread {self.id} {self.title!r}>"


class Post(db.Model):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # 1 for the opening post, then 2, 3, ... in order of posting.
    number: Mapped[int] = mapped_column()
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_reason: Mapped[str] = mapped_column(String(500), default="")
    # A staff-only note inside a thread (forum/discussion): only the cohort's staff see it.
    staff_note: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Moderation: held by a watched word (also hidden until approved); featured.
    held: Mapped[bool] = mapped_column(Boolean, default=False)
    featured: Mapped[bool] = mapped_column(Boolean, default=False)
    featured_at: Mapped[datetime | None] = mapped_column(DateTime)

    thread: Mapped[Thread] = relationship()
    author: Mapped["User | None"] = relationship(foreign_keys=[author_id])  # noqa: F821
    edited_by: Mapped["User | None"] = relationship(foreign_keys=[edited_by_id])  # noqa: F821
    reply_to: Mapped["Post | None"] = relationship(remote_side=[id])

    __table_args__ = (
        UniqueConstraint("thread_id", "number"),
        Index("ix_posts_author_id_created_at", "author_id", "created_at"),
        Index("ix_posts_reply_to_id", "reply_to_id"),
        Index("ix_posts_edited_by_id", "edited_by_id"),
        Index("ix_posts_created_at", "created_at"),
        Index("ix_posts_featured_at", "featured_at"),
    )

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def __repr__(self) -> str:
        return f"<Post {self.id} #{self.number} in {self.thread_id}>"
