"""A muted trainee may read but not post: the thread page offers them no Edit or Delete on
their own posts (ThreadPagePermissions agrees with can_edit_post / can_delete_post), the
edit and delete addresses refuse with 403, and lifting the mute gives the links back."""

import re

from sqlalchemy import select

from forum.extensions import db
from forum.moderation.models import Mute
from forum.permissions import can_delete_post, can_edit_post, thread_page_permissions
from forum.threads.models import Post


def _edit_links(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'href="/posts/(\d+)/edit"', html)}


def _delete_forms(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'action="/posts/(\d+)/delete"', html)}


def _own_posts(world) -> list:
    return (
        db.session.execute(
            select(Post).where(Post.thread_id == world.thread.id, Post.author_id == world.trainee.id)
        )
        .scalars()
        .all()
    )


def test_muted_trainee_is_offered_no_edit_or_delete(world, login, make_post):
    reply = make_post(world.thread, world.trainee, "我的回复")
    opening = next(p for p in _own_posts(world) if p.number == 1)
    trainee = login(world.trainee)
    before = trainee.get(f"/threads/{world.thread.id}").get_data(as_text=True)
    assert _edit_links(before) == {opening.id, reply.id}
    assert reply.id in _delete_forms(before)

    teacher = login(world.teacher)
    muted = teacher.form(
        f"/cohorts/{world.cohort.slug}/conduct",
        {"mute-username": "trainee", "mute-minutes": "60", "mute-reason": "刷屏", "mute-submit": "1"},
    )
    assert muted.status_code == 302

    response = trainee.get(f"/threads/{world.thread.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "我的回复" in html  # still reads the thread
    assert _edit_links(html) == set()
    assert _delete_forms(html) == set()
    assert trainee.get(f"/posts/{reply.id}/edit").status_code == 403
    assert trainee.form(f"/posts/{reply.id}/edit", {"body": "改了"}).status_code == 403
    assert trainee.form(f"/posts/{reply.id}/delete").status_code == 403
    assert trainee.get(f"/posts/{opening.id}/edit").status_code == 403
    db.session.refresh(reply)
    assert reply.body == "我的回复" and not reply.is_deleted

    # The page's permission object gives the same answers as the per-post rules.
    perms = thread_page_permissions(world.trainee, world.thread)
    for post in _own_posts(world):
        assert perms.can_edit(post) is can_edit_post(world.trainee, post) is False
        assert perms.can_delete(post) is False and can_delete_post(world.trainee, post) is False

    # Lifting the mute gives the links back.
    [mute] = db.session.execute(select(Mute)).scalars().all()
    assert teacher.form(f"/mutes/{mute.id}/lift", {}).status_code == 302
    after = trainee.get(f"/threads/{world.thread.id}").get_data(as_text=True)
    assert _edit_links(after) == {opening.id, reply.id}
