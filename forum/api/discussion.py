"""API: the discussion features of a thread (settings, case brief, roles, summary,
accepted / endorsed / key-contribution marks, staff notes).

The post and thread objects of ``forum/api/threads.py`` carry the per-post fields too
(``staff_note``, ``role``, ``marks``) through :func:`with_discussion`.
"""

from flask import jsonify, url_for
from sqlalchemy import select

from forum import validation
from forum.api import bp
from forum.api.common import ID, api_user, json_body, json_int, nothing_to_change
from forum.api.serializers import serialize_post, user_ref
from forum.discussion import cases, services
from forum.discussion.context import load_context, post_extras
from forum.discussion.models import MARK_KINDS
from forum.errors import NotFound
from forum.extensions import db
from forum.permissions import (
    DiscussionPagePermissions,
    get_post_or_404,
    get_thread_or_404,
    get_user_or_404,
)
from forum.threads.models import Post
from forum.threads.services import visible_posts_query
from forum.utils import isoformat

# --- what other API modules reuse ----------------------------------------------------------


def discussion_context(thread, viewer):
    """The per-thread data that post objects need (roles, marks), loaded once."""
    return load_context(thread, viewer, highlights=False)


def with_discussion(data: dict, post, ctx) -> dict:
    """A serialized post with the discussion fields: ``staff_note``, ``role``, ``marks``."""
    data.update(post_extras(ctx, post))
    return data


def serialize_post_full(post, viewer, ctx=None) -> dict:
    """One post with its discussion fields (loads the thread's context when not given)."""
    ctx = ctx or discussion_context(post.thread, viewer)
    return with_discussion(serialize_post(post, viewer), post, ctx)


def thread_fields(thread) -> dict:
    """The discussion settings every thread object carries."""
    return {
        "private": bool(thread.private),
        "answer_first": bool(thread.answer_first),
        "answer_due_at": isoformat(thread.answer_due_at),
    }


# --- serializers ---------------------------------------------------------------------------


def _brief(ctx) -> dict | None:
    brief = ctx.brief
    if brief is None:
        return None
    data = {
        "background": brief.background,
        "background_html": brief.background_html,
        "questions": brief.questions,
        "questions_html": brief.questions_html,
        "materials": ctx.materials,
        "updated_at": isoformat(brief.updated_at),
    }
    if ctx.sees_teaching_notes:
        data["teaching_notes"] = brief.teaching_notes
        data["teaching_notes_html"] = brief.teaching_notes_html
    return data


def _summary(ctx) -> dict | None:
    if ctx.summary is None:
        return None
    return {
        "body": ctx.summary.body,
        "body_html": ctx.summary.body_html,
        "updated_at": isoformat(ctx.summary.updated_at),
    }


def _visible_marks(thread, viewer, ctx) -> dict:
    """Mark kind -> ids of the posts the viewer may see that carry it (one query)."""
    result = {kind: [] for kind in MARK_KINDS}
    if not ctx.marks:
        return result
    ids = set(
        db.session.execute(
            select(Post.id).where(
                Post.id.in_(
                    visible_posts_query(thread, viewer)
                    .where(Post.id.in_(list(ctx.marks)))
                    .with_only_columns(Post.id)
                )
            )
        ).scalars()
    )
    for post_id in sorted(ids):
        for kind in ctx.marks[post_id]:
            result[kind].append(post_id)
    return result


def serialize_discussion(thread, viewer) -> dict:
    """Everything the discussion features show for a thread, as this viewer may see it."""
    ctx = load_context(thread, viewer)
    perms = DiscussionPagePermissions(viewer, thread)
    return {
        "thread_id": thread.id,
        "url": f"/threads/{thread.id}",
        "kind": thread.kind,
        **thread_fields(thread),
        "must_answer_first": ctx.must_answer_first,
        "brief": _brief(ctx),
        "summary": _summary(ctx),
        "roles": [{"user": user_ref(role.user), "label": role.label} for role in ctx.roles],
        "marks": _visible_marks(thread, viewer, ctx),
        "highlights": [serialize_post_full(p, viewer, ctx) for p in ctx.highlights],
        "can": {
            "change_settings": perms.can_settings,
            "edit_brief": perms.can_edit_brief,
            "assign_roles": perms.can_assign_roles,
            "write_summary": perms.can_write_summary,
            "write_staff_note": perms.can_write_staff_note,
            "accept": perms.may_mark("accepted"),
            "endorse": perms.may_mark("endorsed"),
            "mark_key": perms.may_mark("key"),
        },
    }


# --- endpoints -----------------------------------------------------------------------------


@bp.get(f"/threads/<{ID}:thread_id>/discussion")
def get_discussion(thread_id):
    """A thread's discussion features: settings, brief, summary, roles, marks, highlights."""
    user = api_user()
    return jsonify(serialize_discussion(get_thread_or_404(thread_id, user), user))


@bp.patch(f"/threads/<{ID}:thread_id>/discussion")
def update_discussion(thread_id):
    """Change a thread's private / answer-first / due-date settings (the cohort's staff)."""
    user = api_user()
    thread = get_thread_or_404(thread_id, user)
    data = json_body(optional=("private", "answer_first", "answer_due_at"))
    if not data:
        raise nothing_to_change()
    changes = {name: data[name] for name in ("private", "answer_first") if data.get(name) is not None}
    if "answer_due_at" in data:
        changes["answer_due_at"] = data["answer_due_at"]
    services.update_thread_settings(user, thread, **changes)
    return jsonify(serialize_discussion(thread, user))


@bp.put(f"/threads/<{ID}:thread_id>/brief")
def put_brief(thread_id):
    """Write a case thread's brief (every field empty: removes it)."""
    user = api_user()
    thread = get_thread_or_404(thread_id, user)
    data = json_body(optional=("background", "questions", "teaching_notes", "material_ids"))
    cases.save_case_brief(user, thread, data)
    return jsonify(serialize_discussion(thread, user))


@bp.delete(f"/threads/<{ID}:thread_id>/brief")
def delete_brief(thread_id):
    """Remove a case thread's brief."""
    user = api_user()
    thread = get_thread_or_404(thread_id, user)
    cases.save_case_brief(user, thread, {})
    return "", 204


@bp.put(f"/threads/<{ID}:thread_id>/summary")
def put_summary(thread_id):
    """Write the pinned "conclusions so far" (an empty body removes it)."""
    user = api_user()
    thread = get_thread_or_404(thread_id, user)
    data = json_body(required=("body",))
    services.save_summary(user, thread, data["body"])
    return jsonify(serialize_discussion(thread, user))


@bp.delete(f"/threads/<{ID}:thread_id>/summary")
def delete_summary(thread_id):
    """Remove the summary."""
    user = api_user()
    services.save_summary(user, get_thread_or_404(thread_id, user), "")
    return "", 204


@bp.put(f"/threads/<{ID}:thread_id>/roles/<username>")
def put_role(thread_id, username):
    """Give a trainee of the cohort a role in a case thread (or change it)."""
    user = api_user()
    thread = get_thread_or_404(thread_id, user)
    data = json_body(required=("label",))
    member = get_user_or_404(validation.text(username, "username", max_length=64), user)
    role = cases.assign_role(user, thread, member, data["label"])
    return jsonify({"user": user_ref(member), "label": role.label})


@bp.delete(f"/threads/<{ID}:thread_id>/roles/<username>")
def delete_role(thread_id, username):
    """Take a trainee's role away."""
    user = api_user()
    thread = get_thread_or_404(thread_id, user)
    member = get_user_or_404(validation.text(username, "username", max_length=64), user)
    cases.remove_role(user, thread, member)
    return "", 204


def _mark(post_id, kind, on: bool):
    user = api_user()
    if kind not in MARK_KINDS:
        raise NotFound()
    post = get_post_or_404(post_id, user)
    services.set_mark(user, post, kind, on)
    return jsonify(serialize_post_full(post, user))


@bp.put(f"/posts/<{ID}:post_id>/marks/<kind>")
def put_mark(post_id, kind):
    """Accept (asker, staff), endorse or mark as key contribution (staff) a reply."""
    return _mark(post_id, kind, True)


@bp.delete(f"/posts/<{ID}:post_id>/marks/<kind>")
def delete_mark(post_id, kind):
    """Take a mark away."""
    return _mark(post_id, kind, False)


@bp.post(f"/threads/<{ID}:thread_id>/staff-notes")
def create_staff_note(thread_id):
    """Leave a note in the thread that only the cohort's staff see."""
    user = api_user()
    thread = get_thread_or_404(thread_id, user)
    data = json_body(required=("body",), optional=("reply_to",))
    if data.get("reply_to") is not None:
        json_int(data["reply_to"], "reply_to")
    post = services.create_staff_note(user, thread, data["body"], data.get("reply_to"))
    response = jsonify(serialize_post_full(post, user))
    response.headers["Location"] = url_for("api.get_post", post_id=post.id)
    return response, 201


from forum.api.docs import discussion as _doc  # noqa: E402,F401  (its OpenAPI paths and schemas)
