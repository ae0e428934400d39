"""Moderation of threads and posts through the pages and the API, each with the audit
row it writes and its refusals: pin, lock, hide, move, merge, split, feature, assign."""

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.moderation.models import AuditEntry
from forum.threads.models import Post, Thread


def reload(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def audit(action):
    db.session.expire_all()
    return (
        db.session.execute(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))
        .scalars()
        .all()
    )


# A member of the cohort knows its threads and posts exist and is refused (403); someone of
# another cohort may not know they exist, and gets what a missing one gets (404).
REFUSAL = {"trainee": 403, "classmate": 403, "other_teacher": 404, "outsider": 404}


def refused(who, response):
    expected = REFUSAL[who]
    assert response.status_code == expected, (who, response.request.method, response.request.path,
                                              response.status_code, expected)
    return True


# --- pin, lock, hide (the thread page's form and PATCH /threads/{id}) --------------------------


@pytest.mark.parametrize(
    "action,field,value", [("pin", "pinned", True), ("lock", "locked", True), ("hide", "hidden", True)]
)
def test_pin_lock_hide_through_the_page(world, login, action, field, value):
    client = login(world.teacher)
    response = client.form(f"/threads/{world.thread.id}/moderate", {"action": action, "reason": "整理"})
    assert response.status_code == 302
    assert getattr(reload(world.thread), field) is value
    [row] = audit(f"{action}_thread")
    assert (row.actor_id, row.target_type, row.target_id, row.reason) == (
        world.teacher.id,
        "thread",
        world.thread.id,
        "整理",
    )
    assert row.before == {field: False} and row.after == {field: True}
    assert row.cohort_id == world.cohort.id


@pytest.mark.parametrize("field", ["pinned", "locked", "hidden"])
def test_pin_lock_hide_through_the_api(world, client, field):
    response = client.api(
        "patch", f"/api/v1/threads/{world.thread.id}", user=world.teacher, json={field: True, "reason": "api"}
    )
    assert response.status_code == 200, response.json
    assert response.json[field] is True
    action = {"pinned": "pin", "locked": "lock", "hidden": "hide"}[field]
    [row] = audit(f"{action}_thread")
    assert row.actor_id == world.teacher.id and row.reason == "api"


@pytest.mark.parametrize("who", ["trainee", "other_teacher"])
def test_pin_lock_hide_refused(world, client, login, who):
    user = getattr(world, who)
    assert refused(who, login(user).form(f"/threads/{world.thread.id}/moderate", {"action": "pin"}))
    assert refused(
        who,
        client.api("patch", f"/api/v1/threads/{world.thread.id}", user=user, json={"pinned": True})
    )
    assert reload(world.thread).pinned is False
    assert audit("pin_thread") == []


def test_hide_post_page_and_api_author_sees_reason(world, client, login, make_post):
    post = make_post(world.thread, world.trainee, "离题的回复")
    response = login(world.teacher).form(
        f"/posts/{post.id}/moderate", {"action": "hide", "reason": "与主题无关"}
    )
    assert response.status_code == 302
    [row] = audit("hide_post")
    assert row.reason == "与主题无关" and row.after == {"hidden": True}
    html = login(world.trainee).get(f"/threads/{world.thread.id}").get_data(as_text=True)
    assert "与主题无关" in html
    # Through the API: show again, then hide with another reason.
    assert (
        client.api(
            "patch", f"/api/v1/posts/{post.id}", user=world.teacher, json={"hidden": False}
        ).status_code
        == 200
    )
    response = client.api(
        "patch", f"/api/v1/posts/{post.id}", user=world.teacher, json={"hidden": True, "reason": "重复"}
    )
    assert response.status_code == 200
    assert client.api("get", f"/api/v1/posts/{post.id}", user=world.trainee).json["hidden_reason"] == "重复"
    assert [r.action for r in audit("unhide_post")] == ["unhide_post"] and len(audit("hide_post")) == 2


# --- move -----------------------------------------------------------------------------------


def test_move_within_the_cohort_page_and_api(world, client, login, make_board):
    second = make_board(world.cohort, "政策研究")
    third = make_board(world.cohort, "其他")
    client_t = login(world.teacher)
    page = client_t.get(f"/threads/{world.thread.id}/move")
    assert page.status_code == 200 and "政策研究" in page.get_data(as_text=True)
    # Another cohort's boards are not offered to an instructor.
    assert "General" not in page.get_data(as_text=True)
    response = client_t.form(f"/threads/{world.thread.id}/move", {"board_id": second.id, "reason": "归类"})
    assert response.status_code == 302
    assert reload(world.thread).board_id == second.id
    [row] = audit("move_thread")
    assert row.before["board_id"] == world.board.id and row.after["board_id"] == second.id
    assert row.reason == "归类"
    response = client.api(
        "post", f"/api/v1/threads/{world.thread.id}/move", user=world.teacher, json={"board_id": third.id}
    )
    assert response.status_code == 200 and response.json["board"]["id"] == third.id
    assert len(audit("move_thread")) == 2


def test_move_to_another_cohort_only_for_admins(world, client, login):
    response = client.api(
        "post",
        f"/api/v1/threads/{world.thread.id}/move",
        user=world.teacher,
        json={"board_id": world.other_board.id},
    )
    assert response.status_code == 400  # the instructor cannot even see that board
    assert reload(world.thread).board_id == world.board.id
    response = login(world.admin).form(f"/threads/{world.thread.id}/move", {"board_id": world.other_board.id})
    assert response.status_code == 302
    assert reload(world.thread).board_id == world.other_board.id
    rows = audit("move_thread")
    assert {r.cohort_id for r in rows} == {world.cohort.id, world.other.id}
    # The outsider (member of the other cohort) now sees it; the old cohort's trainee does not.
    assert client.api("get", f"/api/v1/threads/{world.thread.id}", user=world.outsider).status_code == 200
    assert client.api("get", f"/api/v1/threads/{world.thread.id}", user=world.trainee).status_code == 404


@pytest.mark.parametrize("who", ["trainee", "other_teacher"])
def test_move_refused(world, client, login, make_board, who):
    second = make_board(world.cohort, "B2")
    user = getattr(world, who)
    assert refused(who, login(user).form(f"/threads/{world.thread.id}/move", {"board_id": second.id}))
    assert refused(
        who,
        client.api("post", f"/api/v1/threads/{world.thread.id}/move", user=user, json={"board_id": second.id})
    )
    assert reload(world.thread).board_id == world.board.id and audit("move_thread") == []


# --- merge ----------------------------------------------------------------------------------


def _posts(thread):
    db.session.expire_all()
    return (
        db.session.execute(select(Post).where(Post.thread_id == thread.id).order_by(Post.number))
        .scalars()
        .all()
    )


def test_merge_renumbers_in_time_order_and_source_redirects(world, client, login, make_thread, make_post):
    target = world.thread
    t1 = make_post(target, world.teacher, "T1")
    source = make_thread(world.board, world.trainee, "重复的话题", "S0")
    s1 = make_post(source, world.trainee, "S1")
    t2 = make_post(target, world.trainee, "T2")
    response = login(world.teacher).form(
        f"/threads/{source.id}/merge", {"target_id": target.id, "reason": "重复"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/threads/{target.id}")
    bodies = [(p.number, p.body) for p in _posts(target)]
    assert bodies == [(1, "我们城市的总体规划……"), (2, "T1"), (3, "S0"), (4, "S1"), (5, "T2")]
    assert _posts(source) == []
    source = reload(source)
    assert source.merged_into_id == target.id and source.hidden is True
    assert reload(target).reply_count == 4
    [row] = audit("merge_thread")
    assert row.target_id == source.id and row.after["merged_into"] == target.id and row.reason == "重复"
    # Post ids are kept: links to moved posts still lead to them.
    assert client.api("get", f"/api/v1/posts/{s1.id}", user=world.trainee).json["thread_id"] == target.id
    assert t1.id and t2.id
    # The trainee following an old link to the merged thread lands on the target.
    response = login(world.trainee).get(f"/threads/{source.id}")
    assert response.status_code in (301, 302) and response.headers["Location"].endswith(
        f"/threads/{target.id}"
    )


def test_merge_through_the_api_and_refusals(world, client, make_thread, make_post):
    source = make_thread(world.board, world.trainee, "S")
    make_post(source, world.trainee, "S1")
    for who in ("trainee", "other_teacher"):
        user = getattr(world, who)
        assert refused(
            who,
            client.api(
                "post", f"/api/v1/threads/{source.id}/merge", user=user, json={"target_id": world.thread.id}
            )
        )
    assert audit("merge_thread") == []
    bad = client.api(
        "post", f"/api/v1/threads/{source.id}/merge", user=world.teacher, json={"target_id": source.id}
    )
    assert bad.status_code == 400 and bad.json["error"]["code"] == "same_thread"
    response = client.api(
        "post", f"/api/v1/threads/{source.id}/merge", user=world.teacher, json={"target_id": world.thread.id}
    )
    assert response.status_code == 200 and response.json["id"] == world.thread.id
    assert [p.number for p in _posts(world.thread)] == [1, 2, 3]
    again = client.api(
        "post", f"/api/v1/threads/{source.id}/merge", user=world.teacher, json={"target_id": world.thread.id}
    )
    assert again.status_code in (404, 409)


# --- split ----------------------------------------------------------------------------------


def test_split_replies_into_a_new_thread(world, client, login, make_post):
    a = make_post(world.thread, world.trainee, "A")
    b = make_post(world.thread, world.teacher, "B", reply_to=a.id)
    c = make_post(world.thread, world.trainee, "C")
    response = login(world.teacher).form(
        f"/threads/{world.thread.id}/split", {"title": "新话题", "post_ids": [b.id, c.id], "reason": "另开"}
    )
    assert response.status_code == 302
    new = db.session.execute(select(Thread).where(Thread.title == "新话题")).scalar_one()
    assert [(p.number, p.body) for p in _posts(new)] == [(1, "B"), (2, "C")]
    assert new.author_id == world.teacher.id and new.board_id == world.board.id
    assert [p.body for p in _posts(world.thread)] == ["我们城市的总体规划……", "A"]
    assert reload(b).reply_to_id is None  # it answered a post that stayed behind
    assert reload(world.thread).reply_count == 1 and reload(new).reply_count == 1
    [row] = audit("split_thread")
    assert row.after["new_thread_id"] == new.id and row.before["post_ids"] == sorted([b.id, c.id])
    # The API: the opening post cannot be split off; a reply can.
    opening = _posts(world.thread)[0]
    bad = client.api(
        "post",
        f"/api/v1/threads/{world.thread.id}/split",
        user=world.teacher,
        json={"title": "x", "post_ids": [opening.id]},
    )
    assert bad.status_code == 400
    response = client.api(
        "post",
        f"/api/v1/threads/{world.thread.id}/split",
        user=world.teacher,
        json={"title": "又一个", "post_ids": [a.id]},
    )
    assert response.status_code == 201 and response.json["title"] == "又一个"
    assert len(audit("split_thread")) == 2


@pytest.mark.parametrize("who", ["trainee", "other_teacher"])
def test_split_refused(world, client, login, make_post, who):
    a = make_post(world.thread, world.trainee, "A")
    user = getattr(world, who)
    assert refused(who, login(user).form(f"/threads/{world.thread.id}/split", {"title": "x", "post_ids": [a.id]}))
    assert refused(
        who,
        client.api(
            "post",
            f"/api/v1/threads/{world.thread.id}/split",
            user=user,
            json={"title": "x", "post_ids": [a.id]},
        )
    )
    assert audit("split_thread") == [] and reload(a).thread_id == world.thread.id


# --- featured posts ---------------------------------------------------------------------------


def test_feature_a_post_and_list_featured(world, client, login, make_post):
    post = make_post(world.thread, world.trainee, "很有见地的分析")
    response = login(world.teacher).form(f"/posts/{post.id}/feature", {"action": "feature"})
    assert response.status_code == 302 and reload(post).featured is True
    [row] = audit("feature_post")
    assert row.target_id == post.id and row.after == {"featured": True}
    html = login(world.trainee).get(f"/cohorts/{world.cohort.slug}/featured").get_data(as_text=True)
    assert "很有见地的分析" in html
    listing = client.api("get", f"/api/v1/cohorts/{world.cohort.slug}/featured", user=world.trainee).json
    assert [item["id"] for item in listing["items"]] == [post.id]
    response = client.api(
        "put", f"/api/v1/posts/{post.id}/featured", user=world.teacher, json={"featured": False}
    )
    assert response.status_code == 200 and response.json["featured"] is False
    assert [r.action for r in audit("unfeature_post")] == ["unfeature_post"]
    assert (
        client.api("get", f"/api/v1/cohorts/{world.cohort.slug}/featured", user=world.trainee).json["total"]
        == 0
    )
    # Another cohort cannot read this cohort's featured list.
    assert (
        client.api("get", f"/api/v1/cohorts/{world.cohort.slug}/featured", user=world.outsider).status_code
        == 404
    )


@pytest.mark.parametrize("who", ["trainee", "other_teacher"])
def test_feature_refused(world, client, login, make_post, who):
    post = make_post(world.thread, world.trainee, "x")
    user = getattr(world, who)
    assert refused(who, login(user).form(f"/posts/{post.id}/feature", {"action": "feature"}))
    assert refused(who, client.api("put", f"/api/v1/posts/{post.id}/featured", user=user, json={"featured": True}))
    assert reload(post).featured is False and audit("feature_post") == []


# --- assignment and the queue of unanswered questions ------------------------------------------------


def test_assign_and_unanswered_questions(world, client, login, make_thread, make_post, make_user):
    from forum.cohorts.services import add_membership

    second = make_user("teacher2", "instructor", "张老师")
    add_membership(None, world.cohort, second, "instructor")
    old = make_thread(world.board, world.trainee, "老问题", "怎么办?", kind="question")
    new = make_thread(world.board, world.trainee, "新问题", "?", kind="question")
    answered = make_thread(world.board, world.trainee, "已回答", "?", kind="question")
    make_post(answered, world.teacher, "答复")
    make_post(new, world.trainee, "补充一下")  # a trainee's reply is not an answer
    response = login(world.teacher).form(
        f"/threads/{new.id}/assign", {"assignee": "teacher2", "reason": "专长"}
    )
    assert response.status_code == 302 and reload(new).assigned_to_id == second.id
    [row] = audit("assign_thread")
    assert row.after == {"assigned_to": "teacher2"} and row.reason == "专长"
    html = login(world.teacher).get(f"/cohorts/{world.cohort.slug}/questions").get_data(as_text=True)
    assert html.index("老问题") < html.index("新问题") and "已回答" not in html and "张老师" in html
    data = client.api("get", f"/api/v1/cohorts/{world.cohort.slug}/questions", user=world.teacher).json
    assert [t["id"] for t in data["items"]] == [old.id, new.id]
    mine = client.api("get", f"/api/v1/cohorts/{world.cohort.slug}/questions?assigned=me", user=second).json
    assert [t["id"] for t in mine["items"]] == [new.id]
    # The API: a trainee cannot be assigned; null clears.
    bad = client.api(
        "put", f"/api/v1/threads/{old.id}/assignee", user=world.teacher, json={"username": "trainee"}
    )
    assert bad.status_code == 400
    ok = client.api("put", f"/api/v1/threads/{new.id}/assignee", user=world.teacher, json={"username": None})
    assert ok.status_code == 200 and ok.json["assigned_to"] is None
    assert [r.action for r in audit("unassign_thread")] == ["unassign_thread"]


@pytest.mark.parametrize("who", ["trainee", "other_teacher"])
def test_assign_and_questions_refused(world, client, login, who):
    user = getattr(world, who)
    assert refused(who, login(user).form(f"/threads/{world.thread.id}/assign", {"assignee": "teacher"}))
    assert refused(
        who,
        client.api(
            "put", f"/api/v1/threads/{world.thread.id}/assignee", user=user, json={"username": "teacher"}
        )
    )
    assert refused(who, login(user).get(f"/cohorts/{world.cohort.slug}/questions"))
    assert refused(who, client.api("get", f"/api/v1/cohorts/{world.cohort.slug}/questions", user=user))
    assert audit("assign_thread") == []


def test_thread_and_cohort_pages_show_the_tools(world, login, make_post):
    teacher_post = make_post(world.thread, world.teacher, "老师的总结")
    own = make_post(world.thread, world.trainee, "我的回复")
    trainee_html = login(world.trainee).get(f"/threads/{world.thread.id}").get_data(as_text=True)
    assert f"/posts/{teacher_post.id}/report" in trainee_html
    assert f"/posts/{own.id}/report" not in trainee_html  # not one's own post
    assert f"/threads/{world.thread.id}/move" not in trainee_html and "/feature" not in trainee_html
    teacher = login(world.teacher)
    teacher.form(f"/posts/{own.id}/feature", {"action": "feature"})
    html = teacher.get(f"/threads/{world.thread.id}").get_data(as_text=True)
    for path in ("move", "merge", "split", "assign"):
        assert f"/threads/{world.thread.id}/{path}" in html
    assert f"/posts/{teacher_post.id}/feature" in html and "badge-featured" in html
    cohort_html = teacher.get(f"/cohorts/{world.cohort.slug}").get_data(as_text=True)
    for path in ("queue", "questions", "conduct", "audit", "participation", "featured"):
        assert f"/cohorts/{world.cohort.slug}/{path}" in cohort_html
    trainee_cohort = login(world.trainee).get(f"/cohorts/{world.cohort.slug}").get_data(as_text=True)
    assert f"/cohorts/{world.cohort.slug}/featured" in trainee_cohort
    assert f"/cohorts/{world.cohort.slug}/queue" not in trainee_cohort
