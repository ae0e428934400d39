"""Site settings (name, upload limit, logo) read from the ``site_settings`` table, with
the configuration as default. Templates and features read them here; the admin page
that edits them is forum/admin/views_site.py (forum/admin/site.py stores them, and
forum/admin/logo.py handles the logo's file)."""

import logging

from flask import current_app, g
from sqlalchemy import select

from forum import transaction
from forum.admin.models import SiteSetting
from forum.extensions import db

log = logging.getLogger(__name__)


def _all() -> dict[str, str]:
    """Every stored setting, read once per request (the base template asks often)."""
    cached = g.get("_site_settings") if g else None
    if cached is None:
        try:
            cached = {row.key: row.value for row in db.session.execute(select(SiteSetting)).scalars()}
        except Exception:  # a database not yet migrated: fall back to the configuration
            log.warning("site settings unavailable", exc_info=True)
            # The failed statement leaves a PostgreSQL transaction unusable for the rest of
            # the page. A database without this table has no unit of work to keep, and a
            # savepoint would cost two statements on every page for a fresh install's sake.
            transaction.rollback()
            cached = {}
        g._site_settings = cached
    return cached


def stored_setting(key: str) -> str | None:
    """One stored setting's text as this request read it, or None when it is not set."""
    return _all().get(key)


def site_name_override() -> str | None:
    """The site name an admin set, or None to use the configured/default one."""
    return _all().get("site_name") or None


def configured_upload_mb() -> int:
    """The server's own ceiling, FORUM_UPLOAD_MAX_MB."""
    return int(current_app.config.get("FORUM_UPLOAD_MAX_MB", 100))


def upload_limit_mb() -> int:
    """The upload limit in MB: the admin's setting, never above the server's FORUM_UPLOAD_MAX_MB."""
    configured = int(current_app.config.get("FORUM_UPLOAD_MAX_MB", 100))
    stored = _all().get("upload_max_mb")
    if stored and stored.isdigit():
        return max(1, min(int(stored), configured))
    return configured
