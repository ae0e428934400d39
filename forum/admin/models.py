"""Site-wide settings kept in the database (a small key/value table)."""

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.utils import utcnow


class SiteSetting(db.Model):
    """One setting: ``site_name``, ``upload_max_mb`` or ``logo`` (a file name), stored as text."""

    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
