"""The append-only audit log: every feature writes its rows with :func:`record`, in the
same unit of work as the change it describes (the rows live in forum/moderation/models.py;
forum/moderation/services.py reads them for the log's page and API)."""

from sqlalchemy import select

from forum.extensions import db
from forum.moderation.models import AuditEntry

AUDIT_TARGET_TYPES = ("post", "thread", "user", "cohort", "reviewitem", "watchedword", "roommessage", "room")


def record(actor, action: str, target, *, cohort_id=None, reason: str = "", before=None, after=None):
    """Add an audit row to the session; the caller's commit makes it permanent."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        cohort_id=cohort_id,
        action=action,
        target_type=type(target).__name__.lower(),
        target_id=getattr(target, "id", None),
        reason=(reason or "")[:500],
        before=before,
        after=after,
    )
    db.session.add(entry)
    return entry


def audit_actions(cohort=None) -> list[str]:
    """The distinct actions present in the log (for the filter's choices)."""
    stmt = select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    if cohort is not None:
        stmt = stmt.where(AuditEntry.cohort_id == cohort.id)
    return list(db.session.execute(stmt).scalars())
