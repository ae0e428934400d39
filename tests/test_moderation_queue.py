"""Reports and the review queue (dismiss, hide, warn), held content, warnings and mutes,
through the pages and the API, with their audit rows and refusals."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.moderation.models import AuditEntry, ConductWarning, Mute, ReviewItem
from forum.threads.models import Post


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


def items():
    db.session.expire_all()
    return db.session.execute(select(ReviewItem).order_by(ReviewItem.id)).scalars().all()


# A member of the cohort knows its threads and posts exist and is refused (403); someone of
# another cohort may not know they exist, and gets what a missing one gets (404).
REFUSAL = {"trainee": 403, "classmate": 403, "other_teacher": 404, "outsider": 404}


def refused(who, response):
    expected = REFUSAL[who]
    assert response.status_code == expected, (who, response.request.method, response.request.path,
                                              response.status_code, expected)
    return True


@pytest.fixture
def reported(world, make_post, make_user):
    """A trainee's post that a classmate reported."""
    from forum.cohorts.services import add_membership

    classmate = make_user("classmate", "trainee", "王同学")
    add_membership(None, world.cohort, classmate, "trainee")
    post = make_post(world.thread, world.trainee, "不太合适的言论")
    from forum.moderation.queue import report_post

    item = report_post(classmate, post, "人身攻击")
    return type("Reported", (), dict(post=post, item=item, classmate=classmate))


# --- reporting -------------------------------------------------------------------------------


def test_report_a_post_through_the_page_and_the_api(world, client, login, make_post):
    post = make_post(world.thread, world.teacher, "老师的回复")
    trainee = login(world.trainee)
    page = trainee.get(f"/posts/{post.id}/report")
    assert page.status_code == 200
    response = trainee.form(f"/posts/{post.id}/report", {"reason": "链接失效"})
    assert response.status_code == 302
    [item] = items()
    assert (item.kind, item.status, item.post_id, item.user_id, item.reason) == (
        "report",
        "open",
        post.id,
        world.trainee.id,
        "链接失效",
    )
    again = client.api(
        "post", f"/api/v1/posts/{post.id}/reports", user=world.trainee, json={"reason": "再次"}
    )
    assert again.status_code == 409
    empty = trainee.form(f"/posts/{post.id}/report", {"reason": ""})
    assert empty.status_code == 400


def test_report_refusals(world, client, login, make_post):
    own = make_post(world.thread, world.trainee, "我自己的")
    assert (
        client.api(
            "post", f"/api/v1/posts/{own.id}/reports", user=world.trainee, json={"reason": "x"}
        ).status_code
        == 403
    )
    # A member of another cohort cannot even see the post.
    assert (
        client.api(
            "post", f"/api/v1/posts/{own.id}/reports", user=world.outsider, json={"reason": "x"}
        ).status_code
        == 404
    )
    assert refused("outsider", login(world.outsider).form(f"/posts/{own.id}/report", {"reason": "x"}))
    too_long = client.api(
        "post", f"/api/v1/posts/{own.id}/reports", user=world.teacher, json={"reason": "长" * 501}
    )
    assert too_long.status_code == 400
    assert (
        client.api(
            "post", f"/api/v1/posts/{own.id}/reports", user=world.teacher, json={"reason": 5}
        ).status_code
        == 400
    )
    assert items() == []


# --- working the queue -------------------------------------------------------------------------


def test_queue_page_hide_with_reason_author_sees_it(world, login, reported):
    teacher = login(world.teacher)
    html = teacher.get(f"/cohorts/{world.cohort.slug}/queue").get_data(as_text=True)
    assert "人身攻击" in html and "不太合适的言论" in html and "王同学" in html
    response = teacher.form(f"/queue/{reported.item.id}", {"action": "hide", "reason": "请文明讨论"})
    assert response.status_code == 302
    assert reload(reported.post).hidden is True and reload(reported.post).hidden_reason == "请文明讨论"
    item = reload(reported.item)
    assert item.status == "hidden" and item.resolved_by_id == world.teacher.id
    [hide] = audit("hide_post")
    assert hide.reason == "请文明讨论" and hide.target_id == reported.post.id
    [resolve] = audit("resolve_report")
    assert resolve.after["status"] == "hidden"
    author_view = login(world.trainee).get(f"/threads/{world.thread.id}").get_data(as_text=True)
    assert "请文明讨论" in author_view
    classmate_view = login(reported.classmate).get(f"/threads/{world.thread.id}").get_data(as_text=True)
    assert "不太合适的言论" not in classmate_view
    assert "人身攻击" not in teacher.get(f"/cohorts/{world.cohort.slug}/queue").get_data(as_text=True)


def test_queue_api_dismiss_and_warn(world, client, reported, make_post):
    listing = client.api("get", f"/api/v1/cohorts/{world.cohort.slug}/queue", user=world.teacher).json
    assert [i["id"] for i in listing["items"]] == [reported.item.id]
    assert listing["items"][0]["post"]["author"]["username"] == "trainee"
    warn_without_text = client.api(
        "post", f"/api/v1/queue/{reported.item.id}", user=world.teacher, json={"action": "warn"}
    )
    assert warn_without_text.status_code == 400
    response = client.api(
        "post",
        f"/api/v1/queue/{reported.item.id}",
        user=world.teacher,
        json={"action": "warn", "reason": "请注意措辞"},
    )
    assert response.status_code == 200 and response.json["status"] == "warned"
    [warning] = db.session.execute(select(ConductWarning)).scalars().all()
    assert warning.user_id == world.trainee.id and warning.message == "请注意措辞"
    assert [r.action for r in audit("warn_user")] == ["warn_user"]
    mine = client.api("get", "/api/v1/me/warnings", user=world.trainee).json
    assert mine["items"][0]["message"] == "请注意措辞"
    # Resolving twice is refused; a new report can be dismissed.
    assert (
        client.api(
            "post", f"/api/v1/queue/{reported.item.id}", user=world.teacher, json={"action": "dismiss"}
        ).status_code
        == 409
    )
    other = make_post(world.thread, world.trainee, "另一条")
    from forum.moderation.queue import report_post

    item = report_post(reported.classmate, other, "误报")
    response = client.api("post", f"/api/v1/queue/{item.id}", user=world.teacher, json={"action": "dismiss"})
    assert response.status_code == 200 and response.json["status"] == "dismissed"
    assert reload(other).hidden is False
    assert [r.action for r in audit("dismiss_report")] == ["dismiss_report"]
    bad = client.api("post", f"/api/v1/queue/{item.id}", user=world.teacher, json={"action": "explode"})
    assert bad.status_code in (400, 409)


def test_trainee_sees_a_warning_on_their_page(world, login, reported):
    login(world.teacher).form(f"/queue/{reported.item.id}", {"action": "warn", "reason": "第一次提醒"})
    trainee = login(world.trainee)
    assert 'href="/warnings"' in trainee.get("/").get_data(as_text=True)  # a notice on every page
    page = trainee.get("/warnings")
    assert page.status_code == 200 and "第一次提醒" in page.get_data(as_text=True)
    assert 'href="/warnings"' not in trainee.get("/").get_data(as_text=True)  # read now
    db.session.expire_all()
    assert db.session.execute(select(ConductWarning)).scalar_one().seen_at is not None


@pytest.mark.parametrize("who", ["trainee", "other_teacher", "classmate"])
def test_queue_refused(world, client, login, reported, who):
    user = reported.classmate if who == "classmate" else getattr(world, who)
    assert refused(who, login(user).get(f"/cohorts/{world.cohort.slug}/queue"))
    assert refused(who, client.api("get", f"/api/v1/cohorts/{world.cohort.slug}/queue", user=user))
    # A review item is the staff's: to anyone else it does not exist.
    assert login(user).form(f"/queue/{reported.item.id}", {"action": "hide", "reason": "x"}).status_code == 404
    response = client.api("post", f"/api/v1/queue/{reported.item.id}", user=user, json={"action": "hide"})
    assert response.status_code == 404
    assert reload(reported.item).status == "open" and reload(reported.post).hidden is False
    assert audit("hide_post") == []


# --- warnings and mutes (the conduct page and the API) -------------------------------------------------


def test_mute_through_the_page_enforced_everywhere(world, client, login):
    teacher = login(world.teacher)
    assert teacher.get(f"/cohorts/{world.cohort.slug}/conduct").status_code == 200
    response = teacher.form(
        f"/cohorts/{world.cohort.slug}/conduct",
        {"mute-username": "trainee", "mute-minutes": "1440", "mute-reason": "刷屏", "mute-submit": "1"},
    )
    assert response.status_code == 302
    [row] = audit("mute_user")
    assert row.target_type == "user" and row.target_id == world.trainee.id and row.reason == "刷屏"
    assert row.after["minutes"] == 1440
    trainee = login(world.trainee)
    # Reading still works; replying and starting threads do not, with a clear reason.
    page = trainee.get(f"/threads/{world.thread.id}")
    assert page.status_code == 200
    reply = client.api(
        "post", f"/api/v1/threads/{world.thread.id}/posts", user=world.trainee, json={"body": "hi"}
    )
    assert reply.status_code == 403 and reply.json["error"]["code"] == "muted"
    new = client.api(
        "post",
        f"/api/v1/boards/{world.board.id}/threads",
        user=world.trainee,
        json={"title": "t", "body": "b", "kind": "discussion"},
    )
    assert new.status_code == 403 and new.json["error"]["code"] == "muted"
    assert trainee.form(f"/threads/{world.thread.id}/reply", {"body": "hi"}).status_code == 403
    # Live rooms refuse too.
    room = client.api(
        "post", f"/api/v1/cohorts/{world.cohort.slug}/rooms", user=world.teacher, json={"name": "研讨"}
    ).json
    message = client.api(
        "post",
        f"/api/v1/rooms/{room['id']}/messages",
        user=world.trainee,
        json={"body": "hello", "client_id": "c1"},
    )
    assert message.status_code == 403
    # Another cohort is not affected; lifting the mute restores posting.
    [mute] = db.session.execute(select(Mute)).scalars().all()
    assert teacher.form(f"/mutes/{mute.id}/lift", {}).status_code == 302
    assert [r.action for r in audit("unmute_user")] == ["unmute_user"]
    ok = client.api(
        "post", f"/api/v1/threads/{world.thread.id}/posts", user=world.trainee, json={"body": "回来了"}
    )
    assert ok.status_code == 201


def test_mute_through_the_api_and_expiry(world, client, app):
    from forum.permissions import is_muted

    response = client.api(
        "post",
        f"/api/v1/cohorts/{world.cohort.slug}/mutes",
        user=world.teacher,
        json={"username": "trainee", "minutes": 60, "reason": "冷静一下"},
    )
    assert response.status_code == 201 and response.json["user"]["username"] == "trainee"
    listing = client.api("get", f"/api/v1/cohorts/{world.cohort.slug}/mutes", user=world.teacher).json
    assert listing["total"] == 1
    with app.app_context():  # a new request's view of it
        from forum.accounts.models import User
        from forum.cohorts.models import Cohort

        trainee = db.session.get(User, world.trainee.id)
        assert is_muted(trainee, db.session.get(Cohort, world.cohort.id))
        assert not is_muted(trainee, db.session.get(Cohort, world.other.id))
    # An instructor or an outsider cannot be muted here.
    for name in ("teacher", "outsider"):
        bad = client.api(
            "post",
            f"/api/v1/cohorts/{world.cohort.slug}/mutes",
            user=world.admin,
            json={"username": name, "minutes": 5},
        )
        assert bad.status_code == 400
    assert (
        client.api(
            "post",
            f"/api/v1/cohorts/{world.cohort.slug}/mutes",
            user=world.teacher,
            json={"username": "trainee", "minutes": 0},
        ).status_code
        == 400
    )
    # When the time is up the trainee posts again (the mute's end moved into the past).
    mute = db.session.execute(select(Mute)).scalar_one()
    mute.until = mute.until - timedelta(hours=2)
    db.session.commit()
    ok = client.api(
        "post", f"/api/v1/threads/{world.thread.id}/posts", user=world.trainee, json={"body": "ok"}
    )
    assert ok.status_code == 201
    assert client.api("delete", f"/api/v1/mutes/{mute.id}", user=world.teacher).status_code == 409


@pytest.mark.parametrize("who", ["trainee", "other_teacher"])
def test_mute_and_warn_refused(world, client, login, who):
    user = getattr(world, who)
    assert refused(who, login(user).get(f"/cohorts/{world.cohort.slug}/conduct"))
    assert refused(
        who,
        login(user).form(
            f"/cohorts/{world.cohort.slug}/conduct",
            {"mute-username": "trainee", "mute-minutes": "60", "mute-submit": "1"},
        )
    )
    assert refused(
        who,
        client.api(
            "post",
            f"/api/v1/cohorts/{world.cohort.slug}/mutes",
            user=user,
            json={"username": "trainee", "minutes": 60},
        )
    )
    assert refused(
        who,
        client.api(
            "post",
            f"/api/v1/cohorts/{world.cohort.slug}/warnings",
            user=user,
            json={"username": "trainee", "message": "x"},
        )
    )
    assert audit("mute_user") == [] and audit("warn_user") == []


def test_warn_through_the_page_and_the_api(world, client, login):
    response = login(world.teacher).form(
        f"/cohorts/{world.cohort.slug}/conduct",
        {"warn-username": "trainee", "warn-message": "请按时提交作业", "warn-submit": "1"},
    )
    assert response.status_code == 302
    response = client.api(
        "post",
        f"/api/v1/cohorts/{world.cohort.slug}/warnings",
        user=world.teacher,
        json={"username": "trainee", "message": "第二次"},
    )
    assert response.status_code == 201
    assert len(audit("warn_user")) == 2
    html = login(world.trainee).get("/warnings").get_data(as_text=True)
    assert "请按时提交作业" in html and "第二次" in html


# --- held content in the same queue ---------------------------------------------------------


def test_held_post_waits_for_approval(world, client, login, make_user):
    from forum.cohorts.services import add_membership
    from forum.moderation.filters import add_watched_word

    add_watched_word(world.admin, "传销", "hold")
    classmate = make_user("classmate", "trainee")
    add_membership(None, world.cohort, classmate, "trainee")
    response = client.api(
        "post",
        f"/api/v1/threads/{world.thread.id}/posts",
        user=world.trainee,
        json={"body": "有人在搞传销吗"},
    )
    assert response.status_code == 201
    post = db.session.get(Post, response.json["id"])
    assert post.held and post.hidden
    assert client.api("get", f"/api/v1/posts/{post.id}", user=classmate).status_code == 404
    assert client.api("get", f"/api/v1/posts/{post.id}", user=world.trainee).status_code == 200
    [item] = items()
    assert item.kind == "held" and "传销" in item.reason
    [row] = audit("hold_post")
    assert row.actor_id is None and row.target_id == post.id
    html = login(world.teacher).get(f"/cohorts/{world.cohort.slug}/queue").get_data(as_text=True)
    assert "有人在搞传销吗" in html
    response = client.api("post", f"/api/v1/queue/{item.id}", user=world.teacher, json={"action": "approve"})
    assert response.status_code == 200 and response.json["status"] == "approved"
    assert client.api("get", f"/api/v1/posts/{post.id}", user=classmate).status_code == 200
    assert [r.action for r in audit("approve_post")] == ["approve_post"]


def test_held_thread_rejected_stays_hidden_with_reason(world, client, login):
    from forum.moderation.filters import add_watched_word

    add_watched_word(world.admin, "代考", "hold")
    response = login(world.trainee).form(
        f"/boards/{world.board.id}/threads/new", {"title": "找人代考", "kind": "discussion", "body": "正文"}
    )
    assert response.status_code == 302
    thread_url = response.headers["Location"]
    assert login(world.trainee).get(thread_url).status_code == 200  # the author still sees it
    assert login(world.outsider).get(thread_url).status_code == 404
    [item] = items()
    response = login(world.teacher).form(f"/queue/{item.id}", {"action": "reject", "reason": "违反考试纪律"})
    assert response.status_code == 302
    post = reload(item.post)
    assert post.hidden and not post.held and post.hidden_reason == "违反考试纪律"
    assert post.thread.hidden and [r.action for r in audit("reject_post")] == ["reject_post"]
