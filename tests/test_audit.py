"""The audit log: who may read it (page and API), its order, filters and paging, and
that nothing can change or remove an entry."""

import pytest
from sqlalchemy import delete, select, update

from forum.extensions import db
from forum.moderation.models import AuditEntry, AuditLogImmutable
from forum.threads import services as threads


@pytest.fixture
def logged(world, make_thread):
    """Moderation in both cohorts: pin and lock here, hide in the other cohort."""
    threads.moderate_thread(world.teacher, world.thread, reason="置顶", pinned=True)
    threads.moderate_thread(world.teacher, world.thread, reason="结束讨论", locked=True)
    other = make_thread(world.other_board, world.outsider, "Elsewhere")
    threads.moderate_thread(world.other_teacher, other, reason="off topic", hidden=True)
    return other


def test_admin_reads_everything_newest_first(world, client, logged):
    data = client.api("get", "/api/v1/audit", user=world.admin).json
    actions = [item["action"] for item in data["items"] if item["action"].endswith("_thread")]
    assert actions == ["hide_thread", "lock_thread", "pin_thread"]
    newest = next(item for item in data["items"] if item["action"] == "hide_thread")
    assert newest["actor"] == "otherteacher" and newest["target_type"] == "thread"
    assert newest["target_id"] == logged.id and newest["reason"] == "off topic"
    assert newest["before"] == {"hidden": False} and newest["after"] == {"hidden": True}
    assert newest["created_at"].endswith("Z") and newest["cohort"] == "foreign-2026"
    for key in ("page", "per_page", "total", "pages"):
        assert key in data


def test_filters_and_paging(world, client, logged):
    only = client.api("get", "/api/v1/audit?cohort=mayors-2026&action=lock_thread", user=world.admin).json
    assert [i["action"] for i in only["items"]] == ["lock_thread"]
    by = client.api("get", "/api/v1/audit?actor=otherteacher", user=world.admin).json
    assert {i["action"] for i in by["items"]} == {"hide_thread"}
    first = client.api("get", "/api/v1/audit?cohort=mayors-2026&action=&per_page=1", user=world.admin).json
    second = client.api("get", "/api/v1/audit?cohort=mayors-2026&per_page=1&page=2", user=world.admin).json
    assert (
        first["per_page"] == 1 and first["total"] >= 2 and first["items"][0]["id"] > second["items"][0]["id"]
    )
    assert client.api("get", "/api/v1/audit?per_page=101", user=world.admin).status_code == 400
    assert client.api("get", "/api/v1/audit?from=yesterday", user=world.admin).status_code == 400
    today = client.api("get", "/api/v1/audit", user=world.admin).json["items"][0]["created_at"][:10]
    dated = client.api("get", f"/api/v1/audit?from={today}&to={today}", user=world.admin).json
    assert dated["total"] >= 3
    assert client.api("get", "/api/v1/audit?to=2000-01-01", user=world.admin).json["total"] == 0


def test_instructors_read_their_cohorts_only(world, client, login, logged):
    mine = client.api("get", "/api/v1/audit?cohort=mayors-2026", user=world.teacher).json
    assert {i["action"] for i in mine["items"]} >= {"pin_thread", "lock_thread"}
    assert all(i["cohort"] == "mayors-2026" for i in mine["items"])
    assert client.api("get", "/api/v1/audit?cohort=foreign-2026", user=world.teacher).status_code == 404
    # Without ?cohort=: every cohort they teach, nothing else.
    unfiltered = client.api("get", "/api/v1/audit", user=world.teacher).json
    assert "hide_thread" not in {i["action"] for i in unfiltered["items"]}
    page = login(world.teacher).get("/cohorts/mayors-2026/audit")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "pin_thread" in html and "结束讨论" in html and "off topic" not in html
    filtered = login(world.teacher).get("/cohorts/mayors-2026/audit?action=pin_thread").get_data(as_text=True)
    assert "置顶" in filtered and "结束讨论" not in filtered
    assert login(world.teacher).get("/cohorts/foreign-2026/audit").status_code == 404  # not their cohort
    assert login(world.teacher).get("/admin/audit").status_code == 403


def test_admin_audit_page(world, login, logged):
    html = login(world.admin).get("/admin/audit").get_data(as_text=True)
    assert "off topic" in html and "置顶" in html and "Foreign Class" in html
    response = login(world.admin).get("/admin/audit?date_from=not-a-date")
    assert response.status_code == 400


@pytest.mark.parametrize("who", ["trainee", "outsider"])
def test_trainees_cannot_read_the_log(world, client, login, logged, who):
    user = getattr(world, who)
    assert client.api("get", "/api/v1/audit", user=user).status_code == 403
    expected = {"trainee": 403, "outsider": 404}[who]  # 404: not their cohort
    assert client.api("get", "/api/v1/audit?cohort=mayors-2026", user=user).status_code == expected
    assert login(user).get("/cohorts/mayors-2026/audit").status_code == expected
    assert login(user).get("/admin/audit").status_code == 403
    assert client.get("/api/v1/audit").status_code == 401


def test_nobody_can_change_or_remove_an_entry(world, client, logged):
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "pin_thread")).scalar_one()
    # No route writes to the log.
    for method in ("post", "put", "patch", "delete"):
        assert client.api(method, "/api/v1/audit", user=world.admin, json={}).status_code == 405
    # The ORM refuses an update or a delete of a row, and bulk statements too.
    entry.reason = "rewritten"
    with pytest.raises(AuditLogImmutable):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(AuditLogImmutable):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(AuditLogImmutable):
        db.session.execute(update(AuditEntry).values(reason="x"))
    with pytest.raises(AuditLogImmutable):
        db.session.execute(delete(AuditEntry))
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id).reason == "置顶"


def test_before_and_after_are_shown_escaped(world, login, make_post):
    post = make_post(world.thread, world.trainee, "原文 <b>")
    threads.edit_post(world.teacher, post, "改后 <script>alert(1)</script>")
    html = login(world.teacher).get("/cohorts/mayors-2026/audit?action=edit_post").get_data(as_text=True)
    assert "原文 &lt;b&gt;" in html and "改后 &lt;script&gt;" in html and "<script>alert" not in html
