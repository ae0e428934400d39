"""Live rooms through a real gevent server and real python-socketio clients (websocket):
acks and broadcasts, resends, catch-up, presence, typing, limits and refusals."""

import pytest
import socketio

from tests.rooms_support import (
    client_id,
    close_all,
    connect,
    received_within,
    send,
    start_live,
    wait_for,
)

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def live(schema_template, tmp_path_factory):
    """One gevent server for the module; each test gets its own class and room."""
    live, cleanup = start_live(schema_template, tmp_path_factory)
    yield live
    cleanup()


@pytest.fixture
def world(live):
    return live.world()


@pytest.fixture
def room(world):
    return world.room


@pytest.fixture
def server(live):
    return live.server


def test_message_is_acknowledged_stored_and_broadcast(world, room, server):
    teacher, trainee = connect(server, world.teacher), connect(server, world.trainee)
    try:
        joined = trainee.call("join", {"room_id": room.id})
        assert joined["ok"] is True and joined["history"] == [] and joined["room"]["status"] == "open"
        assert teacher.call("join", {"room_id": room.id})["ok"]

        cid = client_id()
        ack = send(teacher, room.id, "Good morning, **class**", cid)
        assert isinstance(ack["id"], int) and ack["duplicate"] is False

        for client in (teacher, trainee):  # everyone in the room, the sender too
            event = wait_for(client, "message", lambda m: m["id"] == ack["id"])
            assert event["client_id"] == cid and event["room_id"] == room.id
            assert event["author"] == {"username": world.teacher.username, "display_name": "王老师"}
            assert "<strong>class</strong>" in event["body_html"] and event["created_at"].endswith("Z")

        reply = send(trainee, room.id, "<script>x</script> morning", reply_to=ack["id"])
        event = wait_for(teacher, "message", lambda m: m["id"] == reply["id"])
        assert "<script>" not in event["body_html"]
        assert event["reply_to"]["id"] == ack["id"] and event["reply_to"]["excerpt"] == "Good morning, class"
    finally:
        close_all(teacher, trainee)

    from forum.rooms.models import RoomMessage

    stored = RoomMessage.query.filter_by(room_id=room.id).order_by(RoomMessage.id).all()
    assert [m.body for m in stored] == ["Good morning, **class**", "<script>x</script> morning"]


def test_resend_with_the_same_client_id_is_stored_once(world, room, server):
    trainee, watcher = connect(server, world.trainee), connect(server, world.teacher)
    try:
        watcher.call("join", {"room_id": room.id})
        cid = client_id()
        first = send(trainee, room.id, "Only once", cid)
        again = send(trainee, room.id, "Only once", cid)
        assert again["id"] == first["id"] and again["duplicate"] is True
        after = send(trainee, room.id, "Next one")
        # The watcher hears the message once, then the next one: no second broadcast.
        seen = [wait_for(watcher, "message")["id"], wait_for(watcher, "message")["id"]]
        assert seen == [first["id"], after["id"]]
    finally:
        close_all(trainee, watcher)

    from forum.rooms.models import RoomMessage

    assert RoomMessage.query.filter_by(client_id=cid).count() == 1


def test_catch_up_after_a_disconnect_returns_each_missed_message_once_in_order(world, room, server):
    teacher, trainee = connect(server, world.teacher), connect(server, world.trainee)
    try:
        trainee.call("join", {"room_id": room.id})
        teacher.call("join", {"room_id": room.id})
        seen = send(teacher, room.id, "before the drop")["id"]
        assert wait_for(trainee, "message")["id"] == seen
        # The tablet drops off the network: the transport is cut, not closed politely.
        trainee.client.eio.ws.close()
        close_all(trainee)
        missed = [send(teacher, room.id, f"missed {n}")["id"] for n in range(3)]
        trainee = connect(server, world.trainee)
        back = trainee.call("join", {"room_id": room.id, "after": seen})
        assert [m["id"] for m in back["history"]] == missed
        assert [n for n in range(3) if f"missed {n}" in back["history"][n]["body_html"]] == [0, 1, 2]
        assert back["more"] is False
        # And live again after the catch-up.
        live = send(teacher, room.id, "welcome back")["id"]
        assert wait_for(trainee, "message")["id"] == live
    finally:
        close_all(teacher, trainee)


def test_history_pages_through_a_long_gap(world, room, server):
    from forum.extensions import db
    from forum.rooms import services

    for n in range(4):
        services.send_message(world.teacher, room, f"m{n}", f"c{n}")
    db.session.commit()
    trainee = connect(server, world.trainee)
    try:
        first = trainee.call("history", {"room_id": room.id, "after": 0, "limit": 3})
        rest = trainee.call("history", {"room_id": room.id, "after": first["history"][-1]["id"], "limit": 3})
        assert first["more"] is True and rest["more"] is False
        assert len(first["history"]) + len(rest["history"]) == 4
    finally:
        close_all(trainee)


def test_presence_and_typing(world, room, server):
    teacher, trainee = connect(server, world.teacher), connect(server, world.trainee)
    try:
        teacher.call("join", {"room_id": room.id})
        joined = trainee.call("join", {"room_id": room.id})
        assert joined["presence"]["count"] == 2
        both = wait_for(teacher, "presence", lambda p: p["count"] == 2)
        assert {u["username"] for u in both["users"]} == {world.teacher.username, world.trainee.username}

        assert trainee.call("typing", {"room_id": room.id}) == {"ok": True}
        typing = wait_for(teacher, "typing")
        assert typing == {
            "room_id": room.id,
            "user": {"username": world.trainee.username, "display_name": "李学员"},
        }
        # Throttled: a burst of keystrokes is one event (the second is acknowledged, not sent).
        assert trainee.call("typing", {"room_id": room.id}) == {"ok": True}
        assert received_within(trainee, "typing", 0.3) == []  # never echoed to the typist

        trainee.call("leave", {"room_id": room.id})
        alone = wait_for(teacher, "presence", lambda p: p["count"] == 1)
        assert [u["username"] for u in alone["users"]] == [world.teacher.username]
        trainee.call("join", {"room_id": room.id})
        wait_for(teacher, "presence", lambda p: p["count"] == 2)
        trainee.disconnect()
        wait_for(teacher, "presence", lambda p: p["count"] == 1)
    finally:
        close_all(teacher, trainee)


def test_rate_limit_refuses_with_a_clear_error(world, room, server):
    trainee = connect(server, world.trainee)
    try:
        acks = [send(trainee, room.id, f"quick {n}") for n in range(6)]
        assert all("id" in a for a in acks[:5])
        assert acks[5]["error"]["code"] == "rate_limited"
        assert "5" in acks[5]["error"]["message"] and acks[5]["error"]["retry_after"] >= 1
    finally:
        close_all(trainee)


@pytest.mark.parametrize(
    "payload, code",
    [
        (None, "invalid"),
        ("room 1", "invalid"),
        ({"room_id": "1", "body": "x", "client_id": "a"}, "invalid"),
        ({"room_id": True, "body": "x", "client_id": "a"}, "invalid"),
        ({"body": "x", "client_id": "a"}, "required"),
        ({"room_id": 999999, "body": "x", "client_id": "a"}, "not_found"),
        ({"room_id": "ROOM", "body": "", "client_id": "a"}, "required"),
        ({"room_id": "ROOM", "body": "x" * 2001, "client_id": "a"}, "too_long"),
        ({"room_id": "ROOM", "body": ["x"], "client_id": "a"}, "invalid"),
        ({"room_id": "ROOM", "body": "x", "client_id": "a" * 65}, "too_long"),
        ({"room_id": "ROOM", "body": "x", "client_id": 7}, "invalid"),
        ({"room_id": "ROOM", "body": "x", "client_id": "a", "admin": True}, "unknown_field"),
        ({"room_id": "ROOM", "body": "x", "client_id": "b", "reply_to": 999999}, "invalid"),
    ],
)
def test_bad_payloads_get_an_error_ack_never_an_exception(world, room, server, payload, code):
    trainee = connect(server, world.trainee)
    try:
        if isinstance(payload, dict) and payload.get("room_id") == "ROOM":
            payload = {**payload, "room_id": room.id}
        ack = trainee.call("message", payload, timeout=10)
        assert ack["error"]["code"] == code, ack
        assert ack["error"]["message"]
        # The connection is still good.
        assert trainee.call("join", {"room_id": room.id})["ok"]
    finally:
        close_all(trainee)


def test_unauthenticated_and_cross_origin_connections_are_refused(world, server):
    with pytest.raises(socketio.exceptions.ConnectionError):
        connect(server, auth=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        connect(server, token="not-a-token")
    # A page of another site: the engine refuses the handshake itself (the websocket is
    # answered with an empty refusal, which the python client reports as a ValueError).
    refused = (socketio.exceptions.ConnectionError, ValueError)
    with pytest.raises(refused):
        connect(server, world.trainee, origin="http://evil.example")
    with pytest.raises(refused):
        connect(server, world.trainee, origin=server.url.replace("127.0.0.1", "localhost"))
    import requests

    handshake = f"{server.url}/socket.io/?EIO=4&transport=polling"
    assert requests.get(handshake, headers={"Origin": "http://evil.example"}, timeout=5).status_code == 400
    assert requests.get(handshake, headers={"Origin": server.url}, timeout=5).status_code == 200
    # The same origin is fine: the refusals above are about the origin.
    close_all(connect(server, world.trainee, origin=server.url))


def test_session_cookie_authenticates_a_socket(world, room, server, live):
    browser = live.app.test_client()
    assert browser.login(world.trainee).status_code == 302
    cookie = browser.get_cookie("forum_session")
    client = connect(server, auth=False, headers={"Cookie": f"forum_session={cookie.value}"})
    try:
        assert client.call("join", {"room_id": room.id})["ok"]
    finally:
        close_all(client)


def test_another_cohorts_room_is_refused(world, room, server):
    outsider = connect(server, world.outsider)
    other_teacher = connect(server, world.other_teacher)
    try:
        for client in (outsider, other_teacher):
            assert client.call("join", {"room_id": room.id})["error"]["code"] == "not_found"
            assert send(client, room.id, "let me in")["error"]["code"] == "not_found"
            assert client.call("history", {"room_id": room.id})["error"]["code"] == "not_found"
            assert client.call("typing", {"room_id": room.id})["error"]["code"] == "not_joined"
    finally:
        close_all(outsider, other_teacher)

    from forum.rooms.models import RoomMessage

    assert RoomMessage.query.filter_by(room_id=room.id).count() == 0


def test_closed_room_and_archived_cohort_refuse_messages(world, room, server):
    from forum.cohorts.services import update_cohort
    from forum.extensions import db
    from forum.rooms.moderation import close_room, reopen_room

    trainee = connect(server, world.trainee)
    try:
        close_room(world.teacher, room)
        db.session.commit()
        ack = send(trainee, room.id, "anyone?")
        assert ack["error"]["code"] == "room_closed"
        joined = trainee.call("join", {"room_id": room.id})  # still readable
        assert joined["ok"] and joined["can_post"] is False

        reopen_room(world.teacher, room)
        db.session.commit()
        assert "id" in send(trainee, room.id, "open again")
        update_cohort(world.admin, world.cohort, archived=True)
        db.session.commit()
        assert send(trainee, room.id, "after the course")["error"]["code"] == "archived"
    finally:
        close_all(trainee)


def test_changes_made_while_connected_apply_to_the_very_next_message(world, room, server, live):
    """Nothing about the sender is kept between events: a cohort mute, a removal from the
    cohort or a deactivated account refuses the next message at once (a room closed
    meanwhile: test_closed_room_and_archived_cohort_refuse_messages)."""
    from forum.cohorts.services import add_membership, remove_membership
    from forum.extensions import db
    from forum.moderation.mutes import mute_user

    third = live.user("trainee")
    add_membership(None, world.cohort, third, "trainee")
    db.session.commit()
    muted, removed, live_user = (connect(server, u) for u in (world.trainee, world.trainee2, third))
    try:
        for client in (muted, removed, live_user):
            assert client.call("join", {"room_id": room.id})["ok"]
            assert "id" in send(client, room.id, "hello")

        mute_user(world.teacher, world.cohort, world.trainee, 30)
        db.session.commit()
        assert send(muted, room.id, "still here?")["error"]["code"] == "muted"

        remove_membership(world.admin, world.cohort, world.trainee2)
        db.session.commit()
        assert send(removed, room.id, "still here?")["error"]["code"] == "not_found"

        third.active = False
        db.session.commit()
        assert send(live_user, room.id, "still here?")["error"]["code"] == "unauthorized"
    finally:
        close_all(muted, removed, live_user)


def test_a_resend_after_the_room_closed_is_answered_with_the_stored_message(world, room, server):
    from forum.extensions import db
    from forum.rooms.moderation import close_room

    trainee = connect(server, world.trainee)
    try:
        assert trainee.call("join", {"room_id": room.id})["ok"]
        cid = client_id()
        first = send(trainee, room.id, "sent just before the close", cid)
        close_room(world.teacher, room)
        db.session.commit()
        again = send(trainee, room.id, "sent just before the close", cid)
        assert again["id"] == first["id"] and again["duplicate"] is True
        assert send(trainee, room.id, "a new one")["error"]["code"] == "room_closed"
    finally:
        close_all(trainee)
