"""The API modules for sign-in, cohorts and boards, threads and posts, and OpenAPI,
and the JSON answer of a refused call (its status rolls the request's work back whole)."""

from forum.api import bp
from forum.api.common import authenticate_request
from forum.errorpages import error_response
from forum.errors import ServiceError

bp.before_request(authenticate_request)


@bp.errorhandler(ServiceError)
def _service_error(error: ServiceError):
    """Answer a refused call in JSON (the request boundary rolls its work back)."""
    return error_response(error.status, error.code, error.message, error.field)


from forum.api import auth, cohorts, openapi, threads  # noqa: E402,F401
