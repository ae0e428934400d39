"""Keeping the index in line with the database at start-up and on ``reindex``.

At start the worker notices an index that is missing, from an older schema version
(a different index name: see schema.py), or behind the database (documents missing
or left over, e.g. after a crash or a restored backup), and catches up by itself.
"""

import logging
import time

from sqlalchemy import delete, func, select
from whoosh.writing import CLEAR

from forum.extensions import db
from forum.materials.models import Material
from forum.search import documents, indexing
from forum.search.index import forget_index, get_index
from forum.search.jobs import enqueue_many
from forum.search.models import IndexJob
from forum.threads.models import Post, Thread

log = logging.getLogger(__name__)


def expected_keys() -> set[str]:
    """The key of every document the database says should be in the index."""
    keys = {f"thread:{i}" for i in db.session.execute(select(Thread.id)).scalars()}
    keys |= {
        f"post:{i}" for i in db.session.execute(select(Post.id).where(Post.deleted_at.is_(None))).scalars()
    }
    keys |= {f"material:{i}" for i in db.session.execute(select(Material.id)).scalars()}
    models = documents.room_models()
    if models is not None:
        message = models[1]
        keys |= {
            f"message:{i}"
            for i in db.session.execute(select(message.id).where(message.deleted_at.is_(None))).scalars()
        }
    return keys


def indexed_keys() -> set[str]:
    """The keys of the documents in the index (deleted ones excluded)."""
    with get_index().searching() as searcher:
        if searcher is None:
            return set()
        reader = searcher.reader()
        column = reader.column_reader("key")
        return {column[docnum] for docnum in reader.all_doc_ids()}


def rebuild_index(timeout: float = 0.0) -> int:
    """Replace the whole index with documents built from the database (and stored files
    for materials not extracted yet); jobs queued before the start are covered."""
    last_job = db.session.execute(select(func.max(IndexJob.id))).scalar() or 0
    writer = get_index().writer(timeout=timeout)
    try:
        count = indexing.rebuild(writer)
        log.info("committing a rebuilt index of %d objects", count)
        writer.commit(mergetype=CLEAR)
    except BaseException:
        writer.cancel()
        raise
    db.session.execute(delete(IndexJob).where(IndexJob.id <= last_job))
    db.session.flush()
    return count


def _move_aside(directory) -> None:
    forget_index(str(directory))
    if directory.exists():
        directory.rename(directory.with_name(f"{directory.name}.broken-{int(time.time())}"))


def catch_up(timeout: float = 0.0) -> dict:
    """Rebuild a missing or outdated index, or queue jobs for what it lacks or has extra."""
    index = get_index()
    if not index.exists():
        log.warning("search index missing or from an older version: rebuilding from the database")
        return {"rebuilt": rebuild_index(timeout)}
    expected = expected_keys()
    try:
        indexed = indexed_keys()
    except Exception:  # unreadable (a disk fault, files removed by hand): start afresh
        log.exception("search index unreadable: moving it aside and rebuilding")
        _move_aside(index.directory)
        return {"rebuilt": rebuild_index(timeout)}
    pending = {
        (kind, target) for kind, target in db.session.execute(select(IndexJob.kind, IndexJob.target_id))
    }
    jobs = set()
    for key in (expected - indexed) | (indexed - expected):
        kind, _sep, target = key.partition(":")
        jobs.add((kind, int(target)))
    queued = db.session.execute(select(Material.id).where(Material.status == "queued")).scalars()
    jobs |= {("material", material_id) for material_id in queued}
    jobs -= pending
    if jobs:
        log.warning("search index behind the database: %d objects queued", len(jobs))
        enqueue_many(sorted(jobs), run=False)
    return {"queued": len(jobs)}
