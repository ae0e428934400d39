"""Discussion features on the pages: the new-thread options, the instructors' forms,
what the thread page shows to whom, and its fixed number of queries."""

import re
from datetime import datetime

import pytest

from forum.extensions import db
from tests.sql_support import page_statements


@pytest.fixture
def app_overrides():
    """No search indexing on every write: these tests do not search (keeps them fast)."""
    return {"FORUM_WORKER": "external"}


def _reload(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def _thread_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(re.search(r"/threads/(\d+)", response.headers["Location"]).group(1))


def _case(login, cls, **extra):
    data = {
        "title": "旧城改造",
        "kind": "case",
        "body": "Read the brief.",
        "background": "The old town.",
        "questions": "What would the mayor do?",
        "teaching_notes": "Point them at compensation.",
        **extra,
    }
    return _thread_id(login(cls.teacher).form(f"/boards/{cls.board.id}/threads/new", data))


# --- starting threads ------------------------------------------------------------------------


def test_instructor_starts_a_case_with_brief_and_answer_first(login, cls):
    from forum.threads.models import Thread

    thread_id = _case(login, cls, answer_first="y", answer_due_at="2100-03-01T18:00")
    thread = _reload(Thread, thread_id)
    assert thread.answer_first and thread.answer_due_at == datetime(2100, 3, 1, 10, 0)  # Asia/Shanghai -> UTC
    trainee = login(cls.trainee).get(f"/threads/{thread_id}").get_data(as_text=True)
    assert "The old town." in trainee and "What would the mayor do?" in trainee
    assert "compensation" not in trainee
    assert "2100-03-01 18:00" in trainee
    teacher = login(cls.teacher).get(f"/threads/{thread_id}").get_data(as_text=True)
    assert "Point them at compensation." in teacher


def test_new_thread_form_shows_options_by_role(login, cls):
    trainee = login(cls.trainee).get(f"/boards/{cls.board.id}/threads/new").get_data(as_text=True)
    assert 'name="private"' in trainee
    assert 'name="answer_first"' not in trainee and 'name="teaching_notes"' not in trainee
    teacher = login(cls.teacher).get(f"/boards/{cls.board.id}/threads/new").get_data(as_text=True)
    assert 'name="answer_first"' in teacher and 'name="teaching_notes"' in teacher


def test_trainee_asks_privately(login, cls):
    data = {"title": "能私下问吗", "kind": "question", "body": "My question.", "private": "y"}
    thread_id = _thread_id(login(cls.trainee).form(f"/boards/{cls.board.id}/threads/new", data))
    assert login(cls.classmate).get(f"/threads/{thread_id}").status_code == 404
    page = login(cls.teacher).get(f"/threads/{thread_id}").get_data(as_text=True)
    assert "My question." in page
    notice = re.search(r'<p class="notice notice-private" role="note">(.*?)</p>', page)
    assert notice is not None and notice.group(1) == "私密提问：只有提问人和教师能看到此主题。"


def test_new_thread_option_errors_keep_the_input(login, cls):
    client = login(cls.teacher)
    data = {"title": "t", "kind": "discussion", "body": "b", "answer_first": "y"}
    response = client.form(f"/boards/{cls.board.id}/threads/new", data)
    assert response.status_code == 400
    response = client.form(
        f"/boards/{cls.board.id}/threads/new",
        {"title": "t", "kind": "case", "body": "b", "answer_due_at": "not a date"},
    )
    assert response.status_code == 400
    assert 'value="t"' in response.get_data(as_text=True)


def test_announcement_board_refuses_trainee_threads(login, cls):
    from forum.cohorts.models import Board

    teacher = login(cls.teacher)
    response = teacher.form(f"/boards/{cls.board.id}/edit", {"name": cls.board.name, "kind": "announcement"})
    assert response.status_code == 302
    assert _reload(Board, cls.board.id).kind == "announcement"
    assert login(cls.trainee).get(f"/boards/{cls.board.id}/threads/new").status_code == 403
    assert (
        login(cls.trainee)
        .form(f"/boards/{cls.board.id}/threads/new", {"title": "t", "kind": "discussion", "body": "b"})
        .status_code
        == 403
    )
    assert teacher.get(f"/boards/{cls.board.id}/threads/new").status_code == 200
    response = teacher.form(
        f"/cohorts/{cls.cohort.slug}/boards/new", {"name": "通知", "kind": "announcement"}
    )
    assert response.status_code == 302
    assert (
        teacher.form(f"/cohorts/{cls.cohort.slug}/boards/new", {"name": "x", "kind": "news"}).status_code
        == 400
    )


# --- instructors' forms ----------------------------------------------------------------------


def test_brief_editor(login, cls):
    thread_id = _case(login, cls)
    url = f"/threads/{thread_id}/case-brief"
    assert login(cls.trainee).get(url).status_code == 403
    teacher = login(cls.teacher)
    assert "The old town." in teacher.get(url).get_data(as_text=True)
    response = teacher.form(
        url, {"background": "New background.", "questions": "Q1", "teaching_notes": "", "material_ids": ""}
    )
    assert response.status_code == 302
    page = login(cls.trainee).get(f"/threads/{thread_id}").get_data(as_text=True)
    assert "New background." in page and "The old town." not in page
    response = teacher.form(url, {"background": "x" * 20001})
    assert response.status_code == 400


def test_roles_page_and_label_beside_replies(login, cls, make_post):
    from forum.threads.models import Thread

    thread_id = _case(login, cls)
    teacher = login(cls.teacher)
    assert login(cls.trainee).get(f"/threads/{thread_id}/roles").status_code == 403
    page = teacher.get(f"/threads/{thread_id}/roles").get_data(as_text=True)
    assert "classmate" in page and "teacher" not in re.findall(r'<option value="([^"]+)"', page)
    assert (
        teacher.form(f"/threads/{thread_id}/roles", {"username": "trainee", "label": "居民代表"}).status_code
        == 302
    )
    assert (
        teacher.form(f"/threads/{thread_id}/roles", {"username": "teacher", "label": "x"}).status_code == 400
    )
    make_post(_reload(Thread, thread_id), cls.trainee, "As the mayor I would…")
    page = login(cls.classmate).get(f"/threads/{thread_id}").get_data(as_text=True)
    assert re.search(r'class="badge badge-role"[^>]*>居民代表<', page)
    assert teacher.form(f"/threads/{thread_id}/roles/trainee/remove", {}).status_code == 302
    page = login(cls.classmate).get(f"/threads/{thread_id}").get_data(as_text=True)
    assert "居民代表" not in page


def test_question_accept_and_endorse_buttons(login, cls, make_thread, make_post):
    question = make_thread(cls.board, cls.trainee, "怎么办?", "How?", kind="question")
    answer = make_post(question, cls.classmate, "Like this.")
    asker = login(cls.trainee)
    page = asker.get(f"/threads/{question.id}").get_data(as_text=True)
    assert f"/posts/{answer.id}/marks/accepted" in page and f"/posts/{answer.id}/marks/endorsed" not in page
    assert f"/posts/{answer.id}/marks/accepted" not in login(cls.classmate).get(
        f"/threads/{question.id}"
    ).get_data(as_text=True)
    assert asker.form(f"/posts/{answer.id}/marks/accepted", {"on": "1"}).status_code == 302
    # Endorsing is the instructors': refused to a classmate, with or without the CSRF token.
    assert login(cls.classmate).post(f"/posts/{answer.id}/marks/endorsed", data={"on": "1"}).status_code == 400
    assert login(cls.classmate).form(f"/posts/{answer.id}/marks/endorsed", {"on": "1"}).status_code == 403
    teacher = login(cls.teacher)
    assert teacher.form(f"/posts/{answer.id}/marks/endorsed", {"on": "1"}).status_code == 302
    page = login(cls.classmate).get(f"/threads/{question.id}").get_data(as_text=True)
    assert page.count("badge-accepted") == 2  # in the highlights and beside the post
    assert 'id="highlights"' in page and "badge-endorsed" in page
    assert teacher.form(f"/posts/{answer.id}/marks/accepted", {"on": "0"}).status_code == 302
    assert "badge-accepted" not in login(cls.classmate).get(f"/threads/{question.id}").get_data(as_text=True)
    assert teacher.form(f"/posts/{answer.id}/marks/nonsense", {"on": "1"}).status_code == 404
    assert teacher.form(f"/posts/{answer.id}/marks/key", {"on": "maybe"}).status_code == 400


def test_research_summary_and_key_contribution(login, cls, make_thread, make_post):
    research = make_thread(cls.board, cls.teacher, "调研", "Findings?", kind="research")
    reply = make_post(research, cls.trainee, "Finding one.")
    teacher = login(cls.teacher)
    assert login(cls.trainee).get(f"/threads/{research.id}/summary").status_code == 403
    assert (
        teacher.form(f"/threads/{research.id}/summary", {"body": "**Conclusion** so far."}).status_code == 302
    )
    assert teacher.form(f"/posts/{reply.id}/marks/key", {"on": "1"}).status_code == 302
    page = login(cls.classmate).get(f"/threads/{research.id}").get_data(as_text=True)
    assert "<strong>Conclusion</strong>" in page and page.index('id="summary"') < page.index('id="posts"')
    assert "badge-key" in page


def test_staff_note_on_the_page(login, cls):
    teacher = login(cls.teacher)
    thread_id = cls.thread.id
    assert 'id="staff-note-form"' in teacher.get(f"/threads/{thread_id}").get_data(as_text=True)
    assert 'id="staff-note-form"' not in login(cls.trainee).get(f"/threads/{thread_id}").get_data(
        as_text=True
    )
    assert (
        teacher.form(f"/threads/{thread_id}/staff-notes", {"body": "Quietly: follow up with 李."}).status_code
        == 302
    )
    assert "follow up with" in teacher.get(f"/threads/{thread_id}").get_data(as_text=True)
    trainee_page = login(cls.trainee).get(f"/threads/{thread_id}").get_data(as_text=True)
    assert "follow up with" not in trainee_page
    assert login(cls.trainee).form(f"/threads/{thread_id}/staff-notes", {"body": "x"}).status_code == 403


def test_settings_form(login, cls):
    from forum.threads.models import Thread

    thread_id = _case(login, cls)
    url = f"/threads/{thread_id}/discussion-settings"
    assert login(cls.trainee).get(url).status_code == 403
    teacher = login(cls.teacher)
    assert teacher.form(url, {"answer_first": "y", "answer_due_at": "2100-01-02T08:30"}).status_code == 302
    thread = _reload(Thread, thread_id)
    assert thread.answer_first and thread.answer_due_at == datetime(2100, 1, 2, 0, 30)
    assert 'value="2100-01-02T08:30"' in teacher.get(url).get_data(as_text=True)
    assert teacher.form(url, {"private": "y"}).status_code == 302
    thread = _reload(Thread, thread_id)
    assert thread.private and not thread.answer_first and thread.answer_due_at is None
    assert login(cls.classmate).get(f"/threads/{thread_id}").status_code == 404


# --- a fixed number of queries --------------------------------------------------------------


def _fill(thread, authors, n):
    """Add ``n`` replies quickly (the thread page is what is measured, not posting)."""
    from forum.threads.models import Post, Thread
    from forum.utils import utcnow

    start = thread.post_count
    db.session.add_all(
        Post(
            thread_id=thread.id,
            author_id=authors[i % len(authors)].id,
            number=start + 1 + i,
            body=f"Reply {i}",
            body_html=f"<p>Reply {i}</p>",
            anonymous=(i % 7 == 0 and i % 2 == 1),
            created_at=utcnow(),
        )
        for i in range(n)
    )
    db.session.flush()
    db.session.query(Thread).filter_by(id=thread.id).update(
        {"post_count": start + n, "reply_count": thread.reply_count + n}
    )
    db.session.commit()


@pytest.mark.parametrize("viewer", ["teacher", "classmate"])
def test_case_thread_page_queries_fixed_with_1000_posts(app, login, cls, viewer, make_thread):
    from forum.discussion import cases, services
    from forum.threads.models import Post, Thread

    small = _reload(Thread, _case(login, cls))
    big = _reload(Thread, _case(login, cls))
    authors = [cls.trainee, cls.classmate, cls.teacher]
    _fill(small, authors, 5)
    _fill(big, authors, 1000)
    for thread in (small, big):
        cases.assign_role(cls.teacher, thread, cls.trainee, "市长")
        cases.assign_role(cls.teacher, thread, cls.classmate, "开发商")
        services.save_summary(cls.teacher, thread, "So far.")
        posts = db.session.query(Post).filter(Post.thread_id == thread.id, Post.number > 1).limit(4).all()
        services.set_mark(cls.teacher, posts[0], "key")
        services.set_mark(cls.teacher, posts[1], "endorsed")
        services.create_staff_note(cls.teacher, thread, "A note.")
    client = login(getattr(cls, viewer))
    counts = {
        "small": len(page_statements(client, f"/threads/{small.id}", repeat_view=True)),
        "big first page": len(page_statements(client, f"/threads/{big.id}", repeat_view=True)),
        "big page 30": len(page_statements(client, f"/threads/{big.id}?page=30", repeat_view=True)),
    }
    app.config["FORUM_POSTS_PER_PAGE"] = 50
    counts["big, 50 a page"] = len(page_statements(client, f"/threads/{big.id}?page=7", repeat_view=True))
    assert len(set(counts.values())) == 1, counts
