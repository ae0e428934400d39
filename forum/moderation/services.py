"""Moderation actions and the append-only audit log they write."""

from forum.extensions import db
from forum.moderation.models import AuditEntry


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
