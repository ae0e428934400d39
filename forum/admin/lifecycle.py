"""Cohort life cycle: a new cohort from a template (boards copied from an earlier one),
and opening an archived cohort's materials to a later cohort. Admins only; audited."""

import logging

from flask_babel import gettext as _
from sqlalchemy import select

from forum.audit import record
from forum.cohorts import services as cohort_services
from forum.cohorts.models import Board, Cohort
from forum.errors import Forbidden, ServiceError
from forum.extensions import db
from forum.materials import services as material_services
from forum.materials.models import Material, material_shares
from forum.permissions import can_manage_site

log = logging.getLogger(__name__)


def create_from_template(
    actor, template: Cohort | None, slug, name, kind, year=None, language="zh", description=""
) -> Cohort:
    """Create a cohort; with a ``template``, copy its boards (name, description, kind,
    order, anonymity), without their threads."""
    if not can_manage_site(actor):
        raise Forbidden()
    cohort = cohort_services.create_cohort(actor, slug, name, kind, year, language, description)
    if template is None:
        return cohort
    boards = (
        db.session.execute(
            select(Board).where(Board.cohort_id == template.id).order_by(Board.position, Board.id)
        )
        .scalars()
        .all()
    )
    for board in boards:
        db.session.add(
            Board(
                cohort_id=cohort.id,
                name=board.name,
                description=board.description,
                position=board.position,
                anonymous_allowed=board.anonymous_allowed,
                kind=board.kind,
            )
        )
    record(
        actor,
        "cohort_from_template",
        cohort,
        cohort_id=cohort.id,
        after={"template": template.slug, "boards": len(boards)},
    )
    db.session.flush()
    log.info("cohort %s created from %s by %s", cohort.slug, template.slug, actor.username)
    return cohort


def open_materials(actor, source: Cohort, target: Cohort) -> int:
    """Share every material of the archived ``source`` cohort with ``target``; returns how
    many were newly shared."""
    if not can_manage_site(actor):
        raise Forbidden()
    if not source.archived:
        raise ServiceError(
            "not_archived", _("Only an archived class's materials can be opened."), 400, "cohort"
        )
    if target.archived or target.id == source.id:
        raise ServiceError("invalid", _("Choose another class that is not archived."), 400, "target")
    materials = (
        db.session.execute(
            select(Material)
            .join(material_shares, material_shares.c.material_id == Material.id)
            .where(material_shares.c.cohort_id == source.id)
            .order_by(Material.id)
        )
        .scalars()
        .all()
    )
    opened = 0
    for material in materials:
        if any(c.id == target.id for c in material.cohorts):
            continue
        material_services.share_material(actor, material, cohort=target)
        opened += 1
    record(
        actor,
        "cohort_open_materials",
        source,
        cohort_id=source.id,
        after={"target": target.slug, "materials": opened},
    )
    db.session.flush()
    return opened
