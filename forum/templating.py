"""Template globals and filters shared by every page."""

from urllib.parse import urlsplit

from flask import request, url_for
from flask_babel import format_datetime, format_timedelta
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from forum.utils import utcnow


def safe_next_url(target: str | None) -> str | None:
    """A redirect target only if it stays on this server."""
    if not target or not isinstance(target, str) or len(target) > 512:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def timeago(value) -> str:
    if value is None:
        return ""
    return format_timedelta(value - utcnow(), add_direction=True, threshold=1.0)


def datetime_full(value) -> str:
    return format_datetime(value, "yyyy-MM-dd HH:mm") if value else ""


def iso(value) -> str:
    return value.replace(microsecond=0).isoformat() + "Z" if value else ""


def page_url(page: int) -> str:
    """The current URL with another ``page`` argument."""
    args = dict(request.args)
    args["page"] = page
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def html(value: str) -> Markup:
    """Only fields named ``*_html``, sanitized when written, may be marked safe."""
    return Markup(value or "")


def site_name() -> str:
    from flask import current_app
    from flask_babel import gettext as _

    from forum.admin.settings import site_name_override

    return site_name_override() or current_app.config.get("FORUM_SITE_NAME") or _("Class Forum")


GLOBALS = {"csrf_token": generate_csrf, "page_url": page_url, "site_name": site_name}
FILTERS = {"timeago": timeago, "datetime_full": datetime_full, "iso": iso, "html": html}
