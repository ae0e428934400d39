"""`flask forum reindex` and `flask forum worker` (registered on forum_cli by search's init_app)."""

import logging
import signal
import threading
import time

import click
from sqlalchemy import update

from forum.cli import fail, forum_cli
from forum.extensions import db
from forum.materials.models import Material
from forum.search.consistency import catch_up, rebuild_index
from forum.search.index import IndexBusy
from forum.search.worker import process_pending, run_forever

log = logging.getLogger(__name__)


@forum_cli.command("reindex")
@click.option("--extract", is_flag=True, help="Also read every stored file again.")
@click.option("--wait-seconds", default=60, show_default=True, help="How long to wait for a running worker.")
def reindex(extract, wait_seconds):
    """Rebuild the search index from the database and the stored files."""
    if extract:
        db.session.execute(update(Material).values(status="queued", status_reason=""))
        db.session.flush()
    started = time.monotonic()
    try:
        count = rebuild_index(timeout=float(wait_seconds))
    except IndexBusy:
        fail("the index is busy (a worker is writing); try again")
    click.echo(f"reindexed {count} objects in {time.monotonic() - started:.1f} s")


@forum_cli.command("worker")
@click.option("--once", is_flag=True, help="Catch up, run the queued jobs, then exit.")
@click.option("--poll", default=2.0, show_default=True, help="Seconds between looks at the queue.")
def worker(once, poll):
    """Run the indexing worker (FORUM_WORKER=external in production)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if once:
        try:
            catch_up(timeout=30.0)
            done = process_pending(timeout=30.0)
        except IndexBusy:
            fail("the index is busy (another worker is writing)")
        click.echo(f"ran {done} index jobs")
        return
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_args: stop.set())
    log.info("indexing worker started")
    run_forever(stop, poll=poll)
    log.info("indexing worker stopped")
