"""Engagement on the server-rendered pages: reactions, revisions, watch forms, reading
state on boards and threads, first unread, the notification centre and its nav count,
the live post fragment, member cards, and the thread page's fixed query count."""

import os
import re

import pytest
from sqlalchemy import insert

from tests.sql_support import recorded_statements


@pytest.fixture
def cls(world, make_user):
    from forum.accounts.services import set_locale
    from forum.cohorts.services import add_membership

    classmate = make_user("classmate", "trainee", "张同学")
    add_membership(None, world.cohort, classmate, "trainee")
    world.classmate = classmate
    # These tests read English texts (the pages are Chinese by default).
    for user in (world.admin, world.teacher, world.trainee, world.outsider, classmate):
        set_locale(user, "en")
    return world


def _count(html: str, pattern: str) -> int:
    return len(re.findall(pattern, html))


def test_reaction_buttons_on_the_thread_page(login, cls, make_post):
    post = make_post(cls.thread, cls.trainee, "Worth a thanks.")
    page = login(cls.classmate)
    html = page.get(f"/threads/{cls.thread.id}").get_data(as_text=True)
    assert f'action="/posts/{post.id}/react"' in html
    response = page.form(f"/posts/{post.id}/react", {"kind": "thanks"})
    assert response.status_code == 302 and response.headers["Location"].startswith(f"/posts/{post.id}")
    html = page.get(f"/threads/{cls.thread.id}").get_data(as_text=True)
    pressed = re.search(r'class="reaction is-mine"\s+aria-pressed="true"[^>]*data-kind="thanks"', html)
    assert pressed and '<span class="reaction-count" data-count>1</span>' in html
    # The author sees the count but has no buttons to press on their own post.
    mine = login(cls.trainee).get(f"/threads/{cls.thread.id}").get_data(as_text=True)
    own_form = mine.split(f'action="/posts/{post.id}/react"')[1].split("</form>")[0]
    assert "disabled" in own_form and 'data-kind="thanks"' in own_form and 'data-kind="agree"' not in own_form
    # A bad kind is refused with a message, not an error page.
    assert page.form(f"/posts/{post.id}/react", {"kind": "<b>"}).status_code == 302
    assert page.form(f"/posts/{post.id}/react", {"kind": "thanks"}).status_code == 302  # taken back
    assert "data-count>1<" not in page.get(f"/threads/{cls.thread.id}").get_data(as_text=True)


def test_revisions_page_for_author_and_staff(login, cls, make_post):
    from forum.threads.services import edit_post

    post = make_post(cls.thread, cls.trainee, "Version one.", anonymous=True)
    edit_post(cls.trainee, post, "Version two.")
    author = login(cls.trainee)
    assert f"/posts/{post.id}/revisions" in author.get(f"/threads/{cls.thread.id}").get_data(as_text=True)
    html = author.get(f"/posts/{post.id}/revisions").get_data(as_text=True)
    assert "Version one." in html and "Version two." in html
    teacher_view = login(cls.teacher).get(f"/posts/{post.id}/revisions").get_data(as_text=True)
    assert "李学员" in teacher_view  # staff may know who wrote and edited it
    classmate = login(cls.classmate)
    assert f"/posts/{post.id}/revisions" not in classmate.get(f"/threads/{cls.thread.id}").get_data(
        as_text=True
    )
    assert classmate.get(f"/posts/{post.id}/revisions").status_code == 403
    assert login(cls.outsider).get(f"/posts/{post.id}/revisions").status_code == 404


def test_deleted_post_leaves_a_placeholder(login, cls, make_post):
    post = make_post(cls.thread, cls.classmate, "Regrettable.")
    author = login(cls.classmate)
    assert author.form(f"/posts/{post.id}/delete").status_code == 302
    html = login(cls.trainee).get(f"/threads/{cls.thread.id}").get_data(as_text=True)
    assert f'id="post-{post.id}"' in html and "Regrettable." not in html
    assert "is-deleted" in html


def test_watch_forms(login, cls):
    from forum.engagement.services import board_watch_level, thread_watch_level

    page = login(cls.classmate)
    assert 'id="watch-level"' in page.get(f"/threads/{cls.thread.id}").get_data(as_text=True)
    assert page.form(f"/threads/{cls.thread.id}/watch", {"level": "watch"}).status_code == 302
    assert thread_watch_level(cls.classmate, cls.thread) == "watch"
    html = page.get(f"/threads/{cls.thread.id}").get_data(as_text=True)
    assert '<option value="watch" selected>' in html
    assert page.form(f"/boards/{cls.board.id}/watch", {"level": "mute"}).status_code == 302
    assert board_watch_level(cls.classmate, cls.board) == "mute"
    page.form(f"/threads/{cls.thread.id}/watch", {"level": "shout"})
    assert thread_watch_level(cls.classmate, cls.thread) == "watch"
    assert login(cls.outsider).form(f"/threads/{cls.thread.id}/watch", {"level": "watch"}).status_code == 404
    # Forms need their CSRF token.
    assert page.post(f"/threads/{cls.thread.id}/watch", data={"level": "mute"}).status_code == 400


def test_board_and_cohort_pages_mark_new_and_unread(login, cls, make_thread, make_post):
    second = make_thread(cls.board, cls.teacher, "Second thread")
    page = login(cls.classmate)
    board = page.get(f"/boards/{cls.board.id}").get_data(as_text=True)
    assert _count(board, r'class="marker marker-new"') == 2
    assert "2 threads with new posts" in page.get(f"/cohorts/{cls.cohort.slug}").get_data(as_text=True)
    page.get(f"/threads/{second.id}")  # reading it
    for n in range(2):
        make_post(second, cls.trainee, f"Later reply {n}.")
    board = page.get(f"/boards/{cls.board.id}").get_data(as_text=True)
    assert _count(board, r'class="marker marker-new"') == 1
    assert "2 new replies" in board and f"/threads/{second.id}/unread" in board
    # On the thread page the new replies are marked; after reading, the marks go.
    thread_html = page.get(f"/threads/{second.id}").get_data(as_text=True)
    assert _count(thread_html, r"data-new-post>") == 2
    assert _count(page.get(f"/threads/{second.id}").get_data(as_text=True), r"data-new-post>") == 0
    # Mark all read.
    assert page.form(f"/boards/{cls.board.id}/read").status_code == 302
    board = page.get(f"/boards/{cls.board.id}").get_data(as_text=True)
    assert "marker-new" not in board and "new replies" not in board


def test_jump_to_first_unread_lands_on_the_right_page(app, login, cls, db):
    from forum.engagement.reading import mark_read
    from forum.threads.models import Post, Thread

    _bulk_posts(db, cls.thread, [cls.trainee, cls.teacher], 44)  # 45 posts
    thread = db.session.get(Thread, cls.thread.id)
    app.config["FORUM_POSTS_PER_PAGE"] = 20
    page = login(cls.classmate)
    # Never opened: the first unread is the opening post.
    first = page.get(f"/threads/{thread.id}/unread")
    opening = db.session.execute(db.select(Post.id).filter_by(thread_id=thread.id, number=1)).scalar_one()
    assert first.headers["Location"].endswith(f"/threads/{thread.id}#post-{opening}")
    mark_read(cls.classmate, thread, 25)
    target = db.session.execute(db.select(Post.id).filter_by(thread_id=thread.id, number=26)).scalar_one()
    response = page.get(f"/threads/{thread.id}/unread")
    assert response.headers["Location"].endswith(f"/threads/{thread.id}?page=2#post-{target}")
    html = page.get(f"/threads/{thread.id}?page=2").get_data(as_text=True)
    assert f'id="post-{target}"' in html and "Jump to first unread" in html
    # All read: the last post.
    mark_read(cls.classmate, thread, 45)
    last = db.session.execute(db.select(Post.id).filter_by(thread_id=thread.id, number=45)).scalar_one()
    assert page.get(f"/threads/{thread.id}/unread").headers["Location"].endswith(f"?page=3#post-{last}")


def test_notification_centre_and_nav_count(login, cls, make_post):
    mine = make_post(cls.thread, cls.trainee, "Mine.")
    make_post(cls.thread, cls.classmate, "A reply to yours, @trainee.", reply_to=mine.id)
    page = login(cls.trainee)
    home = page.get("/").get_data(as_text=True)
    assert re.search(r'id="notification-count"[^>]*>1</span>', home)
    html = page.get("/notifications").get_data(as_text=True)
    assert "张同学" in html and "A reply to yours" in html and "is-unread" in html
    link = re.search(r'href="(/notifications/\d+)"', html).group(1)
    response = page.get(link)
    assert response.status_code == 302 and "/posts/" in response.headers["Location"]
    assert 'class="count-badge is-empty"' in page.get("/").get_data(as_text=True)
    make_post(cls.thread, cls.teacher, "@trainee two more.")
    make_post(cls.thread, cls.teacher, "@trainee and more.")
    assert "is-unread" in page.get("/notifications?filter=unread").get_data(as_text=True)
    assert page.form("/notifications/read").status_code == 302
    assert "is-unread" not in page.get("/notifications").get_data(as_text=True)
    # Someone else's notification is not found.
    other = login(cls.classmate)
    assert other.get(link).status_code == 404


def test_live_post_fragment_respects_anonymity(login, cls, make_post):
    post = make_post(cls.thread, cls.trainee, "Anonymous thought.", anonymous=True)
    classmate_html = login(cls.classmate).get(f"/live/posts/{post.id}").get_data(as_text=True)
    assert classmate_html.startswith('<li class="post-item is-live">')
    assert "Anonymous thought." in classmate_html
    assert "李学员" not in classmate_html and "trainee" not in classmate_html.replace("Anonymous trainee", "")
    assert "李学员" in login(cls.teacher).get(f"/live/posts/{post.id}").get_data(as_text=True)
    assert login(cls.outsider).get(f"/live/posts/{post.id}").status_code == 404


def test_member_card_only_between_classmates(login, cls):
    page = login(cls.trainee)
    html = page.get("/members/classmate").get_data(as_text=True)
    assert "张同学" in html and cls.cohort.name in html
    assert page.get("/members/outsider").status_code == 404
    assert page.get("/members/nobody").status_code == 404


def test_new_thread_page_offers_similar_threads(login, cls):
    html = login(cls.trainee).get(f"/boards/{cls.board.id}/threads/new").get_data(as_text=True)
    assert 'id="similar-threads"' in html and "/api/v1/similar-threads" in html and "js/compose.js" in html


# --- a thread of 1,000 posts: a fixed number of queries ------------------------------------------


def _bulk_posts(db, thread, authors, count, start=2):
    """Insert ``count`` replies directly (fast), some anonymous, edited, replying, reacted to."""
    from forum.engagement.models import Reaction
    from forum.sanitize import render_markdown
    from forum.threads.models import Post, Thread
    from forum.utils import utcnow

    now = utcnow()
    html = render_markdown("A reply with **some** text.")
    rows = [
        {
            "thread_id": thread.id,
            "author_id": authors[n % len(authors)].id,
            "number": start + n,
            "body": "A reply with **some** text.",
            "body_html": html,
            "anonymous": n % 7 == 0,
            "created_at": now,
            "edited_at": now if n % 5 == 0 else None,
            "edited_by_id": authors[0].id if n % 5 == 0 else None,
        }
        for n in range(count)
    ]
    db.session.execute(insert(Post), rows)
    ids = (
        db.session.execute(db.select(Post.id).filter_by(thread_id=thread.id).order_by(Post.number))
        .scalars()
        .all()
    )
    db.session.execute(
        db.update(Post)
        .where(Post.thread_id == thread.id, Post.number > 3, Post.number % 3 == 0)
        .values(reply_to_id=ids[1])
    )
    reactions = [
        {"post_id": pid, "user_id": authors[-1].id, "kind": "agree", "created_at": now} for pid in ids[::4]
    ]
    db.session.execute(insert(Reaction), reactions)
    db.session.execute(
        db.update(Thread)
        .where(Thread.id == thread.id)
        .values(post_count=start + count - 1, reply_count=start + count - 2)
    )
    db.session.commit()


def _queries(app, client, url):
    from forum.engagement.models import ReadState
    from forum.extensions import db

    # Every view counted records a reading position (the write is part of the count) ...
    db.session.execute(db.delete(ReadState))
    db.session.commit()
    # ... and starts with an empty session, as in a real server.
    db.session.remove()
    with recorded_statements() as seen:
        response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    if os.environ.get("FORUM_SHOW_QUERIES"):
        print(url, len(seen), *seen, sep="\n  ")
    return len(seen), response.get_data(as_text=True)


@pytest.mark.parametrize("viewer", ["classmate", "teacher"])
def test_thread_page_queries_do_not_grow_with_posts_or_page_size(app, db, login, cls, make_thread, viewer):
    from forum.threads.services import create_post, opening_post

    small = make_thread(cls.board, cls.trainee, "A short thread")
    create_post(cls.classmate, small, "A reply to the opening post.", reply_to=opening_post(small).id)
    big = cls.thread
    _bulk_posts(db, big, [cls.trainee, cls.classmate, cls.teacher], 999)
    db.session.expire(big)
    assert big.post_count == 1000
    page = login(getattr(cls, viewer))
    page.get("/")  # sign-in bookkeeping out of the way
    small_id, big_id = small.id, big.id
    counts = {}
    for per_page in (10, 100):
        app.config["FORUM_POSTS_PER_PAGE"] = per_page
        for label, url in (
            ("small", f"/threads/{small_id}"),
            ("big-first", f"/threads/{big_id}"),
            ("big-middle", f"/threads/{big_id}?page=5"),
            ("big-last", f"/threads/{big_id}?page={1000 // per_page}"),
        ):
            n, html = _queries(app, page, url)
            counts[(per_page, label)] = n
            if label != "small":
                assert _count(html, r'<article class="post') == per_page
    assert len(set(counts.values())) == 1, counts
    assert next(iter(counts.values())) <= 30, counts
    # Pagination lands on the right posts.
    app.config["FORUM_POSTS_PER_PAGE"] = 100
    _n, html = _queries(app, page, f"/threads/{big_id}?page=10")
    numbers = [int(n) for n in re.findall(r'data-post-id="\d+" data-number="(\d+)"', html)]
    assert numbers == list(range(901, 1001))


def test_watch_forms_on_thread_and_board_pages(client, cls):
    """The watch / normal / mute forms save the level and come back; a bad level is
    refused with a message and changes nothing; another cohort's board is not found."""
    from forum.engagement.services import board_watch_level, thread_watch_level

    client.login(cls.classmate)
    response = client.form(f"/threads/{cls.thread.id}/watch", {"level": "watch"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/threads/{cls.thread.id}")
    assert thread_watch_level(cls.classmate, cls.thread) == "watch"
    response = client.form(f"/boards/{cls.board.id}/watch", {"level": "mute"}, follow_redirects=True)
    assert response.status_code == 200 and "Notification setting saved." in response.get_data(as_text=True)
    assert board_watch_level(cls.classmate, cls.board) == "mute"
    response = client.form(f"/threads/{cls.thread.id}/watch", {"level": "loud"}, follow_redirects=True)
    assert response.status_code == 200 and 'class="flash flash-error' in response.get_data(as_text=True)
    assert thread_watch_level(cls.classmate, cls.thread) == "watch"
    assert client.form(f"/boards/{cls.other_board.id}/watch", {"level": "watch"}).status_code == 404
