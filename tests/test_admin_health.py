"""The admin health dashboard (counts, database, search index, worker queue, Redis) and
the site settings (name, upload limit) that the templates and the upload check read."""

import io

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.moderation.models import AuditEntry


@pytest.fixture
def app_overrides():
    return {"FORUM_UPLOAD_MAX_MB": 3, "MAX_CONTENT_LENGTH": 4 * 1024 * 1024}


def test_health_page_shows_counts_and_checks(world, login, make_post):
    """Known counts appear; database and search index report OK; Redis not configured."""
    make_post(world.thread, world.teacher, "一个回复")
    page = login(world.admin).get("/admin/health")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-count="users">5<' in html
    assert 'data-count="cohorts">2<' in html
    assert 'data-count="threads">1<' in html
    assert 'data-count="materials">0<' in html
    database_row = html.split('id="health-database"')[1].split("</tr>")[0]
    assert 'class="marker marker-ok" data-health="ok"' in database_row
    assert 'data-queue="' in html
    search_row = html.split('id="health-search"')[1].split("</tr>")[0]
    assert 'data-health="ok"' in search_row
    redis_row = html.split('id="health-redis"')[1].split("</tr>")[0]
    assert "未配置" in redis_row  # "Not configured", in the default Chinese interface


def test_health_reports_a_failing_redis(world, login, app):
    """A configured but unreachable Redis shows as failing, not a 500."""
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    html = login(world.admin).get("/admin/health").get_data(as_text=True)
    redis_row = html.split('id="health-redis"')[1].split("</tr>")[0]
    assert 'data-health="failing"' in redis_row


def test_health_with_redis(world, login, app, need_redis):
    """A reachable Redis answers the ping."""
    app.config["REDIS_URL"] = need_redis
    html = login(world.admin).get("/admin/health").get_data(as_text=True)
    assert 'data-health="ok"' in html.split('id="health-redis"')[1].split("</tr>")[0]


@pytest.mark.parametrize("who", ["teacher", "trainee", "other_teacher"])
def test_health_and_settings_refused(world, login, who):
    """Only admins see the dashboard and change settings."""
    c = login(getattr(world, who))
    assert c.get("/admin/health").status_code == 403
    assert c.get("/admin/settings").status_code == 403
    assert c.form("/admin/settings", {"site_name": "Mine", "upload_max_mb": "1"}).status_code == 403


def test_settings_change_site_name_and_upload_limit(world, login, client):
    """The new name shows on every page; the upload limit is enforced; an audit row is kept."""
    admin = login(world.admin)
    big = b"a" * (2 * 1024 * 1024)
    teacher = login(world.teacher)

    def upload():
        return teacher.api(
            "post",
            "/api/v1/materials",
            user=world.teacher,
            content_type="multipart/form-data",
            data={"file": (io.BytesIO(big), "big.txt"), "cohort": world.cohort.slug},
        )

    response = admin.form("/admin/settings", {"site_name": "干部学院论坛", "upload_max_mb": "1"})
    assert response.status_code == 302
    assert "干部学院论坛" in client.get("/login").get_data(as_text=True)
    first = upload()
    assert first.status_code == 413 and "1 MB" in first.get_json()["error"]["message"]
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "site_settings")).scalar_one()
    assert entry.after == {"site_name": "干部学院论坛", "upload_max_mb": "1"}

    assert admin.form("/admin/settings", {"site_name": "", "upload_max_mb": "3"}).status_code == 302
    assert "干部学院论坛" not in client.get("/login").get_data(as_text=True)
    assert upload().status_code == 201


def test_settings_bad_input(world, login):
    """Above the server ceiling, zero, or not a number: the form comes back with an error."""
    admin = login(world.admin)
    for value in ("4", "0", "abc"):
        response = admin.form("/admin/settings", {"site_name": "x", "upload_max_mb": value})
        assert response.status_code == 400, value
    page = admin.get("/admin/settings").get_data(as_text=True)
    assert 'value="3"' in page
