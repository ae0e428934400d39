"""Threads that cite a material: a post linking ``/materials/<id>``, or a case
thread's linked materials (forum/discussion's case_materials, when installed)."""

import re

from sqlalchemy import select

from forum import permissions
from forum.discussion.models import CaseMaterial
from forum.extensions import db
from forum.materials.models import Material, MaterialCitation
from forum.threads.models import Thread

_LINK = re.compile(r"/materials/(\d{1,9})\b")
MAX_LINKS = 20


def record_citations(post) -> int:
    """Remember the materials a post links to (in the unit of work that wrote the post)."""
    ids = {int(found) for found in _LINK.findall(post.body or "")}
    if not ids or post.deleted_at is not None:
        return 0
    existing_materials = set(
        db.session.execute(select(Material.id).where(Material.id.in_(list(ids)[:MAX_LINKS]))).scalars()
    )
    known = set(
        db.session.execute(
            select(MaterialCitation.material_id).where(MaterialCitation.thread_id == post.thread_id)
        ).scalars()
    )
    added = 0
    for material_id in existing_materials - known:
        db.session.add(MaterialCitation(material_id=material_id, thread_id=post.thread_id, post_id=post.id))
        added += 1
    if added:
        db.session.flush()
    return added


def citing_threads(viewer, material, limit: int = 50) -> list:
    """Threads citing the material that the viewer may see, newest first."""
    thread_ids = set(
        db.session.execute(
            select(MaterialCitation.thread_id).where(MaterialCitation.material_id == material.id)
        ).scalars()
    )
    thread_ids |= set(
        db.session.execute(select(CaseMaterial.thread_id).where(CaseMaterial.material_id == material.id)).scalars()
    )
    if not thread_ids:
        return []
    threads = (
        db.session.execute(
            select(Thread).where(Thread.id.in_(thread_ids)).order_by(Thread.last_activity_at.desc())
        )
        .scalars()
        .all()
    )
    return [thread for thread in threads if permissions.can_view_thread(viewer, thread)][:limit]
