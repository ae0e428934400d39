"""Adding materials: the upload page (multipart with CSRF, one or several files, JSON
for the page's script), the API, the command line; stored once by content; the size
limit; download, editing and the threads that cite a material."""

import io
import json

import pytest
from data.material_samples import docx_bytes


def api_upload(client, user, content: bytes, filename: str, **fields):
    data = {"file": (io.BytesIO(content), filename), **fields}
    return client.api("post", "/api/v1/materials", user=user, data=data, content_type="multipart/form-data")


def test_upload_page_with_csrf(login, world):
    teacher = login(world.teacher)
    page = teacher.get("/materials/upload")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.get_data(as_text=True)
    data = {
        "files": (io.BytesIO(docx_bytes(["城市更新讲义"])), "更新讲义.docx"),
        "cohort": world.cohort.slug,
        "course": "城市规划",
        "lecturer": "王教授",
        "year": "2024",
        "tags": "更新, 城市",
    }
    response = teacher.form("/materials/upload", data, content_type="multipart/form-data")
    assert response.status_code == 302
    html = teacher.get(response.headers["Location"]).get_data(as_text=True)
    assert "更新讲义" in html and "城市规划" in html and "王教授" in html and "城市更新讲义" in html
    from forum.materials.models import Material

    material = Material.query.one()
    assert material.tag_list == ["更新", "城市"] and material.year == 2024 and material.status == "indexed"
    # Without the CSRF token the upload is refused.
    bare = teacher.post(
        "/materials/upload", data={"files": (io.BytesIO(b"x"), "a.txt")}, content_type="multipart/form-data"
    )
    assert bare.status_code == 400


def test_upload_page_json_for_the_script_and_several_files(login, world):
    teacher = login(world.teacher)
    data = {
        "files": [(io.BytesIO("第一份".encode()), "a.txt"), (io.BytesIO("第二份".encode()), "b.md")],
        "cohort": world.cohort.slug,
    }
    response = teacher.form(
        "/materials/upload", data, content_type="multipart/form-data", headers={"Accept": "application/json"}
    )
    assert response.status_code == 201
    items = response.get_json()["items"]
    assert [i["title"] for i in items] == ["a", "b"] and all(
        i["url"].startswith("/materials/") for i in items
    )
    refused = teacher.form(
        "/materials/upload",
        {"files": (io.BytesIO(b"MZ\x90\x00" + b"\x00" * 60), "x.pdf")},
        content_type="multipart/form-data",
        headers={"Accept": "application/json"},
    )
    assert refused.status_code == 415 and refused.get_json()["error"]["code"] == "unsupported_type"


def test_only_instructors_upload(client, login, world):
    assert login(world.trainee).get("/materials/upload").status_code == 403
    response = api_upload(client, world.trainee, b"hello", "a.txt")
    assert response.status_code == 403
    response = api_upload(client, world.teacher, b"hello", "a.txt", cohort=world.other.slug)
    assert response.status_code == 400  # a cohort the teacher is not in: unknown to them


def test_same_content_is_stored_once(client, world):
    content = docx_bytes(["同一份讲义"])
    first = api_upload(client, world.teacher, content, "one.docx", cohort=world.cohort.slug)
    second = api_upload(client, world.teacher, content, "two.docx", cohort=world.cohort.slug, title="Other")
    assert first.status_code == 201 and second.status_code == 200
    assert second.get_json()["id"] == first.get_json()["id"] and second.get_json()["duplicate"] is True
    from forum.materials.models import Material

    assert Material.query.count() == 1
    # The other class's instructor uploads the same file for their cohort: shared there too.
    third = api_upload(client, world.other_teacher, content, "copy.docx", cohort=world.other.slug)
    assert third.status_code == 200 and third.get_json()["id"] == first.get_json()["id"]
    found = client.api(
        "get", "/api/v1/search", user=world.outsider, query_string={"q": "同一份讲义"}
    ).get_json()
    assert found["total"] == 1


@pytest.fixture
def app_overrides():
    return {"FORUM_UPLOAD_MAX_MB": 1}


def test_size_limit_gives_a_clear_error(client, login, world):
    big = b"a" * (1024 * 1024 + 10)
    response = api_upload(client, world.teacher, big, "big.txt", cohort=world.cohort.slug)
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert error["code"] == "too_large" and "1 MB" in error["message"]
    page = login(world.teacher).form(
        "/materials/upload", {"files": (io.BytesIO(big), "big.txt")}, content_type="multipart/form-data"
    )
    assert page.status_code == 413 and "1 MB" in page.get_data(as_text=True)
    from forum.materials.models import Material

    assert Material.query.count() == 0
    assert api_upload(client, world.teacher, b"small", "small.txt").status_code == 201


def test_download_uses_the_sanitized_name_and_no_inline_html(login, world, client):
    html = b"<!doctype html><html><body><script>alert(1)</script>hi</body></html>"
    body = api_upload(
        client, world.teacher, html, "..\\evil<name>:.html", cohort=world.cohort.slug
    ).get_json()
    response = login(world.trainee).get(body["download_url"])
    assert response.status_code == 200 and response.data == html
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "evil_name__.html" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert login(world.outsider).get(body["download_url"]).status_code == 404


def test_edit_title_course_tags_and_find_by_them(login, client, world):
    body = api_upload(
        client, world.teacher, "防汛预案".encode(), "plan.txt", cohort=world.cohort.slug
    ).get_json()
    teacher = login(world.teacher)
    response = teacher.form(
        f"/materials/{body['id']}/edit",
        {
            "title": "防汛应急预案汇编",
            "course": "应急管理",
            "lecturer": "李老师",
            "year": "2023",
            "tags": "防汛,应急",
            "cohorts": str(world.cohort.id),
        },
    )
    assert response.status_code == 302
    material = client.api("get", f"/api/v1/materials/{body['id']}", user=world.trainee).get_json()
    assert (material["title"], material["course"]["name"], material["year"]) == (
        "防汛应急预案汇编",
        "应急管理",
        2023,
    )
    assert material["tags"] == ["防汛", "应急"]
    found = client.api("get", "/api/v1/search", user=world.trainee, query_string={"q": "汇编"}).get_json()
    assert found["results"][0]["id"] == body["id"]
    assert login(world.trainee).get(f"/materials/{body['id']}/edit").status_code == 403
    patched = client.api("patch", f"/api/v1/materials/{body['id']}", user=world.teacher, json={"year": "x"})
    assert patched.status_code == 400
    listing = client.api(
        "get", "/api/v1/materials", user=world.trainee, query_string={"kind": "txt"}
    ).get_json()
    assert [m["id"] for m in listing["items"]] == [body["id"]]
    library = login(world.trainee).get("/materials/", query_string={"tag": "防汛"}).get_data(as_text=True)
    assert "防汛应急预案汇编" in library


def test_threads_that_cite_a_material(login, client, world, make_post):
    body = api_upload(
        client, world.teacher, "案例材料".encode(), "case.txt", cohort=world.cohort.slug
    ).get_json()
    make_post(world.thread, world.trainee, f"请看材料 {body['url']} 第二页")
    html = login(world.trainee).get(body["url"]).get_data(as_text=True)
    assert "城市总体规划的实施" in html and f"/threads/{world.thread.id}" in html


def test_openapi_documents_the_endpoints(client):
    document = client.get("/api/v1/openapi.json").get_json()
    paths = document["paths"]
    assert "post" in paths["/api/v1/materials"] and "get" in paths["/api/v1/materials/{material_id}"]
    assert "get" in paths["/api/v1/search"]
    assert "413" in paths["/api/v1/materials"]["post"]["responses"]
    assert "page" in document["components"]["schemas"]["SearchResult"]["properties"]


def test_cli_import_folders_recursively_with_a_summary(app, runner, world, tmp_path):
    folder = tmp_path / "课程资料"
    (folder / "第一讲").mkdir(parents=True)
    (folder / "第一讲" / "讲义.docx").write_bytes(docx_bytes(["数字政府建设"]))
    (folder / "第一讲" / "同一份.txt").write_bytes("数字政府建设".encode())
    (folder / "第一讲" / "复制.txt").write_bytes("数字政府建设".encode())
    (folder / "程序.exe").write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    (folder / ".hidden.txt").write_bytes(b"secret")
    result = runner.invoke(
        args=["forum", "import-materials", str(folder), "--cohort", world.cohort.slug, "--course", "数字治理"]
    )
    assert result.exit_code == 0, result.output
    assert "imported 2, already in the library 1, skipped 1" in result.output
    assert "程序.exe" in result.output and "not supported" in result.output
    from forum.materials.models import Material

    materials = Material.query.all()
    assert len(materials) == 2 and all(m.course.name == "数字治理" for m in materials)
    assert all(m.status == "indexed" for m in materials)
    bad = runner.invoke(args=["forum", "import-materials", str(folder), "--cohort", "no-such"])
    assert bad.exit_code != 0 and "no cohort no-such" in bad.output
    missing = runner.invoke(args=["forum", "import-materials", str(tmp_path / "nope")])
    assert missing.exit_code != 0 and "no such file" in missing.output


def test_api_upload_errors_are_json(client, world):
    response = client.api("post", "/api/v1/materials", user=world.teacher, json={"file": "x"})
    assert response.status_code in (400, 415) and "error" in response.get_json()
    response = client.api(
        "post",
        "/api/v1/materials",
        user=world.teacher,
        data={"title": "x"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "required"
    response = api_upload(client, world.teacher, b"", "empty.txt")
    assert response.status_code == 400 and json.loads(response.data)["error"]["code"] == "empty_file"
    assert client.api("get", "/api/v1/materials/999", user=world.teacher).status_code == 404
