"""Participation exports: the XLSX workbook holds the same numbers as the page and the
CSV on a cohort with known counts; the report page draws an SVG chart of activity per
day; who may download."""

import csv
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from forum.utils import utcnow

NUMBERS = ("threads", "posts", "words", "case_answers", "room_messages", "reactions")
EXPECTED = {
    "trainee": dict(threads=2, posts=1, words=9 + 4 + 2, case_answers=1, room_messages=2, reactions=0),
    "zhang": dict(threads=0, posts=2, words=4 + 1, case_answers=0, room_messages=1, reactions=0),
    "idle": dict(threads=0, posts=0, words=0, case_answers=0, room_messages=0, reactions=0),
}


@pytest.fixture
def known(world, make_user, make_thread, make_post, client):
    """Known figures (EXPECTED): posts, case answers, room messages; an '=' display name."""
    from forum.cohorts.services import add_membership

    zhang = make_user("zhang", "trainee", "=SUM(1,2)")
    idle = make_user("idle", "trainee", "Idle")
    for user in (zhang, idle):
        add_membership(None, world.cohort, user, "trainee")
    case = make_thread(world.board, world.trainee, "案例", "AI 规划 2030", kind="case")  # 4 words
    make_post(case, world.trainee, "同意")  # 2 words, a case answer
    make_post(world.thread, zhang, "four words in English")
    make_post(world.thread, zhang, "ok")
    make_post(world.thread, world.teacher, "老师的回复")
    room = client.api(
        "post", "/api/v1/cohorts/mayors-2026/rooms", user=world.teacher, json={"name": "研讨"}
    ).json
    for i, user in enumerate((world.trainee, world.trainee, zhang)):
        sent = client.api(
            "post",
            f"/api/v1/rooms/{room['id']}/messages",
            user=user,
            json={"body": f"m{i}", "client_id": f"c{i}"},
        )
        assert sent.status_code == 201, sent.json
    now = utcnow()
    return {
        "from": (now - timedelta(days=3)).date().isoformat(),
        "to": (now + timedelta(days=1)).date().isoformat(),
    }


def _page_numbers(html):
    result = {}
    for username, body in re.findall(r'<tr data-username="([^"]+)">(.*?)</tr>', html, re.S):
        cells = dict(re.findall(r'data-col="(\w+)">(\d+)<', body))
        if "threads" in cells:
            result[username] = {k: int(cells[k]) for k in NUMBERS}
    return result


def test_page_csv_and_xlsx_agree(world, login, known):
    """The same known numbers in the page, the CSV and the XLSX."""
    teacher = login(world.teacher)
    html = teacher.get("/cohorts/mayors-2026/participation", query_string=known).get_data(as_text=True)
    assert _page_numbers(html) == EXPECTED

    text = teacher.get("/cohorts/mayors-2026/participation.csv", query_string=known).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    from_csv = {row["username"]: {k: int(row[k]) for k in NUMBERS} for row in rows}
    assert from_csv == EXPECTED

    response = teacher.get("/cohorts/mayors-2026/participation.xlsx", query_string=known)
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    sheet = book["trainees"]
    header = [cell.value for cell in sheet[1]]
    assert header == [c for c in rows[0].keys()]  # same columns as the CSV
    from_xlsx = {}
    for values in sheet.iter_rows(min_row=2, values_only=True):
        data = dict(zip(header, values, strict=True))
        from_xlsx[data["username"]] = {k: data[k] for k in NUMBERS}
        csv_row = next(r for r in rows if r["username"] == data["username"])
        assert (data["last_active"] or "") == csv_row["last_active"]
    assert from_xlsx == EXPECTED
    # A display name that looks like a formula stays text.
    zhang_cell = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "zhang")[1]
    assert zhang_cell.value == "=SUM(1,2)" and zhang_cell.data_type == "s"
    instructors = {r[0]: r[2] for r in book["instructors"].iter_rows(min_row=2, values_only=True)}
    assert instructors["teacher"] == 1


def test_activity_chart_on_the_page(world, login, known):
    """An inline SVG with one bar group per day; today's bar holds all the activity."""
    html = (
        login(world.teacher)
        .get("/cohorts/mayors-2026/participation", query_string=known)
        .get_data(as_text=True)
    )
    assert '<svg class="activity-chart"' in html and "<script" not in html.split("<svg")[1].split("</svg>")[0]
    days = re.findall(r'data-day="([\d-]+)" data-posts="(\d+)" data-messages="(\d+)"', html)
    assert len(days) == 5
    # 2 opening posts + 1 case reply (trainee), 2 replies (zhang), 1 reply (teacher).
    assert sum(int(p) for _d, p, _m in days) == 6
    assert sum(int(m) for _d, _p, m in days) == 3
    assert 'id="participation-xlsx"' in html


@pytest.mark.parametrize("who", ["trainee", "other_teacher", "outsider"])
def test_xlsx_denied(world, login, who):
    """Trainees and instructors of another cohort cannot download it."""
    response = login(getattr(world, who)).get("/cohorts/mayors-2026/participation.xlsx")
    assert response.status_code == (403 if who == "trainee" else 404)  # 404: not their cohort


def test_xlsx_admin_and_bad_range(world, login, client):
    """Admins may download; a bad date is a 400; signed out goes to sign in."""
    admin = login(world.admin)
    assert admin.get("/cohorts/mayors-2026/participation.xlsx").status_code == 200
    assert admin.get("/cohorts/mayors-2026/participation.xlsx?from=yesterday").status_code == 400
    assert client.get("/cohorts/mayors-2026/participation.xlsx").status_code in (302, 401)
