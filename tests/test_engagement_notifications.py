"""Notifications: who hears of what (mentions, replies, quotes, watched threads and
boards, accepted answers, announcements), mute, and the two guarantees: no anonymous
author named to a trainee, nobody told of content they may not see."""

from tests.api_support import reply as _reply


def _thread(client, user, board, title="A thread", body="Opening.", **extra):
    response = client.api(
        "post", f"/api/v1/boards/{board.id}/threads", user=user, json={"title": title, "body": body, **extra}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _inbox(client, user, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    response = client.api("get", f"/api/v1/notifications?{query}", user=user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _kinds(client, user):
    return [n["kind"] for n in _inbox(client, user)["items"]]


def test_reply_to_my_thread_and_my_post(client, cls):
    first = _reply(client, cls.classmate, cls.thread.id, "A first reply.")
    # Replying to the thread notifies the opening post's author.
    assert _kinds(client, cls.trainee) == ["reply"]
    _reply(client, cls.teacher, cls.thread.id, "Good point.", reply_to=first["id"])
    inbox = _inbox(client, cls.classmate)
    assert [n["kind"] for n in inbox["items"]] == ["reply"]
    item = inbox["items"][0]
    assert item["actor"]["username"] == "teacher" and "王老师" in item["text"]
    assert item["post"]["url"].startswith("/posts/") and item["excerpt"] == "Good point."
    assert inbox["unread_count"] == 1
    # Nobody is told of their own post.
    assert _kinds(client, cls.teacher) == []


def test_mention_and_quote(client, cls):
    source = _reply(client, cls.classmate, cls.thread.id, "The budget matters most.")
    body = (
        f"> The budget matters most.\n> — [#{source['number']}](/posts/{source['id']})\n\nI agree, @teacher."
    )
    _reply(client, cls.trainee, cls.thread.id, body)
    assert _kinds(client, cls.teacher) == ["mention"]
    assert _kinds(client, cls.classmate) == ["quote"]


def test_one_notification_per_post_and_person(client, cls):
    source = _reply(client, cls.classmate, cls.thread.id, "Source.")
    # A reply that also quotes and mentions the same person: one notification, a mention.
    _reply(client, cls.trainee, cls.thread.id, "> Source.\n\n@classmate yes.", reply_to=source["id"])
    assert _kinds(client, cls.classmate) == ["mention"]


def test_watched_thread_muted_thread_and_watched_board(client, cls):
    client.api("put", f"/api/v1/threads/{cls.thread.id}/watch", user=cls.teacher, json={"level": "watch"})
    _reply(client, cls.classmate, cls.thread.id, "Anything new.")
    assert _kinds(client, cls.teacher) == ["post"]
    # Muting the thread silences even replies to one's own posts.
    client.api("put", f"/api/v1/threads/{cls.thread.id}/watch", user=cls.trainee, json={"level": "mute"})
    _reply(client, cls.classmate, cls.thread.id, "@trainee hello?")
    assert _kinds(client, cls.trainee) == ["reply"]  # only the one from before the mute
    # A watched board announces new threads; a muted board silences its threads.
    client.api("put", f"/api/v1/boards/{cls.board.id}/watch", user=cls.classmate, json={"level": "watch"})
    thread = _thread(client, cls.teacher, cls.board, "Next week's case")
    assert _kinds(client, cls.classmate)[0] == "new_thread"
    client.api("put", f"/api/v1/boards/{cls.board.id}/watch", user=cls.teacher, json={"level": "mute"})
    before = len(_kinds(client, cls.teacher))
    _reply(client, cls.classmate, thread["id"], "Replying to the teacher's thread.")
    assert len(_kinds(client, cls.teacher)) == before
    # ... unless the thread itself is followed.
    client.api("put", f"/api/v1/threads/{thread['id']}/watch", user=cls.teacher, json={"level": "normal"})
    client.api("put", f"/api/v1/threads/{thread['id']}/watch", user=cls.teacher, json={"level": "watch"})
    _reply(client, cls.classmate, thread["id"], "Again.")
    assert len(_kinds(client, cls.teacher)) == before + 1


def test_announcements_reach_the_cohort(client, cls, make_board):
    from forum.cohorts.services import update_board

    board = make_board(cls.cohort, "Announcements")
    update_board(cls.admin, board, kind="announcement")
    _thread(client, cls.teacher, board, "Field trip on Friday")
    for person in (cls.trainee, cls.classmate):
        inbox = _inbox(client, person)
        assert [n["kind"] for n in inbox["items"]] == ["announcement"]
        assert "Field trip on Friday" in inbox["items"][0]["text"]
    assert _kinds(client, cls.outsider) == []


def test_accepted_answer(client, cls):
    question = _thread(client, cls.trainee, cls.board, "How do we fund it?", kind="question")
    answer = _reply(client, cls.classmate, question["id"], "Special bonds.")
    response = client.api("put", f"/api/v1/posts/{answer['id']}/marks/accepted", user=cls.trainee)
    assert response.status_code in (200, 201), response.get_json()
    inbox = _inbox(client, cls.classmate)
    assert inbox["items"][0]["kind"] == "accepted"
    assert inbox["items"][0]["actor"]["username"] == "trainee"


def test_anonymous_author_never_named_to_a_trainee(client, cls):
    mine = _reply(client, cls.classmate, cls.thread.id, "My view.")
    _reply(
        client, cls.trainee, cls.thread.id, "Anonymous answer, @teacher.", reply_to=mine["id"], anonymous=True
    )
    to_trainee = _inbox(client, cls.classmate)["items"][0]
    assert to_trainee["actor"] is None and to_trainee["actor_label"] in ("Anonymous trainee", "匿名学员")
    assert "trainee" not in str(to_trainee).replace("Anonymous trainee", "")
    assert "李学员" not in str(to_trainee)
    page = client.application.test_client()
    page.login(cls.classmate)
    html = page.get("/notifications").get_data(as_text=True)
    assert "李学员" not in html and "/members/trainee" not in html
    # The instructor may know who wrote it.
    to_teacher = _inbox(client, cls.teacher)["items"][0]
    assert to_teacher["actor"]["username"] == "trainee"


def test_anonymous_asker_accepting_stays_anonymous(client, cls):
    question = _thread(
        client, cls.trainee, cls.board, "An anonymous question", kind="question", anonymous=True
    )
    answer = _reply(client, cls.classmate, question["id"], "An answer.")
    client.api("put", f"/api/v1/posts/{answer['id']}/marks/accepted", user=cls.trainee)
    item = next(n for n in _inbox(client, cls.classmate)["items"] if n["kind"] == "accepted")
    assert item["actor"] is None and "李学员" not in item["text"]


def test_no_notification_for_content_one_may_not_see(client, cls):
    # A staff note mentioning a trainee does not reach them.
    response = client.api(
        "post",
        f"/api/v1/threads/{cls.thread.id}/staff-notes",
        user=cls.teacher,
        json={"body": "Note for staff: @classmate needs help."},
    )
    assert response.status_code == 201, response.get_json()
    assert _kinds(client, cls.classmate) == []
    # Someone of another cohort mentioned is not told.
    _reply(client, cls.trainee, cls.thread.id, "@outsider what do you think?")
    assert _kinds(client, cls.outsider) == []


def test_hidden_or_deleted_posts_take_their_notifications_away(client, cls):
    post = _reply(client, cls.classmate, cls.thread.id, "@teacher @trainee look.")
    assert _inbox(client, cls.trainee)["unread_count"] == 1
    client.api(
        "patch", f"/api/v1/posts/{post['id']}", user=cls.teacher, json={"hidden": True, "reason": "Spam"}
    )
    assert _inbox(client, cls.trainee)["unread_count"] == 0
    assert _kinds(client, cls.teacher) == ["mention"]  # staff still see hidden posts
    other = _reply(client, cls.classmate, cls.thread.id, "@trainee again.")
    assert _inbox(client, cls.trainee)["unread_count"] == 1
    assert client.api("delete", f"/api/v1/posts/{other['id']}", user=cls.classmate).status_code == 204
    assert _inbox(client, cls.trainee)["unread_count"] == 0


def test_hidden_thread_takes_its_notifications_away(client, cls):
    _reply(client, cls.classmate, cls.thread.id, "@trainee see this.")
    assert _inbox(client, cls.trainee)["unread_count"] == 1  # a reply to the thread that mentions: one
    client.api("patch", f"/api/v1/threads/{cls.thread.id}", user=cls.teacher, json={"hidden": True})
    assert _inbox(client, cls.trainee)["unread_count"] == 0


def test_mark_read_and_unread_filter(client, cls):
    for n in range(3):
        _reply(client, cls.classmate, cls.thread.id, f"Reply {n}.")
    inbox = _inbox(client, cls.trainee)
    assert inbox["unread_count"] == 3 and inbox["total"] == 3
    first = inbox["items"][0]["id"]
    result = client.api("post", "/api/v1/notifications/read", user=cls.trainee, json={"ids": [first]})
    assert result.get_json() == {"unread_count": 2}
    assert _inbox(client, cls.trainee, unread="true")["total"] == 2
    # Another person's ids change nothing.
    client.api(
        "post", "/api/v1/notifications/read", user=cls.classmate, json={"ids": [inbox["items"][1]["id"]]}
    )
    assert client.api("get", "/api/v1/notifications/unread-count", user=cls.trainee).get_json() == {
        "unread_count": 2
    }
    assert client.api(
        "post", "/api/v1/notifications/read", user=cls.trainee, json={"all": True}
    ).get_json() == {"unread_count": 0}
    for bad in ({"ids": "1"}, {"ids": [True]}, {"ids": list(range(1, 150))}, {}, {"other": 1}):
        assert client.api("post", "/api/v1/notifications/read", user=cls.trainee, json=bad).status_code == 400
    assert client.api("get", "/api/v1/notifications?unread=maybe", user=cls.trainee).status_code == 400
