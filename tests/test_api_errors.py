"""Bad input to the API: always a JSON error ``{"error": {"code", "message"}}`` with a
4xx status, never a 500 and never an HTML page."""

import json

import pytest


def assert_error(response, status, code=None):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert isinstance(error["code"], str) and isinstance(error["message"], str) and error["message"]
    if code is not None:
        assert error["code"] == code, error
    return error


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/v1/nothing-here"),
        ("get", "/api/v1/"),
        ("get", "/api/v2/cohorts"),
        ("post", "/api/v1/boards/abc/threads"),
        ("get", "/api/v1/threads/-1"),
        ("get", "/api/v1/threads/1.5"),
    ],
)
def test_unknown_paths_are_json_404(client, world, method, path):
    assert_error(client.api(method, path, user=world.admin), 404, "not_found")


def test_unknown_path_without_credentials_is_json_too(client):
    assert_error(client.get("/api/v1/no/such/thing"), 404)


@pytest.mark.parametrize(
    "method, path",
    [
        ("delete", "/api/v1/cohorts"),
        ("put", "/api/v1/me"),
        ("post", "/api/v1/posts/1"),
        ("get", "/api/v1/auth/token"),
        ("delete", "/api/v1/threads/1"),
        ("post", "/api/v1/openapi.json"),
    ],
)
def test_wrong_method_is_json_405(client, world, method, path):
    assert_error(client.api(method, path, user=world.admin), 405, "method_not_allowed")


@pytest.mark.parametrize(
    "path",
    ["/api/v1/boards/{big}", "/api/v1/threads/{big}", "/api/v1/posts/{big}", "/api/v1/boards/{big}/threads"],
)
def test_ids_beyond_the_database_range_are_404(client, world, path):
    big = 2**63 + 5
    assert_error(client.api("get", path.format(big=big), user=world.admin), 404)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cohorts/no-such-cohort",
        "/api/v1/cohorts/no-such-cohort/boards",
        "/api/v1/cohorts/no-such-cohort/members",
        "/api/v1/boards/999999",
        "/api/v1/boards/999999/threads",
        "/api/v1/threads/999999",
        "/api/v1/threads/999999/posts",
        "/api/v1/posts/999999",
    ],
)
def test_missing_objects_are_404(client, world, path):
    assert_error(client.api("get", path, user=world.admin), 404, "not_found")


def test_unknown_member_is_404(client, world):
    url = f"/api/v1/cohorts/{world.cohort.slug}/members/ghost"
    assert_error(client.api("put", url, user=world.admin, json={"role": "trainee"}), 404)
    assert_error(client.api("delete", url, user=world.admin), 404)
    # A real user who is not a member cannot be removed either.
    url = f"/api/v1/cohorts/{world.cohort.slug}/members/outsider"
    assert_error(client.api("delete", url, user=world.admin), 404, "not_member")


def post_url(world):
    return f"/api/v1/threads/{world.thread.id}/posts"


def test_malformed_json_is_400(client, world):
    response = client.api(
        "post",
        post_url(world),
        user=world.trainee,
        data='{"body": "unterminated',
        content_type="application/json",
    )
    assert_error(response, 400, "invalid_json")


@pytest.mark.parametrize("payload", ["[1, 2]", '"text"', "42", "null", "true"])
def test_json_that_is_not_an_object_is_400(client, world, payload):
    response = client.api(
        "post", post_url(world), user=world.trainee, data=payload, content_type="application/json"
    )
    assert_error(response, 400, "invalid_json")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": "body=hello", "content_type": "application/x-www-form-urlencoded"},
        {"data": '{"body": "hello"}', "content_type": "text/plain"},
        {"data": '{"body": "hello"}'},
    ],
)
def test_wrong_content_type_is_415(client, world, kwargs):
    assert_error(client.api("post", post_url(world), user=world.trainee, **kwargs), 415)


def test_oversized_body_is_413(client, world):
    payload = json.dumps({"body": "x" * 300_000})
    response = client.api(
        "post", post_url(world), user=world.trainee, data=payload, content_type="application/json"
    )
    assert_error(response, 413, "too_large")


def test_body_over_the_upload_limit_is_413(client, world, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    payload = json.dumps({"body": "x" * 4096})
    response = client.api(
        "post", post_url(world), user=world.trainee, data=payload, content_type="application/json"
    )
    assert_error(response, 413)


def test_too_long_fields_are_400_with_the_field(client, world, app):
    too_long_post = "长" * (app.config["FORUM_POST_MAX"] + 1)
    error = assert_error(
        client.api("post", post_url(world), user=world.trainee, json={"body": too_long_post}), 400
    )
    assert error["code"] == "too_long" and error["field"] == "body"
    url = f"/api/v1/boards/{world.board.id}/threads"
    error = assert_error(
        client.api("post", url, user=world.trainee, json={"title": "t" * 201, "body": "x"}), 400
    )
    assert error["field"] == "title"
    error = assert_error(
        client.api(
            "patch",
            f"/api/v1/threads/{world.thread.id}",
            user=world.teacher,
            json={"hidden": True, "reason": "r" * 501},
        ),
        400,
    )
    assert error["field"] == "reason"


BOARD = "/api/v1/boards/{board}/threads"
THREAD = "/api/v1/threads/{thread}"
POSTS = "/api/v1/threads/{thread}/posts"
POST = "/api/v1/posts/{post}"
COHORTS = "/api/v1/cohorts"
BOARDS = "/api/v1/cohorts/{slug}/boards"
BOARD_ONE = "/api/v1/boards/{board}"
MEMBER = "/api/v1/cohorts/{slug}/members/outsider"

BAD_BODIES = [
    # wrong types
    ("post", BOARD, {"title": 5, "body": "x"}, "invalid", "title"),
    ("post", BOARD, {"title": "t", "body": ["x"]}, "invalid", "body"),
    ("post", BOARD, {"title": "t", "body": "x", "kind": "essay"}, "invalid", "kind"),
    ("post", BOARD, {"title": "t", "body": "x", "kind": 3}, "invalid", "kind"),
    ("post", BOARD, {"title": "t", "body": "x", "anonymous": "yes"}, "invalid", "anonymous"),
    ("patch", THREAD, {"pinned": "yes"}, "invalid", "pinned"),
    ("patch", THREAD, {"locked": 1}, "invalid", "locked"),
    ("patch", THREAD, {"title": 5}, "invalid", "title"),
    ("patch", THREAD, {"hidden": True, "reason": 7}, "invalid", "reason"),
    ("post", POSTS, {"body": "x", "reply_to": "x"}, "invalid", "reply_to"),
    ("post", POSTS, {"body": "x", "reply_to": "3"}, "invalid", "reply_to"),
    ("post", POSTS, {"body": "x", "reply_to": 1.5}, "invalid", "reply_to"),
    ("post", POSTS, {"body": "x", "reply_to": True}, "invalid", "reply_to"),
    ("post", POSTS, {"body": "x", "reply_to": 0}, "out_of_range", "reply_to"),
    ("post", POSTS, {"body": "x", "reply_to": 2**70}, "out_of_range", "reply_to"),
    ("post", POSTS, {"body": "x", "reply_to": 999999}, "invalid", "reply_to"),
    ("post", POSTS, {"body": {"text": "x"}}, "invalid", "body"),
    ("patch", POST, {"body": 12}, "invalid", "body"),
    ("patch", POST, {"hidden": "no"}, "invalid", "hidden"),
    ("post", COHORTS, {"slug": "a b", "name": "n", "kind": "course"}, "invalid", "slug"),
    ("post", COHORTS, {"slug": "ok-slug", "name": "n", "kind": "club"}, "invalid", "kind"),
    ("post", COHORTS, {"slug": "ok-slug", "name": "n", "kind": "course", "year": "2026"}, "invalid", "year"),
    (
        "post",
        COHORTS,
        {"slug": "ok-slug", "name": "n", "kind": "course", "year": 1800},
        "out_of_range",
        "year",
    ),
    (
        "post",
        COHORTS,
        {"slug": "ok-slug", "name": "n", "kind": "course", "language": "fr"},
        "invalid",
        "language",
    ),
    ("post", BOARDS, {"name": "n", "anonymous_allowed": "true"}, "invalid", "anonymous_allowed"),
    ("post", BOARDS, {"name": ""}, "required", "name"),
    ("patch", BOARD_ONE, {"position": "1"}, "invalid", "position"),
    ("put", MEMBER, {"role": "admin"}, "invalid", "role"),
    ("put", MEMBER, {"role": 1}, "invalid", "role"),
    # missing fields
    ("post", BOARD, {"title": "t"}, "required", "body"),
    ("post", BOARD, {"body": "x"}, "required", "title"),
    ("post", BOARD, {"title": "   ", "body": "x"}, "required", "title"),
    ("post", POSTS, {}, "required", "body"),
    ("post", POSTS, {"body": None}, "required", "body"),
    ("post", POSTS, {"body": " \n "}, "required", "body"),
    ("post", COHORTS, {"slug": "ok-slug", "name": "n"}, "required", "kind"),
    ("put", MEMBER, {}, "required", "role"),
    ("patch", THREAD, {}, "required", None),
    ("patch", POST, {}, "required", None),
    ("patch", BOARD_ONE, {}, "required", None),
    ("patch", THREAD, {"reason": "why"}, "required", "reason"),
    ("patch", POST, {"reason": "why"}, "required", "reason"),
    # unknown fields
    ("post", POSTS, {"body": "x", "author_id": 1}, "unknown_field", "author_id"),
    ("post", BOARD, {"title": "t", "body": "x", "pinned": True}, "unknown_field", "pinned"),
    ("patch", THREAD, {"board_id": 2}, "unknown_field", "board_id"),
    ("patch", POST, {"body": "x", "number": 9}, "unknown_field", "number"),
    (
        "post",
        COHORTS,
        {"slug": "ok-slug", "name": "n", "kind": "course", "archived": True},
        "unknown_field",
        "archived",
    ),
    # posting in the name of others / where it is not allowed
    ("post", POSTS, {"body": "x", "anonymous": 1}, "invalid", "anonymous"),
]


@pytest.mark.parametrize("method, path, body, code, field", BAD_BODIES)
def test_bad_bodies_are_400_with_code_and_field(client, world, method, path, body, code, field):
    url = path.format(
        board=world.board.id, thread=world.thread.id, post=first_post_id(world), slug=world.cohort.slug
    )
    error = assert_error(client.api(method, url, user=world.admin, json=body), 400, code)
    if field:
        assert error.get("field") == field


def first_post_id(world):
    from forum.threads.services import opening_post

    return opening_post(world.thread).id


def test_reply_to_a_post_of_another_thread_is_400(client, world, make_thread):
    other = make_thread(world.board, world.trainee)
    from forum.threads.services import opening_post

    body = {"body": "x", "reply_to": opening_post(other).id}
    assert_error(client.api("post", post_url(world), user=world.trainee, json=body), 400, "invalid")


def test_reply_to_a_hidden_post_is_400_for_those_who_cannot_see_it(client, world, make_user, make_post):
    from forum.cohorts.services import add_membership
    from forum.threads.services import moderate_post

    classmate = make_user("classmate")
    add_membership(None, world.cohort, classmate, "trainee")
    hidden = make_post(world.thread, world.trainee, "will be hidden")
    moderate_post(world.teacher, hidden, hidden=True, reason="spam")
    body = {"body": "x", "reply_to": hidden.id}
    assert_error(client.api("post", post_url(world), user=classmate, json=body), 400, "invalid")
    assert client.api("post", post_url(world), user=world.teacher, json=body).status_code == 201


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "page=abc",
        "page=1.5",
        "per_page=0",
        "per_page=101",
        "per_page=x",
        "page=99999999999",
    ],
)
def test_bad_pagination_is_400(client, world, query):
    error = assert_error(client.api("get", f"/api/v1/cohorts?{query}", user=world.admin), 400)
    assert error["field"] in ("page", "per_page")


def test_duplicate_cohort_slug_is_409(client, world):
    body = {"slug": world.cohort.slug, "name": "again", "kind": "course"}
    assert_error(client.api("post", "/api/v1/cohorts", user=world.admin, json=body), 409, "exists")


def test_opening_post_cannot_be_deleted(client, world):
    response = client.api("delete", f"/api/v1/posts/{first_post_id(world)}", user=world.teacher)
    assert_error(response, 400, "opening_post")


def test_anonymous_where_the_board_does_not_allow_it_is_403(client, world, make_user):
    from forum.cohorts.services import add_membership

    add_membership(None, world.other, world.trainee, "trainee")
    url = f"/api/v1/boards/{world.other_board.id}/threads"
    body = {"title": "t", "body": "x", "anonymous": True}
    assert_error(client.api("post", url, user=world.trainee, json=body), 403, "anonymous_not_allowed")


def test_a_refused_write_leaves_no_half_change(client, world, db):
    """title valid, pinned invalid: nothing is written, not even the title."""
    response = client.api(
        "patch",
        f"/api/v1/threads/{world.thread.id}",
        user=world.teacher,
        json={"title": "New", "pinned": "yes"},
    )
    assert_error(response, 400, "invalid")
    db.session.expire_all()
    assert world.thread.title == "城市总体规划的实施" and world.thread.pinned is False
    # A trainee author renaming and pinning at once: refused before the rename happens.
    response = client.api(
        "patch",
        f"/api/v1/threads/{world.thread.id}",
        user=world.trainee,
        json={"title": "New", "pinned": True},
    )
    assert_error(response, 403)
    db.session.expire_all()
    assert world.thread.title == "城市总体规划的实施"


def test_never_html_under_api(client, world):
    for response in (
        client.get("/api/v1/threads/1/posts", headers={"Accept": "text/html"}),
        client.get("/api/v1/missing", headers={"Accept": "text/html"}),
        client.open("/api/v1/cohorts", method="PATCH", headers={"Accept": "text/html"}),
    ):
        assert response.mimetype == "application/json"
        assert b"<html" not in response.data.lower()


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/v1/cohorts/a%00b"),
        ("get", "/api/v1/cohorts/a%00b/boards"),
        ("put", "/api/v1/cohorts/mayors-2026/members/a%00b"),
        ("delete", "/api/v1/cohorts/mayors-2026/members/a%00b"),
        ("get", "/api/v1/cohorts/" + "x" * 3000),
        ("put", "/api/v1/cohorts/mayors-2026/members/" + "u" * 3000),
    ],
)
def test_odd_path_keys_are_404(client, world, method, path):
    """NUL characters (refused by PostgreSQL) and overlong keys never reach a query."""
    body = {"role": "trainee"} if method == "put" else None
    assert_error(client.api(method, path, user=world.admin, json=body), 404)


def test_nul_in_credentials_is_401(client, world):
    response = client.post("/api/v1/auth/token", json={"username": "trai\x00nee", "password": "x\x00"})
    assert_error(response, 401, "bad_credentials")
