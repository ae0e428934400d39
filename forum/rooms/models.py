"""Live rooms, their messages and the mutes instructors set in them."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.utils import utcnow


class Room(db.Model):
    __tablename__ = "rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    # A live session of a case or topic thread; its transcript can be appended there.
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(120))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open, closed
    pinned_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("room_messages.id", ondelete="SET NULL", use_alter=True)
    )
    # One message per N seconds per trainee; 0 is off.
    slow_mode_seconds: Mapped[int] = mapped_column(default=0)
    # The first post of the transcript appended to the thread, so it is appended once.
    transcript_post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    cohort: Mapped["Cohort"] = relationship()  # noqa: F821
    thread: Mapped["Thread | None"] = relationship()  # noqa: F821
    created_by: Mapped["User | None"] = relationship()  # noqa: F821
    pinned_message: Mapped["RoomMessage | None"] = relationship(foreign_keys=[pinned_message_id])

    __table_args__ = (
        Index("ix_rooms_cohort_id_status_created_at", "cohort_id", "status", "created_at"),
        Index("ix_rooms_thread_id", "thread_id"),
        Index("ix_rooms_created_by_id", "created_by_id"),
        Index("ix_rooms_pinned_message_id", "pinned_message_id"),
        Index("ix_rooms_transcript_post_id", "transcript_post_id"),
    )

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    def __repr__(self) -> str:
        return f"<Room {self.id} {self.name!r}>"


class RoomMessage(db.Model):
    __tablename__ = "room_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Chosen by the sending client: a resend with the same id is the same message.
    client_id: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("room_messages.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    room: Mapped[Room] = relationship(foreign_keys=[room_id])
    author: Mapped["User | None"] = relationship(foreign_keys=[author_id])  # noqa: F821
    reply_to: Mapped["RoomMessage | None"] = relationship(remote_side=[id], foreign_keys=[reply_to_id])

    __table_args__ = (
        UniqueConstraint("room_id", "author_id", "client_id"),
        Index("ix_room_messages_room_id_id", "room_id", "id"),
        Index("ix_room_messages_author_id_created_at", "author_id", "created_at"),
        Index("ix_room_messages_reply_to_id", "reply_to_id"),
        Index("ix_room_messages_deleted_by_id", "deleted_by_id"),
        Index("ix_room_messages_created_at", "created_at"),
    )

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def __repr__(self) -> str:
        return f"<RoomMessage {self.id} in {self.room_id}>"


class RoomMute(db.Model):
    """A trainee muted in one room until a time (one row per room and user)."""

    __tablename__ = "room_mutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    until: Mapped[datetime] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped["User"] = relationship(foreign_keys=[user_id])  # noqa: F821

    __table_args__ = (
        UniqueConstraint("room_id", "user_id"),
        Index("ix_room_mutes_user_id", "user_id"),
        Index("ix_room_mutes_created_by_id", "created_by_id"),
    )
