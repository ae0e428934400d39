"""Live thread pages through a real gevent server and real python-socketio clients:
``subscribe``, per-viewer ``post_created``, the live ``notification`` count, catch-up
after a reconnect, and (in Chromium) a reply appearing on another user's open page."""

import pytest
import requests

from tests.rooms_support import close_all, connect, received_within, wait_for

pytestmark = pytest.mark.live


@pytest.fixture
def server(live_server):
    return live_server()


def _api(server, user, method, path, **kwargs):
    from forum.accounts.services import issue_token

    headers = {"Authorization": f"Bearer {issue_token(user)}"}
    return requests.request(method, server.url + path, headers=headers, timeout=30, **kwargs)


def _reply(server, user, thread_id, body, **extra):
    response = _api(server, user, "post", f"/api/v1/threads/{thread_id}/posts", json={"body": body, **extra})
    assert response.status_code == 201, response.text
    return response.json()


def _until(client, event, predicate):
    """Every ``event`` payload up to and including the first that matches."""
    seen = []
    wait_for(client, event, lambda data: seen.append(data) or predicate(data))
    return seen


def test_subscribe_acks_and_refusals(cls, server):
    trainee, outsider = connect(server, cls.trainee), connect(server, cls.outsider)
    try:
        assert trainee.call("subscribe", {"thread_id": cls.thread.id}) == {
            "ok": True,
            "thread_id": cls.thread.id,
        }
        for payload in (
            {"thread_id": 999999},
            {"thread_id": "1"},
            {},
            {"thread_id": True},
            "x",
            {"thread_id": cls.thread.id, "extra": 1},
            {"thread_id": 2**40},
        ):
            answer = trainee.call("subscribe", payload)
            assert set(answer) == {"error"} and answer["error"]["code"], payload
        # Someone of another cohort is refused as if the thread did not exist.
        refused = outsider.call("subscribe", {"thread_id": cls.thread.id})
        assert refused["error"]["code"] == "not_found"
    finally:
        close_all(trainee, outsider)


def test_new_post_reaches_subscribers_without_its_author(cls, server):
    classmate, teacher, outsider = (connect(server, u) for u in (cls.classmate, cls.teacher, cls.outsider))
    try:
        for client in (classmate, teacher):
            assert client.call("subscribe", {"thread_id": cls.thread.id})["ok"]
        post = _reply(server, cls.trainee, cls.thread.id, "Anonymous view.", anonymous=True)
        for client in (classmate, teacher):
            event = wait_for(client, "post_created", lambda e: e["id"] == post["id"])
            assert event["thread_id"] == cls.thread.id and event["url"] == f"/posts/{post['id']}"
            assert event["number"] == post["number"]
            # Nothing of the author travels with the event: the page fetches the post
            # rendered for its viewer.
            assert not {"author", "username", "display_name", "author_label"} & set(event)
            assert "trainee" not in str(event) and "李学员" not in str(event)
        assert received_within(outsider, "post_created", 0.5) == []
    finally:
        close_all(classmate, teacher, outsider)


def test_staff_notes_and_hidden_posts_reach_only_those_who_may_see_them(cls, server):
    classmate, teacher = connect(server, cls.classmate), connect(server, cls.teacher)
    try:
        for client in (classmate, teacher):
            assert client.call("subscribe", {"thread_id": cls.thread.id})["ok"]
        note = _api(
            server,
            cls.teacher,
            "post",
            f"/api/v1/threads/{cls.thread.id}/staff-notes",
            json={"body": "Staff only."},
        )
        assert note.status_code == 201, note.text
        note_id = note.json()["id"]
        assert wait_for(teacher, "post_created", lambda e: e["id"] == note_id)
        visible = _reply(server, cls.trainee, cls.thread.id, "For everyone.")
        ids = [e["id"] for e in _until(classmate, "post_created", lambda e: e["id"] == visible["id"])]
        assert ids == [visible["id"]]
    finally:
        close_all(classmate, teacher)


def test_notification_count_updates_live(cls, server):
    trainee = connect(server, cls.trainee)
    try:
        _reply(server, cls.classmate, cls.thread.id, "Replying to your thread, @trainee.")
        assert wait_for(trainee, "notification") == {"unread_count": 1}
        _reply(server, cls.teacher, cls.thread.id, "And me.")
        assert wait_for(trainee, "notification") == {"unread_count": 2}
        _api(server, cls.trainee, "post", "/api/v1/notifications/read", json={"all": True})
    finally:
        close_all(trainee)


def test_reconnecting_client_catches_up(cls, server):
    first = _reply(server, cls.classmate, cls.thread.id, "Before the cut.")
    note = _api(
        server, cls.teacher, "post", f"/api/v1/threads/{cls.thread.id}/staff-notes", json={"body": "Note."}
    )
    missed = [_reply(server, cls.classmate, cls.thread.id, f"While away {n}.") for n in range(2)]
    trainee = connect(server, cls.trainee)
    try:
        answer = trainee.call("subscribe", {"thread_id": cls.thread.id, "after": first["number"]})
        assert answer["ok"] is True and answer["more"] is False
        assert [p["id"] for p in answer["missed"]] == [p["id"] for p in missed]
        assert note.json()["id"] not in [p["id"] for p in answer["missed"]]
        assert trainee.call("subscribe", {"thread_id": cls.thread.id, "after": 10_000})["missed"] == []
        assert "error" in trainee.call("subscribe", {"thread_id": cls.thread.id, "after": -1})
    finally:
        close_all(trainee)


def test_two_processes_share_live_posts(cls, live_server, need_redis):
    channel = f"forum-test-{cls.thread.id}-{id(cls)}"
    one = live_server(FORUM_SERVE_REDIS_URL=need_redis, FORUM_SOCKETIO_CHANNEL=channel)
    two = live_server(FORUM_SERVE_REDIS_URL=need_redis, FORUM_SOCKETIO_CHANNEL=channel)
    classmate, outsider = connect(one, cls.classmate), connect(one, cls.outsider)
    try:
        assert classmate.call("subscribe", {"thread_id": cls.thread.id})["ok"]
        post = _reply(two, cls.trainee, cls.thread.id, "Written through the other process.")
        assert wait_for(classmate, "post_created", lambda e: e["id"] == post["id"])
        assert received_within(outsider, "post_created", 0.5) == []
    finally:
        close_all(classmate, outsider)


# --- in Chromium -------------------------------------------------------------------------------

BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _signed_in_page(browser, base, username):
    from conftest import PASSWORD

    context = browser.new_context()
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


@pytest.mark.browser
def test_reply_appears_on_the_other_open_page_with_a_badge(cls, live_server, chromium_path):
    from playwright.sync_api import expect, sync_playwright

    server = live_server(FORUM_SERVE_WORKER="external")
    url = f"{server.url}/threads/{cls.thread.id}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=BROWSER_ARGS)
        try:
            reader = _signed_in_page(browser, server.url, "trainee")  # the thread's author
            writer = _signed_in_page(browser, server.url, "classmate")
            reader.goto(url)
            writer.goto(url)
            expect(reader.locator("#notification-count")).to_have_class("count-badge is-empty")
            expect(reader.locator("#live-status")).not_to_be_empty()  # subscribed
            reader.evaluate("window.__sameDocument = true")

            writer.fill("#reply-form textarea[name=body]", "我来回答：先做调研，再定方案。")
            writer.click("#reply-form button[type=submit]")

            reader.locator(".post-body", has_text="先做调研，再定方案").wait_for(timeout=15_000)
            assert reader.evaluate("window.__sameDocument") is True  # no reload happened
            expect(reader.locator("#notification-count")).to_have_text("1", timeout=15_000)
            expect(reader.locator("#notification-count")).not_to_have_class("count-badge is-empty")
            assert reader.locator(".post-item.is-live .post-author .name").inner_text() == "张同学"
            for page in (reader, writer):
                assert not [e for e in page.errors if "Content Security Policy" in e or "Uncaught" in e], (
                    page.errors
                )
        finally:
            browser.close()


@pytest.mark.browser
def test_quote_a_selection_mention_and_react(cls, make_post, live_server, chromium_path):
    from playwright.sync_api import expect, sync_playwright

    post = make_post(cls.thread, cls.teacher, "第一句很重要。第二句不必引用。")
    server = live_server(FORUM_SERVE_WORKER="external")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=BROWSER_ARGS)
        try:
            page = _signed_in_page(browser, server.url, "classmate")
            page.goto(f"{server.url}/threads/{cls.thread.id}")
            # Select a passage of the teacher's post: a Quote button offers to quote it.
            page.evaluate(
                """(id) => {
                    const text = document.querySelector(`#post-${id} .post-body p`).firstChild;
                    const range = document.createRange();
                    range.setStart(text, 0);
                    range.setEnd(text, 7);
                    const selection = window.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                }""",
                post.id,
            )
            page.locator("button.quote-selection").click()
            box = page.locator("#reply-form textarea[name=body]")
            assert box.input_value().startswith("> 第一句很重要。\n")
            assert "第二句" not in box.input_value()
            assert page.locator("#reply-form input[name=reply_to]").input_value() == str(post.id)

            # @mention autocomplete from the cohort's members.
            box.press("End")
            box.type("@tea")
            option = page.locator(".mention-menu li[data-username=teacher]")
            option.wait_for()
            box.press("Enter")
            assert box.input_value().endswith("@teacher ")

            # Reactions count without leaving the page.
            agree = page.locator(f"#post-{post.id} button.reaction[data-kind=agree]")
            page.evaluate("window.__sameDocument = true")
            agree.click()
            expect(agree).to_have_attribute("aria-pressed", "true")
            expect(agree.locator("[data-count]")).to_have_text("1")
            assert page.evaluate("window.__sameDocument") is True
            assert not [e for e in page.errors if "Content Security Policy" in e or "Uncaught" in e], (
                page.errors
            )
        finally:
            browser.close()
