"""Template globals and filters shared by every page."""

from datetime import UTC
from urllib.parse import urlsplit

from babel.dates import TIMEDELTA_UNITS
from flask import current_app, request, url_for
from flask_babel import format_timedelta, get_locale, get_timezone, get_translations
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from jinja2 import pass_context
from markupsafe import Markup

from forum.settings import site_name_override
from forum.utils import utcnow


def safe_next_url(target: str | None) -> str | None:
    """A redirect target only if it stays on this server."""
    if not target or not isinstance(target, str) or len(target) > 512:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


RELATIVE_THRESHOLD = 1.0  # "59 minutes ago", then "1 hour ago" (Babel's default rounds up early)


def _relative(delta) -> str:
    """A relative time ("5 minutes ago", "in 2 days") in the request's language."""
    return format_timedelta(delta, add_direction=True, threshold=RELATIVE_THRESHOLD)


def timeago(value) -> str:
    if value is None:
        return ""
    return _relative(value - utcnow())


def datetime_full(value) -> str:
    """A stored UTC time in the site's time zone, "2026-11-28 12:05" (the same in every
    language; strftime here, as Babel's pattern formatter costs 14 us a call and a thread
    page shows a hundred of them)."""
    if not value:
        return ""
    return value.replace(tzinfo=UTC).astimezone(get_timezone()).strftime("%Y-%m-%d %H:%M")


def iso(value) -> str:
    return value.replace(microsecond=0).isoformat() + "Z" if value else ""


# A thread page shows two times per post and is rendered again and again with the same posts:
# ``when`` keeps its HTML by time, language, time zone and the relative step shown ("5 minutes
# ago" lasts a minute, "3 days ago" a day), so most calls are a dictionary lookup.
_WHEN_CACHE: dict = {}
_WHEN_CACHE_SIZE = 8192


def _relative_step(seconds: float) -> tuple[str, int]:
    """The unit and count Babel's ``format_timedelta`` picks for ``seconds`` with the
    threshold and granularity ``timeago`` uses (its own loop, kept in step with it)."""
    for unit, secs_per_unit in TIMEDELTA_UNITS:
        value = abs(seconds) / secs_per_unit
        if value >= RELATIVE_THRESHOLD or unit == "second":
            if unit == "second" and value > 0:
                value = max(1, value)
            return unit, int(round(value))
    raise AssertionError("TIMEDELTA_UNITS ends with seconds")


def when(value) -> Markup:
    """A time, relative for reading, exact on hover and for machines (a global rather
    than a macro: a thread page shows two per post; not ``pass_context``, which would
    cost a derived context per call inside a ``for`` loop)."""
    if not value:
        return Markup('<time datetime="" title=""></time>')
    delta = value - utcnow()
    seconds = delta.total_seconds()
    locale = get_locale()
    tzinfo = get_timezone()
    key = (value, str(locale), tzinfo, seconds >= 0, *_relative_step(seconds))
    html = _WHEN_CACHE.get(key)
    if html is None:
        html = Markup('<time datetime="{}" title="{}">{}</time>').format(
            iso(value), datetime_full(value), _relative(delta)
        )
        if len(_WHEN_CACHE) >= _WHEN_CACHE_SIZE:
            _WHEN_CACHE.clear()
        _WHEN_CACHE[key] = html
    return html


def page_url(page: int) -> str:
    """The current URL with another ``page`` argument."""
    args = dict(request.args)
    args["page"] = page
    return url_for(request.endpoint, **(request.view_args or {}), **args)


class IdURL:
    """``url_for(endpoint, **values)`` with one argument left open, built once and then
    filled in per id: a thread page links each of its posts several times, and url_for
    costs about 20 us a call. ``id_url('threads.edit_post', 'post_id')(post.id)`` is
    ``url_for('threads.edit_post', post_id=post.id)``."""

    _MARK = 9876543210123

    def __init__(self, endpoint: str, name: str, **values):
        url = url_for(endpoint, **values, **{name: self._MARK})
        self._prefix, found, self._suffix = url.partition(str(self._MARK))
        if not found or str(self._MARK) in self._suffix:
            raise ValueError(f"{endpoint}: cannot leave {name} open in {url}")

    def __call__(self, value: int) -> str:
        return f"{self._prefix}{int(value)}{self._suffix}"


def html(value: str) -> Markup:
    """Only fields named ``*_html``, sanitized when written, may be marked safe."""
    return Markup(value or "")


def site_name() -> str:
    return site_name_override() or current_app.config.get("FORUM_SITE_NAME") or _("Class Forum")


GLOBALS = {
    "csrf_token": generate_csrf,
    "id_url": IdURL,
    "page_url": page_url,
    "site_name": site_name,
    "when": when,
}
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
    # Without a "%" formatting changes nothing (most labels): skip its cost.
    return rv % variables if variables or "%" in rv else rv


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
