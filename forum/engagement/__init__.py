"""Engagement: replying extras (reactions, revisions, mentions), reading state,
notifications, watch settings and live thread pages."""

from flask import Blueprint

bp = Blueprint("engagement", __name__)

from forum.engagement import views  # noqa: E402,F401


def register(app) -> None:
    """Hook the feature in: signal receivers, live events, @mention links, the nav count."""
    from forum import sanitize
    from forum.engagement import events, receivers, services  # noqa: F401  (receivers connect on import)
    from forum.engagement.templating import GLOBALS

    sanitize.set_mention_resolver(services.resolve_mentions)
    app.jinja_env.globals.update(GLOBALS)
