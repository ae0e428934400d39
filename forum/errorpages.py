"""Error responses: JSON under /api/, a page elsewhere; never a stack trace."""

import logging

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from forum.errors import ServiceError

log = logging.getLogger(__name__)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: str, field: str | None = None):
    if wants_json():
        body = {"error": {"code": code, "message": message}}
        if field:
            body["error"]["field"] = field
        return jsonify(body), status
    return render_template("error.html", status=status, message=message), status


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}


def _http_message(status: int) -> str:
    return {
        400: _("The request was not understood."),
        401: _("Please sign in."),
        403: _("You are not allowed to do that."),
        404: _("There is nothing here, or you may not see it."),
        405: _("That method is not allowed here."),
        413: _("The upload or request is too large."),
        415: _("That kind of content is not accepted."),
        429: _("Too many requests. Please wait a little."),
    }.get(status, _("Something went wrong."))


def register(app) -> None:
    @app.errorhandler(ServiceError)
    def _service_error(error: ServiceError):
        return error_response(error.status, error.code, error.message, error.field)

    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        return error_response(400, "csrf", _("The form expired. Please reload the page and try again."))

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        status = error.code or 500
        return error_response(status, _HTTP_CODES.get(status, "error"), _http_message(status))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal", _("Something went wrong on our side."))
