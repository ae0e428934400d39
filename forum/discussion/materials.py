"""Teaching materials linked from case briefs, through the materials library when it is
installed (``forum.materials.models.Material``); without it, links are kept by id and
simply not shown."""

import logging

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.routing import BuildError

from forum import permissions
from forum.errors import ServiceError
from forum.extensions import db
from forum.materials.models import Material

log = logging.getLogger(__name__)


def material_model():
    """The library's Material model."""
    return Material


def _may_view(user, material) -> bool:
    return permissions.can_view_material(user, material)


def material_url(material) -> str | None:
    """The material's page, whichever way the library names its endpoint."""
    url = getattr(material, "url", None)
    if isinstance(url, str):
        return url
    for endpoint in ("materials.material", "materials.view", "materials.show", "materials.detail"):
        try:
            return url_for(endpoint, material_id=material.id)
        except BuildError:
            continue
    return None


def check_linkable(actor, ids: list[int]) -> None:
    """Every id names a material the actor may see (unchecked while the library is absent)."""
    model = material_model()
    if model is None or not ids:
        return
    found = {m.id: m for m in db.session.execute(select(model).where(model.id.in_(ids))).scalars()}
    for material_id in ids:
        material = found.get(material_id)
        if material is None or not _may_view(actor, material):
            raise ServiceError(
                "invalid",
                _("There is no material %(id)d that you may link.", id=material_id),
                400,
                "material_ids",
            )


def linked_materials(viewer, ids: list[int]) -> list[dict]:
    """``[{id, title, url}]`` for the linked materials the viewer may see, in order (one query)."""
    model = material_model()
    if model is None or not ids:
        return []
    found = {m.id: m for m in db.session.execute(select(model).where(model.id.in_(ids))).scalars()}
    items = []
    for material_id in ids:
        material = found.get(material_id)
        if material is None or not _may_view(viewer, material):
            continue
        items.append(
            {
                "id": material.id,
                "title": getattr(material, "title", None) or _("Material %(id)d", id=material.id),
                "url": material_url(material),
            }
        )
    return items
