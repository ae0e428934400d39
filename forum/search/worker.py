"""The indexing worker: the one writer of the search index.

Jobs wait in the ``index_jobs`` table (forum/search/models.py), queued by forum/search/jobs.py. A job row is
deleted only after the index commit that covers it, so a worker killed at any
moment leaves jobs that the next run redoes (every job is idempotent: it reads the
current database state). Modes (``FORUM_WORKER``):

- ``thread``: an in-process thread, started with the first request (embedded set-up);
- ``external``: ``flask forum worker`` in its own process (production);
- ``inline`` (tests): jobs run synchronously in the writing process: a material's
  right after its upload, posts/threads/messages just before the next search reads
  the index (so a test sees its own writes, and suites that never search do not pay
  for indexing every post they write).
"""

import logging
import threading
import time

from flask import current_app
from sqlalchemy import delete, select

from forum import transaction
from forum.extensions import db
from forum.search import indexing
from forum.search.analyzer import warm_up
from forum.search.consistency import catch_up
from forum.search.index import IndexBusy, get_index
from forum.search.models import IndexJob

log = logging.getLogger(__name__)
BATCH_SIZE = 500
MAX_ATTEMPTS = 3
POLL_SECONDS = 2.0


def run_inline() -> None:
    """Inline mode: run what is queued, here and now (before a search reads the index)."""
    if current_app.config.get("FORUM_WORKER") != "inline":
        return
    try:
        process_pending()
    except Exception:  # indexing must never break the request that triggered it
        log.exception("inline indexing failed; the jobs stay queued")


def process_pending(max_batches: int | None = None, timeout: float = 0.0) -> int:
    """Run queued jobs in batches until none are left; returns how many ran.

    Returns 0 at once when another worker holds the index writer.
    """
    done = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        jobs = db.session.execute(select(IndexJob).order_by(IndexJob.id).limit(BATCH_SIZE)).scalars().all()
        if not jobs:
            break
        try:
            done += run_batch(jobs, timeout=timeout)
        except IndexBusy:
            log.info("index writer busy; %d jobs wait", len(jobs))
            transaction.rollback()
            break
        batches += 1
    return done


def run_batch(jobs: list[IndexJob], timeout: float = 0.0) -> int:
    """Extract materials, write the index, then drop the jobs that commit covers.

    Each kind of job is one unit of work (its database writes, e.g. extracted pages,
    commit before the index does); dropping the jobs is the last one."""
    job_ids = [job.id for job in jobs]
    work: dict[str, list[int]] = {}
    attempts = {}
    for job in jobs:
        ids = work.setdefault(job.kind, [])
        if job.target_id not in ids:
            ids.append(job.target_id)
        attempts[(job.kind, job.target_id)] = max(attempts.get((job.kind, job.target_id), 0), job.attempts)
    index = get_index()
    writer = index.writer(timeout=timeout)
    try:
        for kind, ids in work.items():
            try:
                with transaction.unit():
                    indexing.apply(writer, kind, ids)
            except Exception:
                log.exception("index job %s %s failed", kind, ids[:10])
                with transaction.unit():
                    _retry_later(kind, ids, attempts)
        log.info("committing %d index jobs", len(job_ids))
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    with transaction.unit():
        db.session.execute(delete(IndexJob).where(IndexJob.id.in_(job_ids)))
    return len(job_ids)


def _retry_later(kind: str, ids: list[int], attempts: dict) -> None:
    """Queue failed jobs again, up to MAX_ATTEMPTS; then give up on them (logged)."""
    for target_id in ids:
        tries = attempts.get((kind, target_id), 0) + 1
        if tries < MAX_ATTEMPTS:
            db.session.add(IndexJob(kind=kind, target_id=target_id, attempts=tries))
        else:
            log.error("giving up on index job %s %s after %d attempts", kind, target_id, tries)
            indexing.give_up(kind, target_id)
    db.session.flush()


# --- running -----------------------------------------------------------------------------


def run_forever(stop: threading.Event | None = None, poll: float = POLL_SECONDS, wake=None) -> None:
    """The worker loop: catch up with the database, then run jobs as they come."""
    stop = stop or threading.Event()
    checked = False
    while not stop.is_set():
        try:
            if not checked:
                with transaction.unit():
                    catch_up()
                checked = True
            with transaction.unit():
                indexing.sweep_time_based()
            process_pending(timeout=0.0)
        except IndexBusy:
            log.info("another worker holds the index; waiting")
        except Exception:
            log.exception("indexing worker error; retrying")
            time.sleep(poll)
        finally:
            db.session.remove()
        if wake is not None:
            wake.wait(poll)
            wake.clear()
        else:
            stop.wait(poll)


class WorkerThread:
    """The in-process worker of the embedded set-up (FORUM_WORKER=thread)."""

    def __init__(self, app):
        self.app = app
        self.stop = threading.Event()
        self.event = threading.Event()
        self.thread = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self.thread is not None and self.thread.is_alive():
                return
            self.thread = threading.Thread(target=self._run, name="forum-index-worker", daemon=True)
            self.thread.start()

    def wake(self, now: bool = False) -> None:
        """Wake a running worker; a process that serves no requests (the CLI) starts none."""
        if self.thread is not None:
            self.event.set()

    def _run(self) -> None:
        with self.app.app_context():
            run_forever(self.stop, wake=self.event)

    def shutdown(self) -> None:
        self.stop.set()
        self.event.set()


class InlineWorker:
    """FORUM_WORKER=inline (tests): a material's jobs run as soon as they are queued."""

    def wake(self, now: bool = False) -> None:
        if now:
            run_inline()


def install(app) -> None:
    """Attach the worker for the app's FORUM_WORKER mode (a thread starts with the first request)."""
    mode = app.config.get("FORUM_WORKER", "thread")
    if mode == "inline":
        app.extensions["forum_worker"] = InlineWorker()
    if mode != "thread":
        return

    # Under gevent the worker is a greenlet: loading jieba there would stall every
    # connection for a second, so it is loaded before the server starts serving.
    warm_up()
    worker = WorkerThread(app)
    app.extensions["forum_worker"] = worker

    @app.before_request
    def _start_index_worker():
        if worker.thread is None:
            worker.start()
