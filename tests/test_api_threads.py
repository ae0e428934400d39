"""API: threads and posts, from starting a thread to moderating it, and anonymity."""

import json

import pytest


@pytest.fixture
def classmate(world, make_user):
    from forum.cohorts.services import add_membership

    user = make_user("classmate", "trainee", "同班同学")
    add_membership(None, world.cohort, user, "trainee")
    return user


def start_thread(client, world, user, **fields):
    body = {"title": "老旧小区改造的资金来源", "body": "我们市的做法是……", "kind": "case", **fields}
    response = client.api("post", f"/api/v1/boards/{world.board.id}/threads", user=user, json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def reply(client, thread_id, user, body="同意。", **fields):
    response = client.api(
        "post", f"/api/v1/threads/{thread_id}/posts", user=user, json={"body": body, **fields}
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_start_a_thread(client, world):
    response = client.api(
        "post",
        f"/api/v1/boards/{world.board.id}/threads",
        user=world.trainee,
        json={"title": "  调研提纲 ", "body": "## 问题\n\n**重点**", "kind": "research"},
    )
    assert response.status_code == 201
    thread = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/threads/{thread['id']}")
    assert thread["url"] == f"/threads/{thread['id']}" and thread["title"] == "调研提纲"
    assert thread["kind"] == "research" and thread["reply_count"] == 0
    assert thread["board"] == {"id": world.board.id, "url": f"/boards/{world.board.id}", "name": "案例讨论"}
    assert thread["cohort"]["slug"] == "mayors-2026"
    assert thread["author"]["username"] == "trainee" and thread["author_label"] == "李学员"
    assert thread["mine"] is True and thread["can_edit"] is True and thread["can_moderate"] is False
    first = thread["opening_post"]
    assert first["number"] == 1 and first["url"] == f"/posts/{first['id']}"
    assert first["body"] == "## 问题\n\n**重点**"
    assert "<h2>问题</h2>" in first["body_html"] and "<strong>重点</strong>" in first["body_html"]
    assert first["can_delete"] is False  # the opening post goes only with the thread


def test_kind_defaults_to_discussion(client, world):
    thread = start_thread(client, world, world.trainee, kind=None)
    assert thread["kind"] == "discussion"


def test_markdown_is_sanitized(client, world):
    body = "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)> **ok**"
    post = reply(client, world.thread.id, world.trainee, body)
    assert post["body"] == body
    html = post["body_html"].lower()
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "<strong>ok</strong>" in html


def test_board_lists_pinned_first_then_latest_activity(client, world, make_thread, make_post):
    older = make_thread(world.board, world.teacher, "older")
    newer = make_thread(world.board, world.teacher, "newer")
    make_post(older, world.trainee)  # activity moves it above "newer"
    client.api("patch", f"/api/v1/threads/{world.thread.id}", user=world.teacher, json={"pinned": True})
    data = client.api("get", f"/api/v1/boards/{world.board.id}/threads", user=world.trainee).get_json()
    assert [t["title"] for t in data["items"]] == ["城市总体规划的实施", "older", "newer"]
    assert data["items"][0]["pinned"] is True
    assert data["items"][1]["reply_count"] == 1 and data["items"][1]["last_poster"]["username"] == "trainee"
    assert data["total"] == 3 and data["pages"] == 1
    assert "opening_post" not in data["items"][0]
    second_page = client.api(
        "get", f"/api/v1/boards/{world.board.id}/threads?per_page=2&page=2", user=world.trainee
    ).get_json()
    assert [t["id"] for t in second_page["items"]] == [newer.id]


def test_reply_and_quote(client, world, classmate):
    first = client.api("get", f"/api/v1/threads/{world.thread.id}", user=classmate).get_json()["opening_post"]
    answer = reply(
        client, world.thread.id, classmate, "> 我们城市的总体规划\n\n补充一点", reply_to=first["id"]
    )
    assert answer["number"] == 2 and answer["reply_to"] == {
        "id": first["id"],
        "number": 1,
        "url": first["url"],
    }
    assert answer["author"]["username"] == "classmate" and answer["mine"] is True
    assert "<blockquote>" in answer["body_html"]
    api_url = answer["url"].replace("/posts", "/api/v1/posts")
    assert client.api("get", api_url, user=world.trainee).status_code == 200
    thread = client.api("get", f"/api/v1/threads/{world.thread.id}", user=world.trainee).get_json()
    assert thread["reply_count"] == 1 and thread["last_poster"]["username"] == "classmate"
    posts = client.api("get", f"/api/v1/threads/{world.thread.id}/posts", user=world.trainee).get_json()
    assert [p["number"] for p in posts["items"]] == [1, 2]
    assert posts["items"][1]["mine"] is False and posts["items"][1]["can_edit"] is False


def test_author_edits_a_post(client, world, classmate):
    post = reply(client, world.thread.id, classmate)
    response = client.api(
        "patch", f"/api/v1/posts/{post['id']}", user=classmate, json={"body": "改成 *这样*"}
    )
    assert response.status_code == 200
    edited = response.get_json()
    assert edited["body"] == "改成 *这样*" and "<em>这样</em>" in edited["body_html"]
    assert edited["edited_at"] is not None and edited["edited_by"]["username"] == "classmate"


def test_moderator_hides_a_post_with_a_reason(client, world, classmate, db):
    from forum.moderation.models import AuditEntry

    post = reply(client, world.thread.id, classmate)
    response = client.api(
        "patch",
        f"/api/v1/posts/{post['id']}",
        user=world.teacher,
        json={"hidden": True, "reason": "与主题无关"},
    )
    assert response.status_code == 200 and response.get_json()["hidden"] is True
    entry = db.session.execute(db.select(AuditEntry).filter_by(action="hide_post")).scalar_one()
    assert entry.reason == "与主题无关" and entry.target_id == post["id"]
    # The author still sees it, with the reason; a classmate does not.
    own = client.api("get", f"/api/v1/posts/{post['id']}", user=classmate).get_json()
    assert own["hidden_reason"] == "与主题无关"
    assert client.api("get", f"/api/v1/posts/{post['id']}", user=world.trainee).status_code == 404
    thread = client.api("get", f"/api/v1/threads/{world.thread.id}", user=world.trainee).get_json()
    assert thread["reply_count"] == 0
    shown = client.api("patch", f"/api/v1/posts/{post['id']}", user=world.teacher, json={"hidden": False})
    assert shown.get_json()["hidden"] is False and shown.get_json()["hidden_reason"] == ""


def test_delete_is_soft(client, world, classmate):
    post = reply(client, world.thread.id, classmate, "说错了")
    response = client.api("delete", f"/api/v1/posts/{post['id']}", user=classmate)
    assert response.status_code == 204 and response.data == b""
    seen = client.api("get", f"/api/v1/posts/{post['id']}", user=world.trainee).get_json()
    assert seen["deleted"] is True and seen["body"] == "" and seen["body_html"] == "" and seen["deleted_at"]
    # The record stays for the teaching file: moderators still read it.
    assert client.api("get", f"/api/v1/posts/{post['id']}", user=world.teacher).get_json()["body"] == "说错了"
    assert client.api("delete", f"/api/v1/posts/{post['id']}", user=classmate).status_code == 403
    thread = client.api("get", f"/api/v1/threads/{world.thread.id}", user=world.trainee).get_json()
    assert thread["reply_count"] == 0


def test_moderation_of_a_thread_is_audited(client, world, db):
    from forum.moderation.models import AuditEntry

    url = f"/api/v1/threads/{world.thread.id}"
    response = client.api(
        "patch", url, user=world.teacher, json={"pinned": True, "locked": True, "reason": "结课"}
    )
    assert response.status_code == 200
    data = response.get_json()
    assert data["pinned"] is True and data["locked"] is True and data["hidden"] is False
    actions = {e.action: e.reason for e in db.session.execute(db.select(AuditEntry)).scalars()}
    assert actions["pin_thread"] == "结课" and actions["lock_thread"] == "结课"
    trainee_view = client.api("get", url, user=world.trainee).get_json()
    assert trainee_view["can_reply"] is False and trainee_view["can_edit"] is False
    unlocked = client.api("patch", url, user=world.teacher, json={"locked": False}).get_json()
    assert unlocked["locked"] is False and unlocked["pinned"] is True


def test_author_renames_a_thread_and_moderator_too(client, world):
    url = f"/api/v1/threads/{world.thread.id}"
    renamed = client.api("patch", url, user=world.trainee, json={"title": "总规实施评估"}).get_json()
    assert renamed["title"] == "总规实施评估"
    data = client.api("patch", url, user=world.teacher, json={"title": "总规实施", "hidden": True}).get_json()
    assert data["title"] == "总规实施" and data["hidden"] is True


# --- anonymity ------------------------------------------------------------------------------


def user_refs(data):
    """Every username anywhere in a JSON document."""
    found = []
    if isinstance(data, dict):
        if "username" in data:
            found.append(data["username"])
        for value in data.values():
            found += user_refs(value)
    elif isinstance(data, list):
        for value in data:
            found += user_refs(value)
    return found


@pytest.fixture
def anonymous_thread(client, world, classmate):
    """The trainee starts an anonymous thread, replies anonymously, and edits the reply."""
    thread = start_thread(client, world, world.trainee, anonymous=True, title="匿名的提问")
    post = reply(client, thread["id"], world.trainee, "匿名补充", anonymous=True)
    client.api("patch", f"/api/v1/posts/{post['id']}", user=world.trainee, json={"body": "匿名补充（改）"})
    return thread["id"], post["id"]


def everything_about(client, world, thread_id, post_id, user):
    """The anonymous thread as listed on its board, itself, its posts, and the reply."""
    listed = client.api("get", f"/api/v1/boards/{world.board.id}/threads", user=user).get_json()
    return [
        [item for item in listed["items"] if item["id"] == thread_id],
        client.api("get", f"/api/v1/threads/{thread_id}", user=user).get_json(),
        client.api("get", f"/api/v1/threads/{thread_id}/posts", user=user).get_json(),
        client.api("get", f"/api/v1/posts/{post_id}", user=user).get_json(),
    ]


# The label is translated: the API answers in Chinese unless the session chose English.
ANONYMOUS = {"Anonymous trainee", "匿名学员"}


def test_anonymous_author_is_hidden_from_trainees_everywhere(client, world, classmate, anonymous_thread):
    thread_id, post_id = anonymous_thread
    documents = everything_about(client, world, thread_id, post_id, classmate)
    text = json.dumps(documents, ensure_ascii=False)
    assert "李学员" not in text
    assert "trainee" not in user_refs(documents)
    assert f'"id": {world.trainee.id}, "username"' not in text
    thread = documents[1]
    assert thread["author"] is None and thread["anonymous"] is True
    assert thread["author_label"] in ANONYMOUS
    assert thread["last_poster"] is None and thread["last_poster_label"] in ANONYMOUS
    post = documents[3]
    assert post["author"] is None and post["anonymous"] is True and post["author_label"] in ANONYMOUS
    assert post["edited_at"] is not None and post["edited_by"] is None
    assert post["mine"] is False and post["can_edit"] is False


def test_the_anonymous_author_sees_their_own_post_as_theirs(client, world, anonymous_thread):
    thread_id, post_id = anonymous_thread
    post = client.api("get", f"/api/v1/posts/{post_id}", user=world.trainee).get_json()
    assert post["author"] is None and post["mine"] is True and post["can_edit"] is True


@pytest.mark.parametrize("who", ["teacher", "admin"])
def test_staff_see_the_anonymous_author(client, world, anonymous_thread, who):
    thread_id, post_id = anonymous_thread
    documents = everything_about(client, world, thread_id, post_id, getattr(world, who))
    thread, post = documents[1], documents[3]
    assert thread["author"]["username"] == "trainee" and thread["anonymous"] is True
    assert thread["last_poster"]["username"] == "trainee"
    assert post["author"]["username"] == "trainee" and post["author_label"] == "李学员"
    assert post["edited_by"]["username"] == "trainee"


def test_staff_cannot_post_anonymously(client, world):
    response = client.api(
        "post",
        f"/api/v1/threads/{world.thread.id}/posts",
        user=world.teacher,
        json={"body": "x", "anonymous": True},
    )
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "anonymous_not_allowed"
