"""What people do around posts: revisions, reactions, reading state, notifications
and watch settings."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.utils import utcnow

REACTION_KINDS = ("agree", "thanks", "insightful", "question")
WATCH_LEVELS = ("watch", "normal", "mute")
NOTIFICATION_KINDS = (
    "mention",  # someone wrote @me
    "reply",  # a reply to one of my posts (or to my thread's opening post)
    "quote",  # someone quoted one of my posts
    "post",  # a new post in a thread I watch
    "new_thread",  # a new thread in a board I watch
    "accepted",  # my answer was accepted
    "announcement",  # an instructor's announcement in my cohort
)


class PostRevision(db.Model):
    """One edit of a post: who changed it, when, and the text it had before."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The text before this edit (the version it replaced), sanitized at write time.
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    editor: Mapped["User | None"] = relationship()  # noqa: F821

    __table_args__ = (
        Index("ix_post_revisions_post_id_created_at", "post_id", "created_at"),
        Index("ix_post_revisions_editor_id", "editor_id"),
    )


class Reaction(db.Model):
    """One person's reaction (agree, thanks, ...) to a post."""

    __tablename__ = "reactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("post_id", "user_id", "kind"),
        Index("ix_reactions_user_id_created_at", "user_id", "created_at"),
    )


class ReadState(db.Model):
    """How far one person has read one thread (the highest post number seen)."""

    __tablename__ = "read_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    last_read_number: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("user_id", "thread_id"),
        Index("ix_read_states_thread_id", "thread_id"),
        Index("ix_read_states_updated_at", "updated_at"),
    )


class Notification(db.Model):
    """Something in the forum one person should know about."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The actor wrote anonymously: trainees are shown "Anonymous trainee", never the name.
    actor_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped["User"] = relationship(foreign_keys=[user_id])  # noqa: F821
    actor: Mapped["User | None"] = relationship(foreign_keys=[actor_id])  # noqa: F821
    thread: Mapped["Thread"] = relationship()  # noqa: F821
    post: Mapped["Post | None"] = relationship()  # noqa: F821

    __table_args__ = (
        Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
        Index("ix_notifications_actor_id", "actor_id"),
        Index("ix_notifications_thread_id", "thread_id"),
        Index("ix_notifications_post_id", "post_id"),
    )

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Watch(db.Model):
    """A person's notification level for one thread or one board (watch / normal / mute)."""

    __tablename__ = "watches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    board_id: Mapped[int | None] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(8), default="normal")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("user_id", "thread_id"),
        UniqueConstraint("user_id", "board_id"),
        CheckConstraint("(thread_id IS NULL) <> (board_id IS NULL)", name="one_target"),
        Index("ix_watches_thread_id_level", "thread_id", "level"),
        Index("ix_watches_board_id_level", "board_id", "level"),
    )
