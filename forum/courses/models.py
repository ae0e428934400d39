"""The college's course catalogue (materials name their course)."""

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.utils import utcnow


class Course(db.Model):
    """A course of the college's catalogue (the same course is taught to many cohorts)."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    lecturer: Mapped[str] = mapped_column(String(120), default="")
    year: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Course {self.id} {self.name!r}>"
