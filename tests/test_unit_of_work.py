"""One transaction per unit of work: a composed action that fails halfway leaves the
database unchanged and announces nothing; a successful one announces exactly its
events, after its commit; an after-commit callback never runs for work rolled back."""

import pytest
from sqlalchemy import func, select

from forum import transaction
from forum.extensions import db, socketio
from forum.moderation.models import AuditEntry
from forum.threads.models import Post

BLOCKED = "赌博"


@pytest.fixture
def blocked_word(world):
    from forum.moderation.filters import add_watched_word

    add_watched_word(world.admin, BLOCKED, "block")
    db.session.commit()
    return BLOCKED


def _audit_rows() -> int:
    return db.session.execute(select(func.count(AuditEntry.id))).scalar_one()


def _stored(model, row_id, *columns):
    """Column values as committed, read on a connection of its own."""
    with db.engine.connect() as conn:
        return conn.execute(select(*(getattr(model, c) for c in columns)).where(model.id == row_id)).one()


# --- a composed action that fails halfway --------------------------------------------------


def test_api_moderate_then_refused_edit_changes_nothing(client, world, make_post, blocked_word):
    post = make_post(world.thread, world.trainee, "A reply to moderate.")
    before = _audit_rows()
    response = client.api(
        "patch",
        f"/api/v1/posts/{post.id}",
        user=world.teacher,
        json={"hidden": True, "reason": "off topic", "body": f"Now about {blocked_word}."},
    )
    assert response.status_code == 400, response.json
    assert response.json["error"]["code"] == "blocked"
    assert tuple(_stored(Post, post.id, "hidden", "body")) == (False, "A reply to moderate.")
    assert _audit_rows() == before


def test_page_rename_then_refused_edit_changes_nothing(login, world, blocked_word):
    from forum.threads.models import Thread
    from forum.threads.services import opening_post

    opening = opening_post(world.thread)
    teacher = login(world.teacher)
    before = _audit_rows()
    response = teacher.form(
        f"/posts/{opening.id}/edit",
        {"title": "A new title", "body": f"Now about {blocked_word}."},
    )
    assert response.status_code == 400
    assert _stored(Thread, world.thread.id, "title")[0] == "城市总体规划的实施"
    assert _stored(Post, opening.id, "body")[0] == "我们城市的总体规划……"
    assert _audit_rows() == before


def test_refused_queue_action_answered_by_a_redirect_leaves_nothing_half_done(
    login, world, make_post, make_user, monkeypatch
):
    """Hiding a reported post writes the hide, then closes the report; when closing it is
    refused, the page redirects (a request the boundary would commit) and the hide is
    discarded with it."""
    from forum.cohorts.services import add_membership
    from forum.errors import ServiceError
    from forum.moderation import queue
    from forum.moderation.models import ReviewItem

    classmate = make_user("classmate", "trainee", "王同学")
    add_membership(None, world.cohort, classmate, "trainee")
    post = make_post(world.thread, world.trainee, "不太合适的言论")
    item = queue.report_post(classmate, post, "人身攻击")
    db.session.commit()
    before = _audit_rows()

    def refuse(*_args, **_kwargs):
        raise ServiceError("gone", "The report went away meanwhile.", 409)

    monkeypatch.setattr(queue, "_close", refuse)
    teacher = login(world.teacher)
    response = teacher.form(f"/queue/{item.id}", {"action": "hide", "reason": "请文明讨论"})
    assert response.status_code == 302
    assert tuple(_stored(Post, post.id, "hidden", "hidden_reason")) == (False, "")
    assert _stored(ReviewItem, item.id, "status")[0] == "open"
    assert _audit_rows() == before
    assert "The report went away meanwhile." in teacher.get(response.headers["Location"]).get_data(as_text=True)


def test_duplicate_course_name_race_keeps_the_units_earlier_writes(app, world):
    """A course of the same name that slipped past the check (a race) undoes only the
    insert, in its savepoint: what the unit wrote before it still commits."""
    from forum.accounts.models import User
    from forum.courses import services as course_services
    from forum.errors import ServiceError

    course_services.create_course(world.admin, "城市规划原理")
    db.session.commit()
    with transaction.unit():
        db.session.get(User, world.trainee.id).display_name = "Written first"
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(course_services, "_refuse_duplicate", lambda *_args: None)  # the race
            with pytest.raises(ServiceError) as refused:
                course_services.create_course(world.admin, "城市规划原理")
        assert refused.value.status == 409
    assert _stored(User, world.trainee.id, "display_name")[0] == "Written first"


# --- room messages over Socket.IO -----------------------------------------------------------


@pytest.fixture
def room(world):
    from forum.rooms.services import create_room

    room = create_room(world.teacher, world.cohort, "Unit of work", world.thread)
    db.session.commit()
    return room


@pytest.fixture
def sockets(app, monkeypatch):
    """``sockets(user)``: an in-process Socket.IO client on /live whose events are handled
    in the test's thread (so the ack comes back with the call, and monkeypatches apply)."""
    from forum.accounts.services import issue_token
    from forum.rooms import events as room_events

    monkeypatch.setattr(socketio.server, "async_handlers", False)
    # The room handlers register on the server of the first app of the process (their
    # module is imported once): this test's app gets them as its server starts.
    for name, handler in (("join", room_events.on_join), ("message", room_events.on_message)):
        if name not in socketio.server.handlers.get("/live", {}):
            socketio.on(name, namespace="/live")(handler)
    clients = []

    def _connect(user):
        client = socketio.test_client(app, namespace="/live", auth={"token": issue_token(user)})
        assert client.is_connected("/live")
        clients.append(client)
        return client

    yield _connect
    for client in clients:
        if client.is_connected("/live"):
            client.disconnect(namespace="/live")


def _join(client, room) -> None:
    assert client.emit("join", {"room_id": room.id}, namespace="/live", callback=True)["ok"]
    client.get_received("/live")


def _received(client, name: str) -> list:
    # The test client unwraps the arguments of an event named "message".
    return [
        event["args"] if name == "message" else event["args"][0]
        for event in client.get_received("/live")
        if event["name"] == name
    ]


@pytest.fixture
def emits(monkeypatch):
    """Every socket emit of the test, as (event, to, payload). ``presence`` is left out: a
    room sends it from a timer after a disconnect, not from a write, and an earlier test's
    room in the same process may still send one while this test runs."""
    seen = []
    original = socketio.emit

    def record(event, payload, *args, **kwargs):
        if event != "presence":
            seen.append((event, kwargs.get("to"), payload))
        return original(event, payload, *args, **kwargs)

    monkeypatch.setattr(socketio, "emit", record)
    return seen


def test_room_message_whose_index_job_fails_is_neither_stored_nor_broadcast(
    world, room, sockets, monkeypatch
):
    from forum.rooms.models import RoomMessage
    from forum.search import receivers
    from forum.search.models import IndexJob

    teacher, trainee = sockets(world.teacher), sockets(world.trainee)
    for client in (teacher, trainee):
        _join(client, room)

    def refuse(*_args, **_kwargs):
        raise RuntimeError("the job queue is down")

    monkeypatch.setattr(receivers, "enqueue", refuse)
    ack = teacher.emit(
        "message",
        {"room_id": room.id, "body": "lost", "client_id": "c-lost"},
        namespace="/live",
        callback=True,
    )
    assert ack["error"]["code"] == "internal"
    with db.engine.connect() as conn:
        assert conn.execute(select(func.count(RoomMessage.id))).scalar_one() == 0
        assert (
            conn.execute(select(func.count(IndexJob.id)).where(IndexJob.kind == "message")).scalar_one() == 0
        )
    assert _received(trainee, "message") == [] and _received(teacher, "message") == []


def test_room_message_is_broadcast_once_after_its_commit(world, room, sockets, emits):
    """Exactly one ``message`` event, to the room, once the message and its index job
    are committed."""
    from forum.rooms.models import RoomMessage
    from forum.search.models import IndexJob

    teacher, trainee = sockets(world.teacher), sockets(world.trainee)
    for client in (teacher, trainee):
        _join(client, room)
    committed = []
    original = socketio.emit

    def check(event, payload, *args, **kwargs):
        if event == "message":
            with db.engine.connect() as conn:  # the row and its index job, seen from outside
                committed.append(
                    (
                        conn.execute(select(RoomMessage.id).where(RoomMessage.id == payload["id"])).scalar(),
                        conn.execute(
                            select(func.count(IndexJob.id)).where(
                                IndexJob.kind == "message", IndexJob.target_id == payload["id"]
                            )
                        ).scalar_one(),
                    )
                )
        return original(event, payload, *args, **kwargs)

    socketio.emit = check
    try:
        ack = teacher.emit(
            "message",
            {"room_id": room.id, "body": "hello", "client_id": "c-hello"},
            namespace="/live",
            callback=True,
        )
    finally:
        socketio.emit = original  # the recorder of the ``emits`` fixture
    assert ack["duplicate"] is False
    assert [(event, to) for event, to, _payload in emits if event != "presence"] == [
        ("message", f"room:{room.id}")
    ]
    assert committed == [(ack["id"], 1)]
    assert [m["id"] for m in _received(trainee, "message")] == [ack["id"]]


def test_reply_announces_exactly_the_new_notification_count(client, world, make_user, emits):
    from forum.cohorts.services import add_membership

    classmate = make_user("classmate", "trainee")
    add_membership(None, world.cohort, classmate, "trainee")
    db.session.commit()
    response = client.api(
        "post", f"/api/v1/threads/{world.thread.id}/posts", user=classmate, json={"body": "A reply."}
    )
    assert response.status_code == 201
    assert [(event, to, payload) for event, to, payload in emits] == [
        ("notification", f"user:{world.trainee.id}", {"unread_count": 1})
    ]


def test_refused_reply_announces_nothing(client, world, blocked_word, emits):
    response = client.api(
        "post", f"/api/v1/threads/{world.thread.id}/posts", user=world.teacher, json={"body": blocked_word}
    )
    assert response.status_code == 400
    assert emits == []


# --- after_commit itself ----------------------------------------------------------------------


def test_after_commit_runs_after_the_commit_and_never_after_a_rollback(app, world):
    ran = []
    world.trainee.display_name = "Rolled back"
    transaction.after_commit(ran.append, "rolled back")
    db.session.rollback()
    db.session.commit()
    assert ran == []

    with pytest.raises(RuntimeError), transaction.unit():
        transaction.after_commit(ran.append, "failed unit")
        raise RuntimeError("the unit fails")
    assert ran == []

    from forum.accounts.models import User

    def seen_from_outside(name):
        ran.append(_stored(User, world.trainee.id, "display_name")[0] == name)

    with transaction.unit():
        world.trainee.display_name = "Committed"
        transaction.after_commit(seen_from_outside, "Committed")
        assert ran == []
    assert ran == [True]


def test_a_request_answered_with_an_error_rolls_back_and_announces_nothing(app, world):
    from forum.accounts.models import User

    ran = []

    def write(status):
        user = db.session.get(User, world.trainee.id)
        user.display_name = f"Written by a {status}"
        transaction.after_commit(ran.append, status)
        return "", status

    app.add_url_rule("/_test/write/<int:status>", "test_write", write)
    client = app.test_client()
    assert client.get("/_test/write/422").status_code == 422
    assert ran == [] and _stored(User, world.trainee.id, "display_name")[0] == "李学员"
    assert client.get("/_test/write/200").status_code == 200
    assert ran == [200] and _stored(User, world.trainee.id, "display_name")[0] == "Written by a 200"


def test_no_commit_outside_the_boundary():
    """Services flush; only forum/transaction.py commits the session."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "forum"
    committing = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "session.commit()" in path.read_text(encoding="utf-8")
    )
    assert committing == ["transaction.py"]


def test_no_rollback_outside_the_boundary():
    """Only forum/transaction.py rolls the session back whole; a refused page action goes
    through transaction.rollback() (forum/pages.py), a lost race through a savepoint."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "forum"
    rolling_back = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "session.rollback()" in path.read_text(encoding="utf-8")
    )
    assert rolling_back == ["transaction.py"]
