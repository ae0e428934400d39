"""Socket.IO emits for rooms, queued by the services to go out after the commit.

Every emit goes through ``socketio.emit``: with ``REDIS_URL`` set, Flask-SocketIO
publishes it on the message queue and every server process delivers it to its own
connections, so a room spread over several processes hears everything once.
"""

import logging

from forum.extensions import socketio
from forum.sockets import NAMESPACE, user_room

log = logging.getLogger(__name__)


def room_key(room_id: int) -> str:
    """The Socket.IO room of a forum room (its connections receive its events)."""
    return f"room:{room_id}"


def to_room(event: str, room_id: int, payload: dict, skip_sid: str | None = None) -> None:
    """Emit one event to everyone in a forum room, on every server process."""
    try:
        socketio.emit(event, payload, to=room_key(room_id), namespace=NAMESPACE, skip_sid=skip_sid)
    except Exception:  # a lost broadcast must never undo a committed write
        log.exception("emitting %s to room %s failed", event, room_id)


def to_user(event: str, user_id: int, payload: dict) -> None:
    """Emit one event to every connection of one user."""
    try:
        socketio.emit(event, payload, to=user_room(user_id), namespace=NAMESPACE)
    except Exception:
        log.exception("emitting %s to user %s failed", event, user_id)
