"""One transaction per unit of work: the only place that commits or rolls back whole.

A unit of work is a request (page or API), a ``/live`` Socket.IO event, a CLI command
or one worker job. Services only ``flush()``; the unit commits once at its end, or
rolls everything back on an exception (a request: also on an answer of 400 or more).

Whatever leaves the process (socket emits, waking the index worker, message-queue
publishes) is queued with :func:`after_commit` and runs only once the unit's commit
has succeeded; a rollback drops the queue, so nothing is announced for work that did
not happen. Signal receivers that write rows (notifications, index jobs, reading
state) run inside the unit, so their rows commit or roll back with it.
"""

import logging
from contextlib import contextmanager
from functools import wraps

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from forum.extensions import db

log = logging.getLogger(__name__)

_PENDING = "forum_after_commit"  # queued in the open transaction
_COMMITTED = "forum_committed"  # its transaction committed: run when it has ended


def after_commit(fn, *args, **kwargs) -> None:
    """Run ``fn(*args, **kwargs)`` once the current unit of work has committed (never if
    it rolls back). Callbacks run in order; one that fails is logged and skipped."""
    db.session.info.setdefault(_PENDING, []).append((fn, args, kwargs))


def commit() -> None:
    """Commit the session, then run what was queued for after the commit."""
    db.session.commit()


def rollback() -> None:
    """Roll the session back and drop what was queued for after the commit."""
    db.session.rollback()
    # A unit that never reached the database has no transaction to roll back (and so
    # no rollback event): its queue goes here.
    db.session.info.pop(_PENDING, None)


def keep() -> None:
    """Commit the unit's work so far, now, although the unit is about to fail: for what
    must last whatever the answer (a failed sign-in counts towards throttling)."""
    commit()


@contextmanager
def unit():
    """A unit of work: commit at the end, roll back (and re-raise) on any exception."""
    try:
        yield
    except BaseException:
        rollback()
        raise
    commit()


def unit_of_work(fn):
    """Decorator form of :func:`unit`, for CLI commands and worker jobs."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        with unit():
            return fn(*args, **kwargs)

    return wrapper


# --- the session hooks ---------------------------------------------------------------------


def _on_commit(session: Session) -> None:
    # A released savepoint is not the unit's commit.
    if session.in_nested_transaction():
        return
    queued = session.info.pop(_PENDING, None)
    if queued:
        session.info.setdefault(_COMMITTED, []).extend(queued)


def _on_rollback(session: Session, previous_transaction) -> None:
    # A savepoint rolled back leaves the unit itself going on.
    if previous_transaction.nested:
        return
    session.info.pop(_PENDING, None)


def _on_transaction_end(session: Session, transaction) -> None:
    # The callbacks run here rather than in after_commit itself: there the session may
    # not read the database, which a callback (inline indexing in tests) may need.
    if transaction.parent is not None:
        return
    session.info.pop(_PENDING, None)  # a transaction that ended without committing
    ready = session.info.pop(_COMMITTED, None)
    for fn, args, kwargs in ready or ():
        try:
            fn(*args, **kwargs)
        except Exception:  # the work is committed: a lost announcement must not undo it
            log.exception("after-commit callback %s failed", getattr(fn, "__name__", fn))


def _install_session_hooks() -> None:
    if event.contains(Session, "after_commit", _on_commit):
        return
    event.listen(Session, "after_commit", _on_commit)
    event.listen(Session, "after_soft_rollback", _on_rollback)
    event.listen(Session, "after_transaction_end", _on_transaction_end)


# --- the request boundary --------------------------------------------------------------------


def init_app(app: Flask) -> None:
    """Make every request one unit of work: commit a success (status < 400), roll back
    anything else and any exception."""
    _install_session_hooks()

    @app.after_request
    def _end_unit_of_work(response):
        if response.status_code < 400:
            commit()
        else:
            rollback()
        return response

    @app.teardown_request
    def _drop_failed_work(error=None):
        if error is not None:
            rollback()
