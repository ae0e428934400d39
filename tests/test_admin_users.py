"""Administering accounts: deactivate/reactivate, reset a password, change the role —
through the admin pages and the API, each writing an audit row, with every denial."""

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.extensions import db
from forum.moderation.models import AuditEntry
from tests.conftest import PASSWORD


def _audit(action):
    db.session.expire_all()
    return (
        db.session.execute(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id.desc())
        )
        .scalars()
        .first()
    )


def _user(name):
    db.session.expire_all()
    return db.session.execute(select(User).where(User.username == name)).scalar_one()


def test_deactivate_and_reactivate_by_page(world, login, client):
    """A deactivated trainee cannot sign in or use a token; reactivation restores both."""
    admin = login(world.admin)
    trainee_client = login(world.trainee)
    from forum.accounts.services import issue_token

    token = issue_token(world.trainee)
    page = admin.get("/admin/users/trainee")
    assert page.status_code == 200 and "李学员" in page.get_data(as_text=True)
    response = admin.form("/admin/users/trainee/active", {"active": "0", "active_reason": "left the class"})
    assert response.status_code == 302
    assert _user("trainee").active is False
    entry = _audit("user_deactivate")
    assert entry.target_type == "user" and entry.target_id == world.trainee.id
    assert entry.reason == "left the class" and entry.actor_id == world.admin.id
    assert entry.before == {"active": True} and entry.after == {"active": False}
    # The running session ends, sign-in and the old token are refused.
    ended = trainee_client.get("/account")
    assert ended.status_code == 302 and "/login" in ended.headers["Location"]
    assert client.login("trainee").status_code != 302
    assert client.api("get", "/api/v1/me", token=token).status_code == 401
    assert (
        client.post("/api/v1/auth/token", json={"username": "trainee", "password": PASSWORD}).status_code
        == 401
    )

    admin.form("/admin/users/trainee/active", {"active": "1"})
    assert _user("trainee").active is True
    assert _audit("user_reactivate").after == {"active": True}
    assert client.login("trainee").status_code == 302


def test_reset_password_and_role_by_page(world, login, client):
    """The admin sets a new password (old one refused) and promotes a trainee."""
    admin = login(world.admin)
    short = admin.form("/admin/users/trainee/password", {"password": "short"})
    assert short.status_code == 400
    assert admin.form("/admin/users/trainee/password", {"password": "new secret 42"}).status_code == 302
    assert _audit("user_password_reset").target_id == world.trainee.id
    assert client.login("trainee").status_code != 302
    assert client.login("trainee", "new secret 42").status_code == 302

    assert (
        admin.form("/admin/users/trainee/role", {"role": "instructor", "role_reason": "TA"}).status_code
        == 302
    )
    assert _user("trainee").role == "instructor"
    entry = _audit("user_role")
    assert entry.before == {"role": "trainee"} and entry.after == {"role": "instructor"}
    assert admin.form("/admin/users/trainee/role", {"role": "emperor"}).status_code == 400


def test_admin_cannot_lock_themselves_out(world, login):
    """Deactivating or demoting oneself is refused with a message, not a 500."""
    admin = login(world.admin)
    response = admin.form("/admin/users/admin/active", {"active": "0"})
    assert response.status_code == 400
    assert _user("admin").active is True
    response = admin.api("patch", "/api/v1/users/admin", user=world.admin, json={"role": "trainee"})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("who", ["teacher", "trainee", "other_teacher"])
def test_pages_refused_to_non_admins(world, login, who):
    """Instructors (of this or another cohort) and trainees get 403 on every page."""
    c = login(getattr(world, who))
    assert c.get("/admin/users/trainee").status_code == 403
    assert c.form("/admin/users/trainee/active", {"active": "0"}).status_code == 403
    assert c.form("/admin/users/trainee/password", {"password": "x" * 10}).status_code == 403
    assert c.form("/admin/users/trainee/role", {"role": "admin"}).status_code == 403
    assert _user("trainee").active is True and _user("trainee").role == "trainee"


def test_api_patch_and_password(world, client):
    """PATCH changes several fields with one audit row; the password reset ends old tokens."""
    from forum.accounts.services import issue_token

    token = issue_token(world.trainee)
    response = client.api(
        "patch",
        "/api/v1/users/trainee",
        user=world.admin,
        json={"display_name": "李同学", "active": False, "reason": "毕业"},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["active"] is False and body["display_name"] == "李同学" and body["url"]
    entry = _audit("user_deactivate")
    assert entry.after == {"active": False, "display_name": "李同学"} and entry.reason == "毕业"
    assert (
        client.api("patch", "/api/v1/users/trainee", user=world.admin, json={"active": True}).get_json()[
            "active"
        ]
        is True
    )
    assert client.api("get", "/api/v1/me", token=token).status_code == 401  # deactivation ended it

    token = issue_token(_user("trainee"))
    response = client.api(
        "post", "/api/v1/users/trainee/password", user=world.admin, json={"password": "brand new pw 1"}
    )
    assert response.status_code == 204
    assert _audit("user_password_reset") is not None
    assert client.api("get", "/api/v1/me", token=token).status_code == 401
    assert (
        client.post(
            "/api/v1/auth/token", json={"username": "trainee", "password": "brand new pw 1"}
        ).status_code
        == 200
    )


@pytest.mark.parametrize(
    "payload, status",
    [
        ({}, 400),
        ({"active": "no"}, 400),
        ({"role": "king"}, 400),
        ({"display_name": "x" * 500}, 400),
        ({"colour": "red"}, 400),
        ({"display_name": ""}, 400),
    ],
)
def test_api_bad_input(world, client, payload, status):
    """Bad fields give a JSON 4xx error, never a 500."""
    response = client.api("patch", "/api/v1/users/trainee", user=world.admin, json=payload)
    assert response.status_code == status and "error" in response.get_json()


def test_api_denials_and_unknown_user(world, client):
    """Non-admins get 403; unknown users 404; a short password 400."""
    for who in (world.teacher, world.trainee, world.other_teacher):
        assert (
            client.api("patch", "/api/v1/users/trainee", user=who, json={"active": False}).status_code == 403
        )
        assert (
            client.api(
                "post", "/api/v1/users/trainee/password", user=who, json={"password": "whatever 123"}
            ).status_code
            == 403
        )
    assert (
        client.api("patch", "/api/v1/users/nobody", user=world.admin, json={"active": False}).status_code
        == 404
    )
    assert (
        client.api(
            "post", "/api/v1/users/trainee/password", user=world.admin, json={"password": "short"}
        ).status_code
        == 400
    )
    assert client.patch("/api/v1/users/trainee", json={"active": False}).status_code == 401
    assert _user("trainee").active is True


def test_documented_in_openapi(client):
    """Both endpoints appear in the OpenAPI document."""
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "patch" in paths["/api/v1/users/{username}"]
    assert "post" in paths["/api/v1/users/{username}/password"]
