"""Replying extras and reading state through the JSON API: reactions, revisions, read
state, watch settings, @mention candidates, similar threads, the OpenAPI document."""

from tests.api_support import reply as _reply


def _opening_id(client, user, thread_id):
    return client.api("get", f"/api/v1/threads/{thread_id}/posts", user=user).get_json()["items"][0]["id"]


# --- reactions ---------------------------------------------------------------------------------


def test_reactions_count_and_toggle(client, cls):
    post = _reply(client, cls.trainee, cls.thread.id, "A point worth agreeing with.")
    url = f"/api/v1/posts/{post['id']}/reactions"
    assert client.api("put", f"{url}/agree", user=cls.classmate).get_json()["counts"] == {"agree": 1}
    # Repeating a reaction changes nothing; another person adds to the count.
    assert client.api("put", f"{url}/agree", user=cls.classmate).get_json()["counts"] == {"agree": 1}
    both = client.api("put", f"{url}/agree", user=cls.teacher).get_json()
    assert both["counts"] == {"agree": 2} and both["mine"] == ["agree"]
    client.api("put", f"{url}/thanks", user=cls.teacher)
    seen = client.api("get", url, user=cls.classmate).get_json()
    assert seen["counts"] == {"agree": 2, "thanks": 1} and seen["mine"] == ["agree"]
    # Taking a reaction back.
    after = client.api("delete", f"{url}/agree", user=cls.classmate).get_json()
    assert after["counts"] == {"agree": 1, "thanks": 1} and after["mine"] == []


def test_reaction_refusals(client, cls):
    post = _reply(client, cls.trainee, cls.thread.id)
    url = f"/api/v1/posts/{post['id']}/reactions"
    own = client.api("put", f"{url}/agree", user=cls.trainee)
    assert own.status_code == 403 and own.get_json()["error"]["code"] == "own_post"
    bad = client.api("put", f"{url}/love", user=cls.classmate)
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "kind"
    assert client.api("put", f"{url}/{'x' * 40}", user=cls.classmate).status_code == 404
    # Someone of another cohort does not learn the post exists.
    assert client.api("put", f"{url}/agree", user=cls.outsider).status_code == 404
    assert client.api("get", url, user=cls.outsider).status_code == 404
    assert client.api("get", url).status_code == 401


def test_no_reactions_in_an_archived_cohort(client, cls):
    from forum.cohorts.services import update_cohort

    post = _reply(client, cls.trainee, cls.thread.id)
    update_cohort(None, cls.cohort, archived=True)
    response = client.api("put", f"/api/v1/posts/{post['id']}/reactions/agree", user=cls.classmate)
    assert response.status_code == 403


# --- revisions ---------------------------------------------------------------------------------


def test_edit_keeps_revisions_for_author_and_staff(client, cls):
    post = _reply(client, cls.trainee, cls.thread.id, "First text.")
    url = f"/api/v1/posts/{post['id']}"
    assert client.api("patch", url, user=cls.trainee, json={"body": "Second text."}).status_code == 200
    assert (
        client.api("patch", url, user=cls.teacher, json={"body": "Third text, fixed by staff."}).status_code
        == 200
    )

    history = client.api("get", f"{url}/revisions", user=cls.teacher).get_json()["items"]
    assert [v["body"] for v in history] == ["Third text, fixed by staff.", "Second text.", "First text."]
    assert [v["editor"]["username"] for v in history] == ["teacher", "trainee", "trainee"]
    assert history[0]["current"] and not history[1]["current"]
    # The author sees them too; a classmate does not.
    assert len(client.api("get", f"{url}/revisions", user=cls.trainee).get_json()["items"]) == 3
    assert client.api("get", f"{url}/revisions", user=cls.classmate).status_code == 403
    assert client.api("get", f"{url}/revisions", user=cls.outsider).status_code == 404


def test_hiding_a_post_is_not_a_revision(client, cls):
    post = _reply(client, cls.trainee, cls.thread.id, "Text.")
    client.api(
        "patch", f"/api/v1/posts/{post['id']}", user=cls.teacher, json={"hidden": True, "reason": "Off topic"}
    )
    history = client.api("get", f"/api/v1/posts/{post['id']}/revisions", user=cls.teacher).get_json()["items"]
    assert len(history) == 1 and history[0]["current"]


# --- reading state --------------------------------------------------------------------------------


def test_read_state_unread_and_mark(client, cls):
    tid = cls.thread.id
    state = client.api("get", f"/api/v1/threads/{tid}/read-state", user=cls.classmate).get_json()
    assert state["last_read_number"] == 0 and state["unread"] == 1 and state["new"] is True
    for n in range(3):
        _reply(client, cls.trainee, tid, f"Reply {n}.")
    state = client.api("get", f"/api/v1/threads/{tid}/read-state", user=cls.classmate).get_json()
    assert state["unread"] == 4 and state["first_unread_number"] == 1
    marked = client.api(
        "put", f"/api/v1/threads/{tid}/read-state", user=cls.classmate, json={"last_read_number": 2}
    )
    assert marked.get_json()["unread"] == 2 and marked.get_json()["first_unread_number"] == 3
    # Never backwards.
    client.api("put", f"/api/v1/threads/{tid}/read-state", user=cls.classmate, json={"last_read_number": 1})
    assert (
        client.api("get", f"/api/v1/threads/{tid}/read-state", user=cls.classmate).get_json()[
            "last_read_number"
        ]
        == 2
    )
    # The author's own replies are read by posting them.
    assert client.api("get", f"/api/v1/threads/{tid}/read-state", user=cls.trainee).get_json()["unread"] == 0
    bad = client.api(
        "put", f"/api/v1/threads/{tid}/read-state", user=cls.classmate, json={"last_read_number": "x"}
    )
    assert bad.status_code == 400


def test_board_unread_counts_and_mark_board_read(client, cls, make_thread):
    make_thread(cls.board, cls.trainee, "Another thread")
    url = f"/api/v1/boards/{cls.board.id}/read-state"
    assert client.api("get", url, user=cls.classmate).get_json()["unread_threads"] == 2
    assert client.api("get", url, user=cls.trainee).get_json()["unread_threads"] == 0
    assert client.api("post", url, user=cls.classmate).get_json()["marked"] == 2
    assert client.api("get", url, user=cls.classmate).get_json()["unread_threads"] == 0
    _reply(client, cls.trainee, cls.thread.id)
    assert client.api("get", url, user=cls.classmate).get_json()["unread_threads"] == 1
    assert client.api("get", url, user=cls.outsider).status_code == 404


def test_hidden_and_private_threads_do_not_count_as_unread(client, cls, make_thread):
    from forum.threads.services import moderate_thread

    thread = make_thread(cls.board, cls.teacher, "Staff only for now")
    moderate_thread(cls.teacher, thread, hidden=True)
    url = f"/api/v1/boards/{cls.board.id}/read-state"
    assert client.api("get", url, user=cls.classmate).get_json()["unread_threads"] == 1
    assert client.api("get", url, user=cls.admin).get_json()["unread_threads"] == 2
    private = client.api(
        "post",
        f"/api/v1/boards/{cls.board.id}/threads",
        user=cls.trainee,
        json={
            "title": "A private question",
            "body": "Only staff please.",
            "kind": "question",
            "private": True,
        },
    )
    if private.status_code == 201 and private.get_json().get("private", True):
        assert client.api("get", url, user=cls.classmate).get_json()["unread_threads"] == 1


# --- watch settings ---------------------------------------------------------------------------------


def test_watch_levels_for_threads_and_boards(client, cls):
    turl = f"/api/v1/threads/{cls.thread.id}/watch"
    assert client.api("get", turl, user=cls.classmate).get_json() == {
        "thread_id": cls.thread.id,
        "level": "normal",
    }
    assert client.api("put", turl, user=cls.classmate, json={"level": "watch"}).get_json()["level"] == "watch"
    assert client.api("get", turl, user=cls.classmate).get_json()["level"] == "watch"
    assert client.api("put", turl, user=cls.classmate, json={"level": "loud"}).status_code == 400
    assert client.api("put", turl, user=cls.classmate, json={}).status_code == 400
    assert client.api("put", turl, user=cls.outsider, json={"level": "watch"}).status_code == 404
    burl = f"/api/v1/boards/{cls.board.id}/watch"
    assert client.api("put", burl, user=cls.classmate, json={"level": "mute"}).get_json()["level"] == "mute"
    assert client.api("get", burl, user=cls.classmate).get_json()["level"] == "mute"
    assert (
        client.api("put", burl, user=cls.classmate, json={"level": "normal"}).get_json()["level"] == "normal"
    )


# --- composing: mentions and similar threads ------------------------------------------------------


def test_mention_candidates_are_cohort_members(client, cls):
    url = f"/api/v1/cohorts/{cls.cohort.slug}/mentions"
    names = [p["username"] for p in client.api("get", f"{url}?q=cl", user=cls.trainee).get_json()["items"]]
    assert names == ["classmate"]
    # Display names match too; @ is ignored; people of other cohorts never appear.
    found = client.api("get", f"{url}?q=@张", user=cls.trainee).get_json()["items"]
    assert [p["username"] for p in found] == ["classmate"]
    everyone = {p["username"] for p in client.api("get", url, user=cls.trainee).get_json()["items"]}
    assert everyone == {"teacher", "trainee", "classmate"}
    assert client.api("get", f"{url}?q=out", user=cls.trainee).get_json()["items"] == []
    assert client.api("get", f"{url}?q=%25", user=cls.trainee).get_json()["items"] == []
    assert client.api("get", f"{url}?q=cl", user=cls.outsider).status_code == 404
    assert client.api("get", f"{url}?q={'x' * 65}", user=cls.trainee).status_code == 400


def test_mentions_render_as_links(client, cls):
    post = _reply(client, cls.classmate, cls.thread.id, "Ask @trainee, or @nobody, but not `@teacher`.")
    html = post["body_html"]
    assert (
        '<a href="/members/trainee" class="mention"' in html
        or 'class="mention" href="/members/trainee"' in html
    )
    assert "@nobody" in html and "/members/nobody" not in html
    assert "<code>@teacher</code>" in html


def test_similar_threads_while_composing(client, cls, make_thread):
    make_thread(cls.board, cls.teacher, "城市更新中的历史街区保护")
    make_thread(cls.other_board, cls.outsider, "城市更新的国际经验")
    found = client.api("get", "/api/v1/similar-threads?title=历史街区怎么保护", user=cls.classmate).get_json()
    titles = [t["title"] for t in found["items"]]
    assert titles == ["城市更新中的历史街区保护"]
    assert found["items"][0]["url"].startswith("/threads/")
    # Another cohort's thread is not offered (the outsider sees only their own).
    seen = client.api("get", "/api/v1/similar-threads?title=城市更新", user=cls.outsider).get_json()["items"]
    assert [t["title"] for t in seen] == ["城市更新的国际经验"]
    assert client.api("get", "/api/v1/similar-threads?title=x", user=cls.classmate).get_json()["items"] == []
    assert (
        client.api("get", f"/api/v1/similar-threads?title={'长' * 201}", user=cls.classmate).status_code
        == 400
    )


def test_openapi_documents_engagement(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/posts/{post_id}/reactions/{kind}",
        "/api/v1/posts/{post_id}/revisions",
        "/api/v1/threads/{thread_id}/read-state",
        "/api/v1/boards/{board_id}/read-state",
        "/api/v1/notifications",
        "/api/v1/notifications/read",
        "/api/v1/threads/{thread_id}/watch",
        "/api/v1/boards/{board_id}/watch",
        "/api/v1/cohorts/{slug}/mentions",
        "/api/v1/similar-threads",
    ):
        assert path in paths, path
        for operation in paths[path].values():
            if isinstance(operation, dict) and "responses" in operation:
                assert "401" in operation["responses"]


def test_answer_first_replies_count_as_unread_only_once_readable(client, cls, make_thread):
    """Replies a trainee may not read yet (answer before you see) are not "unread" for
    them: no count on the board or thread, no jump target; after answering, they are."""
    from forum.discussion.services import update_thread_settings

    case = make_thread(cls.board, cls.teacher, "案例：旧城改造", "Discuss.", "case")
    update_thread_settings(cls.teacher, case, answer_first=True)
    tid = case.id
    client.api("post", f"/api/v1/boards/{cls.board.id}/read-state", user=cls.classmate)
    client.api("put", f"/api/v1/threads/{tid}/read-state", user=cls.classmate, json={"last_read_number": 1})
    _reply(client, cls.trainee, tid, "A classmate's reply.")
    _reply(client, cls.teacher, tid, "An instructor's reply.")
    board_url = f"/api/v1/boards/{cls.board.id}/read-state"
    state = client.api("get", f"/api/v1/threads/{tid}/read-state", user=cls.classmate).get_json()
    assert state["unread"] == 0 and state["first_unread_number"] is None
    assert client.api("get", board_url, user=cls.classmate).get_json()["unread_threads"] == 0
    _reply(client, cls.classmate, tid, "My own answer first.")  # read up to here by posting it
    _reply(client, cls.trainee, tid, "A reply after mine.")
    state = client.api("get", f"/api/v1/threads/{tid}/read-state", user=cls.classmate).get_json()
    assert state["unread"] == 1 and state["first_unread_number"] == 5
    assert client.api("get", board_url, user=cls.classmate).get_json()["unread_threads"] == 1
