"""Full-text search over materials, threads, posts and room messages, and the queue of
index jobs with the worker that runs them (the one writer of the index).

This package is the only place that imports Whoosh or jieba (the engine stays
behind ``services.search`` / ``services.similar_threads`` and the index adapter).
"""

from flask import Blueprint

bp = Blueprint("search", __name__)


def init_app(app) -> None:
    """Register the search page, ``reindex``/``worker``, the index-job subscriptions and the worker."""
    from forum.search import cli, receivers, views, worker  # noqa: F401  (views and commands register on import; not at import, so models load alone)

    app.register_blueprint(bp)
    receivers.connect()  # index jobs for posts, threads, room messages, cohorts
    worker.install(app)  # FORUM_WORKER=thread: the in-process indexing worker
