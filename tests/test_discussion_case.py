"""Case threads through the JSON API: the case brief (teaching notes for staff only)
and role play."""

import pytest

from tests.api_support import list_posts as _posts
from tests.api_support import reply as _reply
from tests.api_support import start_thread as _thread


@pytest.fixture
def app_overrides():
    """No search indexing on every write: these tests do not search (keeps them fast)."""
    return {"FORUM_WORKER": "external"}


# --- case briefs ------------------------------------------------------------------------------


def test_case_brief_shown_to_all_teaching_notes_to_staff(client, cls):
    thread = _thread(client, cls.teacher, cls.board)
    brief = {
        "background": "The city of **X**.",
        "questions": "1. What would you do?",
        "teaching_notes": "Steer them to the budget.",
        "material_ids": [],
    }
    response = client.api("put", f"/api/v1/threads/{thread['id']}/brief", user=cls.teacher, json=brief)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["brief"]["teaching_notes"] == "Steer them to the budget."

    seen = client.api("get", f"/api/v1/threads/{thread['id']}/discussion", user=cls.trainee).get_json()
    assert "<strong>X</strong>" in seen["brief"]["background_html"]
    assert seen["brief"]["questions"] == "1. What would you do?"
    assert "teaching_notes" not in seen["brief"] and "teaching_notes_html" not in seen["brief"]
    assert "budget" not in str(seen)


def test_case_brief_given_when_the_thread_starts(client, cls):
    thread = _thread(
        client, cls.teacher, cls.board, brief={"background": "Context.", "teaching_notes": "Secret."}
    )
    seen = client.api("get", f"/api/v1/threads/{thread['id']}/discussion", user=cls.trainee).get_json()
    assert seen["brief"]["background"] == "Context."
    assert "Secret" not in str(seen)


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({"background": 5}, 400, "invalid"),
        ({"background": "x" * 20001}, 400, "too_long"),
        ({"material_ids": "1,2"}, 400, "invalid"),
        ({"material_ids": [True]}, 400, "invalid"),
        ({"material_ids": list(range(1, 40))}, 400, "invalid"),
        ({"material_ids": [0]}, 400, "out_of_range"),
        ({"colour": "red"}, 400, "unknown_field"),
    ],
)
def test_case_brief_fields_checked(client, cls, body, status, code):
    thread = _thread(client, cls.teacher, cls.board)
    response = client.api("put", f"/api/v1/threads/{thread['id']}/brief", user=cls.teacher, json=body)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code


def test_case_brief_refused_to_trainees_and_outside_case_threads(client, cls):
    case = _thread(client, cls.teacher, cls.board)
    other = _thread(client, cls.teacher, cls.board, kind="discussion")
    assert (
        client.api(
            "put", f"/api/v1/threads/{case['id']}/brief", user=cls.trainee, json={"background": "x"}
        ).status_code
        == 403
    )
    assert (
        client.api(
            "put", f"/api/v1/threads/{other['id']}/brief", user=cls.teacher, json={"background": "x"}
        ).status_code
        == 403
    )
    assert (
        client.api(
            "put", f"/api/v1/threads/{case['id']}/brief", user=cls.outsider, json={"background": "x"}
        ).status_code
        == 404
    )
    # A trainee starting a case thread may not attach a brief.
    response = client.api(
        "post",
        f"/api/v1/boards/{cls.board.id}/threads",
        user=cls.trainee,
        json={"title": "t", "body": "b", "kind": "case", "brief": {"background": "x"}},
    )
    assert response.status_code == 403


def test_removing_the_brief(client, cls):
    thread = _thread(client, cls.teacher, cls.board, brief={"background": "Context."})
    assert client.api("delete", f"/api/v1/threads/{thread['id']}/brief", user=cls.teacher).status_code == 204
    seen = client.api("get", f"/api/v1/threads/{thread['id']}/discussion", user=cls.trainee).get_json()
    assert seen["brief"] is None


# --- role play --------------------------------------------------------------------------------


def test_role_shows_beside_replies(client, cls):
    thread = _thread(client, cls.teacher, cls.board)
    response = client.api(
        "put", f"/api/v1/threads/{thread['id']}/roles/trainee", user=cls.teacher, json={"label": "市长"}
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        "user": {"id": cls.trainee.id, "username": "trainee", "display_name": "李学员"},
        "label": "市长",
    }
    reply = _reply(client, cls.trainee, thread["id"])
    assert reply["role"] == "市长"
    by_id = {p["id"]: p for p in _posts(client, cls.classmate, thread["id"])}
    assert by_id[reply["id"]]["role"] == "市长"
    assert client.api("get", f"/api/v1/posts/{reply['id']}", user=cls.classmate).get_json()["role"] == "市长"
    roles = client.api("get", f"/api/v1/threads/{thread['id']}/discussion", user=cls.classmate).get_json()[
        "roles"
    ]
    assert [r["label"] for r in roles] == ["市长"]

    assert (
        client.api("delete", f"/api/v1/threads/{thread['id']}/roles/trainee", user=cls.teacher).status_code
        == 204
    )
    assert client.api("get", f"/api/v1/posts/{reply['id']}", user=cls.classmate).get_json()["role"] is None
    assert (
        client.api("delete", f"/api/v1/threads/{thread['id']}/roles/trainee", user=cls.teacher).status_code
        == 404
    )


def test_role_rules(client, cls):
    case = _thread(client, cls.teacher, cls.board)
    plain = _thread(client, cls.teacher, cls.board, kind="discussion")
    url = f"/api/v1/threads/{case['id']}/roles"
    assert client.api("put", f"{url}/classmate", user=cls.trainee, json={"label": "x"}).status_code == 403
    assert client.api("put", f"{url}/teacher", user=cls.teacher, json={"label": "x"}).status_code == 400
    assert client.api("put", f"{url}/outsider", user=cls.teacher, json={"label": "x"}).status_code == 400
    assert client.api("put", f"{url}/nobody", user=cls.teacher, json={"label": "x"}).status_code == 404
    assert client.api("put", f"{url}/trainee", user=cls.teacher, json={"label": "x" * 61}).status_code == 400
    assert client.api("put", f"{url}/trainee", user=cls.teacher, json={"label": ["x"]}).status_code == 400
    assert client.api("put", f"{url}/trainee", user=cls.teacher, json={"label": "  "}).status_code == 400
    assert (
        client.api(
            "put", f"/api/v1/threads/{plain['id']}/roles/trainee", user=cls.teacher, json={"label": "x"}
        ).status_code
        == 403
    )


def test_role_hidden_on_anonymous_replies_from_classmates(client, cls):
    thread = _thread(client, cls.teacher, cls.board)
    client.api(
        "put", f"/api/v1/threads/{thread['id']}/roles/trainee", user=cls.teacher, json={"label": "开发商"}
    )
    reply = _reply(client, cls.trainee, thread["id"], anonymous=True)
    seen = {p["id"]: p for p in _posts(client, cls.classmate, thread["id"])}[reply["id"]]
    assert seen["role"] is None and seen["author"] is None
    staff = {p["id"]: p for p in _posts(client, cls.teacher, thread["id"])}[reply["id"]]
    assert staff["role"] == "开发商" and staff["author"]["username"] == "trainee"


def test_brief_links_teaching_materials(client, cls):
    import io

    from forum.materials import services as materials

    material, _created = materials.upload_material(
        None, io.BytesIO(b"Notes on urban renewal.\n"), "renewal.txt", title="城市更新讲义", cohort=cls.cohort
    )
    elsewhere, _created = materials.upload_material(
        None, io.BytesIO(b"Another cohort's notes.\n"), "other.txt", title="别班讲义", cohort=cls.other
    )
    thread = _thread(client, cls.teacher, cls.board)
    url = f"/api/v1/threads/{thread['id']}/brief"
    response = client.api(
        "put", url, user=cls.teacher, json={"background": "B.", "material_ids": [material.id]}
    )
    assert response.status_code == 200, response.get_json()
    # A material the instructor may not see cannot be linked; nor one that does not exist.
    for bad in ([elsewhere.id], [999999]):
        response = client.api("put", url, user=cls.teacher, json={"material_ids": bad})
        assert response.status_code == 400 and response.get_json()["error"]["field"] == "material_ids"
    seen = client.api("get", f"/api/v1/threads/{thread['id']}/discussion", user=cls.trainee).get_json()
    assert seen["brief"]["materials"] == [
        {"id": material.id, "title": "城市更新讲义", "url": f"/materials/{material.id}"}
    ]
