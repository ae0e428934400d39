"""The one error type services raise for bad input or refused actions."""

from flask_babel import gettext as _


class ServiceError(Exception):
    """A refusal with a stable machine code, a human message and an HTTP status.

    ``message`` is already translated when raised inside a request (services use
    ``lazy_gettext``/``gettext``), so pages flash it and the API returns it as is.
    """

    def __init__(self, code: str, message: str, status: int = 400, field: str | None = None):
        super().__init__(str(message))
        self.code = code
        self.message = str(message)
        self.status = status
        self.field = field


class NotFound(ServiceError):
    def __init__(self, message: str | None = None, code: str = "not_found"):
        super().__init__(code, message or _("Not found."), 404)


class Forbidden(ServiceError):
    def __init__(self, message: str | None = None, code: str = "forbidden"):
        super().__init__(code, message or _("You are not allowed to do that."), 403)
