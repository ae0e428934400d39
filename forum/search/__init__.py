"""Full-text search over materials, threads, posts and room messages.

This package is the only place that imports Whoosh or jieba (the engine stays
behind ``services.search`` / ``services.similar_threads`` and the index adapter).
"""

from flask import Blueprint

bp = Blueprint("search", __name__)

from forum.search import views  # noqa: E402,F401
