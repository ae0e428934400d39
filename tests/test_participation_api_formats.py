"""The participation endpoint's file formats: `?format=csv` and `?format=xlsx` give the same
downloads as the report page, with the same numbers as the JSON; any other format is a 400."""

import csv
import io

import pytest
from openpyxl import load_workbook
from test_participation_exports import EXPECTED, NUMBERS, known  # noqa: F401  (the fixture)

URL = "/api/v1/cohorts/mayors-2026/participation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet_rows(data: bytes, sheet: str) -> list[dict]:
    rows = list(load_workbook(io.BytesIO(data))[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], values, strict=True)) for values in rows[1:]]


def test_json_csv_and_xlsx_agree(world, client, login, known):  # noqa: F811
    """The API's XLSX holds the JSON's numbers, and is the report page's workbook."""
    as_json = client.api("get", URL, user=world.teacher, query_string=known)
    assert as_json.status_code == 200
    data = as_json.get_json()
    from_json = {row["username"]: {k: row[k] for k in NUMBERS} for row in data["items"]}
    assert from_json == EXPECTED

    response = client.api("get", URL, user=world.teacher, query_string={**known, "format": "xlsx"})
    assert response.status_code == 200 and response.mimetype == XLSX
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and f'-{known["from"]}-{known["to"]}.xlsx"' in disposition
    trainees = _sheet_rows(response.data, "trainees")
    assert {row["username"]: {k: row[k] for k in NUMBERS} for row in trainees} == from_json
    json_rows = {row["username"]: row for row in data["items"]}
    for row in trainees:
        assert row["display_name"] == json_rows[row["username"]]["display_name"]
        assert (row["last_active"] or None) == json_rows[row["username"]]["last_active"]
    instructors = _sheet_rows(response.data, "instructors")
    assert [(r["username"], r["replies"]) for r in instructors] == [
        (r["username"], r["replies"]) for r in data["instructors"]
    ]
    about = dict(load_workbook(io.BytesIO(response.data))["about"].iter_rows(values_only=True))
    assert (about["cohort"], about["from"], about["to"]) == ("mayors-2026", data["from"], data["to"])

    # The page's download: the same sheets, row for row.
    page = login(world.teacher).get("/cohorts/mayors-2026/participation.xlsx", query_string=known)
    assert page.status_code == 200
    assert page.headers["Content-Disposition"] == disposition
    for sheet in ("trainees", "instructors"):
        assert _sheet_rows(page.data, sheet) == _sheet_rows(response.data, sheet)


def test_csv_is_the_pages_csv(world, client, login, known):  # noqa: F811
    response = client.api("get", URL, user=world.admin, query_string={**known, "format": "csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment")
    text = response.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {row["username"]: {k: int(row[k]) for k in NUMBERS} for row in rows} == EXPECTED
    page = login(world.teacher).get("/cohorts/mayors-2026/participation.csv", query_string=known)
    assert page.get_data(as_text=True) == text
    assert page.headers["Content-Disposition"] == response.headers["Content-Disposition"]


@pytest.mark.parametrize("fmt", ["pdf", "XLSX", "xls"])
def test_unknown_format_is_a_400(world, client, fmt):
    response = client.api("get", URL, user=world.teacher, query_string={"format": fmt})
    assert response.status_code == 400 and response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and error["field"] == "format"
    assert error["message"] == "format 必须是 json、csv 或 xlsx。"


def test_a_bad_range_is_a_json_400_for_files_too(world, client):
    response = client.api(
        "get", URL, user=world.teacher, query_string={"format": "xlsx", "from": "yesterday"}
    )
    assert response.status_code == 400 and response.get_json()["error"]["code"]


@pytest.mark.parametrize(("who", "status"), [("trainee", 403), ("other_teacher", 404), ("outsider", 404)])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_files_are_refused_like_the_json(world, client, who, status, fmt):
    """Trainees, and instructors of another cohort, get no file."""
    response = client.api("get", URL, user=getattr(world, who), query_string={"format": fmt})
    assert response.status_code == status and response.mimetype == "application/json"
    assert client.get(URL, query_string={"format": fmt}).status_code == 401
