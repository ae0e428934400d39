"""Storing the site settings an admin edits (forum/settings.py reads them), and the
dashboard's health checks."""

import logging

import redis
from flask import current_app, g
from flask_babel import gettext as _
from sqlalchemy import func, select, text

from forum import transaction, validation
from forum.admin.models import SiteSetting
from forum.audit import record
from forum.cohorts.services import site_counts
from forum.errors import Forbidden
from forum.extensions import db
from forum.materials.models import Material
from forum.permissions import can_manage_site
from forum.search.index import get_index
from forum.search.models import IndexJob
from forum.settings import _all

log = logging.getLogger(__name__)


def save_settings(actor, *, site_name=None, upload_max_mb=None) -> dict:
    """Store the given settings (admins); an empty site name restores the default."""
    if not can_manage_site(actor):
        raise Forbidden()

    values = {}
    if site_name is not None:
        values["site_name"] = validation.text(site_name, "site_name", max_length=120, min_length=0)
    if upload_max_mb is not None:
        maximum = int(current_app.config.get("FORUM_UPLOAD_MAX_MB", 100))
        values["upload_max_mb"] = str(
            validation.integer(upload_max_mb, "upload_max_mb", minimum=1, maximum=maximum)
        )
    before = dict(_all())
    for key, value in values.items():
        row = db.session.get(SiteSetting, key)
        if row is None:
            db.session.add(SiteSetting(key=key, value=value))
        else:
            row.value = value
    record(
        actor,
        "site_settings",
        SiteSetting(key="*", value=""),
        before={k: before.get(k) for k in values},
        after=values,
    )
    db.session.flush()
    g.pop("_site_settings", None)
    return values


def health() -> dict:
    """Counts and the state of the database, search index, worker queue and Redis."""
    result: dict = {"database": {"ok": False}, "search": {"ok": False}, "redis": None}
    try:
        db.session.execute(text("SELECT 1"))
        result["database"] = {"ok": True, "dialect": db.engine.dialect.name}
        counts = site_counts()
        counts["materials"] = db.session.execute(select(func.count(Material.id))).scalar_one()
        result["counts"] = counts
        result["queue"] = db.session.execute(select(func.count(IndexJob.id))).scalar_one()
    except Exception as error:  # shown on the page, never a 500
        # The health page only reads: a failed statement would leave the session
        # unusable for the rest of the page, and there is no work of the unit to keep.
        transaction.rollback()
        log.warning("health: database check failed", exc_info=True)
        result["database"] = {"ok": False, "error": type(error).__name__}
        result["counts"], result["queue"] = {}, None
    try:
        result["search"] = {"ok": True, "documents": get_index().doc_count(), "pending_jobs": result["queue"]}
    except Exception as error:  # the index is not the database: nothing to roll back
        log.warning("health: search index check failed", exc_info=True)
        result["search"] = {"ok": False, "error": type(error).__name__}
    url = current_app.config.get("REDIS_URL")
    if url:
        try:
            client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
            result["redis"] = {"ok": bool(client.ping())}
        except Exception as error:
            result["redis"] = {"ok": False, "error": type(error).__name__}
    return result


def describe(ok: bool) -> str:
    return _("OK") if ok else _("Failing")
