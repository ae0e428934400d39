"""The API modules for sign-in, cohorts and boards, threads and posts, and OpenAPI,
and the rule that a refused API write leaves nothing half-done in the session."""

from forum.api import bp
from forum.api.common import authenticate_request
from forum.errorpages import error_response
from forum.errors import ServiceError
from forum.extensions import db

bp.before_request(authenticate_request)


@bp.errorhandler(ServiceError)
def _service_error(error: ServiceError):
    """Roll back whatever a refused call added to the session, then answer in JSON."""
    db.session.rollback()
    return error_response(error.status, error.code, error.message, error.field)


from forum.api import auth, cohorts, openapi, threads  # noqa: E402,F401
