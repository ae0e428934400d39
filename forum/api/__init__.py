"""The JSON API, ``/api/v1`` (CONTRACT.md).

Each feature adds its endpoints in ``forum/api/<feature>.py`` and its name to the import
in init_app, its OpenAPI description in ``forum/api/docs/<feature>.py``; errors come back
as ``{"error": {"code", "message"}}`` (forum/errorpages.py).
"""

from flask import Blueprint

from forum.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Bearer-token calls carry no cookie to forge; cookie calls are checked for
# X-CSRFToken in authenticate_request instead.
csrf.exempt(bp)


def init_app(app) -> None:
    """Register the API: one module per feature, each adding its routes to ``bp``."""
    from forum.api import (  # noqa: F401  (views register on bp; not at import, so models load alone)
        admin,
        courses,
        discussion,
        engagement,
        materials,
        moderation,
        reports,
        rooms,
        search,
        views,
    )

    app.register_blueprint(bp)
