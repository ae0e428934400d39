"""The case discussion record: a printable page and a DOCX (SimSun for Chinese) with the
brief, replies, featured posts, summary and linked room transcript; what each reader sees."""

import io
import zipfile

import pytest
from docx import Document


@pytest.fixture
def case(world, make_thread, make_post):
    """A case thread with a brief (and teaching notes), replies, a featured reply, a hidden
    reply, an anonymous reply, a summary and a linked live room with two messages."""
    from forum.discussion.cases import save_case_brief
    from forum.discussion.services import save_summary
    from forum.moderation.services import feature_post
    from forum.rooms.services import create_room, send_message
    from forum.threads.services import moderate_post

    thread = make_thread(world.board, world.teacher, "城市更新案例", "请阅读案例材料。", kind="case")
    save_case_brief(
        world.teacher,
        thread,
        {
            "background": "老城区改造的背景",
            "questions": "如何平衡各方利益？",
            "teaching_notes": "教学要点：先听学员",
        },
    )
    good = make_post(thread, world.trainee, "我认为应当先做调研。")
    feature_post(world.teacher, good, True)
    hidden = make_post(thread, world.trainee, "不该出现的回复")
    moderate_post(world.teacher, hidden, hidden=True, reason="离题")
    make_post(thread, world.trainee, "匿名的看法", anonymous=True)
    save_summary(world.teacher, thread, "结论：调研先行。")
    room = create_room(world.teacher, world.cohort, "研讨室", thread)
    send_message(world.trainee, room, "直播里的发言", "c1")
    send_message(world.teacher, room, "老师的点评", "c2")
    return thread


def test_printable_page(world, login, case):
    """Every part is on the page, with a print stylesheet; hidden posts and staff-only
    teaching notes are left out for a trainee, anonymous authors stay anonymous."""
    html = login(world.trainee).get(f"/threads/{case.id}/record").get_data(as_text=True)
    for text in (
        "城市更新案例",
        "老城区改造的背景",
        "如何平衡各方利益？",
        "请阅读案例材料。",
        "我认为应当先做调研。",
        "结论：调研先行。",
        "直播里的发言",
        "老师的点评",
        "研讨室",
        "css/records.css",
    ):
        assert text in html, text
    assert 'id="record-featured"' in html
    assert "不该出现的回复" not in html and "教学要点" not in html
    anonymous = html.split("匿名的看法")[0].rsplit("record-author", 1)[1]
    # The label is translated (zh is the default interface language).
    assert "李学员" not in anonymous and "匿名" in anonymous
    teacher_html = login(world.teacher).get(f"/threads/{case.id}/record").get_data(as_text=True)
    assert "教学要点" in teacher_html and "不该出现的回复" not in teacher_html
    assert f"/threads/{case.id}/record" in login(world.trainee).get(f"/threads/{case.id}").get_data(
        as_text=True
    )


def test_print_css():
    """The stylesheet has print rules (A4, Chinese serif fonts, no navigation)."""
    css = open("static/css/records.css", encoding="utf-8").read()
    assert "@media print" in css and "SimSun" in css and "@page" in css


def test_docx(world, login, case):
    """The DOCX holds the record; its styles set SimSun as the East Asian font."""
    response = login(world.teacher).get(f"/threads/{case.id}/record.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    assert "attachment" in response.headers["Content-Disposition"]
    document = Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs)
    for part in (
        "城市更新案例",
        "老城区改造的背景",
        "我认为应当先做调研。",
        "结论：调研先行。",
        "直播里的发言",
        "教学要点：先听学员",
        "匿名的看法",
    ):
        assert part in text, part
    assert "不该出现的回复" not in text
    styles = zipfile.ZipFile(io.BytesIO(response.data)).read("word/styles.xml").decode()
    assert 'w:eastAsia="SimSun"' in styles


def test_trainee_docx_has_no_teaching_notes(world, login, case):
    """The trainee's DOCX leaves out the teaching notes and the anonymous author."""
    response = login(world.trainee).get(f"/threads/{case.id}/record.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    assert "教学要点" not in text and "匿名的看法" in text


@pytest.mark.parametrize("who", ["outsider", "other_teacher"])
def test_other_cohorts_cannot_export(world, login, case, who):
    """People outside the cohort get a 404 for both forms."""
    c = login(getattr(world, who))
    assert c.get(f"/threads/{case.id}/record").status_code == 404
    assert c.get(f"/threads/{case.id}/record.docx").status_code == 404


def test_signed_out_and_missing(client, world, login, case):
    """Signed out: to the sign-in page; an unknown thread: 404."""
    assert client.get(f"/threads/{case.id}/record").status_code in (302, 401)
    assert login(world.teacher).get("/threads/999999/record").status_code == 404
