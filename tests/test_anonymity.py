"""Anonymous to classmates: a trainee cannot learn who wrote an anonymous post or thread
through any page, page source, API response, search result, notification or socket
event; the cohort's instructors can.

The heart of it is a crawl: every GET route of the application (pages and API), with
every id it takes filled in from a scene of anonymous posts, fetched as two classmates.
No response may show an anonymous text together with its author's name, username or id.
"""

import io
import json
import re

import pytest

HIDDEN_USERNAME = "hiddenauthor"
HIDDEN_NAME = "隐名作者"
MARK = "ANONMARK"
# Route parameters that are not ids of the scene (admin-only objects): skipped.
SKIP_PARAMS = {"word_id", "filename", "item_id", "mute_id"}


def _add(cohort, *users):
    from forum.cohorts.services import add_membership

    for user in users:
        add_membership(None, cohort, user, "trainee")


@pytest.fixture
def scene(world, make_user, make_thread, make_post, commit):
    """Anonymous posts by ``hiddenauthor`` everywhere they can leave a trace. Every feature
    is built for real: a renamed or missing service fails here instead of dropping its
    part of the crawl."""
    from forum.discussion.cases import assign_role
    from forum.discussion.services import set_mark
    from forum.engagement.services import set_reaction
    from forum.moderation.services import feature_post
    from forum.rooms.services import create_room
    from forum.threads import services as threads

    s = world
    s.hidden = make_user(HIDDEN_USERNAME, "trainee", HIDDEN_NAME)
    s.classmate = make_user("classmate", "trainee", "张同学")
    _add(s.cohort, s.hidden, s.classmate)
    s.material_id = _material(s)
    cite = f" See /materials/{s.material_id} ."

    # An anonymous question thread, a classmate's reply and an anonymous answer to it that
    # quotes it, mentions the classmate, cites a material, and is edited afterwards.
    s.anon_thread = threads.create_thread(
        s.hidden,
        s.board,
        f"{MARK} 匿名提问",
        f"{MARK} opening, @classmate please.",
        "question",
        anonymous=True,
    )
    s.classmate_reply = make_post(s.anon_thread, s.classmate, "A classmate's reply.")
    s.anon_reply = make_post(
        s.anon_thread,
        s.hidden,
        f"> A classmate's reply.\n\n{MARK} answer to @classmate.{cite}",
        reply_to=s.classmate_reply.id,
        anonymous=True,
    )
    threads.edit_post(s.hidden, s.anon_reply, s.anon_reply.body + f" {MARK} edited.")
    # An anonymous reply to the trainee's thread (a "reply to your post" notification).
    s.opening = threads.opening_post(s.thread)
    s.anon_in_thread = make_post(
        s.thread, s.hidden, f"{MARK} reply to the opening.", reply_to=s.opening.id, anonymous=True
    )
    # The classmate's question, answered anonymously: accepted, endorsed, featured, reacted to.
    s.question = make_thread(s.board, s.classmate, "开放式提问", "What now?", kind="question")
    s.answer = make_post(s.question, s.hidden, f"{MARK} anonymous answer.", anonymous=True)
    set_mark(s.classmate, s.answer, "accepted")
    set_mark(s.teacher, s.answer, "endorsed")
    feature_post(s.teacher, s.answer, True)
    set_reaction(s.classmate, s.answer, "agree")
    # A case with roles: the hidden author plays the mayor, and answers anonymously.
    s.case = make_thread(s.board, s.teacher, "角色扮演案例", "Play your role.", kind="case")
    assign_role(s.teacher, s.case, s.hidden, "市长")
    s.case_answer = make_post(s.case, s.hidden, f"{MARK} as someone in the case.", anonymous=True)
    # A live room opened from the anonymous thread.
    s.room = create_room(s.teacher, s.cohort, "Live", thread=s.anon_thread)
    s.posts = [threads.opening_post(s.anon_thread), s.anon_reply, s.anon_in_thread, s.answer, s.case_answer]
    s.threads = [s.anon_thread, s.thread, s.question, s.case]
    commit()
    return s


def _material(s):
    from forum.materials.services import upload_material

    material, _created = upload_material(
        None,
        io.BytesIO(b"Urban renewal notes.\n"),
        "notes.txt",
        title="城市更新讲义",
        cohort=s.cohort,
        course="城市更新",
    )
    s.course_id = material.course_id
    return material.id


# --- the crawl ------------------------------------------------------------------------------


def _values(s, viewer_notifications):
    return {
        "thread_id": [t.id for t in s.threads],
        "post_id": [p.id for p in s.posts],
        "board_id": [s.board.id],
        "slug": [s.cohort.slug],
        "username": [HIDDEN_USERNAME],
        "room_id": [s.room.id],
        "material_id": [s.material_id],
        "course_id": [s.course_id],
        "notification_id": viewer_notifications,
    }


SEARCHES = [
    MARK,
    HIDDEN_NAME,
    HIDDEN_USERNAME,
    f"author:{HIDDEN_USERNAME}",
    f"{MARK} author:{HIDDEN_USERNAME}",
    "匿名提问",
]


def _urls(app, values):
    """Every GET URL of the app with the scene's ids filled in (and searches for the
    anonymous text and the author's names)."""
    from itertools import product

    urls = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "api.openapi_json"):
            continue
        names = sorted(rule.arguments)
        if any(name in SKIP_PARAMS for name in names):
            continue
        unknown = [name for name in names if name not in values]
        assert not unknown, f"the anonymity crawl does not know how to fill {unknown} in {rule.rule}"
        for combo in product(*(values[name] for name in names)):
            with app.test_request_context():
                from flask import url_for

                url = url_for(rule.endpoint, **dict(zip(names, combo, strict=True)))
            urls.add(url)
            if rule.endpoint.endswith(("search", "similar_threads", "mention_candidates")):
                for q in SEARCHES:
                    urls.add(f"{url}?q={q}")
    return sorted(urls)


def _without_legitimate_names(url: str, text: str) -> str:
    """Drop what names the author for a reason unrelated to any post: the search words
    the viewer typed (echoed back), and a case's list of roles (who plays the mayor is
    public; the label is never shown on an anonymous post)."""
    from html import escape
    from urllib.parse import parse_qs, urlsplit

    for q in parse_qs(urlsplit(url).query).get("q", []):
        for form in {q, escape(q), escape(q, quote=False), json.dumps(q, ensure_ascii=False)[1:-1]}:
            text = text.replace(form, "")
    text = re.sub(r'<section class="case-roles".*?</section>', "", text, flags=re.S)
    try:
        data = json.loads(text)
    except ValueError:
        return text
    if isinstance(data, dict) and "roles" in data:
        data.pop("roles")
        return json.dumps(data, ensure_ascii=False)
    return text


def _leaks(text: str, hidden_id: int, url: str = "") -> list[str]:
    """What in one response ties the anonymous texts to their author."""
    text = _without_legitimate_names(url, text)
    if MARK not in text:
        return []
    found = [name for name in (HIDDEN_USERNAME, HIDDEN_NAME) if name in text]
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if data is not None:
        found += _json_ids(data, hidden_id)
    if re.search(rf'data-(author|user)[\w-]*="{hidden_id}"', text):
        found.append("data-author attribute")
    return found


def _json_ids(data, hidden_id, path="") -> list[str]:
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            if value == hidden_id and re.search(r"(author|user|actor|poster|editor|by)(_id)?$", key):
                found.append(f"{path}.{key}")
            found += _json_ids(value, hidden_id, f"{path}.{key}")
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _json_ids(value, hidden_id, f"{path}[{i}]")
    return found


def _notification_ids(user):
    from forum.engagement.models import Notification
    from forum.extensions import db

    return list(
        db.session.execute(db.select(Notification.id).where(Notification.user_id == user.id)).scalars()
    )


@pytest.mark.parametrize("viewer_name", ["classmate", "trainee"])
def test_no_page_or_api_response_names_an_anonymous_author(app, login, client, scene, viewer_name):
    from forum.accounts.services import issue_token

    viewer = getattr(scene, viewer_name)
    pages = login(viewer)
    token = issue_token(viewer)
    urls = _urls(app, _values(scene, _notification_ids(viewer)))
    assert len(urls) > 60
    # The probes that matter most are really in the crawl: searches and notifications.
    for needed in ("/search?q=", "/api/v1/search?q=", "/notifications", "/api/v1/notifications"):
        assert any(url.startswith(needed) for url in urls), f"the crawl has no {needed}"
    problems, marked = [], 0
    for url in urls:
        if url.startswith("/api/"):
            response = client.open(url, headers={"Authorization": f"Bearer {token}"})
        else:
            response = pages.get(url)
        assert response.status_code < 500, (url, response.status_code)
        text = response.get_data().decode("utf-8", "replace")  # downloads are bytes
        marked += MARK in _without_legitimate_names(url, text)
        leaks = _leaks(text, scene.hidden.id, url)
        if leaks:
            problems.append((url, leaks))
    assert not problems
    assert marked > 20  # the anonymous texts were really seen, in many places


def test_instructors_see_the_author(client, login, scene):
    page = login(scene.teacher).get(f"/threads/{scene.anon_thread.id}").get_data(as_text=True)
    assert MARK in page and HIDDEN_NAME in page
    data = client.api("get", f"/api/v1/posts/{scene.anon_reply.id}", user=scene.teacher).get_json()
    assert data["author"]["username"] == HIDDEN_USERNAME
    assert data["edited_by"]["username"] == HIDDEN_USERNAME


def test_trainee_views_show_anonymous_trainee(client, login, scene):
    data = client.api("get", f"/api/v1/posts/{scene.anon_reply.id}", user=scene.classmate).get_json()
    assert data["author"] is None and data["edited_by"] is None and data["author_label"]
    thread = client.api("get", f"/api/v1/threads/{scene.anon_thread.id}", user=scene.classmate).get_json()
    assert thread["author"] is None and thread["last_poster"] is None
    listing = client.api("get", f"/api/v1/boards/{scene.board.id}/threads", user=scene.classmate).get_json()
    row = next(t for t in listing["items"] if t["id"] == scene.anon_thread.id)
    assert row["author"] is None


def test_role_label_not_shown_on_anonymous_posts(client, login, scene):
    page = login(scene.classmate).get(f"/threads/{scene.case.id}").get_data(as_text=True)
    article = re.search(rf'<article[^>]*id="post-{scene.case_answer.id}".*?</article>', page, re.S).group(0)
    assert MARK in article and "市长" not in article and HIDDEN_NAME not in article
    data = client.api("get", f"/api/v1/posts/{scene.case_answer.id}", user=scene.classmate).get_json()
    assert data["role"] is None
    staff = client.api("get", f"/api/v1/posts/{scene.case_answer.id}", user=scene.teacher).get_json()
    assert staff["role"] == "市长"


def test_search_finds_anonymous_posts_without_their_author(client, scene):
    response = client.api("get", f"/api/v1/search?q={MARK}", user=scene.classmate)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    data = response.get_json()
    assert data["total"] >= 3
    assert not _leaks(json.dumps(data, ensure_ascii=False), scene.hidden.id)
    for q in (f"author:{HIDDEN_USERNAME}", HIDDEN_NAME):
        response = client.api("get", f"/api/v1/search?q={q}", user=scene.classmate)
        assert response.status_code == 200, (q, response.get_data(as_text=True)[:300])
        assert "total" in response.get_json()
        assert MARK not in response.get_data(as_text=True), q


def test_notifications_do_not_name_the_anonymous_author(client, scene):
    response = client.api("get", "/api/v1/notifications", user=scene.classmate)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    items = response.get_json()["items"]
    assert items, "the mention and the reply should have notified the classmate"
    text = json.dumps(items, ensure_ascii=False)
    assert HIDDEN_USERNAME not in text and HIDDEN_NAME not in text
    assert not _json_ids(items, scene.hidden.id)


# --- socket events ------------------------------------------------------------------------------


@pytest.mark.live
def test_socket_events_do_not_name_the_anonymous_author(app, login, live_server, scene):
    import socketio

    from forum.accounts.services import issue_token

    server = live_server()
    listener = socketio.SimpleClient()
    listener.connect(
        server.url,
        namespace="/live",
        transports=["websocket"],
        auth={"token": issue_token(scene.classmate)},
        wait_timeout=5,
    )
    try:
        ack = listener.call("subscribe", {"thread_id": scene.anon_thread.id}, timeout=10)
        assert isinstance(ack, dict) and ack.get("ok") is True, ack
        import requests

        response = requests.post(
            f"{server.url}/api/v1/threads/{scene.anon_thread.id}/posts",
            headers={"Authorization": f"Bearer {issue_token(scene.hidden)}"},
            json={"body": f"{MARK} live, @classmate.", "anonymous": True},
            timeout=10,
        )
        assert response.status_code == 201, response.text
        new_id = response.json()["id"]
        events = _collect(
            listener, socketio, until=lambda seen: {"post_created", "notification"} <= set(seen)
        )
    finally:
        listener.disconnect()
    names = [name for name, _payload in events]
    assert "post_created" in names and "notification" in names
    dumped = json.dumps(events, ensure_ascii=False)
    assert HIDDEN_USERNAME not in dumped and HIDDEN_NAME not in dumped
    assert not _json_ids([payload for _name, payload in events], scene.hidden.id)
    created = next(payload for name, payload in events if name == "post_created")
    assert created["id"] == new_id
    # What the page fetches to show the new post, as that classmate.
    html_url = created.get("html_url") or created["url"]
    response = login(scene.classmate).get(html_url, follow_redirects=True)
    assert response.status_code == 200, (html_url, response.status_code)
    text = response.get_data(as_text=True)
    assert MARK in text and not _leaks(text, scene.hidden.id)


def _collect(listener, socketio, until, timeout=10.0):
    import time

    events, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            name, *args = listener.receive(timeout=max(0.1, deadline - time.monotonic()))
        except socketio.exceptions.TimeoutError:
            break
        events.append((name, args[0] if args else None))
        if until([n for n, _p in events]):
            break
    return events
