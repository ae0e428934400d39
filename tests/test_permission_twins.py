"""Each noun's Python rule against its SQL twin, over a generated matrix of readers and
objects: for every cell, ``can_view_X(viewer, obj)`` must equal
``obj in session.scalars(visible_X(select(X), viewer))``.

The objects cover what the rules distinguish: hidden, held for review (by the reader
and by another), private, locked, anonymous, a removed author, an archived cohort, another
cohort; posts hidden, staff notes, answer first (answered, not answered, past due);
materials shared, college-wide, the uploader's own; rooms of each cohort, and a live and
a deleted message in each.
"""

from datetime import timedelta
from itertools import count

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from forum import permissions
from forum.utils import utcnow

READERS = ("admin", "instructor", "other_instructor", "trainee", "other_trainee", "signed_out")
_n = count(1)


@pytest.fixture
def scene(db, make_user, make_cohort, make_board):
    from forum.materials.models import Material
    from forum.rooms.models import Room, RoomMessage
    from forum.threads.models import Post, Thread

    people = {
        "admin": make_user("admin", "admin"),
        "instructor": make_user("teacher", "instructor"),
        "other_instructor": make_user("otherteacher", "instructor"),
        "trainee": make_user("trainee", "trainee"),
        "classmate": make_user("classmate", "trainee"),
        "other_trainee": make_user("outsider", "trainee"),
    }
    p = people
    cohort = make_cohort(
        members={p["instructor"]: "instructor", p["trainee"]: "trainee", p["classmate"]: "trainee"}
    )
    other = make_cohort(members={p["other_instructor"]: "instructor", p["other_trainee"]: "trainee"})
    old = make_cohort(
        members={p["instructor"]: "instructor", p["trainee"]: "trainee", p["classmate"]: "trainee"}
    )
    board, other_board, old_board = (
        make_board(cohort, anonymous_allowed=True),
        make_board(other),
        make_board(old),
    )

    threads, posts = {}, {}

    def thread(name, board_, author, **flags):
        t = Thread(board_id=board_.id, author_id=author.id if author else None, title=name, **flags)
        db.session.add(t)
        db.session.flush()
        threads[name] = t
        post(
            f"{name}/opening",
            t,
            author,
            number=1,
            hidden=flags.get("hidden", False),
            held=flags.get("held", False),
            anonymous=flags.get("anonymous", False),
        )
        return t

    def post(name, thread_, author, number=None, **flags):
        number = number or next(_n) + 1
        item = Post(
            thread_id=thread_.id,
            author_id=author.id if author else None,
            number=number,
            body=name,
            body_html=f"<p>{name}</p>",
            **flags,
        )
        db.session.add(item)
        posts[name] = item
        return item

    now = utcnow()
    plain = thread("plain", board, p["classmate"])
    thread("hidden", board, p["classmate"], hidden=True)
    thread("hidden-own", board, p["trainee"], hidden=True)
    thread("held-own", board, p["trainee"], hidden=True, held=True)
    thread("held-other", board, p["classmate"], hidden=True, held=True)
    thread("private-own", board, p["trainee"], private=True)
    thread("private-other", board, p["classmate"], private=True)
    thread("private-hidden-own", board, p["trainee"], private=True, hidden=True)
    thread("locked", board, p["classmate"], locked=True)
    thread("anonymous", board, p["trainee"], anonymous=True)
    thread("removed-author", board, None)
    thread("other-cohort", other_board, p["other_trainee"])
    thread("other-cohort-hidden", other_board, p["other_trainee"], hidden=True)
    thread("archived", old_board, p["classmate"])
    thread("archived-held-own", old_board, p["trainee"], hidden=True, held=True)
    waiting = thread("answer-first", board, p["instructor"], answer_first=True)
    answered = thread("answer-first-answered", board, p["instructor"], answer_first=True)
    past = thread(
        "answer-first-past-due",
        board,
        p["instructor"],
        answer_first=True,
        answer_due_at=now - timedelta(days=1),
    )
    later = thread(
        "answer-first-due-later",
        board,
        p["classmate"],
        answer_first=True,
        answer_due_at=now + timedelta(days=1),
    )
    held_thread = threads["held-other"]

    post("reply", plain, p["classmate"])
    post("reply-hidden-other", plain, p["classmate"], hidden=True)
    post("reply-hidden-own", plain, p["trainee"], hidden=True)
    post("reply-held-own", plain, p["trainee"], hidden=True, held=True)
    post("staff-note", plain, p["instructor"], staff_note=True)
    post("staff-note-hidden", plain, p["instructor"], staff_note=True, hidden=True)
    post("deleted", plain, p["classmate"], deleted_at=now)
    post("anonymous-reply", plain, p["trainee"], anonymous=True)
    post("removed-author-reply", plain, None)
    post("reply-in-held", held_thread, p["classmate"])
    for t in (waiting, answered, past, later):
        post(f"{t.title}/classmate", t, p["classmate"])
        if t is answered:
            post(f"{t.title}/own", t, p["trainee"])
    post("answer-first/own-hidden", waiting, p["trainee"], hidden=True)  # hidden: does not count
    post("answer-first/staff", waiting, p["instructor"])

    def material(name, uploader, shared=(), college_wide=False):
        item = Material(
            content_hash=f"{next(_n):064d}",
            title=name,
            original_filename=f"{name}.pdf",
            mime_type="application/pdf",
            kind="pdf",
            size=1,
            college_wide=college_wide,
            uploaded_by_id=uploader.id if uploader else None,
            status="ready",
        )
        item.cohorts = list(shared)
        db.session.add(item)
        return item

    materials = {
        "shared": material("shared", p["instructor"], [cohort]),
        "shared-other": material("shared-other", p["other_instructor"], [other]),
        "shared-both": material("shared-both", p["admin"], [cohort, other]),
        "college-wide": material("college-wide", p["admin"], college_wide=True),
        "uploader-only": material("uploader-only", p["instructor"]),
        "archived-share": material("archived-share", p["instructor"], [old]),
        "removed-uploader": material("removed-uploader", None),
    }
    rooms = {
        "room": Room(cohort_id=cohort.id, name="room"),
        "room-closed": Room(cohort_id=cohort.id, name="closed", status="closed"),
        "room-other": Room(cohort_id=other.id, name="other"),
        "room-archived": Room(cohort_id=old.id, name="archived"),
    }
    db.session.add_all(rooms.values())
    db.session.flush()
    messages = {}
    for name, room in rooms.items():
        for state, deleted_at in (("live", None), ("deleted", now)):
            messages[f"{name}/{state}"] = RoomMessage(
                room_id=room.id,
                author_id=p["classmate"].id,
                client_id=f"{name}-{state}",
                body=state,
                body_html=f"<p>{state}</p>",
                deleted_at=deleted_at,
            )
    db.session.add_all(messages.values())
    db.session.commit()
    old.archived = True
    db.session.commit()
    people["signed_out"] = AnonymousUserMixin()
    return type(
        "Scene",
        (),
        dict(
            people=people, threads=threads, posts=posts, materials=materials, rooms=rooms, messages=messages
        ),
    )


def _disagreements(model, rule, twin, objects: dict, reader):
    from forum.extensions import db

    listed = set(db.session.scalars(twin(select(model), reader)).unique())
    return sorted(
        (name, rule(reader, obj), obj in listed)
        for name, obj in objects.items()
        if rule(reader, obj) != (obj in listed)
    )


def _noun(name):
    from forum.materials.models import Material
    from forum.rooms.models import Room, RoomMessage
    from forum.threads.models import Post, Thread

    return {
        "thread": (Thread, permissions.can_view_thread, permissions.visible_threads, "threads"),
        "post": (Post, permissions.can_view_post, permissions.visible_posts, "posts"),
        "material": (Material, permissions.can_view_material, permissions.visible_materials, "materials"),
        "room": (Room, permissions.can_view_room, permissions.visible_rooms, "rooms"),
        "message": (
            RoomMessage,
            permissions.can_view_room_message,
            permissions.visible_room_messages,
            "messages",
        ),
    }[name]


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("noun", ("thread", "post", "material", "room", "message"))
def test_rule_and_sql_twin_agree(scene, noun, reader):
    model, rule, twin, objects = _noun(noun)
    objects = getattr(scene, objects)
    assert _disagreements(model, rule, twin, objects, scene.people[reader]) == []


@pytest.mark.parametrize("reader", READERS)
def test_thread_page_twin_agrees_with_the_post_rule(scene, reader):
    """``visible_posts(stmt, viewer, thread=...)``, the thread page's form, agrees too."""
    from forum.extensions import db
    from forum.threads.models import Post

    user = scene.people[reader]
    for thread in scene.threads.values():
        if not permissions.can_view_thread(user, thread):
            continue
        stmt = permissions.visible_posts(select(Post).where(Post.thread_id == thread.id), user, thread=thread)
        listed = set(db.session.scalars(stmt))
        everything = db.session.scalars(select(Post).where(Post.thread_id == thread.id))
        wrong = [p.body for p in everything if permissions.can_view_post(user, p) != (p in listed)]
        assert wrong == [], thread.title


def test_the_matrix_covers_both_answers(scene):
    """Each reader sees some of the objects and not others (so the test can fail)."""
    trainee = scene.people["trainee"]
    seen = {name for name, t in scene.threads.items() if permissions.can_view_thread(trainee, t)}
    assert {"held-own", "private-own", "archived", "archived-held-own", "anonymous"} <= seen
    assert not seen & {"hidden", "hidden-own", "held-other", "private-other", "other-cohort"}
    posts = {name for name, p in scene.posts.items() if permissions.can_view_post(trainee, p)}
    assert "answer-first-answered/classmate" in posts and "answer-first/classmate" not in posts
    assert "answer-first-past-due/classmate" in posts and "staff-note" not in posts
    assert "reply-hidden-own" in posts and "reply-hidden-other" not in posts
    messages = {name for name, m in scene.messages.items() if permissions.can_view_room_message(trainee, m)}
    assert messages == {"room/live", "room-closed/live", "room-archived/live"}


def test_a_held_thread_is_listed_for_its_author_marked_as_waiting(scene, login):
    """The board list follows ``can_view_thread``: the author of a thread held for review
    finds it on the board, marked; a classmate does not."""
    board = scene.threads["held-own"].board
    page = login(scene.people["trainee"]).get(f"/boards/{board.id}").get_data(as_text=True)
    assert "held-own" in page and "marker-held" in page
    assert "held-other" not in page
    other = login(scene.people["classmate"]).get(f"/boards/{board.id}").get_data(as_text=True)
    assert "held-own" not in other and "held-other" in other
