"""The permission matrix of the pages: role × action, including every denial, in an open,
an archived, a locked and a hidden setting.

Expected outcomes: "ok" (200, or a redirect that is not to the sign-in page), "forbidden"
(403), "missing" (404: what one may not see does not exist), "login" (redirect to sign in).
"""

import pytest

from forum.extensions import db
from forum.threads.models import Post, Thread

ROLES = ("admin", "instructor", "trainee", "classmate", "other_trainee", "other_instructor", "signed_out")


@pytest.fixture
def app_overrides():
    """Search indexing waits in its queue (these tests are about pages, and stay fast)."""
    return {"FORUM_WORKER": "external"}


class Scene:
    """The world fixture plus a classmate, one signed-in client per role, and for every
    action and role its own post by the trainee to view, edit, delete or hide."""

    def __init__(self, world, app, make_user, make_post):
        from forum.cohorts import services as cohort_services

        self.world = world
        self.classmate = make_user("classmate", "trainee", "同学")
        cohort_services.add_membership(None, world.cohort, self.classmate, "trainee")
        users = {
            "admin": world.admin,
            "instructor": world.teacher,
            "trainee": world.trainee,
            "classmate": self.classmate,
            "other_trainee": world.outsider,
            "other_instructor": world.other_teacher,
        }
        self.clients = {}
        for role in ROLES:
            client = app.test_client()
            if role != "signed_out":
                assert client.login(users[role]).status_code == 302
            self.clients[role] = client
        self.targets = {
            (action, role): make_post(world.thread, world.trainee, f"target of {action} for {role}")
            for action in ("view_post", "edit_trainee_post", "delete_trainee_post", "hide_post")
            for role in ROLES
        }
        self.thread_id = world.thread.id
        self.board_id = world.board.id


ACTIONS = {
    "view_cohort": lambda s, c, r: c.get("/cohorts/mayors-2026"),
    "view_members": lambda s, c, r: c.get("/cohorts/mayors-2026/members"),
    "view_board": lambda s, c, r: c.get(f"/boards/{s.board_id}"),
    "view_thread": lambda s, c, r: c.get(f"/threads/{s.thread_id}"),
    "view_post": lambda s, c, r: c.get(f"/posts/{s.targets[('view_post', r)].id}"),
    "new_thread_page": lambda s, c, r: c.get(f"/boards/{s.board_id}/threads/new"),
    "new_thread": lambda s, c, r: c.form(
        f"/boards/{s.board_id}/threads/new", {"title": f"by {r}", "kind": "discussion", "body": "text"}
    ),
    "reply": lambda s, c, r: c.form(f"/threads/{s.thread_id}/reply", {"body": f"reply by {r}"}),
    "edit_trainee_post": lambda s, c, r: c.form(
        f"/posts/{s.targets[('edit_trainee_post', r)].id}/edit", {"body": f"edited by {r}"}
    ),
    "delete_trainee_post": lambda s, c, r: c.form(
        f"/posts/{s.targets[('delete_trainee_post', r)].id}/delete"
    ),
    "moderate_thread": lambda s, c, r: c.form(f"/threads/{s.thread_id}/moderate", {"action": "pin"}),
    "hide_post": lambda s, c, r: c.form(
        f"/posts/{s.targets[('hide_post', r)].id}/moderate", {"action": "hide", "reason": "x"}
    ),
    "add_board": lambda s, c, r: c.get("/cohorts/mayors-2026/boards/new"),
    "edit_board": lambda s, c, r: c.get(f"/boards/{s.board_id}/edit"),
    "admin_index": lambda s, c, r: c.get("/admin/"),
    "admin_users": lambda s, c, r: c.get("/admin/users"),
    "admin_members": lambda s, c, r: c.get("/admin/cohorts/mayors-2026/members"),
}

MEMBERS = {"admin", "instructor", "trainee", "classmate"}
STAFF = {"admin", "instructor"}


def _expected(action: str, role: str, setting: str) -> str:
    """The outcome the rules of permissions.py promise for this role, action and setting."""
    if role == "signed_out":
        return "login"
    if action.startswith("admin_"):
        return "ok" if role == "admin" else "forbidden"
    if role not in MEMBERS:
        return "missing"
    archived = setting == "archived"
    if (
        setting == "hidden"
        and role not in STAFF
        and action
        in (
            "view_thread",
            "view_post",
            "reply",
            "edit_trainee_post",
            "delete_trainee_post",
            "moderate_thread",
            "hide_post",
        )
    ):
        return "missing"
    if action.startswith("view_"):
        return "ok"
    if action in ("add_board", "edit_board", "moderate_thread", "hide_post"):
        return "ok" if role in STAFF and not archived else "forbidden"
    if archived:
        return "forbidden"
    if action in ("new_thread_page", "new_thread"):
        return "ok"
    if action == "reply":
        return "forbidden" if setting == "locked" and role not in STAFF else "ok"
    if action in ("edit_trainee_post", "delete_trainee_post"):
        if role in STAFF:
            return "ok"
        return "ok" if role == "trainee" and setting != "locked" else "forbidden"
    raise AssertionError(action)


def _outcome(response) -> str:
    if response.status_code in (301, 302, 303):
        return "login" if "/login" in response.headers["Location"] else "ok"
    return {200: "ok", 403: "forbidden", 404: "missing"}.get(response.status_code, str(response.status_code))


def _prepare(setting: str, world):
    from forum.cohorts import services as cohort_services
    from forum.threads import services as thread_services

    if setting == "archived":
        cohort_services.update_cohort(None, world.cohort, archived=True)
    elif setting == "locked":
        thread_services.moderate_thread(world.teacher, world.thread, locked=True)
    elif setting == "hidden":
        thread_services.moderate_thread(world.teacher, world.thread, hidden=True)


@pytest.mark.parametrize("setting", ["open", "archived", "locked", "hidden"])
def test_page_permission_matrix(setting, world, app, make_user, make_post):
    """Every role × every page action, in one setting (one scene: the matrix stays fast)."""
    scene = Scene(world, app, make_user, make_post)
    _prepare(setting, world)
    wrong = []
    for action, perform in ACTIONS.items():
        for role in ROLES:
            outcome = _outcome(perform(scene, scene.clients[role], role))
            expected = _expected(action, role, setting)
            if outcome != expected:
                wrong.append(f"{action} by {role}: got {outcome}, expected {expected}")
    assert not wrong, f"in a {setting} cohort/thread:\n" + "\n".join(wrong)


def test_writes_happen_only_where_allowed(world, app, make_user, make_post):
    """Denied writes change nothing; allowed ones do (checked on the database)."""
    scene = Scene(world, app, make_user, make_post)
    for role in ROLES:
        ACTIONS["reply"](scene, scene.clients[role], role)
        ACTIONS["edit_trainee_post"](scene, scene.clients[role], role)
    db.session.expire_all()
    replies = set(db.session.execute(db.select(Post.body).where(Post.body.like("reply by %"))).scalars())
    assert replies == {f"reply by {r}" for r in MEMBERS}
    edited = {
        p.body for p in db.session.execute(db.select(Post).where(Post.body.like("edited by %"))).scalars()
    }
    assert edited == {"edited by admin", "edited by instructor", "edited by trainee"}
    assert db.session.get(Thread, scene.thread_id).pinned is False


def test_page_flags_agree_with_the_permission_functions(world, app, make_user, make_post):
    """ThreadPagePermissions (checked once per page) answers as can_edit_post/can_delete_post."""
    from forum.permissions import can_delete_post, can_edit_post, thread_page_permissions
    from forum.threads import services as thread_services

    scene = Scene(world, app, make_user, make_post)
    users = [world.admin, world.teacher, world.trainee, scene.classmate]
    opening = db.session.execute(db.select(Post).filter_by(thread_id=world.thread.id, number=1)).scalar_one()
    hidden = make_post(world.thread, world.trainee, "to hide")
    thread_services.moderate_post(world.teacher, hidden, hidden=True)
    posts = [opening, hidden, *scene.targets.values()]
    for setting in ("open", "locked"):
        if setting == "locked":
            thread_services.moderate_thread(world.teacher, world.thread, locked=True)
        for user in users:
            flags = thread_page_permissions(user, world.thread)
            for post in posts:
                assert flags.can_edit(post) == can_edit_post(user, post), (user, post, setting)
                assert flags.can_delete(post) == (can_delete_post(user, post) and post.number != 1)
