"""Moderation and the participation report in a real browser: an instructor works the
report queue and the author reads the reason; the report's table sorts by a column."""

import pytest
from conftest import PASSWORD

# A real server and Chromium: generous time on a loaded machine (the steps wait for pages,
# never for a fixed time).
pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture
def app_overrides():
    return {"FORUM_WORKER": "external"}


@pytest.fixture
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        yield browser
        browser.close()


def _page(browser):
    page = browser.new_context().new_page()
    errors = []
    # Script errors of the page itself (network noise from other features' sockets aside).
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    return page


def _sign_in(page, base, username):
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_instructor_hides_a_reported_post_and_the_author_sees_why(
    world, make_post, make_user, live_server, browser
):
    from forum.cohorts.services import add_membership

    classmate = make_user("classmate", "trainee", "王同学")
    add_membership(None, world.cohort, classmate, "trainee")
    post = make_post(world.thread, world.trainee, "这条回复有点过分")
    server = live_server(FORUM_SERVE_WORKER="external")

    reporter = _page(browser)
    _sign_in(reporter, server.url, "classmate")
    reporter.goto(f"{server.url}/threads/{world.thread.id}")
    reporter.locator(f"#post-{post.id} a[href$='/posts/{post.id}/report']").click()
    reporter.fill("textarea[name=reason]", "语气不友善")
    reporter.click("form.form button[type=submit]")
    reporter.wait_for_url(f"{server.url}/threads/{world.thread.id}*")

    teacher = _page(browser)
    _sign_in(teacher, server.url, "teacher")
    teacher.goto(f"{server.url}/cohorts/{world.cohort.slug}/queue")
    entry = teacher.locator(".queue-item").filter(has_text="语气不友善")
    assert entry.count() == 1 and "这条回复有点过分" in entry.inner_text()
    entry.locator("textarea[name=reason]").fill("请保持文明讨论")
    entry.locator("button[value=hide]").click()
    teacher.wait_for_load_state()
    assert teacher.locator(".queue-item").count() == 0

    author = _page(browser)
    _sign_in(author, server.url, "trainee")
    author.goto(f"{server.url}/threads/{world.thread.id}")
    hidden = author.locator(f"#post-{post.id}")
    assert "请保持文明讨论" in hidden.inner_text()
    # The reporter (a classmate) no longer sees the post.
    reporter.reload()
    assert reporter.locator(f"#post-{post.id}").count() == 0
    assert reporter.errors == teacher.errors == author.errors == []


def test_participation_table_sorts_by_column(world, make_user, make_post, live_server, browser):
    from forum.cohorts.services import add_membership

    for name, replies in (("aaa", 1), ("bbb", 3), ("ccc", 2)):
        user = make_user(name, "trainee")
        add_membership(None, world.cohort, user, "trainee")
        for i in range(replies):
            make_post(world.thread, user, f"{name} {i}")
    server = live_server(FORUM_SERVE_WORKER="external")
    page = _page(browser)
    _sign_in(page, server.url, "teacher")
    page.goto(f"{server.url}/cohorts/{world.cohort.slug}/participation")

    def order():
        return page.locator("#trainee-table tbody tr").evaluate_all(
            "rows => rows.map(r => r.dataset.username)"
        )

    assert order() == ["aaa", "bbb", "ccc", "trainee"]
    header = page.locator("#trainee-table th").nth(3)  # replies
    header.locator("button").click()
    assert order()[:3] == ["bbb", "ccc", "aaa"] and header.get_attribute("aria-sort") == "descending"
    header.locator("button").click()
    assert order()[-3:] == ["aaa", "ccc", "bbb"] and header.get_attribute("aria-sort") == "ascending"
    assert page.errors == []
