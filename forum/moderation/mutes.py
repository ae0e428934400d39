"""Muting a trainee in a cohort for a time: they may read but not post or chat."""

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from forum import validation
from forum.audit import record
from forum.cohorts.models import Cohort
from forum.errors import Forbidden, ServiceError
from forum.extensions import db
from forum.moderation.models import Mute
from forum.permissions import can_be_muted, can_mute_in_cohort, is_muted
from forum.permissions.viewer import forget_mutes, load_mutes
from forum.templating import datetime_full
from forum.utils import utcnow

MAX_MUTE_MINUTES = 366 * 24 * 60
# Durations offered on the page, in minutes (the API takes any whole number of minutes).
MUTE_DURATIONS = (60, 24 * 60, 3 * 24 * 60, 7 * 24 * 60, 30 * 24 * 60)


def active_mutes(user) -> dict[int, datetime]:
    """Cohort id -> end of the user's current mute there (loaded once per request by the
    permissions' viewer, which the mute rules read)."""
    return load_mutes(user)


def refuse_if_muted(user, cohort) -> None:
    """Raise a clear 403 when the user is muted in the cohort (posting services call this)."""
    if is_muted(user, cohort):
        until = active_mutes(user)[cohort.id]
        raise ServiceError(
            "muted",
            _(
                "You are muted in this class until %(until)s: you can read but not post.",
                until=datetime_full(until),
            ),
            403,
        )


def current_mute(cohort, user) -> Mute | None:
    return (
        db.session.execute(
            select(Mute)
            .where(
                Mute.cohort_id == cohort.id,
                Mute.user_id == user.id,
                Mute.lifted_at.is_(None),
                Mute.until > utcnow(),
            )
            .order_by(Mute.until.desc())
        )
        .scalars()
        .first()
    )


def mute_user(actor, cohort, user, minutes, reason: str = "") -> Mute:
    """Mute a trainee in a cohort for ``minutes``; a new mute replaces a running one."""
    if not can_mute_in_cohort(actor, cohort):
        raise Forbidden()
    if not can_be_muted(user, cohort):
        raise ServiceError("not_trainee", _("Only trainees of this class can be muted."), 400, "username")
    minutes = validation.integer(minutes, "minutes", minimum=1, maximum=MAX_MUTE_MINUTES)
    reason = validation.text(reason, "reason", max_length=500, min_length=0)
    now = utcnow()
    previous = current_mute(cohort, user)
    if previous is not None:
        previous.lifted_at = now
    mute = Mute(
        cohort_id=cohort.id,
        user_id=user.id,
        muted_by_id=actor.id,
        reason=reason,
        until=now + timedelta(minutes=minutes),
        created_at=now,
    )
    db.session.add(mute)
    db.session.flush()
    record(
        actor,
        "mute_user",
        user,
        cohort_id=cohort.id,
        reason=reason,
        before={"muted_until": previous.until.isoformat() if previous else None},
        after={"muted_until": mute.until.isoformat(), "minutes": minutes},
    )
    db.session.flush()
    forget_mutes(user)
    return mute


def lift_mute(actor, mute: Mute, reason: str = "") -> Mute:
    """End a mute early."""
    cohort = db.session.get(Cohort, mute.cohort_id)
    if not can_mute_in_cohort(actor, cohort):
        raise Forbidden()
    reason = validation.text(reason, "reason", max_length=500, min_length=0)
    if mute.lifted_at is not None or mute.until <= utcnow():
        raise ServiceError("not_active", _("This mute has already ended."), 409)
    mute.lifted_at = utcnow()
    record(
        actor,
        "unmute_user",
        mute.user,
        cohort_id=cohort.id,
        reason=reason,
        before={"muted_until": mute.until.isoformat()},
        after={"muted_until": None},
    )
    db.session.flush()
    forget_mutes(mute.user)
    return mute


def cohort_mutes(cohort, *, active_only: bool = True):
    """A cohort's mutes, newest first (only the running ones by default)."""
    stmt = select(Mute).where(Mute.cohort_id == cohort.id).order_by(Mute.created_at.desc(), Mute.id.desc())
    if active_only:
        stmt = stmt.where(Mute.lifted_at.is_(None), Mute.until > utcnow())
    return stmt
