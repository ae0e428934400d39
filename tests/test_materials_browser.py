"""In a real browser against the real gevent server (its in-process indexing worker):
upload two files at once with progress (static/js/upload.js), then find a word from
one of them on the search page, on its page, highlighted."""

import pytest
from data.material_samples import docx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.live]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def test_upload_several_files_then_search(world, live_server, chromium_path, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    first = tmp_path / "海绵城市讲义.docx"
    first.write_bytes(docx_bytes(["引言", "第二页：雨水花园与透水铺装"]))
    second = tmp_path / "notes.md"
    second.write_text("# 韧性城市\n\n防灾减灾的要点。", encoding="utf-8")
    server = live_server()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        page = browser.new_context(locale="zh-CN").new_page()
        page.set_default_timeout(20_000)
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            page.goto(f"{server.url}/login")
            page.fill("input[name=username]", world.teacher.username)
            page.fill("input[name=password]", "correct horse 1")
            page.locator("main form button[type=submit]").click()
            page.goto(f"{server.url}/materials/upload")
            page.select_option("select[name=cohort]", world.cohort.slug)
            page.set_input_files("input[type=file]", [str(first), str(second)])
            page.locator("form.upload-form button[type=submit]").click()
            expect(page.locator(".upload-item.is-done")).to_have_count(2)
            assert page.locator(".upload-item progress").evaluate_all("bars => bars.map(b => b.value)") == [
                100,
                100,
            ]
            # The worker thread indexes in the background: search until it is there.
            for _attempt in range(60):
                page.goto(f"{server.url}/search?q=透水铺装")
                if page.locator(".search-hit").count():
                    break
                page.wait_for_timeout(250)
            hit = page.locator(".search-hit").first
            expect(hit.locator("mark")).to_contain_text("透水铺装")
            hit.locator("a.hit-title").click()
            expect(page.locator("#page-2")).to_contain_text("雨水花园与透水铺装")
            assert errors == []
        finally:
            browser.close()
