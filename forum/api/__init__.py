"""The JSON API, ``/api/v1`` (CONTRACT.md).

Each feature adds its endpoints in ``forum/api/<feature>.py`` and its name to the import
below; errors come back as ``{"error": {"code", "message"}}`` (forum/errorpages.py).
"""

from flask import Blueprint

from forum.api.common import authenticate_request
from forum.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Bearer-token calls carry no cookie to forge; cookie calls are checked for
# X-CSRFToken in authenticate_request instead.
csrf.exempt(bp)
bp.before_request(authenticate_request)

# One name per feature module (each registers its routes on ``bp``).
from forum.api import (  # noqa: E402,F401
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
