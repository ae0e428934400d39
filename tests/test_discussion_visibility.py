"""Who sees what: answer before you see, private questions and staff notes, in the API,
the pages that list threads, and the SQL conditions other listings reuse."""

from datetime import timedelta

import pytest


@pytest.fixture
def cls(world, make_user):
    from forum.cohorts.services import add_membership

    world.classmate = make_user("classmate", "trainee", "张同学")
    world.third = make_user("third", "trainee", "王同学")
    for user in (world.classmate, world.third):
        add_membership(None, world.cohort, user, "trainee")
    return world


def _ids(client, user, thread_id):
    response = client.api("get", f"/api/v1/threads/{thread_id}/posts?per_page=100", user=user)
    assert response.status_code == 200, response.get_json()
    return [p["id"] for p in response.get_json()["items"]]


@pytest.fixture
def case(cls, make_thread, make_post):
    """A case thread with "answer before you see", the classmate's answer in it."""
    from forum.threads import services

    thread = services.create_thread(
        cls.teacher, cls.board, "案例", "Discuss.", "case", options={"answer_first": True}
    )
    answer = make_post(thread, cls.classmate, "The classmate's answer.")
    return thread, answer


# --- answer before you see ---------------------------------------------------------------------


def test_trainee_sees_replies_after_posting_own(client, cls, case, make_post):
    thread, answer = case
    before = _ids(client, cls.trainee, thread.id)
    assert answer.id not in before and len(before) == 1
    assert client.api("get", f"/api/v1/posts/{answer.id}", user=cls.trainee).status_code == 404
    seen = client.api("get", f"/api/v1/threads/{thread.id}/discussion", user=cls.trainee).get_json()
    assert seen["must_answer_first"] is True
    mine = make_post(thread, cls.trainee, "My own answer.")
    after = _ids(client, cls.trainee, thread.id)
    assert answer.id in after and mine.id in after
    assert client.api("get", f"/api/v1/posts/{answer.id}", user=cls.trainee).status_code == 200
    seen = client.api("get", f"/api/v1/threads/{thread.id}/discussion", user=cls.trainee).get_json()
    assert seen["must_answer_first"] is False


def test_instructors_and_the_asker_always_see_everything(client, cls, case, make_thread, make_post):
    thread, answer = case
    assert answer.id in _ids(client, cls.teacher, thread.id)
    assert answer.id in _ids(client, cls.admin, thread.id)
    # A trainee's own question with answer-first (set by an instructor): the asker sees all.
    from forum.discussion.services import update_thread_settings

    question = make_thread(cls.board, cls.trainee, "Q?", "Why?", kind="question")
    update_thread_settings(cls.teacher, question, answer_first=True)
    reply = make_post(question, cls.classmate, "Because.")
    assert reply.id in _ids(client, cls.trainee, question.id)
    assert reply.id not in _ids(client, cls.third, question.id)


def test_hidden_or_deleted_answer_does_not_open_the_thread(client, cls, case, make_post):
    from forum.threads import services

    thread, answer = case
    junk = make_post(thread, cls.trainee, "x")
    services.moderate_post(cls.teacher, junk, hidden=True, reason="Not an answer.")
    ids = _ids(client, cls.trainee, thread.id)
    assert answer.id not in ids and junk.id in ids  # the author still sees their hidden post
    other = make_post(thread, cls.third, "y")
    services.delete_post(cls.third, other)
    assert answer.id not in _ids(client, cls.third, thread.id)


def test_due_date_passed_opens_the_thread(client, cls, case, db):
    from forum.utils import utcnow

    thread, answer = case
    thread.answer_due_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert answer.id in _ids(client, cls.trainee, thread.id)
    thread.answer_due_at = utcnow() + timedelta(days=1)
    db.session.commit()
    assert answer.id not in _ids(client, cls.trainee, thread.id)


def test_highlights_and_marks_respect_answer_first(client, cls, case, db):
    from forum.discussion.services import set_mark

    thread, answer = case
    set_mark(cls.teacher, answer, "key", True)
    seen = client.api("get", f"/api/v1/threads/{thread.id}/discussion", user=cls.trainee).get_json()
    assert seen["highlights"] == [] and seen["marks"]["key"] == []
    assert "classmate's answer" not in str(seen)
    seen = client.api("get", f"/api/v1/threads/{thread.id}/discussion", user=cls.teacher).get_json()
    assert seen["marks"]["key"] == [answer.id]


def test_answer_first_thread_page(login, cls, case, make_post):
    thread, answer = case
    page = login(cls.trainee).get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "The classmate's answer." not in page
    assert "Discuss." in page
    make_post(thread, cls.trainee, "My own answer.")
    page = login(cls.trainee).get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "The classmate's answer." in page


# --- private questions -------------------------------------------------------------------------


@pytest.fixture
def private(cls, make_post):
    from forum.threads import services

    thread = services.create_thread(
        cls.trainee, cls.board, "私下问老师", "A private question.", "question", options={"private": True}
    )
    make_post(thread, cls.teacher, "A private answer.")
    return thread


def test_private_question_seen_by_asker_and_staff_only(client, login, cls, private):
    for user, status in (
        (cls.trainee, 200),
        (cls.teacher, 200),
        (cls.admin, 200),
        (cls.classmate, 404),
        (cls.outsider, 404),
        (cls.other_teacher, 404),
    ):
        assert client.api("get", f"/api/v1/threads/{private.id}", user=user).status_code == status, user
        assert client.api("get", f"/api/v1/threads/{private.id}/posts", user=user).status_code == status
        assert client.api("get", f"/api/v1/threads/{private.id}/discussion", user=user).status_code == status
    listing = client.api("get", f"/api/v1/boards/{cls.board.id}/threads", user=cls.classmate).get_json()
    assert private.id not in [t["id"] for t in listing["items"]]
    listing = client.api("get", f"/api/v1/boards/{cls.board.id}/threads", user=cls.teacher).get_json()
    assert private.id in [t["id"] for t in listing["items"]]
    assert login(cls.classmate).get(f"/threads/{private.id}").status_code == 404


@pytest.mark.parametrize("path", ["/", "/cohorts/mayors-2026", "/boards/{board}"])
def test_private_question_absent_from_pages_that_list_threads(login, cls, private, path):
    url = path.format(board=cls.board.id)
    classmate = login(cls.classmate).get(url)
    assert classmate.status_code == 200
    assert "私下问老师" not in classmate.get_data(as_text=True)
    assert "私下问老师" in login(cls.teacher).get(url).get_data(as_text=True)
    assert "私下问老师" in login(cls.trainee).get(url).get_data(as_text=True)


def test_staff_can_share_a_private_question_with_the_class(client, cls, private):
    response = client.api(
        "patch", f"/api/v1/threads/{private.id}/discussion", user=cls.teacher, json={"private": False}
    )
    assert response.status_code == 200
    assert client.api("get", f"/api/v1/threads/{private.id}", user=cls.classmate).status_code == 200
    assert (
        client.api(
            "patch", f"/api/v1/threads/{private.id}/discussion", user=cls.trainee, json={"private": True}
        ).status_code
        == 403
    )


# --- the SQL conditions reused by listings across threads ---------------------------------------


def test_visible_clauses(cls, case, private, db):
    from sqlalchemy import select

    from forum.discussion.services import create_staff_note
    from forum.permissions import visible_posts_clause, visible_threads_clause
    from forum.threads.models import Post, Thread

    thread, answer = case
    note = create_staff_note(cls.teacher, thread, "Staff only.")

    def posts(user):
        stmt = select(Post.id).join(Thread, Thread.id == Post.thread_id).where(visible_posts_clause(user))
        return set(db.session.execute(stmt).scalars())

    def threads(user):
        return set(db.session.execute(select(Thread.id).where(visible_threads_clause(user))).scalars())

    assert private.id not in threads(cls.classmate) and private.id in threads(cls.trainee)
    assert private.id in threads(cls.teacher) and threads(cls.outsider).isdisjoint({private.id, thread.id})
    seen = posts(cls.third)
    assert answer.id not in seen and note.id not in seen
    assert {answer.id, note.id} <= posts(cls.teacher)
    assert {answer.id, note.id} <= posts(cls.admin)
    assert answer.id in posts(cls.classmate) and note.id not in posts(cls.classmate)


# --- a crawl of every page and API response: no private, staff-only or gated text leaks --------


SECRETS = ("PRIVMARK", "STAFFMARK", "GATEMARK")


def test_no_response_shows_private_staff_or_gated_text(app, client, login, cls, make_post, monkeypatch):
    from forum.accounts.services import issue_token
    from forum.discussion.services import create_staff_note, set_mark
    from forum.threads import services
    from tests.test_anonymity import _notification_ids, _urls, _without_legitimate_names
    private = services.create_thread(
        cls.trainee,
        cls.board,
        "PRIVMARK 私下问",
        "PRIVMARK body @classmate",
        "question",
        options={"private": True},
    )
    private_reply = make_post(private, cls.teacher, "PRIVMARK answer @classmate")
    note = create_staff_note(cls.teacher, cls.thread, "STAFFMARK note about @classmate")
    services.edit_post(cls.teacher, note, "STAFFMARK note, edited, @classmate")
    case = services.create_thread(
        cls.teacher, cls.board, "Gated case", "Answer first.", "case", options={"answer_first": True}
    )
    gated = make_post(case, cls.third, "GATEMARK answer, @classmate see this")
    set_mark(cls.teacher, gated, "key")
    values = {
        "thread_id": [cls.thread.id, private.id, case.id],
        "post_id": [services.opening_post(private).id, private_reply.id, note.id, gated.id],
        "board_id": [cls.board.id],
        "slug": [cls.cohort.slug],
        "username": ["third"],
        "room_id": [],
        "material_id": [],
        "course_id": [],  # courses carry no thread text
        "notification_id": _notification_ids(cls.classmate),
    }
    import tests.test_anonymity as anonymity

    monkeypatch.setattr(anonymity, "SEARCHES", list(SECRETS) + ["私下问"])
    urls = _urls(app, values)
    pages, token = login(cls.classmate), issue_token(cls.classmate)
    staff_pages, staff_token = login(cls.teacher), issue_token(cls.teacher)
    problems, staff_saw = [], set()
    for url in urls:
        for session, bearer, sink in ((pages, token, problems), (staff_pages, staff_token, None)):
            if url.startswith("/api/"):
                response = client.open(url, headers={"Authorization": f"Bearer {bearer}"})
            else:
                response = session.get(url)
            assert response.status_code < 500, (url, response.status_code)
            text = _without_legitimate_names(url, response.get_data().decode("utf-8", "replace"))
            found = [secret for secret in SECRETS if secret in text]
            if sink is not None and found:
                sink.append((url, found))
            elif sink is None:
                staff_saw.update(found)
    assert not problems
    assert staff_saw == set(SECRETS)  # the texts exist and the crawl reaches them


def test_restructuring_keeps_private_and_staff_notes_hidden(client, cls, private, make_post, make_thread):
    """Replies split off a private question stay private; a merged-in staff note never
    becomes the thread's last post or a counted reply."""
    from forum.discussion.services import create_staff_note
    from forum.moderation.threadops import merge_threads, split_thread

    reply = make_post(private, cls.trainee, "A follow-up.")
    new = split_thread(cls.teacher, private, [reply.id], "Split off")
    assert new.private
    assert client.api("get", f"/api/v1/threads/{new.id}", user=cls.classmate).status_code == 404
    source = make_thread(cls.board, cls.classmate, "Source", "Opening.")
    create_staff_note(cls.teacher, source, "A staff note.")
    target = merge_threads(cls.teacher, source, cls.thread)
    seen = client.api("get", f"/api/v1/threads/{target.id}", user=cls.classmate).get_json()
    assert seen["last_poster"]["username"] != "teacher"
    assert "A staff note." not in str(
        client.api("get", f"/api/v1/threads/{target.id}/posts", user=cls.classmate).get_json()
    )
