"""The site logo: an image an admin uploads, kept under the instance folder (not in
static/, which belongs to the code) and served by the app.

The stored name carries a hash of the content, so the logo's URL changes whenever the
image does and browsers may keep it for good. The ``logo`` site setting names the
current file; replacing or removing the logo writes an audit row like the other
settings (action ``site_settings``).
"""

import hashlib
import logging
import os
import re
import tempfile
from pathlib import Path

import puremagic
from flask import current_app, g, has_request_context, url_for
from flask_babel import gettext as _

from forum.admin.models import SiteSetting
from forum.audit import record
from forum.errors import Forbidden, ServiceError
from forum.extensions import db
from forum.permissions import can_manage_site
from forum.settings import stored_setting
from forum.transaction import after_commit

log = logging.getLogger(__name__)

SETTING = "logo"
MAX_BYTES = 1024 * 1024
MAX_MB = MAX_BYTES // (1024 * 1024)
# Raster formats only: an SVG can carry script, and a logo needs none of that.
TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
MIME_TYPES = {extension: mime for mime, extension in TYPES.items()}
NAME = re.compile(r"^logo-[0-9a-f]{16}\.(png|jpg|webp)$")


def logo_dir() -> Path:
    """``site/`` in the instance folder (FORUM_INSTANCE_PATH)."""
    base = current_app.config.get("INSTANCE_DIR") or current_app.instance_path
    return Path(base) / "site"


def logo_name() -> str | None:
    """The stored file name of the current logo, or None."""
    name = stored_setting(SETTING) or ""
    return name if NAME.match(name) else None


def logo_url() -> str | None:
    """The logo's address (it changes with the image), or None when there is no logo."""
    name = logo_name()
    if name is None or not has_request_context():
        return None
    return url_for("admin.site_logo", filename=name)


def sniff(data: bytes) -> str | None:
    """The file extension of a PNG, JPEG or WebP image, judged by its content; else None."""
    try:
        matches = puremagic.magic_string(data[:4096])
    except (puremagic.PureError, ValueError):
        return None
    return TYPES.get(matches[0].mime_type) if matches else None


def _write(name: str, data: bytes) -> Path:
    """Write the file under its final name in one step (a reader never sees half of it)."""
    folder = logo_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    handle, partial = tempfile.mkstemp(dir=folder, prefix=".logo-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(partial, 0o644)
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return target


def _delete(name: str | None) -> None:
    if name and NAME.match(name):
        try:
            (logo_dir() / name).unlink(missing_ok=True)
        except OSError:  # a leftover file is harmless; the setting no longer names it
            log.warning("could not delete the old logo %s", name, exc_info=True)


def _stored_name() -> str | None:
    """The logo file the database names now (not this request's cached view)."""
    row = db.session.get(SiteSetting, SETTING)
    return row.value if row is not None else None


def _store_setting(actor, previous: str | None, value: str | None) -> None:
    """Point the ``logo`` setting at ``value`` (None: no logo), with its audit row."""
    row = db.session.get(SiteSetting, SETTING)
    if value is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(SiteSetting(key=SETTING, value=value))
    else:
        row.value = value
    record(
        actor,
        "site_settings",
        SiteSetting(key="*", value=""),
        before={SETTING: previous},
        after={SETTING: value},
    )
    db.session.flush()
    g.pop("_site_settings", None)


def save_logo(actor, stream) -> str:
    """Store an uploaded PNG, JPEG or WebP image (at most 1 MB) as the site logo (admins)."""
    if not can_manage_site(actor):
        raise Forbidden()
    data = stream.read(MAX_BYTES + 1)
    if not data:
        raise ServiceError("required", _("Choose an image file."), 400, "logo")
    if len(data) > MAX_BYTES:
        raise ServiceError("too_large", _("The logo is too large (at most %(n)d MB).", n=MAX_MB), 413, "logo")
    extension = sniff(data)
    if extension is None:
        raise ServiceError("invalid_type", _("The logo must be a PNG, JPEG or WebP image."), 415, "logo")
    name = f"logo-{hashlib.sha256(data).hexdigest()[:16]}.{extension}"
    previous = _stored_name()
    _write(name, data)
    if previous == name:  # the same image again: nothing changes, nothing to record
        return name
    try:
        _store_setting(actor, previous, name)
    except BaseException:
        _delete(name)
        raise
    # The old file goes only once the setting no longer points at it.
    after_commit(_delete, previous)
    log.info("site logo set to %s by %s", name, actor.username)
    return name


def remove_logo(actor) -> None:
    """Go back to the default mark in the header (admins)."""
    if not can_manage_site(actor):
        raise Forbidden()
    previous = _stored_name()
    if previous is None:
        raise ServiceError("no_logo", _("There is no logo to remove."), 409)
    _store_setting(actor, previous, None)
    after_commit(_delete, previous)
    log.info("site logo removed by %s", actor.username)
