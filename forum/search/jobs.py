"""The queue of search-index jobs: features queue what changed, the worker
(forum/search/worker.py) runs it."""

from flask import current_app

from forum import transaction
from forum.extensions import db
from forum.search.models import IndexJob


def enqueue(kind: str, target_id: int, *, run: bool = True) -> None:
    """Queue an index job in the caller's unit of work; the worker wakes after its commit."""
    db.session.add(IndexJob(kind=kind, target_id=int(target_id)))
    if not run:
        return
    if kind == "material" and current_app.config.get("FORUM_WORKER") == "inline":
        # Inline (tests): the upload is committed and extracted now, so its answer shows
        # the outcome a worker would reach right after the commit.
        transaction.keep()
        kick(now=True)
    else:
        transaction.after_commit(kick)


def enqueue_many(pairs, *, run: bool = True) -> int:
    """Queue several jobs in the caller's unit of work."""
    count = 0
    for kind, target_id in pairs:
        db.session.add(IndexJob(kind=kind, target_id=int(target_id)))
        count += 1
    if count:
        db.session.flush()
        if run:
            transaction.after_commit(kick)
    return count


def kick(now: bool = False) -> None:
    """Tell the worker there is work: wake the thread; inline, run it now if asked.

    The worker (forum/search/worker.py) attaches itself to the app at start-up, so
    queueing a job never imports the indexing code.
    """
    worker = current_app.extensions.get("forum_worker")
    if worker is not None:
        worker.wake(now=now)
