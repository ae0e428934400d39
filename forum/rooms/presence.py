"""Who is in a room now: cheap, never stored in the database.

One server process keeps it in memory. Behind a message queue (``REDIS_URL``)
the connections of a room are spread over several processes, so each process
writes its own into one Redis hash per room, and a heartbeat key per process lets
the others ignore the entries of a process that died without cleaning up.
"""

import json
import logging
import os
import uuid

import redis

from forum.extensions import socketio

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 20
ROOM_KEY_TTL = 12 * 3600
LIST_MAX = 100


def _unique(entries) -> list[dict]:
    users = {}
    for entry in entries:
        users.setdefault(entry["id"], entry)
    return sorted(users.values(), key=lambda u: (u["display_name"], u["username"]))


class LocalPresence:
    """One process: a dict of room id -> {sid: user}."""

    def __init__(self):
        self.rooms: dict[int, dict[str, dict]] = {}

    def add(self, room_id: int, sid: str, user: dict) -> None:
        self.rooms.setdefault(room_id, {})[sid] = user

    def remove(self, room_id: int, sid: str) -> None:
        members = self.rooms.get(room_id)
        if members is not None:
            members.pop(sid, None)
            if not members:
                self.rooms.pop(room_id, None)

    def users(self, room_id: int) -> list[dict]:
        return _unique(self.rooms.get(room_id, {}).values())


class RedisPresence:
    """Several processes: a hash per room, fields ``process:sid``, pruned by heartbeats."""

    def __init__(self, url: str, channel: str):
        self.redis = redis.Redis.from_url(url)
        self.prefix = f"forum:presence:{channel}"
        self.process = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._beating = False

    def _room(self, room_id: int) -> str:
        return f"{self.prefix}:room:{room_id}"

    def _alive(self, process: str) -> str:
        return f"{self.prefix}:alive:{process}"

    def _beat_forever(self) -> None:
        while True:
            try:
                self.redis.set(self._alive(self.process), "1", ex=HEARTBEAT_SECONDS * 3)
            except Exception:
                log.exception("presence heartbeat failed")
            socketio.sleep(HEARTBEAT_SECONDS)

    def add(self, room_id: int, sid: str, user: dict) -> None:
        if not self._beating:
            self._beating = True
            self.redis.set(self._alive(self.process), "1", ex=HEARTBEAT_SECONDS * 3)
            socketio.start_background_task(self._beat_forever)
        key = self._room(room_id)
        pipe = self.redis.pipeline()
        pipe.hset(key, f"{self.process}:{sid}", json.dumps(user))
        pipe.expire(key, ROOM_KEY_TTL)
        pipe.execute()

    def remove(self, room_id: int, sid: str) -> None:
        self.redis.hdel(self._room(room_id), f"{self.process}:{sid}")

    def users(self, room_id: int) -> list[dict]:
        key = self._room(room_id)
        fields = self.redis.hgetall(key)
        processes = sorted({f.decode().split(":", 1)[0] for f in fields})
        alive = (
            dict(zip(processes, self.redis.mget([self._alive(p) for p in processes]), strict=True))
            if processes
            else {}
        )
        entries, dead = [], []
        for field, value in fields.items():
            if alive.get(field.decode().split(":", 1)[0]) is None:
                dead.append(field)
            else:
                entries.append(json.loads(value))
        if dead:
            self.redis.hdel(key, *dead)
        return _unique(entries)


def presence_for(app):
    """The presence store of this app (made on first use)."""
    store = app.extensions.get("forum_room_presence")
    if store is None:
        url = app.config.get("REDIS_URL")
        if url:
            store = RedisPresence(url, app.config.get("FORUM_SOCKETIO_CHANNEL") or "flask-socketio")
        else:
            store = LocalPresence()
        app.extensions["forum_room_presence"] = store
    return store


def presence_payload(app, room_id: int) -> dict:
    """The ``presence`` event: how many are here and who (the first hundred by name)."""
    users = presence_for(app).users(room_id)
    public = [{"username": u["username"], "display_name": u["display_name"]} for u in users[:LIST_MAX]]
    return {"room_id": room_id, "count": len(users), "users": public}
