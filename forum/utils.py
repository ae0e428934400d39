"""Small helpers shared by every feature."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time in UTC, naive, as every timestamp column stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


def isoformat(value: datetime | None) -> str | None:
    """A stored (naive UTC) timestamp as ISO 8601 with a ``Z``."""
    if value is None:
        return None
    return value.replace(microsecond=0).isoformat() + "Z"
