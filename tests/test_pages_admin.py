"""Administration pages: users, CSV import, cohorts, memberships."""

import io

import pytest

from forum.accounts.models import User
from forum.cohorts.models import Cohort, Membership
from forum.extensions import db


@pytest.fixture
def app_overrides():
    """Search indexing waits in its queue (these tests are about pages, and stay fast)."""
    return {"FORUM_WORKER": "external"}


def _user(username):
    db.session.expire_all()
    return db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()


def _upload(client, content: str | bytes, **fields):
    data = {"file": (io.BytesIO(content.encode() if isinstance(content, str) else content), "class.csv")}
    data.update(fields)
    return client.form("/admin/users/import", data, content_type="multipart/form-data")


def test_index_shows_counts(world, login):
    html = login(world.admin).get("/admin/").get_data(as_text=True)
    assert 'class="stats"' in html


def test_users_search_and_pagination(world, login, make_user):
    for i in range(55):
        make_user(f"zz{i:02d}", "trainee", f"学员{i:02d}")
    client = login(world.admin)
    page1 = client.get("/admin/users").get_data(as_text=True)
    assert 'rel="next"' in page1
    found = client.get("/admin/users?q=王老").get_data(as_text=True)
    assert "teacher" in found and "zz01" not in found
    page2 = client.get("/admin/users?page=2").get_data(as_text=True)
    assert "zz54" in page2


def test_create_user_with_given_and_generated_password(world, login):
    client = login(world.admin)
    response = client.form(
        "/admin/users/new",
        {"username": "zhangsan", "display_name": "张三", "role": "trainee", "password": "long enough 1"},
    )
    assert response.status_code == 302
    assert _user("zhangsan").display_name == "张三"
    response = client.form(
        "/admin/users/new", {"username": "lisi", "display_name": "李四", "role": "instructor"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert 'class="password"' in html
    assert _user("lisi").role == "instructor"


def test_create_user_errors_keep_input(world, login):
    client = login(world.admin)
    taken = client.form(
        "/admin/users/new", {"username": "trainee", "display_name": "重名", "role": "trainee"}
    )
    assert taken.status_code == 409 and "重名" in taken.get_data(as_text=True)
    bad = client.form("/admin/users/new", {"username": "a b", "display_name": "空格", "role": "trainee"})
    assert bad.status_code == 400 and "空格" in bad.get_data(as_text=True)
    weak = client.form(
        "/admin/users/new", {"username": "weak", "display_name": "弱", "role": "trainee", "password": "short"}
    )
    assert weak.status_code == 400 and _user("weak") is None


def test_csv_import_good_file_enrols_and_shows_passwords_once(world, login):
    client = login(world.admin)
    csv_text = (
        "username,display_name,role,password\nzhangsan,张三,trainee,\nlisi,李四,trainee,given pass 12\n"
    )
    response = _upload(client, csv_text, cohort="mayors-2026")
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:2000]
    assert response.headers["Cache-Control"] == "no-store"
    assert "张三" in html and html.count('class="password"') == 1
    cohort = db.session.execute(db.select(Cohort).filter_by(slug="mayors-2026")).scalar_one()
    enrolled = set(
        db.session.execute(
            db.select(User.username)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.cohort_id == cohort.id)
        ).scalars()
    )
    assert {"zhangsan", "lisi"} <= enrolled
    assert login(_user("lisi"), "given pass 12").get("/").status_code == 200


def test_csv_import_gb18030_file(world, login):
    response = _upload(login(world.admin), "wangwu,王五,trainee\n".encode("gb18030"))
    assert response.status_code == 200 and _user("wangwu").display_name == "王五"


def test_csv_import_bad_row_names_its_line_and_creates_nothing(world, login):
    client = login(world.admin)
    response = _upload(client, "username,display_name,role\nzhaoliu,赵六,trainee\nsunqi,孙七,mayor\n")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "3" in html.split('class="field-error"')[1][:300]
    assert _user("zhaoliu") is None


def test_csv_import_duplicate(world, login):
    client = login(world.admin)
    dup_in_file = _upload(client, "zhouba,周八,trainee\nzhouba,周八,trainee\n")
    assert dup_in_file.status_code == 400 and _user("zhouba") is None
    existing = _upload(client, "trainee,又一个,trainee\n")
    assert existing.status_code in (400, 409)
    assert "trainee" in existing.get_data(as_text=True)


def test_csv_import_without_file(world, login):
    response = login(world.admin).form("/admin/users/import", {}, content_type="multipart/form-data")
    assert response.status_code == 400


def test_create_edit_and_archive_cohort(world, login):
    client = login(world.admin)
    response = client.form(
        "/admin/cohorts/new",
        {"slug": "county-2026", "name": "县委书记班", "kind": "special", "year": "2026", "language": "zh"},
    )
    assert response.status_code == 302
    bad = client.form("/admin/cohorts/new", {"slug": "county-2026", "name": "重复", "kind": "special"})
    assert bad.status_code == 409 and "重复" in bad.get_data(as_text=True)
    response = client.form(
        "/admin/cohorts/county-2026/edit",
        {
            "slug": "ignored",
            "name": "县委书记研究班",
            "kind": "special",
            "year": "2026",
            "language": "zh",
            "archived": "y",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    cohort = db.session.execute(db.select(Cohort).filter_by(slug="county-2026")).scalar_one()
    assert cohort.name == "县委书记研究班" and cohort.archived
    listing = client.get("/admin/cohorts").get_data(as_text=True)
    assert "county-2026" in listing and "marker-archived" in listing


def test_memberships_add_and_remove(world, login, make_user):
    newcomer = make_user("newcomer", "trainee", "新学员")
    client = login(world.admin)
    response = client.form("/admin/cohorts/mayors-2026/members", {"username": "newcomer", "role": "trainee"})
    assert response.status_code == 302
    assert "市长研究班" in login(newcomer).get("/").get_data(as_text=True)
    unknown = client.form("/admin/cohorts/mayors-2026/members", {"username": "nobody", "role": "trainee"})
    assert unknown.status_code == 400 and "nobody" in unknown.get_data(as_text=True)
    response = client.form("/admin/cohorts/mayors-2026/members/remove", {"username": "newcomer"})
    assert response.status_code == 302
    assert login(newcomer).get("/cohorts/mayors-2026").status_code == 404


def test_unknown_cohort_is_404(world, login):
    assert login(world.admin).get("/admin/cohorts/nope/edit").status_code == 404
