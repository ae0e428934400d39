"""The JSON API, ``/api/v1`` (CONTRACT.md).

Each feature adds its endpoints in ``forum/api/<feature>.py`` and one import line
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

# One line per feature module (each registers its routes on ``bp``).
from forum.api import views  # noqa: E402,F401
from forum.api import rooms  # noqa: E402,F401
from forum.api import moderation, reports  # noqa: E402,F401
from forum.api import discussion  # noqa: E402,F401
from forum.api import engagement  # noqa: E402,F401
from forum.api import materials, search  # noqa: E402,F401
from forum.api import admin  # noqa: E402,F401
