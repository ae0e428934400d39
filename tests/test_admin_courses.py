"""The course catalogue: the admin page (list, add, edit, with validation) and the API
(`GET|POST /api/v1/courses`, `GET|PATCH /api/v1/courses/{id}`); only admins change it,
everyone signed in reads it; each change writes an audit row."""

import io

import pytest
from sqlalchemy import select

from forum.courses.models import Course
from forum.extensions import db
from forum.moderation.models import AuditEntry


@pytest.fixture
def app_overrides():
    """Uploaded materials wait in the queue (these tests are about the catalogue)."""
    return {"FORUM_WORKER": "external"}


def courses() -> list[tuple]:
    rows = db.session.execute(select(Course).order_by(Course.id)).scalars().all()
    return [(c.name, c.lecturer, c.year) for c in rows]


def audit(action: str) -> list:
    return (
        db.session.execute(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))
        .scalars()
        .all()
    )


def add(client, name, lecturer="", year=""):
    return client.form("/admin/courses/new", {"name": name, "lecturer": lecturer, "year": year})


# --- the admin pages ----------------------------------------------------------------------------


def test_admin_adds_lists_and_edits_courses(world, login):
    """Add two courses, see them in name order with their lecturer and year, edit one."""
    admin = login(world.admin)
    assert 'href="/admin/courses"' in admin.get("/admin/").get_data(as_text=True)  # linked from the nav
    empty = admin.get("/admin/courses")
    assert empty.status_code == 200 and "还没有课程" in empty.get_data(as_text=True)

    assert add(admin, "  城市规划  ", "王教授", "2026").status_code == 302
    assert add(admin, "Public Finance", "", "").status_code == 302
    assert courses() == [("城市规划", "王教授", 2026), ("Public Finance", "", None)]
    created = audit("course_create")
    assert [row.after for row in created] == [
        {"name": "城市规划", "lecturer": "王教授", "year": 2026},
        {"name": "Public Finance", "lecturer": "", "year": None},
    ]
    assert created[0].target_type == "course" and created[0].actor_id == world.admin.id

    page = admin.get("/admin/courses")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    table = html.split('id="course-table"')[1]
    assert table.index("Public Finance") < table.index("城市规划")
    assert "王教授" in html and ">2026<" in html
    assert 'aria-current="page">课程</a>' in html

    course = db.session.execute(select(Course).filter_by(name="城市规划")).scalar_one()
    form = admin.get(f"/admin/courses/{course.id}/edit").get_data(as_text=True)
    assert 'value="城市规划"' in form and 'value="王教授"' in form and 'value="2026"' in form
    response = admin.form(
        f"/admin/courses/{course.id}/edit", {"name": "城市规划与治理", "lecturer": "王教授", "year": ""}
    )
    assert response.status_code == 302
    db.session.refresh(course)
    assert (course.name, course.lecturer, course.year) == ("城市规划与治理", "王教授", None)
    [row] = audit("course_update")
    assert row.before == {"name": "城市规划", "year": 2026}
    assert row.after == {"name": "城市规划与治理", "year": None}
    # Saving without a change records nothing.
    admin.form(f"/admin/courses/{course.id}/edit", {"name": "城市规划与治理", "lecturer": "王教授"})
    assert len(audit("course_update")) == 1


def test_search_and_material_counts(world, login, client):
    """The list narrows by name or lecturer, and counts each course's materials."""
    admin = login(world.admin)
    add(admin, "城市规划", "王教授", "2026")
    add(admin, "Public Finance", "Dr. Smith", "2025")
    uploaded = client.api(
        "post",
        "/api/v1/materials",
        user=world.teacher,
        content_type="multipart/form-data",
        data={"file": (io.BytesIO("讲义内容".encode()), "讲义.txt"), "course": "城市规划"},
    )
    assert uploaded.status_code == 201, uploaded.get_json()
    assert len(courses()) == 2  # the upload found the course by name, it did not add one

    html = admin.get("/admin/courses").get_data(as_text=True)
    planning = db.session.execute(select(Course).filter_by(name="城市规划")).scalar_one()
    row = html.split(f'data-course-id="{planning.id}"')[1].split("</tr>")[0]
    assert 'data-materials="1"' in row and f"/materials/?course={planning.id}" in row

    found = admin.get("/admin/courses?q=smith").get_data(as_text=True)
    assert "Public Finance" in found and "城市规划" not in found.split('id="course-table"')[1]
    none = admin.get("/admin/courses?q=nothing-like-this").get_data(as_text=True)
    assert "没有符合条件的课程" in none


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        ({"name": ""}, "name", None),
        ({"name": "   "}, "name", None),
        ({"name": "课" * 201}, "name", None),
        ({"name": "课程", "lecturer": "张" * 121}, "lecturer", None),
        ({"name": "课程", "year": "1800"}, "year", None),
        ({"name": "课程", "year": "2201"}, "year", None),
        ({"name": "课程", "year": "明年"}, "year", None),
        ({"name": "PUBLIC finance"}, "name", "名为 PUBLIC finance 的课程已存在。"),
    ],
    ids=["empty", "blank", "long-name", "long-lecturer", "early", "late", "not-a-year", "duplicate"],
)
def test_bad_input_comes_back_with_the_error(world, login, fields, field_id, message):
    """Lengths, the year range and duplicate names (any case): the form again, with its error."""
    admin = login(world.admin)
    add(admin, "Public Finance")
    response = admin.form("/admin/courses/new", {"lecturer": "", "year": "", **fields})
    assert response.status_code in (400, 409)
    html = response.get_data(as_text=True)
    assert f'id="{field_id}-error"' in html
    if message:
        assert message in html
    assert courses() == [("Public Finance", "", None)]


def test_renaming_onto_another_course_is_refused(world, login):
    """Another course's name is refused; a change of case of its own name is not a clash."""
    admin = login(world.admin)
    add(admin, "城市规划")
    add(admin, "Public Finance")
    finance = db.session.execute(select(Course).filter_by(name="Public Finance")).scalar_one()
    response = admin.form(f"/admin/courses/{finance.id}/edit", {"name": "城市规划", "lecturer": ""})
    assert response.status_code == 409
    assert "名为 城市规划 的课程已存在。" in response.get_data(as_text=True)
    db.session.refresh(finance)
    assert finance.name == "Public Finance"
    renamed = admin.form(f"/admin/courses/{finance.id}/edit", {"name": "PUBLIC FINANCE", "lecturer": ""})
    assert renamed.status_code == 302
    db.session.refresh(finance)
    assert finance.name == "PUBLIC FINANCE"
    assert admin.get("/admin/courses/999999/edit").status_code == 404


@pytest.mark.parametrize("who", ["teacher", "trainee", "other_teacher"])
def test_pages_are_for_admins_only(world, login, client, who):
    other = login(getattr(world, who))
    assert other.get("/admin/courses").status_code == 403
    assert other.get("/admin/courses/new").status_code == 403
    assert add(other, "课程").status_code == 403
    response = client.get("/admin/courses")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert courses() == []


# --- the API ------------------------------------------------------------------------------------


def test_api_create_read_update(world, client):
    """Admins add and change courses; everyone signed in reads the catalogue."""
    created = client.api(
        "post",
        "/api/v1/courses",
        user=world.admin,
        json={"name": "城市规划", "lecturer": "王教授", "year": 2026},
    )
    assert created.status_code == 201
    body = created.get_json()
    assert body["name"] == "城市规划" and body["lecturer"] == "王教授" and body["year"] == 2026
    assert body["url"] == f"/materials/?course={body['id']}"
    assert created.headers["Location"].endswith(f"/api/v1/courses/{body['id']}")
    assert [row.after["name"] for row in audit("course_create")] == ["城市规划"]

    client.api("post", "/api/v1/courses", user=world.admin, json={"name": "Public Finance"})
    listing = client.api("get", "/api/v1/courses", user=world.trainee).get_json()
    assert [c["name"] for c in listing["items"]] == ["Public Finance", "城市规划"]
    assert listing["total"] == 2 and set(listing["items"][0]) >= {"id", "url", "name", "lecturer", "year"}
    narrowed = client.api("get", "/api/v1/courses?q=王", user=world.trainee).get_json()
    assert [c["name"] for c in narrowed["items"]] == ["城市规划"]
    one = client.api("get", f"/api/v1/courses/{body['id']}", user=world.trainee)
    assert one.status_code == 200 and one.get_json() == body

    patched = client.api(
        "patch", f"/api/v1/courses/{body['id']}", user=world.admin, json={"lecturer": "李教授", "year": None}
    )
    assert patched.status_code == 200
    assert patched.get_json()["lecturer"] == "李教授" and patched.get_json()["year"] is None
    [row] = audit("course_update")
    assert row.before == {"lecturer": "王教授", "year": 2026} and row.after == {
        "lecturer": "李教授",
        "year": None,
    }


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"name": "public finance"}, 409, "exists"),
        ({"name": ""}, 400, "required"),
        ({"name": "课" * 201}, 400, "too_long"),
        ({"name": "课程", "lecturer": "张" * 121}, 400, "too_long"),
        ({"name": "课程", "year": 1800}, 400, "out_of_range"),
        ({"name": "课程", "year": "2026"}, 400, "invalid"),
        ({"name": 7}, 400, "invalid"),
        ({"name": "课程", "code": "X1"}, 400, "unknown_field"),
        ({}, 400, "required"),
    ],
    ids=[
        "duplicate",
        "empty",
        "long-name",
        "long-lecturer",
        "year-range",
        "year-text",
        "name-type",
        "unknown",
        "none",
    ],
)
def test_api_bad_input(world, client, body, status, code):
    client.api("post", "/api/v1/courses", user=world.admin, json={"name": "Public Finance"})
    response = client.api("post", "/api/v1/courses", user=world.admin, json=body)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert len(courses()) == 1


def test_api_patch_refusals(world, client):
    first = client.api("post", "/api/v1/courses", user=world.admin, json={"name": "城市规划"}).get_json()
    client.api("post", "/api/v1/courses", user=world.admin, json={"name": "公共财政"})
    url = f"/api/v1/courses/{first['id']}"
    assert client.api("patch", url, user=world.admin, json={}).status_code == 400
    clash = client.api("patch", url, user=world.admin, json={"name": "公共财政"})
    assert clash.status_code == 409 and clash.get_json()["error"]["field"] == "name"
    assert client.api("patch", url, user=world.admin, json={"year": 3000}).status_code == 400
    assert (
        client.api("patch", "/api/v1/courses/999999", user=world.admin, json={"name": "x"}).status_code == 404
    )
    for who in (world.teacher, world.trainee):
        assert client.api("patch", url, user=who, json={"name": "改名"}).status_code == 403
        assert client.api("post", "/api/v1/courses", user=who, json={"name": "新课"}).status_code == 403
    assert client.get("/api/v1/courses").status_code == 401
    assert client.get(url).status_code == 401
    assert courses() == [("城市规划", "", None), ("公共财政", "", None)]
    assert audit("course_update") == []
