"""The API's permission matrix: role x action, including every denial.

Roles: a site admin, the cohort's instructor, the trainee who wrote the thread and the
reply, a classmate (another trainee of the cohort), a trainee and an instructor of
another cohort, and nobody signed in. Other cohorts answer 404, so that their
existence does not leak; a member refused an action gets 403; anonymous callers 401.
"""

import pytest

ROLES = ("admin", "teacher", "trainee", "classmate", "outsider", "other_teacher", "anonymous")


@pytest.fixture
def scene(world, make_user, make_post, db):
    """The world of conftest plus a classmate, a user in no cohort, and a reply."""
    from forum.cohorts import services as cohorts

    world.classmate = make_user("classmate", "trainee", "同班同学")
    cohorts.add_membership(None, world.cohort, world.classmate, "trainee")
    world.newbie = make_user("newbie", "trainee", "New Trainee")
    world.reply = make_post(world.thread, world.trainee, "我的回复")
    world.anonymous = None
    return world


def call(client, scene, role, action):
    method, url, body = ACTIONS[action](scene)
    user = getattr(scene, role)
    kwargs = {"json": body} if body is not None else {}
    response = client.api(method, url, user=user, **kwargs)
    assert response.is_json or response.status_code == 204, response.data[:200]
    assert response.status_code < 500
    return response


ACTIONS = {
    # reads
    "list_cohorts": lambda w: ("get", "/api/v1/cohorts", None),
    "me": lambda w: ("get", "/api/v1/me", None),
    "get_cohort": lambda w: ("get", f"/api/v1/cohorts/{w.cohort.slug}", None),
    "list_members": lambda w: ("get", f"/api/v1/cohorts/{w.cohort.slug}/members", None),
    "list_boards": lambda w: ("get", f"/api/v1/cohorts/{w.cohort.slug}/boards", None),
    "get_board": lambda w: ("get", f"/api/v1/boards/{w.board.id}", None),
    "list_threads": lambda w: ("get", f"/api/v1/boards/{w.board.id}/threads", None),
    "get_thread": lambda w: ("get", f"/api/v1/threads/{w.thread.id}", None),
    "list_posts": lambda w: ("get", f"/api/v1/threads/{w.thread.id}/posts", None),
    "get_post": lambda w: ("get", f"/api/v1/posts/{w.reply.id}", None),
    # writes
    "create_cohort": lambda w: (
        "post",
        "/api/v1/cohorts",
        {"slug": "new-2026", "name": "New", "kind": "course", "year": 2026},
    ),
    "enrol_trainee": lambda w: (
        "put",
        f"/api/v1/cohorts/{w.cohort.slug}/members/newbie",
        {"role": "trainee"},
    ),
    "enrol_instructor": lambda w: (
        "put",
        f"/api/v1/cohorts/{w.cohort.slug}/members/newbie",
        {"role": "instructor"},
    ),
    "remove_member": lambda w: ("delete", f"/api/v1/cohorts/{w.cohort.slug}/members/classmate", None),
    "create_board": lambda w: ("post", f"/api/v1/cohorts/{w.cohort.slug}/boards", {"name": "新版块"}),
    "update_board": lambda w: ("patch", f"/api/v1/boards/{w.board.id}", {"name": "改名"}),
    "create_thread": lambda w: (
        "post",
        f"/api/v1/boards/{w.board.id}/threads",
        {"title": "新主题", "body": "内容", "kind": "case"},
    ),
    "create_anonymous_thread": lambda w: (
        "post",
        f"/api/v1/boards/{w.board.id}/threads",
        {"title": "匿名", "body": "内容", "anonymous": True},
    ),
    "pin_thread": lambda w: ("patch", f"/api/v1/threads/{w.thread.id}", {"pinned": True, "reason": "重要"}),
    "rename_thread": lambda w: ("patch", f"/api/v1/threads/{w.thread.id}", {"title": "新标题"}),
    "reply": lambda w: (
        "post",
        f"/api/v1/threads/{w.thread.id}/posts",
        {"body": "回复", "reply_to": w.reply.id},
    ),
    "edit_post": lambda w: ("patch", f"/api/v1/posts/{w.reply.id}", {"body": "改过的回复"}),
    "hide_post": lambda w: ("patch", f"/api/v1/posts/{w.reply.id}", {"hidden": True, "reason": "离题"}),
    "delete_post": lambda w: ("delete", f"/api/v1/posts/{w.reply.id}", None),
}
READS = list(ACTIONS)[:10]  # the first ten above
WRITES = [name for name in ACTIONS if name not in READS]

# Expected status per role, in ROLES order.
MEMBER_READ = (200, 200, 200, 200, 404, 404, 401)
EXPECTED = {
    "list_cohorts": (200, 200, 200, 200, 200, 200, 401),
    "me": (200, 200, 200, 200, 200, 200, 401),
    **{name: MEMBER_READ for name in READS[2:]},
    "create_cohort": (201, 403, 403, 403, 403, 403, 401),
    "enrol_trainee": (201, 201, 403, 403, 404, 404, 401),
    "enrol_instructor": (201, 403, 403, 403, 404, 404, 401),
    "remove_member": (204, 403, 403, 403, 404, 404, 401),
    "create_board": (201, 201, 403, 403, 404, 404, 401),
    "update_board": (200, 200, 403, 403, 404, 404, 401),
    "create_thread": (201, 201, 201, 201, 404, 404, 401),
    # Anonymity is for trainees where the board allows it; staff post under their names.
    "create_anonymous_thread": (403, 403, 201, 201, 404, 404, 401),
    "pin_thread": (200, 200, 403, 403, 404, 404, 401),
    "rename_thread": (200, 200, 200, 403, 404, 404, 401),
    "reply": (201, 201, 201, 201, 404, 404, 401),
    "edit_post": (200, 200, 200, 403, 404, 404, 401),
    "hide_post": (200, 200, 403, 403, 404, 404, 401),
    "delete_post": (204, 204, 204, 403, 404, 404, 401),
}


@pytest.mark.parametrize("role", ROLES)
def test_reads(client, scene, role):
    """Every read endpoint, for one role (reads change nothing, so one scene serves all)."""
    got = {action: call(client, scene, role, action).status_code for action in READS}
    assert got == {action: EXPECTED[action][ROLES.index(role)] for action in READS}


ALLOWED = [(a, r) for a in WRITES for i, r in enumerate(ROLES) if EXPECTED[a][i] < 400]


@pytest.mark.parametrize("action, role", ALLOWED)
def test_allowed_writes(client, scene, role, action):
    response = call(client, scene, role, action)
    assert response.status_code == EXPECTED[action][ROLES.index(role)], response.get_data(as_text=True)[:300]


def snapshot(db):
    """Everything a write could change, to show that a refused one changed nothing."""
    from sqlalchemy import func, select

    from forum.cohorts.models import Board, Cohort, Membership
    from forum.moderation.models import AuditEntry
    from forum.threads.models import Post, Thread

    db.session.expire_all()
    return {
        "counts": [
            db.session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Cohort, Membership, Board, Thread, Post, AuditEntry)
        ],
        "memberships": db.session.execute(select(Membership.user_id, Membership.role)).all(),
        "boards": db.session.execute(select(Board.name, Board.anonymous_allowed)).all(),
        "threads": db.session.execute(
            select(Thread.title, Thread.pinned, Thread.locked, Thread.hidden)
        ).all(),
        "posts": db.session.execute(select(Post.body, Post.hidden, Post.deleted_at)).all(),
    }


@pytest.mark.parametrize("role", ROLES)
def test_refused_writes_change_nothing(client, scene, role, db):
    """Every write this role may not do: the right refusal, in the error shape, no change."""
    column = ROLES.index(role)
    refused = [a for a in WRITES if EXPECTED[a][column] >= 400]
    before = snapshot(db)
    got = {}
    for action in refused:
        response = call(client, scene, role, action)
        got[action] = response.status_code
        assert set(response.get_json()["error"]) >= {"code", "message"}
    assert got == {action: EXPECTED[action][column] for action in refused}
    assert snapshot(db) == before


@pytest.mark.parametrize("role", ROLES)
def test_archived_cohort_is_read_only_for_everyone(client, scene, role, db):
    from forum.cohorts.services import update_cohort

    update_cohort(None, scene.cohort, archived=True)
    outside = {"outsider": 404, "other_teacher": 404, "anonymous": 401}
    cohort_writes = [name for name in WRITES if name != "create_cohort"]
    got = {action: call(client, scene, role, action).status_code for action in cohort_writes}
    assert got == {action: outside.get(role, 403) for action in cohort_writes}
    reads = {action: call(client, scene, role, action).status_code for action in READS}
    assert reads == {action: EXPECTED[action][ROLES.index(role)] for action in READS}


def test_archived_cohort_refusal_says_why(client, scene):
    from forum.cohorts.services import update_cohort

    update_cohort(None, scene.cohort, archived=True)
    for action in ("create_thread", "reply", "edit_post", "pin_thread", "hide_post", "delete_post"):
        response = call(client, scene, "teacher", action)
        assert response.get_json()["error"]["code"] == "archived", action


@pytest.mark.parametrize("role", ROLES)
def test_locked_thread(client, scene, role):
    """Locked: trainees can no longer reply, edit or rename; staff still can."""
    from forum.threads.services import moderate_thread

    moderate_thread(scene.admin, scene.thread, locked=True)
    actions = ("reply", "edit_post", "rename_thread", "delete_post")
    expected = {
        "admin": (201, 200, 200, 204),
        "teacher": (201, 200, 200, 204),
        "trainee": (403, 403, 403, 403),
        "classmate": (403, 403, 403, 403),
        "outsider": (404, 404, 404, 404),
        "other_teacher": (404, 404, 404, 404),
        "anonymous": (401, 401, 401, 401),
    }[role]
    got = tuple(call(client, scene, role, action).status_code for action in actions)
    assert got == expected
    if role == "trainee":
        response = call(client, scene, role, "reply")
        assert response.get_json()["error"]["code"] == "locked"


@pytest.mark.parametrize("role", ROLES)
def test_hidden_thread_is_for_moderators_only(client, scene, role):
    from forum.threads.services import moderate_thread

    moderate_thread(scene.teacher, scene.thread, hidden=True, reason="待核实")
    actions = ("get_thread", "list_posts", "get_post", "reply", "edit_post")
    staff = (200, 200, 200, 201, 200)
    expected = {
        "admin": staff,
        "teacher": staff,
        "anonymous": (401,) * 5,
    }.get(role, (404,) * 5)  # even the thread's own author
    got = tuple(call(client, scene, role, action).status_code for action in actions)
    assert got == expected
    listed = client.api("get", f"/api/v1/boards/{scene.board.id}/threads", user=getattr(scene, role))
    if role in ("admin", "teacher"):
        assert [t["id"] for t in listed.get_json()["items"]] == [scene.thread.id]
        assert listed.get_json()["items"][0]["hidden"] is True
    elif role in ("trainee", "classmate"):
        assert listed.get_json()["items"] == []


@pytest.mark.parametrize("role", ROLES)
def test_hidden_post(client, scene, role):
    """A hidden post: moderators and its author see it (with the reason); nobody else."""
    from forum.threads.services import moderate_post

    moderate_post(scene.teacher, scene.reply, hidden=True, reason="离题")
    response = call(client, scene, role, "get_post")
    expected = {"admin": 200, "teacher": 200, "trainee": 200, "classmate": 404}.get(
        role, 401 if role == "anonymous" else 404
    )
    assert response.status_code == expected
    if expected == 200:
        assert response.get_json()["hidden"] is True
        assert response.get_json()["hidden_reason"] == "离题"
    if role in ("trainee", "classmate", "teacher"):
        ids = [p["id"] for p in call(client, scene, role, "list_posts").get_json()["items"]]
        assert (scene.reply.id in ids) is (role != "classmate")
    if role == "trainee":
        # Its author may no longer edit it while it is hidden.
        assert call(client, scene, role, "edit_post").status_code == 403
