"""API: cohorts, members and boards, as the people who use them would."""

import pytest


def test_cohort_list_shows_only_my_cohorts(client, world, make_cohort):
    make_cohort("extra-2025", year=2025)
    mine = client.api("get", "/api/v1/cohorts", user=world.trainee).get_json()
    assert [c["slug"] for c in mine["items"]] == ["mayors-2026"]
    item = mine["items"][0]
    assert item["url"] == "/cohorts/mayors-2026" and isinstance(item["id"], int)
    assert item["name"] == "市长研究班" and item["kind"] == "national" and item["year"] == 2026
    assert item["role"] == "trainee" and item["can_manage"] is False and item["archived"] is False
    everything = client.api("get", "/api/v1/cohorts", user=world.admin).get_json()
    assert {c["slug"] for c in everything["items"]} == {"mayors-2026", "foreign-2026", "extra-2025"}
    assert everything["total"] == 3 and everything["page"] == 1 and everything["pages"] == 1


def test_cohort_list_paginates(client, world, make_cohort):
    for n in range(5):
        make_cohort(f"page-{n}", members={world.teacher: "instructor"})
    first = client.api("get", "/api/v1/cohorts?per_page=2", user=world.teacher).get_json()
    assert (first["page"], first["per_page"], first["total"], first["pages"]) == (1, 2, 6, 3)
    assert len(first["items"]) == 2
    seen = []
    for page in (1, 2, 3):
        data = client.api("get", f"/api/v1/cohorts?per_page=2&page={page}", user=world.teacher).get_json()
        seen += [c["slug"] for c in data["items"]]
    assert len(set(seen)) == 6
    beyond = client.api("get", "/api/v1/cohorts?per_page=2&page=9", user=world.teacher).get_json()
    assert beyond["items"] == [] and beyond["total"] == 6
    assert client.api("get", "/api/v1/cohorts?per_page=100", user=world.teacher).status_code == 200


def test_archived_cohorts_come_last(client, world, make_cohort):
    from forum.cohorts.services import update_cohort

    update_cohort(None, world.cohort, archived=True)
    slugs = [c["slug"] for c in client.api("get", "/api/v1/cohorts", user=world.admin).get_json()["items"]]
    assert slugs[-1] == "mayors-2026"


def test_admin_creates_a_cohort(client, world):
    body = {"slug": "Special-2027", "name": "  专题班 ", "kind": "special", "year": 2027, "language": "zh"}
    response = client.api("post", "/api/v1/cohorts", user=world.admin, json=body)
    assert response.status_code == 201
    data = response.get_json()
    assert data["slug"] == "special-2027" and data["name"] == "专题班" and data["year"] == 2027
    assert data["url"] == "/cohorts/special-2027"
    assert response.headers["Location"].endswith("/api/v1/cohorts/special-2027")
    assert client.api("get", "/api/v1/cohorts/special-2027", user=world.admin).status_code == 200


def test_cohort_year_and_language_are_optional(client, world):
    body = {"slug": "course-x", "name": "Course X", "kind": "course", "year": None}
    data = client.api("post", "/api/v1/cohorts", user=world.admin, json=body).get_json()
    assert data["year"] is None and data["language"] == "zh"


def test_cohort_detail_lists_its_boards(client, world, make_board):
    extra = make_board(world.cohort, "资料")
    data = client.api("get", "/api/v1/cohorts/mayors-2026", user=world.teacher).get_json()
    assert data["role"] == "instructor" and data["can_manage"] is True
    assert [(b["name"], b["url"]) for b in data["boards"]] == [
        ("案例讨论", f"/boards/{world.board.id}"),
        ("资料", f"/boards/{extra.id}"),
    ]
    assert data["boards"][0]["anonymous_allowed"] is True
    assert data["boards"][0]["can_create_thread"] is True


def test_members_list(client, world):
    data = client.api("get", "/api/v1/cohorts/mayors-2026/members", user=world.trainee).get_json()
    assert [(m["user"]["username"], m["role"]) for m in data["items"]] == [
        ("teacher", "instructor"),
        ("trainee", "trainee"),
    ]
    assert data["items"][0]["user"]["display_name"] == "王老师"
    assert "password_hash" not in data["items"][0]["user"]


def test_instructor_enrols_a_trainee_then_the_trainee_sees_the_cohort(client, world, make_user):
    newcomer = make_user("newcomer")
    assert client.api("get", "/api/v1/cohorts/mayors-2026", user=newcomer).status_code == 404
    url = "/api/v1/cohorts/mayors-2026/members/NewComer"
    response = client.api("put", url, user=world.teacher, json={"role": "trainee"})
    assert response.status_code == 201
    assert response.get_json()["user"]["username"] == "newcomer" and response.get_json()["role"] == "trainee"
    # Putting the same membership again is not a new enrolment.
    assert client.api("put", url, user=world.teacher, json={"role": "trainee"}).status_code == 200
    assert client.api("get", "/api/v1/cohorts/mayors-2026", user=newcomer).status_code == 200
    me = client.api("get", "/api/v1/me", user=newcomer).get_json()
    assert [c["slug"] for c in me["cohorts"]] == ["mayors-2026"]


def test_only_admins_make_instructors(client, world):
    url = "/api/v1/cohorts/mayors-2026/members/trainee"
    refused = client.api("put", url, user=world.teacher, json={"role": "instructor"})
    assert refused.status_code == 403
    promoted = client.api("put", url, user=world.admin, json={"role": "instructor"})
    assert promoted.status_code == 200 and promoted.get_json()["role"] == "instructor"
    me = client.api("get", "/api/v1/me", user=world.trainee).get_json()
    assert me["cohorts"][0]["role"] == "instructor"


def test_membership_changes_are_audited(client, world, db):
    from forum.moderation.models import AuditEntry

    client.api(
        "put", "/api/v1/cohorts/mayors-2026/members/outsider", user=world.admin, json={"role": "trainee"}
    )
    client.api("delete", "/api/v1/cohorts/mayors-2026/members/outsider", user=world.admin)
    actions = [e.action for e in db.session.execute(db.select(AuditEntry).order_by(AuditEntry.id)).scalars()]
    assert actions[-2:] == ["set_membership", "remove_membership"]


def test_admin_removes_a_member(client, world):
    response = client.api("delete", "/api/v1/cohorts/mayors-2026/members/trainee", user=world.admin)
    assert response.status_code == 204 and response.data == b""
    assert client.api("get", "/api/v1/cohorts/mayors-2026", user=world.trainee).status_code == 404
    assert client.api("get", f"/api/v1/threads/{world.thread.id}", user=world.trainee).status_code == 404


def test_boards_list_and_create(client, world):
    response = client.api(
        "post",
        "/api/v1/cohorts/mayors-2026/boards",
        user=world.teacher,
        json={"name": "研究课题", "description": "各组的研究", "anonymous_allowed": False},
    )
    assert response.status_code == 201
    board = response.get_json()
    assert board["url"] == f"/boards/{board['id']}" and board["position"] == 2
    assert board["cohort"] == {
        "id": world.cohort.id,
        "slug": "mayors-2026",
        "url": "/cohorts/mayors-2026",
        "name": "市长研究班",
    }
    assert response.headers["Location"].endswith(f"/api/v1/boards/{board['id']}")
    listed = client.api("get", "/api/v1/cohorts/mayors-2026/boards", user=world.trainee).get_json()
    assert [b["name"] for b in listed["items"]] == ["案例讨论", "研究课题"]
    assert listed["items"][1]["can_manage"] is False


def test_board_description_is_optional(client, world):
    response = client.api(
        "post", "/api/v1/cohorts/mayors-2026/boards", user=world.admin, json={"name": "Q&A"}
    )
    assert response.status_code == 201
    assert response.get_json()["description"] == "" and response.get_json()["anonymous_allowed"] is False


def test_board_update(client, world):
    url = f"/api/v1/boards/{world.board.id}"
    response = client.api(
        "patch", url, user=world.teacher, json={"name": "案例", "anonymous_allowed": False, "position": 5}
    )
    assert response.status_code == 200
    data = response.get_json()
    assert (data["name"], data["anonymous_allowed"], data["position"]) == ("案例", False, 5)
    assert client.api("get", url, user=world.trainee).get_json()["name"] == "案例"


@pytest.mark.parametrize("who", ["trainee", "outsider"])
def test_board_detail_for_members_only(client, world, who):
    response = client.api("get", f"/api/v1/boards/{world.board.id}", user=getattr(world, who))
    assert response.status_code == (200 if who == "trainee" else 404)
    if who == "trainee":
        data = response.get_json()
        assert data["can_create_thread"] is True and data["can_post_anonymously"] is True
