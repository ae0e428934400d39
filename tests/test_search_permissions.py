"""Search shows nobody a hit, title, snippet or count from a cohort they are not in,
nor hidden, deleted, private or staff-only content; archived cohorts stay searchable
for their members."""

import io

import pytest

SECRET = "暗访督查问责"  # a word written only in the world's cohort


def search(client, user, q, **params):
    response = client.api("get", "/api/v1/search", user=user, query_string={"q": q, **params})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def secret_post(world, make_post):
    return make_post(world.thread, world.trainee, f"关于{SECRET}的讨论：具体做法 accountability inspections")


def test_outsider_gets_no_hit_no_snippet_no_count(client, login, world, secret_post):
    assert search(client, world.trainee, SECRET)["total"] == 1
    found = search(client, world.outsider, SECRET)
    assert found == {"total": 0, "page": 1, "per_page": 10, "pages": 0, "results": []}
    # Not even through a filter naming the cohort, a "did you mean" or the page.
    assert search(client, world.outsider, SECRET, cohort=world.cohort.slug)["total"] == 0
    assert "suggestion" not in search(client, world.outsider, "accountabilty")
    assert search(client, world.trainee, "accountabilty")["suggestion"] == "accountability"
    html = login(world.outsider).get("/search", query_string={"q": SECRET}).get_data(as_text=True)
    assert "具体做法" not in html and "城市总体规划的实施" not in html
    assert search(client, world.other_teacher, SECRET)["total"] == 0


def test_members_staff_and_admins_find_it(client, world, secret_post):
    for user in (world.trainee, world.teacher, world.admin):
        assert search(client, user, SECRET)["results"][0]["id"] == secret_post.id


def test_hidden_post_is_found_only_by_staff(client, world, secret_post):
    from forum.threads import services

    services.moderate_post(world.teacher, secret_post, hidden=True, reason="off topic")
    other = __import__("forum.accounts.services", fromlist=["create_user"])  # noqa: F841
    assert search(client, world.teacher, SECRET)["total"] == 1
    assert search(client, world.admin, SECRET)["total"] == 1
    assert search(client, world.outsider, SECRET)["total"] == 0
    services.moderate_post(world.teacher, secret_post, hidden=False)
    assert search(client, world.outsider, SECRET)["total"] == 0


def test_hidden_post_not_found_by_other_trainees(client, world, make_user, secret_post):
    from forum.cohorts.services import add_membership
    from forum.threads import services

    classmate = make_user("classmate")
    add_membership(None, world.cohort, classmate, "trainee")
    assert search(client, classmate, SECRET)["total"] == 1
    services.moderate_post(world.teacher, secret_post, hidden=True, reason="off topic")
    assert search(client, classmate, SECRET) == {
        "total": 0,
        "page": 1,
        "per_page": 10,
        "pages": 0,
        "results": [],
    }
    services.moderate_post(world.teacher, secret_post, hidden=False)
    assert search(client, classmate, SECRET)["total"] == 1


def test_hidden_thread_and_deleted_post(client, world, make_user, make_post, secret_post):
    from forum.cohorts.services import add_membership
    from forum.threads import services

    classmate = make_user("classmate")
    add_membership(None, world.cohort, classmate, "trainee")
    services.moderate_thread(world.teacher, world.thread, hidden=True)
    assert search(client, classmate, SECRET)["total"] == 0
    assert search(client, classmate, "城市总体规划的实施", type="thread")["total"] == 0
    assert search(client, world.teacher, SECRET)["total"] == 1
    services.moderate_thread(world.teacher, world.thread, hidden=False)
    assert search(client, classmate, SECRET)["total"] == 1
    services.delete_post(world.trainee, secret_post)
    assert search(client, world.teacher, SECRET)["total"] == 0
    assert search(client, world.admin, SECRET)["total"] == 0


def test_edit_changes_what_is_found(client, world, secret_post):
    from forum.threads import services

    services.edit_post(world.trainee, secret_post, "改成了别的内容：基层减负")
    assert search(client, world.trainee, SECRET)["total"] == 0
    assert search(client, world.trainee, "基层减负")["total"] == 1


def test_private_question_and_staff_note(client, world, make_user, make_thread, make_post):
    from forum.cohorts.services import add_membership
    from forum.discussion import services as discussion

    classmate = make_user("classmate")
    add_membership(None, world.cohort, classmate, "trainee")
    thread = make_thread(
        world.board, world.trainee, "私下提问", "只想问老师：财政贴息怎么申请", kind="question"
    )
    discussion.update_thread_settings(world.teacher, thread, private=True)
    assert search(client, world.trainee, "财政贴息")["total"] == 1
    assert search(client, world.teacher, "财政贴息")["total"] == 1
    assert search(client, classmate, "财政贴息")["total"] == 0
    discussion.create_staff_note(world.teacher, world.thread, "教研备注：重点关注绩效评价")
    assert search(client, world.teacher, "绩效评价")["total"] == 1
    assert search(client, world.trainee, "绩效评价")["total"] == 0


def test_archived_cohort_stays_searchable_for_its_members(client, world, secret_post):
    from forum.cohorts.services import update_cohort

    update_cohort(world.admin, world.cohort, archived=True)
    assert search(client, world.trainee, SECRET)["total"] == 1
    assert search(client, world.outsider, SECRET)["total"] == 0


def test_materials_follow_their_shares(client, login, world):
    data = {"file": (io.BytesIO("专属讲义：三农问题研究".encode()), "notes.txt"), "cohort": world.cohort.slug}
    body = client.api(
        "post", "/api/v1/materials", user=world.teacher, data=data, content_type="multipart/form-data"
    ).get_json()
    assert search(client, world.trainee, "三农问题")["total"] == 1
    assert search(client, world.outsider, "三农问题")["total"] == 0
    assert client.api("get", f"/api/v1/materials/{body['id']}", user=world.outsider).status_code == 404
    # The download is a page: signed in as the outsider, it does not exist for them.
    assert login(world.outsider).get(f"/materials/{body['id']}/download").status_code == 404
    response = client.api(
        "patch", f"/api/v1/materials/{body['id']}", user=world.admin, json={"college_wide": True}
    )
    assert response.status_code == 200, response.get_json()
    assert search(client, world.outsider, "三农问题")["total"] == 1
    assert client.api("get", f"/api/v1/materials/{body['id']}", user=world.outsider).status_code == 200


def test_room_messages_are_found_by_members_only(client, world):
    from forum.rooms import moderation
    from forum.rooms import services as rooms

    room = rooms.create_room(world.teacher, world.cohort, "第三次研讨")
    message, _created = rooms.send_message(world.trainee, room, "现场发言：营商环境优化", "c-1")
    found = search(client, world.trainee, "营商环境")
    assert [(r["type"], r["id"]) for r in found["results"]] == [("message", message.id)]
    assert found["results"][0]["url"].endswith(f"#m-{message.id}")
    assert search(client, world.outsider, "营商环境")["total"] == 0
    moderation.delete_message(world.teacher, message)
    assert search(client, world.trainee, "营商环境")["total"] == 0


def test_similar_threads_respects_permissions(app, world, make_thread):
    from forum.search.services import similar_threads

    make_thread(world.other_board, world.outsider, "城市总体规划修编", "foreign class")
    mine = similar_threads("总体规划怎么做", world.trainee)
    assert [t.id for t in mine] == [world.thread.id]
    theirs = similar_threads("总体规划怎么做", world.outsider)
    assert world.thread.id not in [t.id for t in theirs] and len(theirs) == 1


def test_a_hit_the_index_has_not_caught_up_with_is_neither_shown_nor_counted(
    app, client, login, world, make_user, secret_post
):
    """A post hidden after it was indexed and before the worker ran: the index still
    lists it for the cohort, the database check of the page drops it, and the total
    does not count it either."""
    from forum.cohorts.services import add_membership
    from forum.threads import services

    classmate = make_user("classmate")
    add_membership(None, world.cohort, classmate, "trainee")
    assert search(client, classmate, SECRET)["total"] == 1
    app.config["FORUM_WORKER"] = "external"  # from here on the index lags behind
    services.moderate_post(world.teacher, secret_post, hidden=True, reason="off topic")
    assert search(client, classmate, SECRET) == {
        "total": 0,
        "page": 1,
        "per_page": 10,
        "pages": 0,
        "results": [],
    }
    html = login(classmate).get("/search", query_string={"q": SECRET}).get_data(as_text=True)
    count = html.split('class="meta result-count">')[1].split("</p>")[0]
    assert "0" in count and "1" not in count
    assert "具体做法" not in html
    # Staff still find it (hidden posts are theirs to see), counted once.
    assert search(client, world.teacher, SECRET)["total"] == 1


def _upload(client, user, text, cohort):
    data = {"file": (io.BytesIO(text.encode()), "notes.txt"), "cohort": cohort.slug}
    response = client.api(
        "post", "/api/v1/materials", user=user, data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _make_private(world, found):
    from forum.extensions import db
    from forum.threads.models import Thread

    db.session.get(Thread, found["thread"]).private = True


def _move_to_other_cohort(world, found):
    from forum.extensions import db
    from forum.threads.models import Thread

    db.session.get(Thread, found["thread"]).board_id = world.other_board.id


def _unshare_material(world, found):
    from forum.extensions import db
    from forum.materials.models import Material

    db.session.get(Material, found["material"]).cohorts = []


def _delete_message(world, found):
    from forum.extensions import db
    from forum.rooms.models import RoomMessage
    from forum.utils import utcnow

    db.session.get(RoomMessage, found["message"]).deleted_at = utcnow()


# (what changes in the database, behind the index; the hits the trainee loses;
#  who still finds everything the trainee found before)
STALE = {
    "thread made private": (_make_private, {"thread", "post"}, "teacher"),
    "thread moved to another cohort": (_move_to_other_cohort, {"thread", "post"}, "admin"),
    "material unshared": (_unshare_material, {"material"}, "teacher"),  # its uploader
    "room message deleted": (_delete_message, {"message"}, None),
}


@pytest.mark.parametrize("change", STALE, ids=list(STALE))
def test_a_stale_index_entry_is_dropped_by_the_database_check(
    app, client, make_user, make_thread, world, change
):
    """The index still lets the reader find a thread, a post, a material and a room
    message, but the database says otherwise since (changed without reindexing): the
    page's own load through the SQL twins leaves the hit out, and the total does not
    count it; whoever may still see it finds it."""
    from forum.cohorts.services import add_membership
    from forum.extensions import db
    from forum.rooms import services as rooms

    classmate = make_user("classmate")
    add_membership(None, world.cohort, classmate, "trainee")
    make_thread(world.board, world.trainee, f"{SECRET}怎么落实", f"正文：{SECRET}的做法")
    _upload(client, world.teacher, f"讲义：{SECRET}案例汇编", world.cohort)
    room = rooms.create_room(world.teacher, world.cohort, "研讨")
    rooms.send_message(world.trainee, room, f"发言：{SECRET}", "c-stale")
    db.session.commit()
    before = search(client, classmate, SECRET)
    found = {r["type"]: r["id"] for r in before["results"]}
    assert set(found) == {"thread", "post", "material", "message"} and before["total"] == 4

    alter, lost, keeper = STALE[change]
    app.config["FORUM_WORKER"] = "external"  # from here on the index lags behind
    alter(world, found)
    db.session.commit()

    after = search(client, classmate, SECRET)
    assert {r["type"] for r in after["results"]} == set(found) - lost
    assert after["total"] == 4 - len(lost) and after["pages"] == 1
    only_threads = search(client, classmate, SECRET, type="thread")
    assert only_threads["total"] == len(only_threads["results"]) == (0 if "thread" in lost else 1)
    if keeper is not None:
        theirs = search(client, getattr(world, keeper), SECRET)
        assert {(r["type"], r["id"]) for r in theirs["results"]} >= {(t, found[t]) for t in lost}
        assert theirs["total"] == len(theirs["results"])


def test_the_page_is_rechecked_in_one_query_per_kind(app, client, monkeypatch, make_thread, world):
    """A page holding a thread, a post, a material and a room message loads them, checked,
    in one statement per kind, plus one for the material's page text."""
    from forum.extensions import db
    from forum.rooms import services as rooms
    from forum.search import results
    from tests.sql_support import recorded_statements

    make_thread(world.board, world.trainee, f"{SECRET}怎么落实", f"正文：{SECRET}")
    _upload(client, world.teacher, f"讲义：{SECRET}", world.cohort)
    room = rooms.create_room(world.teacher, world.cohort, "研讨")
    rooms.send_message(world.trainee, room, f"发言：{SECRET}", "c-count")
    db.session.commit()
    assert search(client, world.trainee, SECRET)["total"] == 4  # indexed; roles loaded

    recorded = []
    finish = results.finish

    def recording_finish(user, raw):
        with recorded_statements() as statements:
            hits = finish(user, raw)
        recorded.append((statements, hits))
        return hits

    monkeypatch.setattr(results, "finish", recording_finish)
    found = search(client, world.trainee, SECRET)
    assert {r["type"] for r in found["results"]} == {"thread", "post", "material", "message"}
    ((statements, hits),) = recorded
    assert len(hits) == 4
    assert len(statements) == 5, statements
