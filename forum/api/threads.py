"""API: threads of a board and posts of a thread (reading, writing, moderating)."""

from flask import current_app, jsonify, url_for
from flask_babel import gettext as _

from forum import validation
from forum.api import bp
from forum.api.common import (
    ID,
    PAGE_PARAMETERS,
    api_user,
    document,
    json_body,
    json_int,
    nothing_to_change,
    operation,
    page_schema,
    paginate,
    path_param,
    present,
    schema,
)
from forum.api.discussion import discussion_context, serialize_post_full, with_discussion
from forum.api.serializers import serialize_post, serialize_thread
from forum.errors import ServiceError
from forum.permissions import get_board_or_404, get_post_or_404, get_thread_or_404
from forum.threads import services
from forum.threads.models import THREAD_KINDS

MODERATION_FIELDS = ("pinned", "locked", "hidden")
# forum/discussion's options of a new thread (see forum/api/discussion.py).
DISCUSSION_OPTIONS = ("private", "answer_first", "answer_due_at", "brief")


def _check_reason(data: dict, flags: dict) -> str:
    """A moderation reason: text of at most 500 characters, only alongside a change."""
    reason = data.get("reason")
    if reason is None:
        return ""
    if not flags:
        raise ServiceError(
            "required", _("A reason goes with a moderation change (pinned, locked or hidden)."), 400, "reason"
        )
    return validation.text(reason, "reason", max_length=500, min_length=0)


@bp.get(f"/boards/<{ID}:board_id>/threads")
def list_threads(board_id):
    """The board's threads: pinned first, then by latest activity."""
    user = api_user()
    board = get_board_or_404(board_id, user)
    return jsonify(paginate(services.board_threads_query(board, user), lambda t: serialize_thread(t, user)))


@bp.post(f"/boards/<{ID}:board_id>/threads")
def create_thread(board_id):
    """Start a thread with its opening post (Markdown)."""
    user = api_user()
    board = get_board_or_404(board_id, user)
    data = json_body(required=("title", "body"), optional=("kind", "anonymous", *DISCUSSION_OPTIONS))
    thread = services.create_thread(
        user,
        board,
        data["title"],
        data["body"],
        data.get("kind") or "discussion",
        data["anonymous"] if data.get("anonymous") is not None else False,
        options={name: data[name] for name in DISCUSSION_OPTIONS if data.get(name) is not None},
    )
    response = jsonify(serialize_thread(thread, user, detail=True))
    response.headers["Location"] = url_for("api.get_thread", thread_id=thread.id)
    return response, 201


@bp.get(f"/threads/<{ID}:thread_id>")
def get_thread(thread_id):
    """One thread, with its opening post."""
    user = api_user()
    return jsonify(serialize_thread(get_thread_or_404(thread_id, user), user, detail=True))


@bp.patch(f"/threads/<{ID}:thread_id>")
def update_thread(thread_id):
    """Pin, lock or hide a thread (moderators, with an optional reason); rename it (its
    author while they may still edit it, or a moderator)."""
    user = api_user()
    thread = get_thread_or_404(thread_id, user)
    data = json_body(optional=("title", *MODERATION_FIELDS, "reason"))
    flags = {
        name: validation.boolean(value, name) for name, value in present(data, *MODERATION_FIELDS).items()
    }
    title = data.get("title")
    reason = _check_reason(data, flags)
    if not flags and title is None:
        raise nothing_to_change()
    if title is not None:
        title = validation.text(title, "title", max_length=current_app.config["FORUM_TITLE_MAX"])
    # Everything is checked above, so the moderation change (moderators only) and the
    # rename either both happen or the refusal comes before any write.
    if flags:
        services.moderate_thread(user, thread, reason, **flags)
    if title is not None:
        services.update_thread(user, thread, title)
    return jsonify(serialize_thread(thread, user, detail=True))


@bp.get(f"/threads/<{ID}:thread_id>/posts")
def list_posts(thread_id):
    """The thread's posts in order (hidden ones for moderators and their authors)."""
    user = api_user()
    thread = get_thread_or_404(thread_id, user)
    ctx = discussion_context(thread, user)  # forum/discussion: role labels and marks, loaded once
    return jsonify(
        paginate(
            services.visible_posts_query(thread, user),
            lambda p: with_discussion(serialize_post(p, user), p, ctx),
        )
    )


@bp.post(f"/threads/<{ID}:thread_id>/posts")
def create_post(thread_id):
    """Reply in a thread, optionally to one of its posts, anonymously where the board allows."""
    user = api_user()
    thread = get_thread_or_404(thread_id, user)
    data = json_body(required=("body",), optional=("reply_to", "anonymous"))
    reply_to = data.get("reply_to")
    if reply_to is not None:
        json_int(reply_to, "reply_to")
    post = services.create_post(
        user,
        thread,
        data["body"],
        reply_to,
        data["anonymous"] if data.get("anonymous") is not None else False,
    )
    response = jsonify(serialize_post_full(post, user))
    response.headers["Location"] = url_for("api.get_post", post_id=post.id)
    return response, 201


@bp.get(f"/posts/<{ID}:post_id>")
def get_post(post_id):
    """One post."""
    user = api_user()
    return jsonify(serialize_post_full(get_post_or_404(post_id, user), user))


@bp.patch(f"/posts/<{ID}:post_id>")
def update_post(post_id):
    """Edit a post's text (its author, or a moderator); hide or show it with a reason
    (moderators)."""
    user = api_user()
    post = get_post_or_404(post_id, user)
    data = json_body(optional=("body", "hidden", "reason"))
    flags = {name: validation.boolean(value, name) for name, value in present(data, "hidden").items()}
    body = data.get("body")
    reason = _check_reason(data, flags)
    if not flags and body is None:
        raise nothing_to_change()
    if body is not None:
        body = validation.text(body, "body", max_length=current_app.config["FORUM_POST_MAX"])
    if flags:
        services.moderate_post(user, post, hidden=flags["hidden"], reason=reason)
    if body is not None:
        services.edit_post(user, post, body)
    return jsonify(serialize_post_full(post, user))


@bp.delete(f"/posts/<{ID}:post_id>")
def delete_post(post_id):
    """Delete a post (soft: it keeps its place, its text goes); not the opening post."""
    user = api_user()
    services.delete_post(user, get_post_or_404(post_id, user))
    return "", 204


# --- OpenAPI ------------------------------------------------------------------------------

_REASON = {"type": "string", "maxLength": 500, "description": "Recorded in the audit log."}
schema(
    "ThreadCreate",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["title", "body"],
        "properties": {
            "title": {"type": "string", "minLength": 1, "maxLength": 200},
            "body": {"type": "string", "minLength": 1, "maxLength": 20000, "description": "Markdown."},
            "kind": {"type": "string", "enum": list(THREAD_KINDS), "default": "discussion"},
            "anonymous": {
                "type": "boolean",
                "default": False,
                "description": "Trainees, where the board allows it.",
            },
            # forum/discussion
            "private": {
                "type": "boolean",
                "default": False,
                "description": "A private question: only the asker and the cohort's staff see it.",
            },
            "answer_first": {
                "type": "boolean",
                "default": False,
                "description": "Staff, case and question threads: trainees see replies after posting one.",
            },
            "answer_due_at": {
                "type": "string",
                "format": "date-time",
                "nullable": True,
                "description": "With answer_first: after it every reply is visible (UTC without an offset).",
            },
            "brief": {"$ref": "#/components/schemas/CaseBriefUpdate"},
        },
    },
)
schema(
    "ThreadUpdate",
    {
        "type": "object",
        "additionalProperties": False,
        "minProperties": 1,
        "properties": {
            "title": {
                "type": "string",
                "minLength": 1,
                "maxLength": 200,
                "description": "The author (while they may edit) or a moderator.",
            },
            "pinned": {"type": "boolean", "description": "Moderators."},
            "locked": {"type": "boolean", "description": "Moderators."},
            "hidden": {"type": "boolean", "description": "Moderators."},
            "reason": _REASON,
        },
    },
)
schema(
    "PostCreate",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["body"],
        "properties": {
            "body": {"type": "string", "minLength": 1, "maxLength": 20000, "description": "Markdown."},
            "reply_to": {
                "type": "integer",
                "minimum": 1,
                "nullable": True,
                "description": "The id of a post of this thread.",
            },
            "anonymous": {
                "type": "boolean",
                "default": False,
                "description": "Trainees, where the board allows it.",
            },
        },
    },
)
schema(
    "PostUpdate",
    {
        "type": "object",
        "additionalProperties": False,
        "minProperties": 1,
        "properties": {
            "body": {
                "type": "string",
                "minLength": 1,
                "maxLength": 20000,
                "description": "The author (while they may edit) or a moderator.",
            },
            "hidden": {"type": "boolean", "description": "Moderators."},
            "reason": _REASON,
        },
    },
)
schema("ThreadPage", page_schema("Thread"))
schema("PostPage", page_schema("Post"))


document(
    "/boards/{board_id}/threads",
    {
        "parameters": [path_param("board_id")],
        "get": operation(
            "The board's threads, pinned first, then by latest activity",
            "ThreadPage",
            errors=(400, 404),
            params=PAGE_PARAMETERS,
            tag="threads",
        ),
        "post": operation(
            "Start a thread (archived cohort: 403)",
            "ThreadDetail",
            status=201,
            body="ThreadCreate",
            errors=(403, 404),
            tag="threads",
        ),
    },
)
document(
    "/threads/{thread_id}",
    {
        "parameters": [path_param("thread_id")],
        "get": operation(
            "A thread with its opening post (hidden threads: moderators only)",
            "ThreadDetail",
            errors=(404,),
            tag="threads",
        ),
        "patch": operation(
            "Moderate (pinned, locked, hidden, reason: moderators) or rename a thread",
            "ThreadDetail",
            body="ThreadUpdate",
            errors=(403, 404),
            tag="threads",
        ),
    },
)
document(
    "/threads/{thread_id}/posts",
    {
        "parameters": [path_param("thread_id")],
        "get": operation(
            "The thread's posts in order", "PostPage", errors=(400, 404), params=PAGE_PARAMETERS, tag="posts"
        ),
        "post": operation(
            "Reply (locked thread: 403 for trainees; archived cohort: 403)",
            "Post",
            status=201,
            body="PostCreate",
            errors=(403, 404),
            tag="posts",
        ),
    },
)
document(
    "/posts/{post_id}",
    {
        "parameters": [path_param("post_id")],
        "get": operation("A post", "Post", errors=(404,), tag="posts"),
        "patch": operation(
            "Edit (body: author or moderator) or hide/show (hidden, reason: moderators)",
            "Post",
            body="PostUpdate",
            errors=(403, 404),
            tag="posts",
        ),
        "delete": operation(
            "Delete a post (soft; not the opening post)",
            None,
            status=204,
            errors=(400, 403, 404),
            tag="posts",
        ),
    },
)
