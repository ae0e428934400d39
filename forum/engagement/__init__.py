"""Engagement: replying extras (reactions, revisions, mentions), reading state,
notifications, watch settings and live thread pages."""

from flask import Blueprint

from forum import sanitize

bp = Blueprint("engagement", __name__)


def init_app(app) -> None:
    """Register the pages, signal receivers, live events, @mention links and the nav count."""
    from forum.engagement import events, receivers, services, templating, views  # noqa: F401  (views, handlers and receivers register on import; not at import, so models load alone)

    sanitize.set_mention_resolver(services.resolve_mentions)
    app.jinja_env.globals.update(templating.GLOBALS)
    app.register_blueprint(bp)
