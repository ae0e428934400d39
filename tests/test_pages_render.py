"""Every page renders for the people who may see it, in both languages."""

import pytest


@pytest.fixture
def app_overrides():
    """Search indexing waits in its queue (these tests are about pages, and stay fast)."""
    return {"FORUM_WORKER": "external"}


def test_home_lists_cohorts_and_latest_activity(world, login, make_cohort, make_board, make_thread):
    archived = make_cohort("old-2020", "往期研究班", members={world.trainee: "trainee"})
    from forum.cohorts import services

    services.update_cohort(None, archived, archived=True)
    client = login(world.trainee)
    html = client.get("/").get_data(as_text=True)
    assert "市长研究班" in html
    assert "往期研究班" in html and "archived-cohorts" in html
    assert "城市总体规划的实施" in html
    assert "Foreign Class" not in html


def test_cohort_page_shows_boards_with_counts(world, login, make_post):
    make_post(world.thread, world.teacher, "第一条回复")
    client = login(world.trainee)
    response = client.get("/cohorts/mayors-2026")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "案例讨论" in html
    assert "城市总体规划的实施" in html
    assert "/cohorts/mayors-2026/members" in html
    assert "/boards/new" not in html  # trainees cannot add boards
    teacher_html = login(world.teacher).get("/cohorts/mayors-2026").get_data(as_text=True)
    assert "/cohorts/mayors-2026/boards/new" in teacher_html
    assert f"/boards/{world.board.id}/edit" in teacher_html


def test_members_page(world, login):
    html = login(world.trainee).get("/cohorts/mayors-2026/members").get_data(as_text=True)
    assert "王老师" in html and "李学员" in html


def test_board_page_pins_first_and_paginates(world, login, make_thread, app):
    from forum.threads import services

    threads = [make_thread(world.board, world.teacher, f"话题 {i:02d}") for i in range(25)]
    services.moderate_thread(world.teacher, threads[0], pinned=True)
    client = login(world.trainee)
    html = client.get(f"/boards/{world.board.id}").get_data(as_text=True)
    assert html.index("话题 00") < html.index("话题 24") < html.index("话题 23")
    assert html.count('<span class="marker marker-pinned">已置顶</span>') == 1  # the one pinned thread
    assert 'rel="next"' in html
    page2 = client.get(f"/boards/{world.board.id}?page=2").get_data(as_text=True)
    assert "城市总体规划的实施" in page2 and "话题 24" not in page2
    assert "城市总体规划的实施" in client.get(f"/boards/{world.board.id}?page=9").get_data(as_text=True)


def test_thread_page_shows_posts_and_reply_form(world, login, make_post):
    reply = make_post(world.thread, world.teacher, "**老师**的回复")
    make_post(world.thread, world.trainee, "再回复", reply_to=reply.id)
    html = login(world.trainee).get(f"/threads/{world.thread.id}").get_data(as_text=True)
    assert "<strong>老师</strong>" in html
    assert f'id="post-{reply.id}"' in html
    assert f"/posts/{reply.id}" in html  # the "in reply to #2" link
    assert 'id="reply-form"' in html
    assert "badge-staff" in html


def test_new_thread_page_offers_anonymity_only_where_allowed(world, login):
    client = login(world.trainee)
    html = client.get(f"/boards/{world.board.id}/threads/new").get_data(as_text=True)
    assert 'name="anonymous"' in html and 'name="kind"' in html
    teacher_html = login(world.teacher).get(f"/boards/{world.board.id}/threads/new").get_data(as_text=True)
    assert 'name="anonymous"' not in teacher_html


@pytest.mark.parametrize("path", ["/", "/account", "/cohorts/mayors-2026", "/cohorts/mayors-2026/members"])
def test_pages_in_english_after_switching(world, login, path):
    client = login(world.trainee)
    client.form("/language", {"locale": "en", "next": path})
    assert b"Sign out" in client.get(path).data


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/users",
        "/admin/users/new",
        "/admin/users/import",
        "/admin/cohorts",
        "/admin/cohorts/new",
        "/admin/cohorts/mayors-2026/edit",
        "/admin/cohorts/mayors-2026/members",
    ],
)
def test_admin_pages_render(world, login, path):
    assert login(world.admin).get(path).status_code == 200


def test_account_page(world, login):
    html = login(world.trainee).get("/account").get_data(as_text=True)
    assert "trainee" in html and "市长研究班" in html


def test_archived_cohort_pages_are_read_only(world, login):
    from forum.cohorts import services

    services.update_cohort(None, world.cohort, archived=True)
    teacher = login(world.teacher)
    cohort_html = teacher.get("/cohorts/mayors-2026").get_data(as_text=True)
    assert "notice-archived" in cohort_html and "/boards/new" not in cohort_html
    board_html = teacher.get(f"/boards/{world.board.id}").get_data(as_text=True)
    assert "/threads/new" not in board_html
    thread_html = login(world.trainee).get(f"/threads/{world.thread.id}").get_data(as_text=True)
    assert 'id="reply-form"' not in thread_html and "disabled" in thread_html
    assert "/edit" not in thread_html.split('id="posts"')[1]
