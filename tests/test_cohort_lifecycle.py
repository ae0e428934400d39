"""Cohort life cycle: a new cohort from a template (page and API), alumni keep read access
to an archived cohort, and an admin opens an archived cohort's materials to a later one."""

import io

import pytest
from sqlalchemy import select

from forum.cohorts.models import Board, Cohort
from forum.extensions import db
from forum.moderation.models import AuditEntry


def _boards(slug):
    db.session.expire_all()
    cohort = db.session.execute(select(Cohort).where(Cohort.slug == slug)).scalar_one()
    return [
        (b.name, b.anonymous_allowed, b.kind)
        for b in db.session.execute(
            select(Board).where(Board.cohort_id == cohort.id).order_by(Board.position, Board.id)
        ).scalars()
    ]


@pytest.fixture
def template(world, make_board):
    make_board(world.cohort, "政策研讨")
    return _boards("mayors-2026")


def test_template_by_page(world, login, template):
    """The admin page copies the boards (not threads) and writes an audit row."""
    admin = login(world.admin)
    assert admin.get("/admin/cohorts/new-from-template").status_code == 200
    response = admin.form(
        "/admin/cohorts/new-from-template",
        {
            "template": "mayors-2026",
            "slug": "mayors-2027",
            "name": "市长研究班 2027",
            "kind": "national",
            "year": "2027",
            "language": "zh",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert _boards("mayors-2027") == template and len(template) == 2
    entry = db.session.execute(
        select(AuditEntry).where(AuditEntry.action == "cohort_from_template")
    ).scalar_one()
    assert entry.after == {"template": "mayors-2026", "boards": 2}
    page = admin.get("/cohorts/mayors-2027").get_data(as_text=True)
    assert "案例讨论" in page and "城市总体规划的实施" not in page


def test_template_by_api(world, client, template):
    """POST /api/v1/cohorts with ``template`` copies the boards; without, none; unknown: 404."""
    response = client.api(
        "post",
        "/api/v1/cohorts",
        user=world.admin,
        json={"slug": "mayors-2028", "name": "2028", "kind": "national", "template": "mayors-2026"},
    )
    assert response.status_code == 201, response.get_json()
    assert _boards("mayors-2028") == template
    plain = client.api(
        "post",
        "/api/v1/cohorts",
        user=world.admin,
        json={"slug": "plain-2028", "name": "Plain", "kind": "course"},
    )
    assert plain.status_code == 201 and _boards("plain-2028") == []
    for bad, status in (("no-such", 404), (12, 404)):
        response = client.api(
            "post",
            "/api/v1/cohorts",
            user=world.admin,
            json={"slug": "x-2028", "name": "X", "kind": "course", "template": bad},
        )
        assert response.status_code == status and "error" in response.get_json()
    assert db.session.execute(select(Cohort).where(Cohort.slug == "x-2028")).scalar_one_or_none() is None


@pytest.mark.parametrize("who", ["teacher", "trainee", "other_teacher"])
def test_template_denied(world, client, login, who):
    """Only admins create cohorts from a template (page and API)."""
    user = getattr(world, who)
    assert login(user).get("/admin/cohorts/new-from-template").status_code == 403
    response = client.api(
        "post",
        "/api/v1/cohorts",
        user=user,
        json={"slug": "sneaky", "name": "S", "kind": "course", "template": "mayors-2026"},
    )
    # Only admins create cohorts; a template of another cohort is one the user may not know.
    assert response.status_code == (404 if who == "other_teacher" else 403)
    assert db.session.execute(select(Cohort).where(Cohort.slug == "sneaky")).scalar_one_or_none() is None


def test_alumni_keep_read_access(world, login, client):
    """After archiving, the trainee still reads the cohort and its thread (page and API)
    but cannot post; an outsider still cannot read."""
    from forum.cohorts.services import update_cohort

    update_cohort(world.admin, world.cohort, archived=True)
    alumnus = login(world.trainee)
    cohort_page = alumnus.get("/cohorts/mayors-2026")
    assert cohort_page.status_code == 200
    # The banner says so in the default Chinese interface (babel skips templates/_partials
    # unless told not to; this caught it).
    assert "本班已结业并归档" in cohort_page.get_data(as_text=True)
    page = alumnus.get(f"/threads/{world.thread.id}")
    assert page.status_code == 200 and "城市总体规划的实施" in page.get_data(as_text=True)
    assert client.api("get", f"/api/v1/threads/{world.thread.id}", user=world.trainee).status_code == 200
    reply = client.api(
        "post", f"/api/v1/threads/{world.thread.id}/posts", user=world.trainee, json={"body": "晚了"}
    )
    assert reply.status_code == 403
    assert alumnus.get(f"/threads/{world.thread.id}/record").status_code == 200
    assert client.api("get", f"/api/v1/threads/{world.thread.id}", user=world.outsider).status_code == 404


def _upload(client, user, slug, name):
    data = {"file": (io.BytesIO(f"{name} 的讲义内容".encode()), f"{name}.txt"), "cohort": slug}
    response = client.api(
        "post", "/api/v1/materials", user=user, data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_open_archived_materials(world, login, client):
    """The admin opens an archived cohort's materials to a later cohort: its members read them."""
    from forum.cohorts.services import update_cohort

    material_id = _upload(client, world.teacher, "mayors-2026", "notes")
    assert client.api("get", f"/api/v1/materials/{material_id}", user=world.outsider).status_code == 404
    admin = login(world.admin)
    # Not archived yet: refused with a message.
    refused = admin.form("/admin/cohorts/mayors-2026/open-materials", {"target": "foreign-2026"})
    assert refused.status_code == 400
    update_cohort(world.admin, world.cohort, archived=True)
    assert "open-materials" in admin.get("/admin/cohorts").get_data(as_text=True)
    response = admin.form("/admin/cohorts/mayors-2026/open-materials", {"target": "foreign-2026"})
    assert response.status_code == 302
    assert client.api("get", f"/api/v1/materials/{material_id}", user=world.outsider).status_code == 200
    entry = db.session.execute(
        select(AuditEntry).where(AuditEntry.action == "cohort_open_materials")
    ).scalar_one()
    assert entry.after == {"target": "foreign-2026", "materials": 1}
    # The archived cohort's own members still read it.
    assert client.api("get", f"/api/v1/materials/{material_id}", user=world.trainee).status_code == 200


@pytest.mark.parametrize("who", ["teacher", "trainee", "other_teacher"])
def test_open_materials_denied(world, login, who):
    """Only admins open materials."""
    from forum.cohorts.services import update_cohort

    update_cohort(world.admin, world.cohort, archived=True)
    response = login(getattr(world, who)).form(
        "/admin/cohorts/mayors-2026/open-materials", {"target": "foreign-2026"}
    )
    assert response.status_code == 403
