"""Live rooms over HTTP: the JSON API, the pages, transcripts and retention."""

import re
from datetime import timedelta

import pytest


@pytest.fixture
def room(world):
    from forum.rooms import services

    return services.create_room(world.teacher, world.cohort, "Case study live", world.thread)


def _say(user, room, body, cid=None):
    from forum.extensions import db
    from forum.rooms import services

    message = services.send_message(user, room, body, cid or f"c-{body}")[0]
    db.session.commit()
    return message


# --- the JSON API ------------------------------------------------------------------------


def test_instructors_open_rooms_and_members_list_them(client, world):
    url = f"/api/v1/cohorts/{world.cohort.slug}/rooms"
    created = client.api(
        "post", url, user=world.teacher, json={"name": "Morning session", "thread_id": world.thread.id}
    )
    assert created.status_code == 201, created.json
    room = created.json
    assert (
        room["url"] == f"/rooms/{room['id']}"
        and room["status"] == "open"
        and room["thread_id"] == world.thread.id
    )

    listed = client.api("get", url, user=world.trainee)
    assert listed.status_code == 200 and [r["id"] for r in listed.json["items"]] == [room["id"]]
    assert listed.json["total"] == 1

    assert client.api("post", url, user=world.trainee, json={"name": "Mine"}).status_code == 403
    assert client.api("get", url, user=world.outsider).status_code == 404
    assert client.api("post", url, user=world.other_teacher, json={"name": "x"}).status_code == 404
    bad = client.api("post", url, user=world.teacher, json={"name": ""})
    assert bad.status_code == 400 and bad.json["error"]["code"] == "required"
    wrong_thread = client.api("post", url, user=world.teacher, json={"name": "x", "thread_id": 999999})
    assert wrong_thread.status_code == 400 and wrong_thread.json["error"]["field"] == "thread_id"
    assert client.api("post", url, user=world.teacher, json={"name": "x", "extra": 1}).status_code == 400
    assert client.api("get", url).status_code == 401


def test_messages_api_catch_up_and_idempotent_send(client, world, room):
    url = f"/api/v1/rooms/{room.id}/messages"
    first = client.api("post", url, user=world.trainee, json={"body": "hello *all*", "client_id": "abc"})
    assert first.status_code == 201 and "<em>all</em>" in first.json["body_html"]
    again = client.api("post", url, user=world.trainee, json={"body": "hello *all*", "client_id": "abc"})
    assert again.status_code == 200 and again.json["id"] == first.json["id"]
    ids = [first.json["id"]] + [_say(world.teacher, room, f"m{n}").id for n in range(3)]

    everything = client.api("get", url, user=world.trainee).json
    assert [m["id"] for m in everything["items"]] == ids and everything["more"] is False
    page = client.api("get", f"{url}?after={ids[0]}&limit=2", user=world.trainee).json
    assert [m["id"] for m in page["items"]] == ids[1:3] and page["more"] is True
    assert [
        m["id"] for m in client.api("get", f"{url}?before={ids[2]}", user=world.trainee).json["items"]
    ] == ids[:2]

    assert client.api("get", f"{url}?after=x", user=world.trainee).status_code == 400
    assert client.api("get", f"{url}?limit=5000", user=world.trainee).status_code == 400
    assert client.api("get", url, user=world.outsider).status_code == 404
    assert client.api("get", "/api/v1/rooms/999999/messages", user=world.trainee).status_code == 404
    long = client.api("post", url, user=world.trainee, json={"body": "x" * 5000, "client_id": "long"})
    assert long.status_code == 400 and long.json["error"]["code"] == "too_long"


def test_moderation_api(client, world, room):
    mid = _say(world.trainee, room, "to be removed").id
    base = f"/api/v1/rooms/{room.id}"
    assert client.api("delete", f"{base}/messages/{mid}", user=world.trainee).status_code == 403
    assert client.api("delete", f"{base}/messages/{mid}", user=world.teacher).status_code == 204
    assert client.api("get", f"{base}/messages", user=world.teacher).json["items"] == []

    keep = _say(world.trainee, room, "pin me").id
    patched = client.api(
        "patch", base, user=world.teacher, json={"pinned_message_id": keep, "slow_mode_seconds": 30}
    )
    assert patched.status_code == 200 and patched.json["pinned"]["id"] == keep
    assert patched.json["slow_mode_seconds"] == 30
    assert client.api("patch", base, user=world.trainee, json={"status": "closed"}).status_code == 403
    assert client.api("patch", base, user=world.teacher, json={"status": "shut"}).status_code == 400

    muted = client.api(
        "put", f"{base}/mutes/{world.trainee.username}", user=world.teacher, json={"minutes": 5}
    )
    assert muted.status_code == 200 and muted.json["until"]
    refused = client.api(
        "post", f"{base}/messages", user=world.trainee, json={"body": "hi", "client_id": "m1"}
    )
    assert refused.status_code == 429 and refused.json["error"]["code"] == "muted"

    closed = client.api("patch", base, user=world.teacher, json={"status": "closed"})
    assert closed.json["status"] == "closed" and closed.json["closed_at"]
    posting = client.api(
        "post", f"{base}/messages", user=world.teacher, json={"body": "hi", "client_id": "t1"}
    )
    assert posting.status_code == 403 and posting.json["error"]["code"] == "room_closed"


def test_transcript_export_and_append_to_the_thread(client, world, room):
    from forum.extensions import db
    from forum.threads.models import Post

    q = _say(world.teacher, room, "What comes first?\nThink about land use.")
    _say(world.trainee, room, "Transport, I think.")
    base = f"/api/v1/rooms/{room.id}"
    exported = client.api("get", f"{base}/transcript", user=world.trainee)
    assert exported.status_code == 200 and exported.mimetype == "text/markdown"
    text = exported.get_data(as_text=True)
    assert text.startswith("# Case study live")
    assert f"#{q.id} **王老师**" in text and "  Think about land use." in text
    assert text.index("What comes first?") < text.index("Transport, I think.")
    assert client.api("get", f"{base}/transcript", user=world.outsider).status_code == 404

    assert (
        client.api("post", f"{base}/transcript/thread", user=world.teacher).status_code == 409
    )  # still open
    client.api("patch", base, user=world.teacher, json={"status": "closed"})
    assert client.api("post", f"{base}/transcript/thread", user=world.trainee).status_code == 403
    appended = client.api("post", f"{base}/transcript/thread", user=world.teacher)
    assert appended.status_code == 201, appended.json
    post = db.session.get(Post, appended.json["post_ids"][0])
    assert post.thread_id == world.thread.id and post.author_id == world.teacher.id
    assert "Transport, I think." in post.body
    assert client.api("post", f"{base}/transcript/thread", user=world.teacher).status_code == 409


def test_long_transcript_is_split_into_posts_that_fit(app, client, world, room):
    from forum.extensions import db
    from forum.rooms.models import RoomMessage
    from forum.threads.models import Post

    app.config["FORUM_POST_MAX"] = 2000
    for n in range(40):
        room_message = RoomMessage(
            room_id=room.id,
            author_id=world.trainee.id,
            client_id=f"bulk{n}",
            body=f"point {n} " + "x" * 100,
            body_html="<p>x</p>",
        )
        db.session.add(room_message)
    db.session.commit()
    client.api("patch", f"/api/v1/rooms/{room.id}", user=world.teacher, json={"status": "closed"})
    ids = client.api("post", f"/api/v1/rooms/{room.id}/transcript/thread", user=world.teacher).json[
        "post_ids"
    ]
    posts = [db.session.get(Post, i) for i in ids]
    assert len(posts) > 1 and all(len(p.body) <= 2000 for p in posts)
    joined = "".join(p.body for p in posts)
    assert all(f"point {n} " in joined for n in range(40))


def test_openapi_describes_the_room_endpoints(client):
    doc = client.get("/api/v1/openapi.json").json
    assert (
        "/api/v1/cohorts/{slug}/rooms" in doc["paths"] and "/api/v1/rooms/{room_id}/messages" in doc["paths"]
    )
    assert set(doc["paths"]["/api/v1/rooms/{room_id}/messages"]) >= {"get", "post"}


# --- signals and retention ------------------------------------------------------------------


def test_signals_are_sent_inside_the_unit_of_work(world, room):
    from forum import signals
    from forum.extensions import db
    from forum.rooms import moderation
    from forum.rooms.models import RoomMessage

    seen = []

    def created(sender, obj, **extra):
        # Sent inside the writer's unit of work: the row is flushed in this session (and
        # commits with whatever the receivers write).
        seen.append(("created", db.session.execute(db.select(RoomMessage.id).filter_by(id=obj.id)).scalar()))

    def deleted(sender, obj, **extra):
        seen.append(("deleted", obj.id))

    with signals.room_message_created.connected_to(created), signals.room_message_deleted.connected_to(deleted):
        message = _say(world.trainee, room, "indexed")
        moderation.delete_message(world.teacher, message)
    assert seen == [("created", message.id), ("deleted", message.id)]


def test_retention_hides_and_purges_old_messages(app, runner, world, room):
    from forum.extensions import db
    from forum.rooms import services
    from forum.rooms.models import RoomMessage
    from forum.utils import utcnow

    old = _say(world.trainee, room, "last year")
    old.created_at = utcnow() - timedelta(days=400)
    db.session.commit()
    new = _say(world.trainee, room, "today")
    assert [m.id for m in services.history(world.trainee, room)[0]] == [old.id, new.id]  # forever by default
    assert services.purge_expired() == 0

    app.config["FORUM_ROOM_RETENTION_DAYS"] = 365
    assert [m.id for m in services.history(world.trainee, room)[0]] == [new.id]
    result = runner.invoke(args=["rooms", "purge"])
    assert result.exit_code == 0 and "1 room message" in result.output
    assert [m.id for m in RoomMessage.query.all()] == [new.id]


# --- pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, rooms_page, room_page, can_open",
    [
        ("admin", 200, 200, True),
        ("teacher", 200, 200, True),
        ("trainee", 200, 200, False),
        ("outsider", 404, 404, False),
        ("other_teacher", 404, 404, False),
    ],
)
def test_room_pages_permissions(login, world, room, who, rooms_page, room_page, can_open):
    browser = login(getattr(world, who))
    listing = browser.get(f"/cohorts/{world.cohort.slug}/rooms")
    assert listing.status_code == rooms_page
    page = browser.get(f"/rooms/{room.id}")
    assert page.status_code == room_page
    if rooms_page == 200:
        html = listing.get_data(as_text=True)
        assert "Case study live" in html
        assert ('name="name"' in html) is can_open
    created = browser.form(f"/cohorts/{world.cohort.slug}/rooms", {"name": "Another", "thread_id": "0"})
    assert (created.status_code == 302) is can_open


def test_anonymous_visitors_are_sent_to_sign_in(client, room):
    assert client.get(f"/rooms/{room.id}").status_code == 302


def test_room_page_carries_script_strings_and_no_inline_script(login, world, room):
    _say(world.trainee, room, "already **here**")
    html = login(world.trainee).get(f"/rooms/{room.id}").get_data(as_text=True)
    assert f'data-room-id="{room.id}"' in html and "data-t-reconnecting=" in html
    assert "/static/vendor/socket.io/socket.io.min.js" in html and "/static/js/room.js" in html
    assert "<strong>here</strong>" in html and 'class="room-message"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # every script is a file
    assert " style=" not in html and " onclick=" not in html
    assert "Close the room" not in html  # trainees see no room controls


def test_instructor_controls_on_the_room_page(login, world, room):
    from forum.threads.models import Post

    teacher = login(world.teacher)
    html = teacher.get(f"/rooms/{room.id}").get_data(as_text=True)
    assert "slow-mode-seconds" in html
    assert teacher.form(f"/rooms/{room.id}/slow-mode", {"seconds": "30"}).status_code == 302
    assert room.slow_mode_seconds == 30
    assert teacher.form(f"/rooms/{room.id}/slow-mode", {"seconds": "7"}).status_code == 302
    assert room.slow_mode_seconds == 30  # only the offered settings
    _say(world.trainee, room, "a point worth keeping")
    assert teacher.form(f"/rooms/{room.id}/close").status_code == 302
    assert room.status == "closed"
    appended = teacher.form(f"/rooms/{room.id}/transcript/thread")
    assert appended.status_code == 302 and f"/threads/{world.thread.id}" in appended.location
    assert Post.query.filter(Post.body.contains("a point worth keeping")).count() == 1
    download = teacher.get(f"/rooms/{room.id}/transcript.md")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    # Trainees cannot use the controls, with or without the form.
    trainee = login(world.trainee)
    trainee.form(f"/rooms/{room.id}/reopen")
    assert room.status == "closed"
    assert trainee.post(f"/rooms/{room.id}/reopen").status_code == 400  # no CSRF token
