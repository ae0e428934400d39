"""The ``/live`` Socket.IO namespace: who is connected.

Connections authenticate with ``auth={"token": ...}`` or the browser's session
cookie; cross-origin connections are refused by the engine itself
(``cors_allowed_origins`` comes from ``FORUM_SOCKET_ORIGINS``, never ``*``).
Feature event handlers (rooms, thread subscriptions, notifications) live in their
feature's ``events.py`` and use :func:`socket_user`.
"""

import logging
from functools import cache

from flask import request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room
from sqlalchemy import bindparam, select

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
    from forum.accounts.models import User

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
    from forum.accounts.services import user_for_token

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
