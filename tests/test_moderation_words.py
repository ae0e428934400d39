"""Watched words: admins keep the list (page and API); posts, replies, edits and room
messages are held, blocked or rewritten as each entry says."""

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.moderation.filters import add_watched_word, check_text
from forum.moderation.models import AuditEntry, WatchedWord
from forum.threads.models import Post


def audit(action):
    db.session.expire_all()
    return db.session.execute(select(AuditEntry).where(AuditEntry.action == action)).scalars().all()


def test_admin_keeps_the_list_through_the_page(world, login):
    admin = login(world.admin)
    assert admin.get("/admin/watched-words").status_code == 200
    response = admin.form("/admin/watched-words", {"word": "赌博", "action": "block"})
    assert response.status_code == 302
    entry = db.session.execute(select(WatchedWord)).scalar_one()
    assert (entry.word, entry.action) == ("赌博", "block")
    assert "赌博" in admin.get("/admin/watched-words").get_data(as_text=True)
    response = admin.form(
        f"/admin/watched-words/{entry.id}/edit", {"word": "赌博", "action": "replace", "replacement": "**"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(WatchedWord, entry.id).action == "replace"
    bad = admin.form("/admin/watched-words", {"word": "(unclosed", "is_regex": "y", "action": "hold"})
    assert bad.status_code == 400 and "field-error" in bad.get_data(as_text=True)
    assert admin.form(f"/admin/watched-words/{entry.id}/delete", {}).status_code == 302
    assert db.session.execute(select(WatchedWord)).first() is None
    assert [len(audit(a)) for a in ("add_watched_word", "update_watched_word", "delete_watched_word")] == [
        1,
        1,
        1,
    ]
    [deleted] = audit("delete_watched_word")
    assert deleted.before["word"] == "赌博" and deleted.actor_id == world.admin.id


def test_admin_keeps_the_list_through_the_api(world, client):
    created = client.api(
        "post",
        "/api/v1/watched-words",
        user=world.admin,
        json={"word": "spam", "action": "replace", "replacement": "[removed]"},
    )
    assert created.status_code == 201
    word_id = created.json["id"]
    assert (
        client.api(
            "post", "/api/v1/watched-words", user=world.admin, json={"word": "spam", "action": "block"}
        ).status_code
        == 409
    )
    assert (
        client.api(
            "post", "/api/v1/watched-words", user=world.admin, json={"word": "x", "action": "shout"}
        ).status_code
        == 400
    )
    assert (
        client.api(
            "post",
            "/api/v1/watched-words",
            user=world.admin,
            json={"word": ".*", "action": "block", "is_regex": True},
        ).status_code
        == 400
    )
    listing = client.api("get", "/api/v1/watched-words", user=world.admin).json
    assert [e["word"] for e in listing["items"]] == ["spam"]
    changed = client.api(
        "patch", f"/api/v1/watched-words/{word_id}", user=world.admin, json={"action": "hold"}
    )
    assert (
        changed.status_code == 200 and changed.json["action"] == "hold" and changed.json["replacement"] == ""
    )
    assert client.api("delete", f"/api/v1/watched-words/{word_id}", user=world.admin).status_code == 204


@pytest.mark.parametrize("who", ["teacher", "trainee"])
def test_only_admins_edit_the_list(world, client, login, who):
    user = getattr(world, who)
    entry = add_watched_word(world.admin, "秘密", "block")
    assert login(user).get("/admin/watched-words").status_code == 403
    assert login(user).form("/admin/watched-words", {"word": "x", "action": "block"}).status_code == 403
    assert client.api("get", "/api/v1/watched-words", user=user).status_code == 403
    assert (
        client.api(
            "post", "/api/v1/watched-words", user=user, json={"word": "x", "action": "block"}
        ).status_code
        == 403
    )
    assert client.api("delete", f"/api/v1/watched-words/{entry.id}", user=user).status_code == 404
    assert len(db.session.execute(select(WatchedWord)).all()) == 1


def test_block_refuses_with_a_clear_error(world, client, login):
    add_watched_word(world.admin, "赌博", "block")
    response = client.api(
        "post",
        f"/api/v1/threads/{world.thread.id}/posts",
        user=world.trainee,
        json={"body": "网上赌博的问题"},
    )
    assert response.status_code == 400
    assert response.json["error"]["code"] == "blocked" and "赌博" in response.json["error"]["message"]
    page = login(world.trainee).form(f"/threads/{world.thread.id}/reply", {"body": "网上赌博的问题"})
    assert page.status_code == 400 and "赌博" in page.get_data(as_text=True)
    new = client.api(
        "post",
        f"/api/v1/boards/{world.board.id}/threads",
        user=world.trainee,
        json={"title": "赌博", "body": "正文", "kind": "discussion"},
    )
    assert new.status_code == 400 and new.json["error"]["field"] == "title"
    # Staff are blocked as well: the list is site-wide.
    assert (
        client.api(
            "post", f"/api/v1/threads/{world.thread.id}/posts", user=world.teacher, json={"body": "赌博"}
        ).status_code
        == 400
    )


def test_replace_rewrites_whole_words_only(world, client):
    add_watched_word(world.admin, "ass", "replace", "***")
    add_watched_word(world.admin, "笨蛋", "replace", "**")
    response = client.api(
        "post",
        f"/api/v1/threads/{world.thread.id}/posts",
        user=world.trainee,
        json={"body": "Our class: ASS, 笨蛋们"},
    )
    assert response.status_code == 201
    post = db.session.get(Post, response.json["id"])
    assert post.body == "Our class: ***, **们" and "笨蛋" not in post.body_html
    edited = client.api("patch", f"/api/v1/posts/{post.id}", user=world.trainee, json={"body": "又一个笨蛋"})
    assert edited.status_code == 200 and edited.json["body"] == "又一个**"


def test_held_edit_hides_the_post_until_review(world, client, make_post):
    add_watched_word(world.admin, r"微信号?\s*\d+", "hold", is_regex=True)
    post = make_post(world.thread, world.trainee, "联系方式见下")
    response = client.api(
        "patch", f"/api/v1/posts/{post.id}", user=world.trainee, json={"body": "微信 12345"}
    )
    assert response.status_code == 200 and response.json["hidden"] is True
    assert client.api("get", f"/api/v1/posts/{post.id}", user=world.admin).json["hidden"] is True
    queue = client.api("get", f"/api/v1/cohorts/{world.cohort.slug}/queue?kind=held", user=world.teacher).json
    assert [i["post"]["id"] for i in queue["items"]] == [post.id]


def test_instructors_text_is_never_held(world, client):
    add_watched_word(world.admin, "敏感", "hold")
    response = client.api(
        "post",
        f"/api/v1/threads/{world.thread.id}/posts",
        user=world.teacher,
        json={"body": "敏感问题的讨论"},
    )
    assert response.status_code == 201 and response.json["hidden"] is False


def test_check_text_for_other_features(app, world):
    add_watched_word(world.admin, "骂人", "replace", "[*]")
    add_watched_word(world.admin, "待审", "hold")
    result = check_text("不要骂人")
    assert result.text == "不要[*]" and not result.held
    result = check_text("这条待审")
    assert result.held and result.matches == ["待审"]
    assert check_text("").text == ""


def test_room_messages_are_checked_too(world, client):
    add_watched_word(world.admin, "骂人", "replace", "[*]")
    add_watched_word(world.admin, "赌博", "block")
    room = client.api(
        "post", f"/api/v1/cohorts/{world.cohort.slug}/rooms", user=world.teacher, json={"name": "研讨"}
    ).json
    sent = client.api(
        "post",
        f"/api/v1/rooms/{room['id']}/messages",
        user=world.trainee,
        json={"body": "别骂人", "client_id": "a1"},
    )
    assert sent.status_code == 201 and "[*]" in sent.json["body_html"]
    blocked = client.api(
        "post",
        f"/api/v1/rooms/{room['id']}/messages",
        user=world.trainee,
        json={"body": "赌博", "client_id": "a2"},
    )
    assert blocked.status_code == 400 and blocked.json["error"]["code"] == "blocked"
