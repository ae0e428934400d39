"""Writing documents for database objects, used by the worker and ``reindex``.

Every function here reads the CURRENT database state, so running a job twice (after
a crash, or two jobs for one post) gives the same index.
"""

import logging
from datetime import timedelta

from sqlalchemy import select

from forum.cohorts.models import Cohort
from forum.extensions import db
from forum.materials import services as materials
from forum.materials.models import Material
from forum.search import documents
from forum.search.jobs import enqueue_many
from forum.threads.models import Post, Thread
from forum.utils import utcnow

log = logging.getLogger(__name__)
CHUNK = 500


def _chunks(ids, size: int = CHUNK):
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _write(writer, key: str, doc: dict | None) -> None:
    """Replace or delete one document, once per writer: Whoosh's delete does not see
    documents added in the same writer, so a second update would leave a duplicate
    (both would read the same database state anyway)."""
    written = writer.__dict__.setdefault("_forum_written", set())
    if key in written:
        return
    written.add(key)
    if doc is None:
        writer.delete_by_term("key", key)
    else:
        writer.update_document(**doc)


def index_posts(writer, ids, add_only: bool = False) -> None:
    for chunk in _chunks(ids):
        found = {post.id: post for post in documents.load_posts(chunk)}
        for post_id in chunk:
            post = found.get(post_id)
            doc = documents.post_document(post) if post is not None else None
            if add_only:
                if doc is not None:
                    writer.add_document(**doc)
            else:
                _write(writer, f"post:{post_id}", doc)


def index_threads(writer, ids, add_only: bool = False) -> None:
    for chunk in _chunks(ids):
        found = {thread.id: thread for thread in documents.load_threads(chunk)}
        for thread_id in chunk:
            thread = found.get(thread_id)
            doc = documents.thread_document(thread) if thread is not None else None
            if add_only:
                if doc is not None:
                    writer.add_document(**doc)
            else:
                _write(writer, f"thread:{thread_id}", doc)


def index_thread_trees(writer, ids) -> None:
    """A thread and all its posts (its title, visibility or privacy changed)."""
    index_threads(writer, ids)
    for thread_id in ids:
        post_ids = db.session.execute(select(Post.id).where(Post.thread_id == thread_id)).scalars().all()
        if not post_ids:
            writer.delete_by_term("parent", f"t{thread_id}")
        index_posts(writer, post_ids)


def index_messages(writer, ids, add_only: bool = False) -> None:
    if documents.room_models() is None:
        return
    for chunk in _chunks(ids):
        found = {message.id: message for message in documents.load_messages(chunk)}
        for message_id in chunk:
            message = found.get(message_id)
            doc = documents.message_document(message) if message is not None else None
            if add_only:
                if doc is not None:
                    writer.add_document(**doc)
            else:
                _write(writer, f"message:{message_id}", doc)


def index_rooms(writer, ids) -> None:
    models = documents.room_models()
    if models is None:
        return
    _room, message_cls = models
    for room_id in ids:
        message_ids = (
            db.session.execute(select(message_cls.id).where(message_cls.room_id == room_id)).scalars().all()
        )
        if not message_ids:
            writer.delete_by_term("parent", f"r{room_id}")
        index_messages(writer, message_ids)


def index_materials(writer, ids, add_only: bool = False, extract: bool = True) -> None:
    """Extract queued materials (in a child process each), then index them."""
    for chunk in _chunks(ids, 50):
        found = {material.id: material for material in documents.load_materials(chunk)}
        for material_id in chunk:
            material = found.get(material_id)
            if material is None:
                if not add_only:
                    _write(writer, f"material:{material_id}", None)
                continue
            if extract and material.status == "queued":
                materials.extract_material(material)
            doc = documents.material_document(material, documents.material_pages(material.id))
            if add_only:
                writer.add_document(**doc)
            else:
                _write(writer, doc["key"], doc)
            materials.mark_indexed(material)


def index_cohorts(writer, ids) -> None:
    """A cohort changed: if it is gone, drop what it held and re-index shared materials."""
    for cohort_id in ids:
        if db.session.get(Cohort, cohort_id) is not None:
            continue  # documents hold only the cohort's id: nothing to change
        term = f"c{cohort_id}"
        with writer.searcher() as searcher:
            material_ids = [fields["obj_id"] for fields in searcher.documents(cohort=term, type="material")]
        writer.delete_by_term("cohort", term)
        index_materials(writer, material_ids, extract=False)


APPLY = {
    "post": index_posts,
    "thread": index_threads,
    "thread_tree": index_thread_trees,
    "message": index_messages,
    "room": index_rooms,
    "material": index_materials,
    "cohort": index_cohorts,
}


def apply(writer, kind: str, ids: list[int]) -> None:
    """Bring the index in line with the database for these objects."""
    handler = APPLY.get(kind)
    if handler is None:
        log.warning("unknown index job kind %r dropped", kind)
        return
    handler(writer, ids)


def give_up(kind: str, target_id: int) -> None:
    """A job failed again and again: a material is marked failed so its page says so."""
    if kind == "material":
        materials.mark_failed(target_id, "index_error")


_last_sweep = {"at": None}


def sweep_time_based() -> int:
    """Queue threads whose "answer first" date passed since the last sweep (replies open)."""
    if not hasattr(Thread, "answer_due_at"):
        return 0
    now = utcnow()
    since = _last_sweep["at"] or now - timedelta(days=2)
    if now - since < timedelta(seconds=30):
        return 0
    _last_sweep["at"] = now
    ids = (
        db.session.execute(
            select(Thread.id).where(
                Thread.answer_first.is_(True), Thread.answer_due_at > since, Thread.answer_due_at <= now
            )
        )
        .scalars()
        .all()
    )
    return enqueue_many([("thread_tree", i) for i in ids], run=False)


def rebuild(writer) -> int:
    """Add every document from the database to a writer that was cleared (``reindex``)."""
    count = 0
    for model, handler in ((Thread, index_threads), (Post, index_posts), (Material, index_materials)):
        ids = db.session.execute(select(model.id).order_by(model.id)).scalars().all()
        if model is Material:
            handler(writer, ids, add_only=True, extract=True)
        else:
            handler(writer, ids, add_only=True)
        count += len(ids)
    models = documents.room_models()
    if models is not None:
        ids = db.session.execute(select(models[1].id).order_by(models[1].id)).scalars().all()
        index_messages(writer, ids, add_only=True)
        count += len(ids)
    return count
