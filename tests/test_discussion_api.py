"""Discussion features through the JSON API: marks (accepted, endorsed, key), summaries,
staff notes, announcement boards and thread settings (case briefs and roles:
test_discussion_case.py)."""

import pytest

from tests.api_support import list_posts as _posts
from tests.api_support import reply as _reply
from tests.api_support import start_thread as _thread


@pytest.fixture
def app_overrides():
    """No search indexing on every write: these tests do not search (keeps them fast)."""
    return {"FORUM_WORKER": "external"}


# --- accepted, endorsed, key contributions ------------------------------------------------------


def test_asker_accepts_one_answer_instructor_endorses(client, cls):
    question = _thread(client, cls.trainee, cls.board, kind="question")
    first = _reply(client, cls.classmate, question["id"], "Answer one.")
    second = _reply(client, cls.teacher, question["id"], "Answer two.")
    url = "/api/v1/posts/{}/marks/{}"
    response = client.api("put", url.format(first["id"], "accepted"), user=cls.trainee)
    assert response.status_code == 200 and response.get_json()["marks"] == ["accepted"]
    # Accepting another answer moves the mark.
    client.api("put", url.format(second["id"], "accepted"), user=cls.trainee)
    seen = client.api("get", f"/api/v1/threads/{question['id']}/discussion", user=cls.classmate).get_json()
    assert seen["marks"]["accepted"] == [second["id"]]
    # Only staff endorse; the classmate (not the asker) cannot accept.
    assert client.api("put", url.format(first["id"], "endorsed"), user=cls.trainee).status_code == 403
    assert client.api("put", url.format(first["id"], "accepted"), user=cls.classmate).status_code == 403
    assert client.api("put", url.format(first["id"], "endorsed"), user=cls.teacher).status_code == 200
    seen = client.api("get", f"/api/v1/threads/{question['id']}/discussion", user=cls.classmate).get_json()
    assert seen["marks"]["endorsed"] == [first["id"]]
    # Shown first: the accepted answer, then the endorsed one.
    assert [p["id"] for p in seen["highlights"]] == [second["id"], first["id"]]
    assert seen["highlights"][0]["marks"] == ["accepted"]
    # Undo.
    assert client.api("delete", url.format(second["id"], "accepted"), user=cls.teacher).status_code == 200
    seen = client.api("get", f"/api/v1/threads/{question['id']}/discussion", user=cls.classmate).get_json()
    assert seen["marks"]["accepted"] == []


def test_mark_rules(client, cls):
    question = _thread(client, cls.trainee, cls.board, kind="question")
    discussion = _thread(client, cls.trainee, cls.board, kind="discussion")
    answer = _reply(client, cls.classmate, discussion["id"])
    url = "/api/v1/posts/{}/marks/{}"
    # Not a question: nothing to accept; not research/case: no key contribution.
    assert client.api("put", url.format(answer["id"], "accepted"), user=cls.teacher).status_code == 403
    assert client.api("put", url.format(answer["id"], "key"), user=cls.teacher).status_code == 403
    # Endorsement works in any thread.
    assert client.api("put", url.format(answer["id"], "endorsed"), user=cls.teacher).status_code == 200
    # The opening post is not an answer; unknown kinds are not found.
    assert (
        client.api(
            "put", url.format(question["opening_post"]["id"], "accepted"), user=cls.teacher
        ).status_code
        == 403
    )
    assert client.api("put", url.format(answer["id"], "best"), user=cls.teacher).status_code == 404
    assert client.api("put", url.format(answer["id"], "endorsed"), user=cls.outsider).status_code == 404


def test_key_contributions_and_summary_in_research_threads(client, cls):
    research = _thread(client, cls.teacher, cls.board, kind="research")
    reply = _reply(client, cls.trainee, research["id"], "Finding: X.")
    assert client.api("put", f"/api/v1/posts/{reply['id']}/marks/key", user=cls.teacher).status_code == 200
    assert client.api("put", f"/api/v1/posts/{reply['id']}/marks/key", user=cls.trainee).status_code == 403
    response = client.api(
        "put",
        f"/api/v1/threads/{research['id']}/summary",
        user=cls.teacher,
        json={"body": "So far: **X** holds."},
    )
    assert response.status_code == 200
    seen = client.api("get", f"/api/v1/threads/{research['id']}/discussion", user=cls.classmate).get_json()
    assert "<strong>X</strong>" in seen["summary"]["body_html"]
    assert seen["marks"]["key"] == [reply["id"]]
    assert [p["id"] for p in seen["highlights"]] == [reply["id"]]
    assert (
        client.api(
            "put", f"/api/v1/threads/{research['id']}/summary", user=cls.trainee, json={"body": "Mine."}
        ).status_code
        == 403
    )
    assert (
        client.api(
            "put", f"/api/v1/threads/{research['id']}/summary", user=cls.teacher, json={"body": 3}
        ).status_code
        == 400
    )
    assert (
        client.api("delete", f"/api/v1/threads/{research['id']}/summary", user=cls.teacher).status_code == 204
    )
    seen = client.api("get", f"/api/v1/threads/{research['id']}/discussion", user=cls.classmate).get_json()
    assert seen["summary"] is None
    question = _thread(client, cls.teacher, cls.board, kind="question")
    assert (
        client.api(
            "put", f"/api/v1/threads/{question['id']}/summary", user=cls.teacher, json={"body": "x"}
        ).status_code
        == 403
    )


# --- staff notes ------------------------------------------------------------------------------


def test_staff_notes_only_staff_see(client, cls):
    thread = _thread(client, cls.trainee, cls.board, kind="discussion")
    response = client.api(
        "post",
        f"/api/v1/threads/{thread['id']}/staff-notes",
        user=cls.teacher,
        json={"body": "Watch this one: off-topic soon."},
    )
    assert response.status_code == 201, response.get_json()
    note = response.get_json()
    assert note["staff_note"] is True
    assert note["id"] not in [p["id"] for p in _posts(client, cls.trainee, thread["id"])]
    assert client.api("get", f"/api/v1/posts/{note['id']}", user=cls.trainee).status_code == 404
    assert note["id"] in [p["id"] for p in _posts(client, cls.teacher, thread["id"])]
    assert client.api("get", f"/api/v1/posts/{note['id']}", user=cls.admin).status_code == 200
    # Nothing about the thread a trainee sees changes: no new reply, no new last poster.
    seen = client.api("get", f"/api/v1/threads/{thread['id']}", user=cls.trainee).get_json()
    assert seen["reply_count"] == 0 and seen["last_poster"]["username"] == "trainee"
    # Trainees cannot write one; nor reply to it or mark it.
    assert (
        client.api(
            "post", f"/api/v1/threads/{thread['id']}/staff-notes", user=cls.trainee, json={"body": "x"}
        ).status_code
        == 403
    )
    response = client.api(
        "post",
        f"/api/v1/threads/{thread['id']}/posts",
        user=cls.trainee,
        json={"body": "x", "reply_to": note["id"]},
    )
    # The same answer as for a post that does not exist: the note is not revealed.
    missing = client.api(
        "post",
        f"/api/v1/threads/{thread['id']}/posts",
        user=cls.trainee,
        json={"body": "x", "reply_to": note["id"] + 1000},
    )
    assert response.status_code == missing.status_code and response.status_code in (400, 404)
    assert response.get_json() == missing.get_json()
    assert (
        client.api(
            "post", f"/api/v1/threads/{thread['id']}/staff-notes", user=cls.teacher, json={"body": ""}
        ).status_code
        == 400
    )
    assert (
        client.api(
            "post",
            f"/api/v1/threads/{thread['id']}/staff-notes",
            user=cls.teacher,
            json={"body": "x", "reply_to": "1"},
        ).status_code
        == 400
    )


# --- announcements ----------------------------------------------------------------------------


def test_announcement_board_only_staff_start_threads(client, cls):
    response = client.api(
        "post",
        f"/api/v1/cohorts/{cls.cohort.slug}/boards",
        user=cls.teacher,
        json={"name": "通知", "kind": "announcement"},
    )
    assert response.status_code == 201, response.get_json()
    board = response.get_json()
    assert board["kind"] == "announcement"
    url = f"/api/v1/boards/{board['id']}/threads"
    trainee_view = client.api("get", f"/api/v1/boards/{board['id']}", user=cls.trainee).get_json()
    assert trainee_view["can_create_thread"] is False
    assert client.api("post", url, user=cls.trainee, json={"title": "t", "body": "b"}).status_code == 403
    created = client.api("post", url, user=cls.teacher, json={"title": "Timetable", "body": "Monday."})
    assert created.status_code == 201
    # Trainees still reply to announcements.
    _reply(client, cls.trainee, created.get_json()["id"])
    assert (
        client.api(
            "post",
            f"/api/v1/cohorts/{cls.cohort.slug}/boards",
            user=cls.teacher,
            json={"name": "x", "kind": "news"},
        ).status_code
        == 400
    )
    response = client.api(
        "patch", f"/api/v1/boards/{cls.board.id}", user=cls.teacher, json={"kind": "announcement"}
    )
    assert response.status_code == 200 and response.get_json()["kind"] == "announcement"


# --- settings ---------------------------------------------------------------------------------


def test_settings_rules(client, cls):
    case = _thread(client, cls.teacher, cls.board)
    plain = _thread(client, cls.teacher, cls.board, kind="discussion")
    url = f"/api/v1/threads/{case['id']}/discussion"
    assert client.api("patch", url, user=cls.trainee, json={"answer_first": True}).status_code == 403
    assert (
        client.api(
            "patch",
            f"/api/v1/threads/{plain['id']}/discussion",
            user=cls.teacher,
            json={"answer_first": True},
        ).status_code
        == 400
    )
    for bad in ("tomorrow", 12, "2001-01-01T00:00:00Z", "9999-01-01T00:00:00"):
        response = client.api(
            "patch", url, user=cls.teacher, json={"answer_first": True, "answer_due_at": bad}
        )
        assert response.status_code == 400, bad
    response = client.api(
        "patch",
        url,
        user=cls.teacher,
        json={"answer_first": True, "answer_due_at": "2100-01-01T08:00:00+08:00"},
    )
    assert response.status_code == 200
    data = response.get_json()
    assert data["answer_first"] is True and data["answer_due_at"] == "2100-01-01T00:00:00Z"
    assert client.api("patch", url, user=cls.teacher, json={}).status_code == 400
    assert client.api("patch", url, user=cls.teacher, json={"private": "yes"}).status_code == 400
    # Trainees may not set answer-first when starting a thread.
    response = client.api(
        "post",
        f"/api/v1/boards/{cls.board.id}/threads",
        user=cls.trainee,
        json={"title": "t", "body": "b", "kind": "question", "answer_first": True},
    )
    assert response.status_code == 403


def test_openapi_documents_the_discussion_endpoints(client, cls):
    doc = client.get("/api/v1/openapi.json").get_json()
    for path in (
        "/threads/{thread_id}/discussion",
        "/threads/{thread_id}/brief",
        "/threads/{thread_id}/summary",
        "/threads/{thread_id}/roles/{username}",
        "/posts/{post_id}/marks/{kind}",
        "/threads/{thread_id}/staff-notes",
    ):
        assert "/api/v1" + path in doc["paths"], path
    assert "ThreadDiscussion" in doc["components"]["schemas"]
    assert "private" in doc["components"]["schemas"]["ThreadCreate"]["properties"]
