"""Threads and posts as one viewer sees them: every field naming a person (author, last
poster, editor) follows ``author_display``, and what the viewer may do follows the post
rules of ``post_rights``."""

from forum.api.common import schema
from forum.api.serializers.common import (
    BOOLEAN,
    DATE_TIME,
    INTEGER,
    NULLABLE_DATE_TIME,
    STRING,
    board_ref,
    cohort_ref,
    object_schema,
    post_ref,
    post_url,
    schema_ref,
    thread_url,
    user_ref,
)
from forum.permissions import (
    author_concealed,
    author_display,
    can_rename_thread,
    can_reply,
    can_see_anonymous_author,
    post_rights,
)
from forum.threads.services import opening_post
from forum.utils import isoformat


def _identity(item, viewer, sees_anonymous: bool, *, last: bool = False) -> tuple[dict | None, str]:
    """``(author, author_label)`` for a viewer, from ``author_display``."""
    shown = author_display(item, viewer, last=last, sees_anonymous=sees_anonymous)
    return user_ref(shown.user), shown.name


def serialize_thread(thread, viewer, *, detail: bool = False) -> dict:
    """A thread as ``viewer`` sees it; ``detail`` adds the opening post and edit right."""
    cohort = thread.board.cohort
    rights = post_rights(viewer, thread)
    sees = can_see_anonymous_author(viewer, cohort)
    author, label = _identity(thread, viewer, sees)
    last_poster, last_label = _identity(thread, viewer, sees, last=True)
    data = {
        "id": thread.id,
        "url": thread_url(thread),
        "board": board_ref(thread.board),
        "cohort": cohort_ref(cohort),
        "title": thread.title,
        "kind": thread.kind,
        "pinned": bool(thread.pinned),
        "locked": bool(thread.locked),
        "hidden": bool(thread.hidden),
        "anonymous": bool(thread.anonymous),
        "author": author,
        "author_label": label,
        "mine": thread.author_id is not None and thread.author_id == rights.viewer.id,
        "created_at": isoformat(thread.created_at),
        "last_activity_at": isoformat(thread.last_activity_at),
        "last_poster": last_poster,
        "last_poster_label": last_label,
        "reply_count": thread.reply_count,
        # forum/discussion: private question, answer before you see
        "private": bool(thread.private),
        "answer_first": bool(thread.answer_first),
        "answer_due_at": isoformat(thread.answer_due_at),
        "can_reply": can_reply(viewer, thread),
        "can_moderate": rights.moderator and not cohort.archived,
    }
    if detail:
        first = opening_post(thread)
        visible = first is not None and rights.can_view(first)
        data["opening_post"] = serialize_post(first, viewer) if visible else None
        data["can_edit"] = can_rename_thread(viewer, thread, first)
    return data


def serialize_post(post, viewer) -> dict:
    """A post as ``viewer`` sees it (anonymity, deletion and hiding applied)."""
    thread = post.thread
    rights = post_rights(viewer, thread)  # can_view_post, can_edit_post, can_delete_post
    moderator = rights.moderator
    sees = can_see_anonymous_author(viewer, thread.board.cohort)
    author, label = _identity(post, viewer, sees)
    mine = post.author_id is not None and post.author_id == rights.viewer.id
    # The editor is the author on most edits: naming them would undo the anonymity.
    edited_by = None
    if post.edited_by_id is not None and not author_concealed(post, viewer, sees_anonymous=sees):
        edited_by = user_ref(post.edited_by)
    # A deleted post keeps its place in the thread; only moderators still read it.
    show_body = not post.is_deleted or moderator
    data = {
        "id": post.id,
        "url": post_url(post),
        "thread_id": thread.id,
        "thread_url": thread_url(thread),
        "number": post.number,
        "body": post.body if show_body else "",
        "body_html": post.body_html if show_body else "",
        "author": author,
        "author_label": label,
        "anonymous": bool(post.anonymous),
        "mine": mine,
        "reply_to": None,
        "created_at": isoformat(post.created_at),
        "edited_at": isoformat(post.edited_at),
        "edited_by": edited_by,
        "hidden": bool(post.hidden),
        "hidden_reason": post.hidden_reason if post.hidden and (moderator or mine) else "",
        "deleted": post.is_deleted,
        "deleted_at": isoformat(post.deleted_at),
        "can_edit": rights.can_edit(post),
        "can_delete": rights.can_delete(post),
        "staff_note": bool(post.staff_note),  # forum/discussion: only staff ever receive these
    }
    if post.reply_to_id is not None and post.reply_to is not None:
        data["reply_to"] = post_ref(post.reply_to)
    return data


# --- OpenAPI schemas ---------------------------------------------------------------------

_AUTHOR = {
    "author": {
        **schema_ref("UserRef", nullable=True),
        "description": "null when anonymous to the caller, or a removed account",
    },
    "author_label": {"type": "string", "description": 'The name to show ("Anonymous trainee").'},
    "anonymous": BOOLEAN,
    "mine": {"type": "boolean", "description": "Written by the caller."},
}
schema(
    "Post",
    object_schema(
        {
            "id": INTEGER,
            "url": STRING,
            "thread_id": INTEGER,
            "thread_url": STRING,
            "number": INTEGER,
            "body": {"type": "string", "description": "Markdown source (empty once deleted)."},
            "body_html": {"type": "string", "description": "Sanitized HTML."},
            **_AUTHOR,
            "reply_to": schema_ref("PostRef", nullable=True),
            "created_at": DATE_TIME,
            "edited_at": NULLABLE_DATE_TIME,
            "edited_by": schema_ref("UserRef", nullable=True),
            "hidden": BOOLEAN,
            "hidden_reason": STRING,
            "deleted": BOOLEAN,
            "deleted_at": NULLABLE_DATE_TIME,
            "can_edit": BOOLEAN,
            "can_delete": BOOLEAN,
            # forum/discussion (role and marks: in thread post lists and single posts)
            "staff_note": BOOLEAN,
            "role": {"type": "string", "nullable": True, "description": "The author's role in this case."},
            "marks": {"type": "array", "items": {"type": "string", "enum": ["accepted", "endorsed", "key"]}},
        },
        required=[
            "id",
            "url",
            "thread_id",
            "thread_url",
            "number",
            "body",
            "body_html",
            "author",
            "author_label",
            "anonymous",
            "mine",
            "reply_to",
            "created_at",
            "edited_at",
            "edited_by",
            "hidden",
            "hidden_reason",
            "deleted",
            "deleted_at",
            "can_edit",
            "can_delete",
            "staff_note",
        ],
    ),
)
schema(
    "Thread",
    object_schema(
        {
            "id": INTEGER,
            "url": STRING,
            "board": schema_ref("BoardRef"),
            "cohort": schema_ref("CohortRef"),
            "title": STRING,
            "kind": {"type": "string", "enum": ["discussion", "case", "research", "question"]},
            "pinned": BOOLEAN,
            "locked": BOOLEAN,
            "hidden": BOOLEAN,
            **_AUTHOR,
            "created_at": DATE_TIME,
            "last_activity_at": DATE_TIME,
            "last_poster": schema_ref("UserRef", nullable=True),
            "last_poster_label": STRING,
            "reply_count": INTEGER,
            "private": BOOLEAN,
            "answer_first": BOOLEAN,
            "answer_due_at": NULLABLE_DATE_TIME,
            "can_reply": BOOLEAN,
            "can_moderate": BOOLEAN,
        }
    ),
)
schema(
    "ThreadDetail",
    {
        "allOf": [
            schema_ref("Thread"),
            object_schema({"opening_post": schema_ref("Post", nullable=True), "can_edit": BOOLEAN}),
        ]
    },
)
