"""In a real browser (Debian's Chromium through Playwright) against the real gevent server:
sign in, open a cohort, start a thread, reply, see both posts, switch language."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.live]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture
def browser_page(chromium_path):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20_000)
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        yield page, errors
        context.close()
        browser.close()


def test_sign_in_post_reply_and_switch_language(world, live_server, browser_page):
    from playwright.sync_api import expect

    page, errors = browser_page
    server = live_server()

    page.goto(f"{server.url}/login")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.fill("input[name=username]", world.trainee.username)
    page.fill("input[name=password]", "correct horse 1")
    page.locator("main form button[type=submit]").click()

    # Home lists my cohort; open it, then its board.
    page.get_by_role("link", name=world.cohort.name).first.click()
    expect(page.get_by_role("link", name=world.board.name).first).to_be_visible()
    page.get_by_role("link", name=world.board.name).first.click()
    page.locator(f"a[href$='/boards/{world.board.id}/threads/new']").first.click()

    title = "海绵城市建设的运维资金从哪里来？"
    page.fill("input[name=title]", title)
    page.select_option("select[name=kind]", "question")
    page.fill("textarea[name=body]", "试点结束后，**养护资金**没有固定来源。各地怎么做？")
    page.locator("#new-thread-form button[type=submit]").click()

    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.locator(".post-body strong", has_text="养护资金")).to_be_visible()

    page.fill("#reply-form textarea[name=body]", "我市把养护费纳入市政养护定额，由区级财政列支。")
    page.locator("#reply-form button[type=submit]").click()

    bodies = page.locator(".post-body")
    expect(bodies.filter(has_text="养护资金")).to_have_count(1)
    expect(bodies.filter(has_text="纳入市政养护定额")).to_have_count(1)
    expect(page.locator("#reply-form button[type=submit]")).to_have_text("发表回复")

    # Switch to English: same thread, English interface, both posts still there.
    page.locator(".language-switch button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#reply-form button[type=submit]")).to_have_text("Post reply")
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(bodies.filter(has_text="纳入市政养护定额")).to_have_count(1)

    # Remembered on the account: a fresh browser context signs in to English pages.
    # Leave the thread page first: its live connection could otherwise answer after the
    # cookies are cleared and set the session cookie again.
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto(f"{server.url}/login")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.fill("input[name=username]", world.trainee.username)
    page.fill("input[name=password]", "correct horse 1")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    assert not errors, errors
