"""The ``/live`` Socket.IO namespace: who is connected.

Connections authenticate with ``auth={"token": ...}`` or the browser's session
cookie; cross-origin connections are refused by the engine itself
(``cors_allowed_origins`` comes from ``FORUM_SOCKET_ORIGINS``, never ``*``).
Feature event handlers (rooms, thread subscriptions, notifications) live in their
feature's ``events.py``, registered with :func:`live_event`.
"""

import logging
from functools import cache, wraps

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room
from sqlalchemy import bindparam, select

from forum import transaction, validation
from forum.accounts.models import User
from forum.accounts.services import user_for_token
from forum.errors import ServiceError
from forum.extensions import db, socketio

log = logging.getLogger(__name__)
NAMESPACE = "/live"

# sid -> user id, for the handlers of this process.
_connected: dict[str, int] = {}
# Features clean up after a closing connection here (rooms: presence): fn(sid, user_id).
disconnect_hooks: list = []


def user_room(user_id: int) -> str:
    """The Socket.IO room every connection of one user joins (notifications)."""
    return f"user:{user_id}"


@cache
def _user_statement():
    # Built once: every event of every connection runs it.
    return select(User).where(User.id == bindparam("user_id"))


def socket_user():
    """The user behind the current socket event, loaded fresh from the database (a
    deactivated account is refused at its next event, not at its next connection)."""
    user_id = _connected.get(request.sid)
    if user_id is None:
        return None
    user = db.session.execute(_user_statement(), {"user_id": user_id}).scalar()
    if user is None or not user.active:
        return None
    return user


@socketio.on("connect", namespace=NAMESPACE)
def on_connect(auth=None):
    """Accept a signed-in user (token or session cookie); refuse everyone else."""
    user = None
    if isinstance(auth, dict) and auth.get("token") is not None:
        user = user_for_token(auth.get("token"))
    elif current_user and current_user.is_authenticated:
        user = current_user._get_current_object()
    if user is None:
        raise ConnectionRefusedError("unauthorized")
    _connected[request.sid] = user.id
    join_room(user_room(user.id))
    db.session.remove()


@socketio.on("disconnect", namespace=NAMESPACE)
def on_disconnect(reason=None):
    """Forget the connection (and let features forget it too)."""
    user_id = _connected.pop(request.sid, None)
    for hook in disconnect_hooks:
        try:
            hook(request.sid, user_id)
        except Exception:
            log.exception("disconnect hook %s failed", getattr(hook, "__name__", hook))


# --- event handlers: one shape for every feature ---------------------------------------------


def ack_error(code: str, message: str, **extra) -> dict:
    """The ack of a refused event: ``{"error": {"code", "message", ...}}`` (CONTRACT.md)."""
    return {"error": {"code": code, "message": message, **extra}}


def live_event(name: str):
    """Register a ``/live`` handler that gets (user, payload) and always answers an ack.

    Refused before the handler runs: no signed-in user, a payload that is not an object.
    The handler is one unit of work: committed when it answers, and only then are its
    broadcasts sent. A ServiceError becomes the ack's error (with its ``field``, and
    ``retry_after`` for a limit that clears by itself); anything else is logged and
    answered ``internal``. Both roll the whole unit back and send nothing."""

    def decorator(fn):
        @wraps(fn)
        def handler(data=None, *_ignored):
            try:
                user = socket_user()
                if user is None:
                    return ack_error("unauthorized", _("Please sign in."))
                if not isinstance(data, dict):
                    return ack_error("invalid", _("Send a JSON object."))
                answer = fn(user, data)
                transaction.commit()
                return answer
            except ServiceError as error:
                transaction.rollback()
                extra = {"field": error.field} if error.field else {}
                if getattr(error, "retry_after", None) is not None:
                    extra["retry_after"] = error.retry_after
                return ack_error(error.code, error.message, **extra)
            except Exception:
                log.exception("live event %s failed", name)
                transaction.rollback()
                return ack_error("internal", _("Something went wrong on our side."))

        socketio.on(name, namespace=NAMESPACE)(handler)
        return handler

    return decorator


def check_fields(data: dict, allowed: tuple[str, ...]) -> None:
    """Refuse a payload with a field the event does not know (a typo loses nothing silently)."""
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        name = unknown[0][:40]
        raise ServiceError("unknown_field", _("Unknown field: %(name)s.", name=name), field=name)


def id_field(data: dict, name: str, required: bool = True, minimum: int = 0) -> int | None:
    """An id or counter from a payload: a JSON integer (not a string, not a boolean)."""
    value = data.get(name)
    if value is None:
        if required:
            raise ServiceError("required", _("%(field)s is required.", field=name), field=name)
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ServiceError("invalid", _("%(field)s must be a whole number.", field=name), field=name)
    return validation.integer(value, name, minimum=minimum, maximum=2**53)
