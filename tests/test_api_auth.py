"""API sign-in: bearer tokens, throttling, the session alternative, and ``/me``."""

import pytest
from conftest import PASSWORD


def token_for(client, username, password=PASSWORD):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password})


def test_token_then_me(client, world):
    response = token_for(client, "trainee")
    assert response.status_code == 200
    data = response.get_json()
    assert data["token_type"] == "Bearer" and data["expires_in"] > 0
    me = client.api("get", "/api/v1/me", token=data["token"])
    assert me.status_code == 200
    body = me.get_json()
    assert body["username"] == "trainee"
    assert body["display_name"] == "李学员"
    assert body["role"] == "trainee" and body["is_admin"] is False
    assert [(c["slug"], c["role"], c["url"]) for c in body["cohorts"]] == [
        ("mayors-2026", "trainee", "/cohorts/mayors-2026")
    ]
    assert "password_hash" not in body


def test_username_is_case_insensitive(client, world):
    assert token_for(client, "  TRAINEE ").status_code == 200


def test_me_lists_every_cohort_with_its_role(client, world, make_cohort):
    make_cohort("second-2026", members={world.teacher: "trainee"})
    body = client.api("get", "/api/v1/me", user=world.teacher).get_json()
    assert {c["slug"]: c["role"] for c in body["cohorts"]} == {
        "mayors-2026": "instructor",
        "second-2026": "trainee",
    }


def test_admin_without_membership_has_no_cohorts_but_is_admin(client, world):
    body = client.api("get", "/api/v1/me", user=world.admin).get_json()
    assert body["is_admin"] is True and body["role"] == "admin"
    assert body["cohorts"] == []


@pytest.mark.parametrize(
    "username, password",
    [("trainee", "wrong password"), ("nobody", PASSWORD), ("trainee", ""), ("", "")],
)
def test_bad_credentials_are_401(client, world, username, password):
    response = token_for(client, username, password)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "bad_credentials"


def test_inactive_account_gets_no_token(client, world, db):
    world.trainee.active = False
    db.session.commit()
    assert token_for(client, "trainee").status_code == 401


def test_too_many_failures_are_429_even_with_the_right_password(client, world, app):
    limit = app.config["FORUM_LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        assert token_for(client, "trainee", "wrong password").status_code == 401
    response = token_for(client, "trainee", "wrong password")
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "too_many_attempts"
    assert token_for(client, "trainee").status_code == 429
    # Another account from the same address is not locked out by one account's failures.
    assert token_for(client, "teacher").status_code == 200


def test_page_and_api_share_the_throttle(client, world, app):
    for _ in range(app.config["FORUM_LOGIN_MAX_FAILURES"]):
        client.login("trainee", "wrong password")
    assert token_for(client, "trainee").status_code == 429


def test_success_clears_the_failure_count(client, world, app):
    limit = app.config["FORUM_LOGIN_MAX_FAILURES"]
    for _ in range(limit - 1):
        token_for(client, "trainee", "wrong password")
    assert token_for(client, "trainee").status_code == 200
    for _ in range(limit - 1):
        token_for(client, "trainee", "wrong password")
    assert token_for(client, "trainee").status_code == 200


def test_a_failed_sign_in_forgets_failures_older_than_the_window(client, world, app, db):
    from datetime import timedelta

    from forum.accounts.models import LoginFailure
    from forum.utils import utcnow

    window = timedelta(seconds=app.config["FORUM_LOGIN_WINDOW_SECONDS"])
    old = utcnow() - window - timedelta(minutes=1)
    db.session.add_all(
        [
            LoginFailure(username="teacher", address="10.0.0.9", created_at=old),
            LoginFailure(username="someone", address="10.0.0.8", created_at=old),
            LoginFailure(username="someone", address="10.0.0.8", created_at=utcnow()),
        ]
    )
    db.session.commit()
    assert token_for(client, "trainee", "wrong password").status_code == 401
    db.session.expire_all()
    kept = db.session.scalars(db.select(LoginFailure.username).order_by(LoginFailure.username)).all()
    assert kept == ["someone", "trainee"]


@pytest.mark.parametrize(
    "body, code",
    [
        ({"username": "trainee"}, "required"),
        ({"password": PASSWORD}, "required"),
        ({"username": 5, "password": PASSWORD}, "invalid"),
        ({"username": "trainee", "password": ["x"]}, "invalid"),
        ({"username": "trainee", "password": PASSWORD, "remember": True}, "unknown_field"),
    ],
)
def test_token_request_is_checked(client, world, body, code):
    response = client.post("/api/v1/auth/token", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == code


def test_token_request_must_be_json(client, world):
    response = client.post("/api/v1/auth/token", data={"username": "trainee", "password": PASSWORD})
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "invalid_json"


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-token", "Bearer ", "Basic dHJhaW5lZTpwdw==", "Token abc", "Bearer " + "x" * 600],
)
def test_a_bad_authorization_header_is_401(client, world, header):
    response = client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.is_json and "error" in response.get_json()


def test_no_credentials_is_401(client, world):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_password_change_revokes_tokens(client, world):
    from forum.accounts.services import change_password

    token = token_for(client, "trainee").get_json()["token"]
    assert client.api("get", "/api/v1/me", token=token).status_code == 200
    change_password(world.trainee, PASSWORD, "a brand new password")
    assert client.api("get", "/api/v1/me", token=token).status_code == 401
    assert token_for(client, "trainee", "a brand new password").status_code == 200


def test_expired_token_is_401(client, world, app):
    token = token_for(client, "trainee").get_json()["token"]
    app.config["FORUM_TOKEN_MAX_AGE"] = -1
    assert client.api("get", "/api/v1/me", token=token).status_code == 401


def test_token_from_another_secret_is_401(client, world, app):
    from itsdangerous import URLSafeTimedSerializer

    forged = URLSafeTimedSerializer("another secret", salt="forum-api-token").dumps(
        {"u": world.admin.id, "v": world.admin.token_version}
    )
    assert client.api("get", "/api/v1/me", token=forged).status_code == 401


def test_session_cookie_reads_and_writes_with_csrf_header(login, world):
    browser = login(world.trainee)
    assert browser.get("/api/v1/me").get_json()["username"] == "trainee"
    url = f"/api/v1/threads/{world.thread.id}/posts"
    refused = browser.post(url, json={"body": "No CSRF header."})
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "csrf"
    accepted = browser.post(
        url, json={"body": "With the header."}, headers={"X-CSRFToken": browser.csrf_token()}
    )
    assert accepted.status_code == 201


def test_a_forged_csrf_header_is_a_json_400(login, world):
    browser = login(world.trainee)
    url = f"/api/v1/threads/{world.thread.id}/posts"
    refused = browser.post(url, json={"body": "Forged header."}, headers={"X-CSRFToken": "not-a-token"})
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "csrf"
