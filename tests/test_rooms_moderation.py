"""Keeping a live room in order, through the real server: delete, mute, close, pin,
slow mode; and trainees cannot do any of it."""

import pytest

from tests.rooms_support import close_all, connect, send, start_live, wait_for

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def live(schema_template, tmp_path_factory):
    live, cleanup = start_live(schema_template, tmp_path_factory)
    yield live
    cleanup()


@pytest.fixture
def w(live):
    """A fresh class with its room, the teacher and a trainee connected and joined."""
    world = live.world()
    world.t = connect(live.server, world.teacher)
    world.s = connect(live.server, world.trainee)
    for client in (world.t, world.s):
        assert client.call("join", {"room_id": world.room.id})["ok"]
    yield world
    close_all(world.t, world.s)


def test_instructor_deletes_a_message_for_everyone_and_it_is_logged(w):
    from forum.moderation.models import AuditEntry

    mid = send(w.s, w.room.id, "something regrettable")["id"]
    for client in (w.t, w.s):
        wait_for(client, "message", lambda m: m["id"] == mid)
    # A trainee may not delete, not even their own message.
    assert (
        w.s.call("delete_message", {"room_id": w.room.id, "message_id": mid})["error"]["code"] == "forbidden"
    )

    assert w.t.call("delete_message", {"room_id": w.room.id, "message_id": mid, "reason": "off topic"}) == {
        "ok": True
    }
    for client in (w.t, w.s):
        assert wait_for(client, "message_deleted") == {"room_id": w.room.id, "id": mid}
    assert w.s.call("history", {"room_id": w.room.id})["history"] == []
    entry = AuditEntry.query.filter_by(action="delete_room_message", target_id=mid).one()
    assert entry.actor_id == w.teacher.id and entry.reason == "off topic"
    assert entry.before["body"] == "something regrettable"
    # Replying to a deleted message is refused; deleting it again is not found.
    assert send(w.s, w.room.id, "re", reply_to=mid)["error"]["code"] == "invalid"
    assert (
        w.t.call("delete_message", {"room_id": w.room.id, "message_id": mid})["error"]["code"] == "not_found"
    )


def test_a_muted_trainee_reads_but_cannot_send_until_unmuted(w, live):
    other = connect(live.server, w.trainee2)
    try:
        ack = w.t.call("mute", {"room_id": w.room.id, "username": w.trainee.username, "minutes": 10})
        assert ack["ok"] and ack["until"].endswith("Z")
        notice = wait_for(w.s, "muted")
        assert notice["room_id"] == w.room.id and notice["until"] == ack["until"]
        refused = send(w.s, w.room.id, "can I speak?")
        assert refused["error"]["code"] == "muted" and refused["error"]["retry_after"] > 500
        assert "id" in send(other, w.room.id, "I still can")
        # Staff are never muted; trainees may not mute.
        assert w.t.call("mute", {"room_id": w.room.id, "username": w.teacher.username, "minutes": 5})["error"]
        assert (
            w.s.call("mute", {"room_id": w.room.id, "username": w.trainee2.username, "minutes": 5})["error"][
                "code"
            ]
            == "forbidden"
        )
        assert (
            w.t.call("mute", {"room_id": w.room.id, "username": w.trainee.username, "minutes": 0})["until"]
            is None
        )
        assert "id" in send(w.s, w.room.id, "thank you")
    finally:
        close_all(other)


def test_closing_a_room_makes_it_read_only_for_everyone(w):
    mid = send(w.s, w.room.id, "last word")["id"]
    assert w.s.call("close_room", {"room_id": w.room.id})["error"]["code"] == "forbidden"
    assert w.t.call("close_room", {"room_id": w.room.id}) == {"ok": True}
    for client in (w.t, w.s):
        assert wait_for(client, "room_closed")["room_id"] == w.room.id
    for client in (w.t, w.s):
        assert send(client, w.room.id, "one more")["error"]["code"] == "room_closed"
    again = w.s.call("join", {"room_id": w.room.id})
    assert again["room"]["status"] == "closed" and [m["id"] for m in again["history"]] == [mid]
    assert w.t.call("reopen_room", {"room_id": w.room.id}) == {"ok": True}
    assert wait_for(w.s, "room_reopened")["room_id"] == w.room.id
    assert "id" in send(w.s, w.room.id, "back")


def test_pinned_question_is_shown_to_all_and_to_late_joiners(w, live):
    mid = send(w.t, w.room.id, "What should the city do first?")["id"]
    assert w.s.call("pin", {"room_id": w.room.id, "message_id": mid})["error"]["code"] == "forbidden"
    assert w.t.call("pin", {"room_id": w.room.id, "message_id": mid}) == {"ok": True}
    pinned = wait_for(w.s, "pinned")
    assert pinned["message"]["id"] == mid
    late = connect(live.server, w.trainee2)
    try:
        assert late.call("join", {"room_id": w.room.id})["room"]["pinned"]["id"] == mid
    finally:
        close_all(late)
    # Deleting the pinned message unpins it.
    w.t.call("delete_message", {"room_id": w.room.id, "message_id": mid})
    assert wait_for(w.s, "pinned") == {"room_id": w.room.id, "message": None}


def test_slow_mode_holds_trainees_back_but_not_the_instructor(w):
    assert w.s.call("slow_mode", {"room_id": w.room.id, "seconds": 60})["error"]["code"] == "forbidden"
    assert w.t.call("slow_mode", {"room_id": w.room.id, "seconds": 60}) == {"ok": True}
    assert wait_for(w.s, "slow_mode") == {"room_id": w.room.id, "seconds": 60}
    assert "id" in send(w.s, w.room.id, "first")
    refused = send(w.s, w.room.id, "second")
    assert refused["error"]["code"] == "slow_mode" and 50 <= refused["error"]["retry_after"] <= 60
    assert "id" in send(w.t, w.room.id, "instructor 1") and "id" in send(w.t, w.room.id, "instructor 2")
    assert w.t.call("slow_mode", {"room_id": w.room.id, "seconds": 99999})["error"]["code"] == "out_of_range"
    w.t.call("slow_mode", {"room_id": w.room.id, "seconds": 0})
    assert "id" in send(w.s, w.room.id, "second, now")


def test_moderation_events_are_checked_like_messages(w, live):
    outsider_teacher = connect(live.server, w.other_teacher)
    try:
        mid = send(w.s, w.room.id, "hello")["id"]
        for event, payload in [
            ("delete_message", {"message_id": mid}),
            ("pin", {"message_id": mid}),
            ("close_room", {}),
            ("slow_mode", {"seconds": 10}),
            ("mute", {"username": w.trainee.username, "minutes": 5}),
        ]:
            ack = outsider_teacher.call(event, {"room_id": w.room.id, **payload})
            assert ack["error"]["code"] == "not_found", event
        assert (
            w.t.call("delete_message", {"room_id": w.room.id, "message_id": "1"})["error"]["code"]
            == "invalid"
        )
        assert w.t.call("mute", {"room_id": w.room.id, "username": "nobody-here", "minutes": 5})["error"][
            "code"
        ] == ("not_found")
    finally:
        close_all(outsider_teacher)
