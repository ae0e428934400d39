"""Template globals and filters shared by every page."""

from datetime import UTC
from urllib.parse import urlsplit

from flask import request, url_for
from flask_babel import format_timedelta, get_timezone, get_translations
from flask_wtf.csrf import generate_csrf
from jinja2 import pass_context
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
    """A stored UTC time in the site's time zone, "2026-11-28 12:05" (the same in every
    language; strftime here, as Babel's pattern formatter costs 14 us a call and a thread
    page shows a hundred of them)."""
    if not value:
        return ""
    return value.replace(tzinfo=UTC).astimezone(get_timezone()).strftime("%Y-%m-%d %H:%M")


def iso(value) -> str:
    return value.replace(microsecond=0).isoformat() + "Z" if value else ""


def when(value) -> Markup:
    """A time, relative for reading, exact on hover and for machines (a global rather
    than a macro: a thread page shows two per post)."""
    return Markup('<time datetime="{}" title="{}">{}</time>').format(
        iso(value), datetime_full(value), timeago(value)
    )


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


GLOBALS = {"csrf_token": generate_csrf, "page_url": page_url, "site_name": site_name, "when": when}
FILTERS = {"timeago": timeago, "datetime_full": datetime_full, "iso": iso, "html": html}


# --- gettext for templates ----------------------------------------------------------------------
# A thread page of 50 posts calls gettext about 600 times. Flask-Babel's callables look the
# catalogue up again on every call (four trips through ``g`` and a locale-to-string), and
# Jinja's ``_`` alias adds two more ``context.call`` layers: together a quarter of the page's
# time. These do what Jinja's "newstyle" gettext does (escape in HTML, always ``%``-format)
# with the catalogue fetched once per render by a context processor.


def _catalogue(context):
    return context.get("_translations") or get_translations()


@pass_context
def _gettext(context, string, **variables):
    rv = _catalogue(context).ugettext(string)
    if context.eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables


@pass_context
def _ngettext(context, singular, plural, num, **variables):
    variables.setdefault("num", num)
    rv = _catalogue(context).ungettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables


@pass_context
def _pgettext(context, string_context, string, **variables):
    variables.setdefault("context", string_context)
    rv = _catalogue(context).upgettext(string_context, string)
    if context.eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables


@pass_context
def _npgettext(context, string_context, singular, plural, num, **variables):
    variables.setdefault("context", string_context)
    variables.setdefault("num", num)
    rv = _catalogue(context).unpgettext(string_context, singular, plural, num)
    if context.eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables


def install_gettext(app) -> None:
    """Replace the template gettext callables Flask-Babel installed (same behaviour, faster)."""
    app.jinja_env.globals.update(
        {
            "_": _gettext,
            "gettext": _gettext,
            "ngettext": _ngettext,
            "pgettext": _pgettext,
            "npgettext": _npgettext,
        }
    )

    @app.context_processor
    def _translations():
        return {"_translations": get_translations()}
