"""Forms: CSRF is required everywhere, errors are shown, language choice is remembered."""

import re

import pytest

from forum.accounts.models import User
from forum.extensions import db


@pytest.fixture
def app_overrides():
    """Search indexing waits in its queue (these tests are about pages, and stay fast)."""
    return {"FORUM_WORKER": "external"}


FORMS = [
    ("trainee", "/boards/{board}/threads/new", {"title": "t", "kind": "discussion", "body": "b"}),
    ("trainee", "/threads/{thread}/reply", {"body": "b"}),
    ("trainee", "/posts/{post}/edit", {"body": "b"}),
    ("trainee", "/posts/{post}/delete", {}),
    ("teacher", "/threads/{thread}/moderate", {"action": "pin"}),
    ("teacher", "/posts/{post}/moderate", {"action": "hide"}),
    ("teacher", "/cohorts/mayors-2026/boards/new", {"name": "n"}),
    ("teacher", "/boards/{board}/edit", {"name": "n"}),
    ("trainee", "/account", {"current": "x", "new_password": "yyyyyyyy", "confirm": "yyyyyyyy"}),
    ("trainee", "/language", {"locale": "en"}),
    ("trainee", "/logout", {}),
    ("admin", "/admin/users/new", {"username": "u1", "role": "trainee"}),
    ("admin", "/admin/users/import", {}),
    ("admin", "/admin/cohorts/new", {"slug": "x-1", "name": "x", "kind": "course"}),
    ("admin", "/admin/cohorts/mayors-2026/edit", {"name": "x", "kind": "course"}),
    ("admin", "/admin/cohorts/mayors-2026/members", {"username": "outsider", "role": "trainee"}),
    ("admin", "/admin/cohorts/mayors-2026/members/remove", {"username": "trainee"}),
]


def test_every_form_refuses_a_missing_csrf_token(world, login, make_post):
    post = make_post(world.thread, world.trainee, "mine")
    clients = {name: login(getattr(world, name)) for name in ("trainee", "teacher", "admin")}
    for who, url, data in FORMS:
        url = url.format(board=world.board.id, thread=world.thread.id, post=post.id)
        response = clients[who].post(url, data=data)
        assert response.status_code == 400, url
    db.session.expire_all()
    assert db.session.get(type(post), post.id).body == "mine"


def test_sign_in_form_refuses_a_missing_csrf_token(world, client):
    response = client.post("/login", data={"username": "trainee", "password": "correct horse 1"})
    assert response.status_code == 400


def test_language_choice_is_remembered_on_the_account(world, login, app):
    client = login(world.trainee)
    response = client.form("/language", {"locale": "en", "next": "/account"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/account")
    db.session.expire_all()
    assert db.session.get(User, world.trainee.id).locale == "en"
    # Another device: a fresh sign-in comes back in English.
    other = login(world.trainee)
    html = other.get("/").get_data(as_text=True)
    assert 'lang="en"' in html and "Sign out" in html
    other.form("/language", {"locale": "zh_CN", "next": "/"})
    assert 'lang="zh-CN"' in other.get("/").get_data(as_text=True)


def test_language_switch_refuses_foreign_redirects(world, login):
    response = login(world.trainee).form("/language", {"locale": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_board_form_errors_keep_input(world, login, app):
    client = login(world.teacher)
    name = "板" * (app.config["FORUM_NAME_MAX"] + 1)
    response = client.form("/cohorts/mayors-2026/boards/new", {"name": name, "description": "说明文字"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "说明文字" in html and name in html
    ok = client.form("/cohorts/mayors-2026/boards/new", {"name": "政策研究", "description": "说明"})
    assert ok.status_code == 302
    assert "政策研究" in client.get("/cohorts/mayors-2026").get_data(as_text=True)


def test_password_change_errors_show_next_to_the_field(world, login):
    client = login(world.trainee)
    response = client.form(
        "/account", {"current": "wrong password", "new_password": "new secret 9", "confirm": "new secret 9"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "field-error" in html


def test_pages_have_no_inline_scripts_or_styles(world, login, make_post):
    make_post(world.thread, world.teacher, "<script>alert(1)</script> <b style='color:red'>x</b>")
    client = login(world.admin)
    for url in (
        "/",
        "/cohorts/mayors-2026",
        f"/boards/{world.board.id}",
        f"/threads/{world.thread.id}",
        f"/boards/{world.board.id}/threads/new",
        "/admin/",
        "/admin/users",
        "/admin/cohorts",
        "/admin/users/import",
        "/account",
    ):
        html = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\ssrc=)", html), url
        assert not re.search(r"<[a-zA-Z][^>]*\s(style|on[a-z]+)=", html), url
        for src in html.split('src="')[1:]:
            assert src.startswith("/"), (url, src[:60])
