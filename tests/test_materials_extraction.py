"""Real files made here (Word, PowerPoint, a Chinese PDF, Excel, text, HTML) are read
page by page and found by words on a given page or slide; hostile files are refused
or marked, and the worker keeps working after them."""

import io

from conftest import _need
from data.material_samples import (
    cjk_font,
    docx_bytes,
    encrypted_pdf_bytes,
    executable_bytes,
    malformed_pdf_bytes,
    pdf_bytes,
    pptx_bytes,
    xlsx_bytes,
    zip_bomb_docx,
)


def upload(client, user, content: bytes, filename: str, **fields):
    data = {"file": (io.BytesIO(content), filename), **fields}
    return client.api("post", "/api/v1/materials", user=user, data=data, content_type="multipart/form-data")


def search(client, user, q, **params):
    response = client.api("get", "/api/v1/search", user=user, query_string={"q": q, **params})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def material(client, user, material_id):
    return client.api("get", f"/api/v1/materials/{material_id}", user=user).get_json()


def test_docx_words_found_on_their_page(client, world):
    content = docx_bytes(["第一页讲城市更新的背景。", "第二页：海绵城市建设试点的经验\nsponge city pilots"])
    response = upload(
        client, world.teacher, content, "海绵城市.docx", cohort=world.cohort.slug, course="城市规划"
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["kind"] == "docx" and body["status"] == "indexed" and body["page_count"] == 2
    found = search(client, world.trainee, "海绵城市 试点")
    assert found["total"] == 1
    hit = found["results"][0]
    assert (hit["type"], hit["id"], hit["page"]) == ("material", body["id"], 2)
    assert "<mark>" in hit["snippet_html"] and hit["url"].endswith("#page-2")
    assert search(client, world.trainee, "pilot")["results"][0]["page"] == 2
    assert search(client, world.trainee, "背景")["results"][0]["page"] == 1


def test_pptx_words_found_on_their_slide(client, world):
    deck = pptx_bytes(
        [("乡村振兴战略", "总体要求"), ("Governance reform", "digital government"), ("韧性城市", "防灾减灾")]
    )
    body = upload(client, world.teacher, deck, "lecture.pptx", cohort=world.cohort.slug).get_json()
    assert body["kind"] == "pptx" and body["page_count"] == 3
    assert search(client, world.trainee, "防灾减灾")["results"][0]["page"] == 3
    assert search(client, world.trainee, "governing")["results"][0]["page"] == 2
    pages = client.api("get", f"/api/v1/materials/{body['id']}/pages", user=world.trainee).get_json()
    assert [p["number"] for p in pages["items"]] == [1, 2, 3]
    assert "韧性城市" in pages["items"][2]["text"]


def test_chinese_pdf_words_found_on_their_page(client, world):
    font = cjk_font()
    _need(font is not None, "no CJK font for fpdf2: apt-get install fonts-noto-cjk")
    content = pdf_bytes(
        ["第一页 城市更新行动方案", "第二页 老旧小区改造的资金来源", "第三页 structural reform"], font
    )
    body = upload(client, world.teacher, content, "更新.pdf", cohort=world.cohort.slug).get_json()
    assert (body["kind"], body["status"], body["page_count"]) == ("pdf", "indexed", 3)
    hit = search(client, world.trainee, "老旧小区改造")["results"][0]
    assert hit["page"] == 2 and "<mark>" in hit["snippet_html"]


def test_material_page_shows_the_page_of_a_hit(login, client, world):
    content = docx_bytes(["引言", "正文：生态文明建设"])
    body = upload(client, world.teacher, content, "eco.docx", cohort=world.cohort.slug).get_json()
    hit = search(client, world.trainee, "生态文明")["results"][0]
    html = login(world.trainee).get(hit["url"].split("#")[0]).get_data(as_text=True)
    assert 'id="page-2"' in html and "生态文明建设" in html and body["title"] in html


def test_xlsx_text_and_html(client, world):
    sheets = {"预算": [["项目", "金额"], ["绿道建设", 1200]], "Notes": [["stormwater retention"]]}
    body = upload(
        client, world.teacher, xlsx_bytes(sheets), "budget.xlsx", cohort=world.cohort.slug
    ).get_json()
    assert body["kind"] == "xlsx"
    assert search(client, world.trainee, "绿道建设")["results"][0]["page"] == 1
    assert search(client, world.trainee, "stormwater")["results"][0]["page"] == 2
    html = b"<!doctype html><html><head><script>var secret='hidden';</script></head><body><p>\xe7\xbd\x91\xe6\xa0\xbc\xe5\x8c\x96\xe7\xae\xa1\xe7\x90\x86</p></body></html>"
    body = upload(client, world.teacher, html, "page.txt", cohort=world.cohort.slug).get_json()
    assert body["kind"] == "html"  # from the content, not the name
    assert search(client, world.trainee, "网格化管理")["total"] == 1
    assert search(client, world.trainee, "secret")["total"] == 0
    text = "# 会议纪要\n\n讨论了**河长制**。".encode()
    body = upload(client, world.teacher, text, "notes.md", cohort=world.cohort.slug).get_json()
    assert body["kind"] == "markdown" and search(client, world.trainee, "河长制")["total"] == 1
    gbk = "旧城改造的经验".encode("gb18030")
    body = upload(client, world.teacher, gbk, "old.txt", cohort=world.cohort.slug).get_json()
    assert body["kind"] == "txt" and search(client, world.trainee, "旧城改造")["total"] == 1


def test_hostile_files_are_refused_or_marked_and_the_worker_goes_on(client, world):
    teacher, slug = world.teacher, world.cohort.slug
    # A Windows program renamed .pdf: refused by content, nothing stored.
    response = upload(client, teacher, executable_bytes(), "lecture.pdf", cohort=slug)
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_type"
    # A zip bomb dressed as a Word file: stored, marked failed with the reason.
    bomb = upload(client, teacher, zip_bomb_docx(), "bomb.docx", cohort=slug).get_json()
    assert bomb["status"] == "failed" and bomb["status_reason"].startswith("zip_bomb")
    assert "expands" in bomb["status_message"] and bomb["status_message"] != bomb["status_reason"]
    # A malformed PDF: marked failed.
    broken = upload(client, teacher, malformed_pdf_bytes(), "broken.pdf", cohort=slug).get_json()
    assert broken["status"] in ("failed", "unsearchable"), broken
    # An encrypted PDF: not searchable, with the reason.
    locked = upload(client, teacher, encrypted_pdf_bytes(), "locked.pdf", cohort=slug).get_json()
    assert (locked["status"], locked["status_reason"].split(":")[0]) == ("unsearchable", "encrypted")
    # A path-traversal name: kept for display only, never used as a path.
    evil = upload(client, teacher, "路径穿越测试".encode(), "../../../etc/passwd.txt", cohort=slug).get_json()
    assert evil["original_filename"] == "passwd.txt"
    from pathlib import Path

    from flask import current_app

    root = Path(current_app.config["FORUM_MATERIALS_DIR"])
    stored = [p for p in root.rglob("*") if p.is_file()]
    assert all(p.resolve().is_relative_to(root.resolve()) for p in stored)
    assert not any(p.name == "passwd.txt" for p in stored)
    # The worker still indexes the next good file, and the failed ones stay findable by title.
    good = upload(client, teacher, docx_bytes(["城市体检评估"]), "ok.docx", cohort=slug).get_json()
    assert good["status"] == "indexed"
    assert search(client, world.trainee, "城市体检")["total"] == 1
    assert search(client, world.trainee, "bomb")["results"][0]["id"] == bomb["id"]
    page = client.api("get", f"/api/v1/materials/{bomb['id']}", user=teacher).get_json()
    assert page["status"] == "failed"


def test_failed_material_page_shows_the_reason(login, client, world):
    bomb = upload(client, world.teacher, zip_bomb_docx(), "bomb.docx", cohort=world.cohort.slug).get_json()
    html = login(world.trainee).get(f"/materials/{bomb['id']}").get_data(as_text=True)
    assert "status-failed" in html and "word/document.xml expands" in html
