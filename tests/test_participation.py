"""The participation report on a cohort with known counts: the page, the CSV and the
JSON show the same numbers; who may read it; how words are counted."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.reports.services import count_words
from forum.threads.models import Post, Thread
from forum.utils import utcnow


def test_count_words():
    assert count_words("AI 规划 2030") == 4
    assert count_words("Hello, world! 你好。") == 4
    assert count_words("**bold** text - item") == 3
    assert count_words("我们城市的总体规划……") == 9
    assert count_words("") == 0 and count_words("— ** …") == 0


def _at(obj, moment):
    obj.created_at = moment
    if isinstance(obj, Thread):
        db.session.execute(
            select(Post).where(Post.thread_id == obj.id, Post.number == 1)
        ).scalar_one().created_at = moment
    db.session.commit()


EXPECTED = {
    # threads, posts (replies), words, case answers, room messages, reactions
    "trainee": dict(threads=2, posts=2, words=9 + 4 + 4 + 4, case_answers=1, room_messages=3, reactions=1),
    "zhang": dict(threads=2, posts=0, words=3 + 2, case_answers=0, room_messages=1, reactions=0),
    "idle": dict(threads=0, posts=0, words=0, case_answers=0, room_messages=0, reactions=0),
}


@pytest.fixture
def known(world, make_user, make_thread, make_post, client):
    """A cohort whose figures are known: see EXPECTED (range: the last 30 days)."""
    from forum.cohorts.services import add_membership
    from forum.engagement.models import Reaction
    from forum.threads.services import delete_post, moderate_post

    zhang = make_user("zhang", "trainee", "张学员")
    idle = make_user("idle", "trainee", "Idle Trainee")
    for user in (zhang, idle):
        add_membership(None, world.cohort, user, "trainee")
    now = utcnow().replace(microsecond=0)
    # trainee: world.thread (9 words) + a case thread (4) + a case answer (4) + a reply (4).
    case = make_thread(world.board, world.trainee, "案例一", "AI 规划 2030", kind="case")
    answer = make_post(case, world.trainee, "同意 this idea")
    make_post(world.thread, world.trainee, "补充一点")
    hidden = make_post(world.thread, world.trainee, "不算这条")
    moderate_post(world.teacher, hidden, hidden=True, reason="x")
    gone = make_post(world.thread, world.trainee, "也不算")
    delete_post(world.trainee, gone)
    old = make_post(world.thread, world.trainee, "太早了")  # outside the range
    _at(old, now - timedelta(days=40))
    # zhang: two questions (3 + 2 words), answered by the teacher after 2 h and 4 h.
    q1 = make_thread(world.board, zhang, "问题一", "怎么办", kind="question")
    q2 = make_thread(world.board, zhang, "问题二", "为何", kind="question")
    _at(q1, now - timedelta(hours=10))
    _at(q2, now - timedelta(hours=9))
    _at(make_post(q1, world.teacher, "答一"), now - timedelta(hours=8))
    _at(make_post(q2, world.teacher, "答二"), now - timedelta(hours=5))
    make_post(q2, world.teacher, "再补充")  # not a first reply
    # Live room: 3 messages from trainee, 1 from zhang.
    room = client.api(
        "post", "/api/v1/cohorts/mayors-2026/rooms", user=world.teacher, json={"name": "研讨"}
    ).json
    for i, (user, body) in enumerate(
        [(world.trainee, "a"), (world.trainee, "b"), (zhang, "c"), (world.trainee, "d")]
    ):
        sent = client.api(
            "post",
            f"/api/v1/rooms/{room['id']}/messages",
            user=user,
            json={"body": body, "client_id": f"k{i}"},
        )
        assert sent.status_code == 201, sent.json
    # Reactions: zhang agrees with trainee's case answer; the trainee's own reaction does not count.
    db.session.add_all(
        [
            Reaction(post_id=answer.id, user_id=zhang.id, kind="agree"),
            Reaction(post_id=answer.id, user_id=world.trainee.id, kind="thanks"),
        ]
    )
    db.session.commit()
    start = (now - timedelta(days=30)).date().isoformat()
    end = (now + timedelta(days=1)).date().isoformat()
    return type("Known", (), dict(start=start, end=end, zhang=zhang, idle=idle))


def _subset(row, keys=("threads", "posts", "words", "case_answers", "room_messages", "reactions")):
    return {k: int(row[k]) for k in keys}


def test_json_csv_and_page_agree(world, client, login, known):
    query = f"from={known.start}&to={known.end}"
    data = client.api("get", f"/api/v1/cohorts/mayors-2026/participation?{query}", user=world.teacher).json
    rows = {row["username"]: row for row in data["items"]}
    assert set(rows) == set(EXPECTED) and data["total"] == 3
    for name, expected in EXPECTED.items():
        assert _subset(rows[name]) == expected, name
    assert rows["idle"]["last_active"] is None and rows["trainee"]["last_active"].endswith("Z")
    teacher = next(r for r in data["instructors"] if r["username"] == "teacher")
    assert teacher["replies"] == 3 and teacher["first_replies"] == 2
    assert teacher["median_first_reply_seconds"] == 3 * 3600  # median of 2 h and 4 h
    assert data["summary"] == {
        "questions": 2,
        "answered": 2,
        "unanswered": 0,
        "median_first_reply_seconds": 3 * 3600,
    }

    response = client.api(
        "get", f"/api/v1/cohorts/mayors-2026/participation?{query}&format=csv", user=world.teacher
    )
    assert response.status_code == 200 and response.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["username"] for r in table] == ["idle", "trainee", "zhang"]
    for row in table:
        assert _subset(row) == EXPECTED[row["username"]]
    assert {r["username"]: r["last_active"] for r in table}["trainee"] == rows["trainee"]["last_active"]

    page = login(world.teacher).get(f"/cohorts/mayors-2026/participation?{query}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for name, expected in EXPECTED.items():
        start = html.index(f'data-username="{name}"')
        row_html = html[start : html.index("</tr>", start)]
        for key, value in expected.items():
            assert f'data-col="{key}">{value}<' in row_html, (name, key)
    assert "js/sortable.js" in html and "<script>" not in html
    page_csv = login(world.teacher).get(f"/cohorts/mayors-2026/participation.csv?{query}")
    assert page_csv.get_data(as_text=True) == response.get_data(as_text=True)


def test_date_range_narrows_the_figures(world, client, known):
    today = utcnow().date()
    wide = client.api(
        "get",
        f"/api/v1/cohorts/mayors-2026/participation?from={(today - timedelta(days=60)).isoformat()}",
        user=world.admin,
    ).json
    trainee = next(r for r in wide["items"] if r["username"] == "trainee")
    assert trainee["posts"] == 3  # the 40-day-old reply is in this range
    past = client.api(
        "get", "/api/v1/cohorts/mayors-2026/participation?from=2001-01-01&to=2001-01-31", user=world.admin
    ).json
    assert all(r["threads"] == r["posts"] == r["room_messages"] == 0 for r in past["items"])


def test_bad_input(world, client, login, known):
    base = "/api/v1/cohorts/mayors-2026/participation"
    for query in (
        "from=2026-13-01",
        "from=2026-05-02&to=2026-05-01",
        "format=xml",
        "to=yesterday",
        "from=1990-01-01&to=2026-01-01",
        "per_page=500",
    ):
        response = client.api("get", f"{base}?{query}", user=world.teacher)
        assert response.status_code == 400, query
        assert "error" in response.json
    page = login(world.teacher).get("/cohorts/mayors-2026/participation?from=2026-05-02&to=2026-05-01")
    assert page.status_code == 400 and "field-error" in page.get_data(as_text=True)


@pytest.mark.parametrize("who", ["trainee", "other_teacher", "outsider"])
def test_only_the_cohorts_instructors_and_admins(world, client, login, who):
    user = getattr(world, who)
    expected = 403 if who == "trainee" else 404  # 404: not their cohort
    assert client.api("get", "/api/v1/cohorts/mayors-2026/participation", user=user).status_code == expected
    assert login(user).get("/cohorts/mayors-2026/participation").status_code == expected
    assert login(user).get("/cohorts/mayors-2026/participation.csv").status_code == expected
    assert client.api("get", "/api/v1/cohorts/mayors-2026/participation", user=world.admin).status_code == 200
