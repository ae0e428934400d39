"""The room page in Chromium: two people talk; one tablet drops off the network while
the other keeps talking, comes back, and shows every message once, in order."""

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.live]

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _sign_in(browser, server, user, path):
    context = browser.new_context(viewport={"width": 1024, "height": 768}, is_mobile=False)  # a tablet
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click('form[action="/login"] button[type=submit]')
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(f"{server.url}{path}")
    return context, page


def _say(page, text):
    page.fill("#room-input", text)
    page.press("#room-input", "Enter")


def _texts(page):
    return page.eval_on_selector_all(
        "#room-messages .room-message .room-body", "els => els.map(e => e.textContent.trim())"
    )


def _ids(page):
    return page.eval_on_selector_all("#room-messages .room-message", "els => els.map(e => +e.dataset.id)")


def test_two_people_talk_and_an_offline_tablet_catches_up(world, live_server, chromium_path):
    from playwright.sync_api import expect, sync_playwright

    from forum.extensions import db
    from forum.rooms.services import create_room

    room = create_room(world.teacher, world.cohort, "Live case session", world.thread)
    db.session.commit()
    server = live_server()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        try:
            teacher_ctx, teacher = _sign_in(browser, server, world.teacher, f"/rooms/{room.id}")
            trainee_ctx, trainee = _sign_in(browser, server, world.trainee, f"/rooms/{room.id}")
            for page in (teacher, trainee):  # both joined: each sees the other
                expect(page.locator("#room-presence li")).to_have_count(2, timeout=15000)

            _say(teacher, "one")
            expect(trainee.locator("#room-messages .room-body")).to_have_text(["one"], timeout=10000)
            _say(trainee, "reply from the tablet")
            expect(teacher.locator("#room-messages .room-body")).to_have_text(
                ["one", "reply from the tablet"], timeout=10000
            )
            expect(teacher.locator("#room-typing")).to_have_text("", timeout=10000)

            trainee_ctx.set_offline(True)
            expect(trainee.locator("#room-banner")).to_be_visible(timeout=10000)
            for text in ("two", "three", "four"):
                _say(teacher, text)
            expect(teacher.locator("#room-messages .room-body")).to_have_count(5, timeout=10000)
            _say(trainee, "written while offline")  # waits in the pending list
            expect(trainee.locator("#room-pending .room-message")).to_have_count(1)

            trainee_ctx.set_offline(False)
            expected = ["one", "reply from the tablet", "two", "three", "four", "written while offline"]
            expect(trainee.locator("#room-messages .room-body")).to_have_text(expected, timeout=20000)
            expect(teacher.locator("#room-messages .room-body")).to_have_text(expected, timeout=10000)
            expect(trainee.locator("#room-pending .room-message")).to_have_count(0)
            expect(trainee.locator("#room-banner")).to_be_hidden()
            for page in (teacher, trainee):
                ids = _ids(page)
                assert ids == sorted(ids) and len(set(ids)) == len(ids) == 6
                assert _texts(page) == expected

            # A reply shows the message it answers.
            trainee.locator("#room-messages .room-message").nth(3).locator("[data-action=reply]").click()
            expect(trainee.locator("#room-replying")).to_be_visible()
            _say(trainee, "about three")
            quote = teacher.locator("#room-messages .room-message").last.locator(".room-quote")
            expect(quote).to_contain_text("three", timeout=10000)
            teacher_ctx.close()
            trainee_ctx.close()
        finally:
            browser.close()

    from forum.rooms.models import RoomMessage

    assert [m.body for m in RoomMessage.query.order_by(RoomMessage.id)] == [
        "one",
        "reply from the tablet",
        "two",
        "three",
        "four",
        "written while offline",
        "about three",
    ]
