"""Thread pages through the HTTP client: start, reply, quote, edit, delete, moderate."""

import re

import pytest

from forum.extensions import db
from forum.threads.models import Post, Thread
from tests.sql_support import page_statements


@pytest.fixture
def app_overrides():
    """Search indexing waits in its queue (these tests are about pages, and stay fast)."""
    return {"FORUM_WORKER": "external"}


def _reload(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def test_start_a_thread(world, login):
    client = login(world.trainee)
    response = client.form(
        f"/boards/{world.board.id}/threads/new",
        {"title": "城乡融合", "kind": "case", "body": "# 背景\n\n一个**案例**"},
    )
    assert response.status_code == 302
    thread = db.session.execute(db.select(Thread).filter_by(title="城乡融合")).scalar_one()
    assert response.headers["Location"].endswith(f"/threads/{thread.id}")
    html = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "<strong>案例</strong>" in html and "badge-case" in html


def test_new_thread_errors_keep_the_input(world, login, app):
    client = login(world.trainee)
    long_title = "题" * (app.config["FORUM_TITLE_MAX"] + 1)
    response = client.form(
        f"/boards/{world.board.id}/threads/new", {"title": long_title, "kind": "case", "body": "我的正文"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "我的正文" in html and long_title in html
    assert "field-error" in html
    missing = client.form(
        f"/boards/{world.board.id}/threads/new", {"title": "标题", "kind": "case", "body": ""}
    )
    assert missing.status_code == 400 and "标题" in missing.get_data(as_text=True)
    bad_kind = client.form(
        f"/boards/{world.board.id}/threads/new", {"title": "标题", "kind": "poll", "body": "x"}
    )
    assert bad_kind.status_code == 400


def test_reply_and_redirect_to_the_new_post(world, login):
    client = login(world.trainee)
    response = client.form(f"/threads/{world.thread.id}/reply", {"body": "我的回复"})
    assert response.status_code == 302
    post = db.session.execute(db.select(Post).filter_by(body="我的回复")).scalar_one()
    assert response.headers["Location"].endswith(f"/threads/{world.thread.id}#post-{post.id}")
    assert "我的回复" in client.get(f"/threads/{world.thread.id}").get_data(as_text=True)


def test_reply_too_long_keeps_the_text(world, login, app):
    client = login(world.trainee)
    body = "长" * (app.config["FORUM_POST_MAX"] + 1)
    response = client.form(f"/threads/{world.thread.id}/reply", {"body": body})
    assert response.status_code == 400
    assert body in response.get_data(as_text=True)


def test_quote_prefills_the_reply_without_javascript(world, login, make_post):
    post = make_post(world.thread, world.teacher, "第一行\n\n第二行")
    html = login(world.trainee).get(f"/threads/{world.thread.id}?quote={post.id}").get_data(as_text=True)
    box = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert "&gt; 第一行\n&gt;\n&gt; 第二行" in box
    [reply_to] = re.findall(r'<input\b[^>]*\bname="reply_to"[^>]*>', html)
    assert 'type="hidden"' in reply_to and f'value="{post.id}"' in reply_to
    assert "#2" in html.split('id="replying-to"')[1][:300]  # "Replying to #2"


def test_reply_to_sets_in_reply_to(world, login, make_post):
    post = make_post(world.thread, world.teacher, "老师说")
    client = login(world.trainee)
    client.form(f"/threads/{world.thread.id}/reply", {"body": "回应老师", "reply_to": str(post.id)})
    reply = db.session.execute(db.select(Post).filter_by(body="回应老师")).scalar_one()
    assert reply.reply_to_id == post.id
    html = client.get(f"/threads/{world.thread.id}").get_data(as_text=True)
    assert f'href="/posts/{post.id}"' in html


def test_quote_of_a_post_of_another_thread_is_ignored(world, login, make_thread):
    other = make_thread(world.other_board, world.outsider, "别的话题", "秘密内容")
    html = login(world.trainee).get(f"/threads/{world.thread.id}?quote={other.id}").get_data(as_text=True)
    assert "秘密内容" not in html


def test_edit_own_post(world, login, make_post):
    post = make_post(world.thread, world.trainee, "原文")
    client = login(world.trainee)
    assert "原文" in client.get(f"/posts/{post.id}/edit").get_data(as_text=True)
    response = client.form(f"/posts/{post.id}/edit", {"body": "改过的"})
    assert response.status_code == 302
    assert _reload(post).body == "改过的"
    assert "改过的" in client.get(f"/threads/{world.thread.id}").get_data(as_text=True)


def test_edit_opening_post_changes_title(world, login):
    opening = db.session.execute(db.select(Post).filter_by(thread_id=world.thread.id, number=1)).scalar_one()
    client = login(world.trainee)
    response = client.form(f"/posts/{opening.id}/edit", {"title": "新标题", "body": "新正文"})
    assert response.status_code == 302
    assert _reload(world.thread).title == "新标题"


def test_edit_error_keeps_the_input(world, login, make_post, app):
    post = make_post(world.thread, world.trainee, "原文")
    body = "改" * (app.config["FORUM_POST_MAX"] + 1)
    response = login(world.trainee).form(f"/posts/{post.id}/edit", {"body": body})
    assert response.status_code == 400 and body in response.get_data(as_text=True)


def test_delete_own_post_is_soft(world, login, make_post):
    post = make_post(world.thread, world.trainee, "要删除的")
    client = login(world.trainee)
    response = client.form(f"/posts/{post.id}/delete")
    assert response.status_code == 302
    assert _reload(post).deleted_at is not None
    html = client.get(f"/threads/{world.thread.id}").get_data(as_text=True)
    assert "要删除的" not in html


def test_moderator_pins_locks_and_hides_a_thread(world, login):
    client = login(world.teacher)
    for action, field in (("pin", "pinned"), ("lock", "locked"), ("hide", "hidden")):
        response = client.form(f"/threads/{world.thread.id}/moderate", {"action": action, "reason": "原因"})
        assert response.status_code == 302
        assert getattr(_reload(world.thread), field) is True
    assert login(world.trainee).get(f"/threads/{world.thread.id}").status_code == 404
    client.form(f"/threads/{world.thread.id}/moderate", {"action": "unhide"})
    assert _reload(world.thread).hidden is False


def test_hidden_post_shows_reason_to_author_only(world, login, make_post, make_user):
    from forum.cohorts import services as cohort_services

    classmate = make_user("classmate", "trainee", "同学")
    cohort_services.add_membership(None, world.cohort, classmate, "trainee")
    post = make_post(world.thread, world.trainee, "不当言论")
    teacher = login(world.teacher)
    response = teacher.form(f"/posts/{post.id}/moderate", {"action": "hide", "reason": "偏离主题"})
    assert response.status_code == 302
    author_html = login(world.trainee).get(f"/threads/{world.thread.id}").get_data(as_text=True)
    assert "不当言论" in author_html and "偏离主题" in author_html
    assert "不当言论" not in login(classmate).get(f"/threads/{world.thread.id}").get_data(as_text=True)
    teacher_html = teacher.get(f"/threads/{world.thread.id}").get_data(as_text=True)
    assert "不当言论" in teacher_html and "is-hidden" in teacher_html
    teacher.form(f"/posts/{post.id}/moderate", {"action": "unhide"})
    assert "不当言论" in login(classmate).get(f"/threads/{world.thread.id}").get_data(as_text=True)


def test_locked_thread_disables_the_reply_form_for_trainees(world, login):
    from forum.threads import services

    services.moderate_thread(world.teacher, world.thread, locked=True)
    client = login(world.trainee)
    html = client.get(f"/threads/{world.thread.id}").get_data(as_text=True)
    assert 'id="reply-form"' not in html and "disabled" in html
    response = client.form(f"/threads/{world.thread.id}/reply", {"body": "还想说"})
    assert response.status_code == 403
    assert 'id="reply-form"' in login(world.teacher).get(f"/threads/{world.thread.id}").get_data(as_text=True)


def test_anonymous_reply_hides_the_author_from_classmates(world, login, make_user):
    from forum.cohorts import services as cohort_services

    classmate = make_user("classmate", "trainee", "同学")
    cohort_services.add_membership(None, world.cohort, classmate, "trainee")
    client = login(world.trainee)
    client.form(f"/threads/{world.thread.id}/reply", {"body": "匿名的看法", "anonymous": "y"})
    classmate_html = login(classmate).get(f"/threads/{world.thread.id}").get_data(as_text=True)
    article = classmate_html.split("匿名的看法")[0].split('<article class="post')[-1]
    assert "李学员" not in article and "trainee" not in article
    assert "匿名学员" in article
    teacher_html = login(world.teacher).get(f"/threads/{world.thread.id}").get_data(as_text=True)
    assert "李学员" in teacher_html.split("匿名的看法")[0].split('<article class="post')[-1]


def test_thread_pagination_and_post_redirect(world, login, make_post, app):
    app.config["FORUM_POSTS_PER_PAGE"] = 5
    posts = [make_post(world.thread, world.teacher, f"回复 {i:02d}") for i in range(12)]
    client = login(world.trainee)
    page1 = client.get(f"/threads/{world.thread.id}").get_data(as_text=True)
    assert "回复 03" in page1 and "回复 04" not in page1 and 'rel="next"' in page1
    page3 = client.get(f"/threads/{world.thread.id}?page=3").get_data(as_text=True)
    assert "回复 11" in page3
    # post 7 of the thread (the 6th reply, #7) stands on page 2
    response = client.get(f"/posts/{posts[5].id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/threads/{world.thread.id}?page=2#post-{posts[5].id}")
    # a page past the end shows the last page
    assert "回复 11" in client.get(f"/threads/{world.thread.id}?page=99").get_data(as_text=True)


def test_thread_page_queries_do_not_grow_with_posts(world, login, make_post, make_thread, app):
    small = make_thread(world.board, world.trainee, "五条")
    big = make_thread(world.board, world.trainee, "六十条")
    for thread, n in ((small, 5), (big, 60)):
        first = None
        for i in range(n - 1):
            author = (world.teacher, world.trainee, world.admin)[i % 3]
            post = make_post(thread, author, f"第 {i} 条", reply_to=first.id if first and i % 2 else None)
            first = first or post
    client = login(world.trainee)
    client.get(f"/threads/{small.id}")  # warm up (last-seen update, caches)
    small_queries = page_statements(client, f"/threads/{small.id}")
    big_queries = page_statements(client, f"/threads/{big.id}")
    big_last_page = page_statements(client, f"/threads/{big.id}?page=3")
    assert len(small_queries) == len(big_queries) == len(big_last_page), (small_queries, big_queries)
