"""The queue of search-index jobs: features queue what changed, the worker
(forum/search/worker.py) runs it."""

from flask import current_app

from forum.extensions import db
from forum.search.models import IndexJob


def enqueue(kind: str, target_id: int, *, commit: bool = True, run: bool = True) -> None:
    """Queue an index job (after the caller's own commit) and wake the worker."""
    db.session.add(IndexJob(kind=kind, target_id=int(target_id)))
    if commit:
        db.session.commit()
        if run:
            kick(now=kind == "material")


def enqueue_many(pairs, *, run: bool = True) -> int:
    """Queue several jobs in one commit."""
    count = 0
    for kind, target_id in pairs:
        db.session.add(IndexJob(kind=kind, target_id=int(target_id)))
        count += 1
    if count:
        db.session.commit()
        if run:
            kick()
    return count


def kick(now: bool = False) -> None:
    """Tell the worker there is work: wake the thread; inline, run it now if asked.

    The worker (forum/search/worker.py) attaches itself to the app at start-up, so
    queueing a job never imports the indexing code.
    """
    worker = current_app.extensions.get("forum_worker")
    if worker is not None:
        worker.wake(now=now)
