"""The queue of search-index jobs (run by forum/search/worker.py)."""

from datetime import datetime

from sqlalchemy import DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.utils import utcnow


class IndexJob(db.Model):
    """Something to (re)index or remove: kept until the index commit that covers it.

    kind: material (extract, then index), post, thread, thread_tree (thread and its
    posts), message, room (all its messages), cohort (everything in it).
    """

    __tablename__ = "index_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column()
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (Index("ix_index_jobs_kind_target_id", "kind", "target_id"),)
