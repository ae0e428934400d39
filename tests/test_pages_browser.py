"""The thread page's script in a real browser: a draft survives a reload, quoting fills
the reply box, posting clears the draft; confirmation before deleting."""

import pytest
from conftest import PASSWORD

pytestmark = pytest.mark.browser

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
    """Search indexing waits in its queue (these tests are about pages)."""
    return {"FORUM_WORKER": "external"}


@pytest.fixture
def browser_page(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
        page = context.new_page()
        errors = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.errors = errors
        yield page
        browser.close()


def _sign_in(page, base, username):
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_draft_quote_and_reply(world, make_post, live_server, browser_page):
    teacher_post = make_post(world.thread, world.teacher, "老师的观点：先调研。\n\n第二段。")
    server = live_server(FORUM_SERVE_WORKER="external")
    page = browser_page
    _sign_in(page, server.url, "trainee")
    page.goto(f"{server.url}/threads/{world.thread.id}")
    box = page.locator("#reply-form textarea[name=body]")
    box.fill("我的草稿，还没写完")
    page.reload()
    assert page.locator("#reply-form textarea[name=body]").input_value() == "我的草稿，还没写完"
    assert page.locator("#draft-status").inner_text() != ""

    page.click(f'a[data-quote="{teacher_post.id}"]')
    value = page.locator("#reply-form textarea[name=body]").input_value()
    assert value.startswith("我的草稿，还没写完\n\n> 老师的观点：先调研。")
    assert page.locator("#reply-form input[name=reply_to]").input_value() == str(teacher_post.id)
    assert "#2" in page.locator("#replying-to").inner_text()

    page.locator("#reply-form textarea[name=body]").press("End")
    page.locator("#reply-form textarea[name=body]").type("我同意。")
    page.click("#reply-form button[type=submit]")
    page.wait_for_selector("text=我同意。")
    assert page.locator(".post .in-reply-to").count() >= 1
    page.reload()
    assert page.locator("#reply-form textarea[name=body]").input_value() == ""
    assert not [e for e in page.errors if "Content Security Policy" in e or "Uncaught" in e], page.errors


def test_delete_asks_for_confirmation(world, make_post, live_server, browser_page):
    mine = make_post(world.thread, world.trainee, "可能要删掉的回复")
    server = live_server(FORUM_SERVE_WORKER="external")
    page = browser_page
    _sign_in(page, server.url, "trainee")
    page.goto(f"{server.url}/threads/{world.thread.id}")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click(f"#post-{mine.id} form[data-confirm] button")
    assert page.locator(f"#post-{mine.id} .post-body").inner_text().strip() == "可能要删掉的回复"
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"#post-{mine.id} form[data-confirm] button")
    page.wait_for_selector(f"#post-{mine.id} .post-deleted")
