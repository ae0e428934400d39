"""Jinja globals of the engagement feature (the nav's notification count, labels)."""

import logging

from flask import g
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup

from forum.engagement.notifications import unread_count

log = logging.getLogger(__name__)


def unread_notification_count() -> int:
    """The signed-in user's unread notifications (one query per page, cached on ``g``)."""
    if not current_user or not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        try:
            g.unread_notifications = unread_count(current_user)
        except Exception:  # an error page must render even when the database does not answer
            log.exception("unread notification count failed")
            g.unread_notifications = 0
    return g.unread_notifications


def reaction_label(kind: str) -> str:
    """The translated name of a reaction kind."""
    return {
        "agree": _("Agree"),
        "thanks": _("Thanks"),
        "insightful": _("Insightful"),
        "question": _("Question"),
    }.get(kind, kind)


REACTION_SYMBOLS = {"agree": "👍", "thanks": "🙏", "insightful": "💡", "question": "❓"}


def watch_label(level: str) -> str:
    """The translated name of a notification level."""
    return {
        "watch": _("Watching"),
        "normal": _("Normal"),
        "mute": _("Muted"),
    }.get(level, level)


def unread_badge(info, thread_id: int) -> Markup:
    """A thread row's reading state: "New" (never opened) or "N new replies" (a link to the
    first unread post); nothing when all is read. Called once per row of a thread list."""
    if not info:
        return Markup("")
    if info.get("new"):
        return Markup('<span class="marker marker-new">%s</span>') % _("New")
    unread = info.get("unread") or 0
    if not unread:
        return Markup("")
    return Markup('<a class="marker marker-unread" href="/threads/%d/unread" title="%s">%s</a>') % (
        thread_id,
        _("Jump to first unread"),
        ngettext("%(num)d new reply", "%(num)d new replies", unread),
    )


GLOBALS = {
    "unread_badge": unread_badge,
    "unread_notification_count": unread_notification_count,
    "reaction_label": reaction_label,
    "reaction_symbols": REACTION_SYMBOLS,
    "watch_label": watch_label,
}
