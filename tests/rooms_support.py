"""Shared by the tests of live rooms: real python-socketio clients on the websocket
transport, and waiting for events without sleeping."""

import itertools
import time

import socketio

from tests.conftest import PASSWORD

NAMESPACE = "/live"
_ids = itertools.count(1)


def token_for(user) -> str:
    from forum.accounts.services import issue_token

    return issue_token(user)


def connect(server, user=None, *, token=None, headers=None, auth=True, origin=None) -> socketio.SimpleClient:
    """A connected client of ``server`` as ``user`` (bearer token), websocket only.

    The websocket handshake carries ``Origin: <server url>`` like a page of the forum,
    unless ``origin`` names another site.
    """
    client = socketio.SimpleClient(websocket_extra_options={"origin": origin} if origin else {})
    kwargs = {"namespace": NAMESPACE, "transports": ["websocket"], "wait_timeout": 5}
    if auth:
        kwargs["auth"] = {"token": token or token_for(user)}
    if headers:
        kwargs["headers"] = headers
    client.connect(server.url, **kwargs)
    return client


def client_id() -> str:
    return f"test-{time.monotonic_ns()}-{next(_ids)}"


def send(client, room_id, body, cid=None, **extra):
    """Emit ``message`` and return its ack."""
    payload = {"room_id": room_id, "body": body, "client_id": cid or client_id(), **extra}
    return client.call("message", payload, timeout=10)


def wait_for(client, event, predicate=lambda data: True, timeout=10.0):
    """The first ``event`` whose payload matches; other events are skipped."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no {event!r} event arrived within {timeout} s")
        try:
            name, *args = client.receive(timeout=left)
        except socketio.exceptions.TimeoutError:
            continue
        data = args[0] if args else None
        if name == event and predicate(data):
            return data


def drain(client, event, count, timeout=10.0) -> list:
    """Exactly the next ``count`` payloads of ``event`` (others skipped)."""
    return [wait_for(client, event, timeout=timeout) for _ in range(count)]


def received_within(client, event, seconds) -> list:
    """Every ``event`` payload that arrives within ``seconds`` (to show what does not come)."""
    found = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            name, *args = client.receive(timeout=left)
        except socketio.exceptions.TimeoutError:
            break
        if name == event:
            found.append(args[0] if args else None)
    return found


def close_all(*clients) -> None:
    for client in clients:
        try:
            client.disconnect()
        except Exception:
            pass


# --- one server for a whole test module ----------------------------------------------------
#
# Starting a gevent server costs seconds; the room tests share one per module and keep
# out of each other's way by giving every test its own cohort, people and room.


class Live:
    """The module's app (context pushed), its server, and factories for fresh classes."""

    def __init__(self, app, server):
        self.app = app
        self.server = server
        self.url = server.url
        self._n = itertools.count(1)

    def user(self, role="trainee", display_name=None):
        from forum.accounts.services import create_user
        from forum.extensions import db

        n = next(self._n)
        user = create_user(
            None,
            f"{role[:5]}{n}x{time.monotonic_ns() % 100000}",
            PASSWORD,
            role,
            display_name or f"{role.title()} {n}",
        )
        db.session.commit()
        return user

    def cohort(self, members):
        from forum.cohorts.services import add_membership, create_cohort

        slug = f"live-{next(self._n)}-{time.monotonic_ns() % 1000000}"
        cohort = create_cohort(None, slug, slug.title(), "national", 2026, "zh")
        for user, role in members.items():
            add_membership(None, cohort, user, role)
        return cohort

    def world(self):
        """A fresh class: teacher, two trainees, an outsider with their own class, a room."""
        from forum.cohorts.services import create_board
        from forum.extensions import db
        from forum.rooms.services import create_room
        from forum.threads.services import create_thread

        w = type("World", (), {})()
        w.admin = self.user("admin", "Site Admin")
        w.teacher = self.user("instructor", "王老师")
        w.trainee = self.user("trainee", "李学员")
        w.trainee2 = self.user("trainee", "张学员")
        w.outsider = self.user("trainee", "Outsider")
        w.other_teacher = self.user("instructor", "Other Teacher")
        w.cohort = self.cohort({w.teacher: "instructor", w.trainee: "trainee", w.trainee2: "trainee"})
        w.other = self.cohort({w.outsider: "trainee", w.other_teacher: "instructor"})
        w.board = create_board(None, w.cohort, "案例讨论")
        w.thread = create_thread(w.teacher, w.board, "城市总体规划的实施", "案例……", "case")
        w.room = create_room(w.teacher, w.cohort, "Case study live", w.thread)
        db.session.commit()
        return w


def start_live(schema_template, tmp_path_factory, **server_env):
    """Set up a module's database, app and server; returns (Live, cleanup)."""
    import shutil

    from tests import conftest

    tmp = tmp_path_factory.mktemp("rooms")
    if conftest.PG_URL:
        url = conftest.PG_URL
    else:
        shutil.copyfile(schema_template, tmp / "forum.sqlite3")
        url = f"sqlite:///{tmp / 'forum.sqlite3'}"
    app = conftest.make_app(url, tmp)
    app.test_client_class = conftest.ForumClient
    if conftest.PG_URL:
        conftest._truncate_all(app)
    ctx = app.app_context()
    ctx.push()
    server = conftest.LiveServer(url, tmp, {k: str(v) for k, v in server_env.items()})

    def cleanup():
        from forum.extensions import db

        server.stop()
        db.session.remove()
        db.engine.dispose()
        ctx.pop()

    return Live(app, server), cleanup
