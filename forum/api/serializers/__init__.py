"""JSON shapes of the forum's objects, as one viewer may see them.

Reused by every place that sends objects to a client (API, socket events):
``serialize_post(post, viewer)`` never shows an anonymous author to someone who may
not see it, in any field (author, last poster, editor). Every object with a page
carries ``id`` and ``url`` (the page's path).
"""


from forum.api.common import schema
from forum.permissions import (
    author_display,
    can_create_thread,
    can_delete_post,
    can_edit_post,
    can_manage_board,
    can_manage_cohort,
    can_moderate_cohort,
    can_moderate_thread,
    can_post_anonymously,
    can_reply,
    can_see_anonymous_author,
    can_view_post,
    cohort_role,
)
from forum.threads.services import opening_post
from forum.utils import isoformat


def cohort_url(cohort) -> str:
    return f"/cohorts/{cohort.slug}"


def board_url(board) -> str:
    return f"/boards/{board.id}"


def thread_url(thread) -> str:
    return f"/threads/{thread.id}"


def post_url(post) -> str:
    return f"/posts/{post.id}"


def _viewer_id(viewer):
    return getattr(viewer, "id", None) if getattr(viewer, "is_authenticated", False) else None


# --- people ------------------------------------------------------------------------------


def user_ref(user) -> dict | None:
    """A person as others see them: username and display name."""
    if user is None:
        return None
    return {"id": user.id, "username": user.username, "display_name": user.display_name}


def serialize_user(user) -> dict:
    """A person's own account details."""
    return {
        **user_ref(user),
        "role": user.role,
        "is_admin": user.is_admin,
        "locale": user.locale,
        "created_at": isoformat(user.created_at),
    }


def _identity(item, viewer, sees_anonymous: bool, *, last: bool = False) -> tuple[dict | None, str]:
    """``(author, author_label)`` for a viewer, from ``author_display``."""
    shown = author_display(item, viewer, last=last, sees_anonymous=sees_anonymous)
    return user_ref(shown.user), shown.name


# --- cohorts and boards ---------------------------------------------------------------------


def cohort_ref(cohort) -> dict:
    return {"id": cohort.id, "slug": cohort.slug, "url": cohort_url(cohort), "name": cohort.name}


def serialize_cohort(cohort, viewer=None) -> dict:
    """A cohort, with the viewer's role in it and whether they manage it."""
    data = {
        **cohort_ref(cohort),
        "kind": cohort.kind,
        "year": cohort.year,
        "language": cohort.language,
        "description": cohort.description or "",
        "archived": bool(cohort.archived),
        "created_at": isoformat(cohort.created_at),
    }
    if viewer is not None:
        data["role"] = cohort_role(viewer, cohort.id)
        data["can_manage"] = can_manage_cohort(viewer, cohort)
    return data


def serialize_membership(membership) -> dict:
    return {
        "user": user_ref(membership.user),
        "role": membership.role,
        "created_at": isoformat(membership.created_at),
    }


def board_ref(board) -> dict:
    return {"id": board.id, "url": board_url(board), "name": board.name}


def serialize_board(board, viewer=None) -> dict:
    """A board of a cohort, with what the viewer may do there."""
    data = {
        **board_ref(board),
        "cohort": cohort_ref(board.cohort),
        "description": board.description or "",
        "position": board.position,
        "anonymous_allowed": bool(board.anonymous_allowed),
        "kind": board.kind,  # forum/discussion: "discussion" or "announcement"
        "created_at": isoformat(board.created_at),
    }
    if viewer is not None:
        data["can_create_thread"] = can_create_thread(viewer, board)
        data["can_post_anonymously"] = can_post_anonymously(viewer, board)
        data["can_manage"] = can_manage_board(viewer, board)
    return data


# --- threads and posts ------------------------------------------------------------------


def serialize_thread(thread, viewer, *, detail: bool = False) -> dict:
    """A thread as ``viewer`` sees it; ``detail`` adds the opening post and edit right."""
    cohort = thread.board.cohort
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
        "mine": thread.author_id is not None and thread.author_id == _viewer_id(viewer),
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
        "can_moderate": can_moderate_thread(viewer, thread) and not cohort.archived,
    }
    if detail:
        first = opening_post(thread)
        visible = first is not None and can_view_post(viewer, first)
        data["opening_post"] = serialize_post(first, viewer) if visible else None
        data["can_edit"] = not cohort.archived and (
            can_moderate_thread(viewer, thread) or (first is not None and can_edit_post(viewer, first))
        )
    return data


def serialize_post(post, viewer) -> dict:
    """A post as ``viewer`` sees it (anonymity, deletion and hiding applied)."""
    thread = post.thread
    cohort = thread.board.cohort
    sees = can_see_anonymous_author(viewer, cohort)
    moderator = can_moderate_cohort(viewer, cohort)
    author, label = _identity(post, viewer, sees)
    mine = post.author_id is not None and post.author_id == _viewer_id(viewer)
    # The editor is the author on most edits: naming them would undo the anonymity.
    edited_by = None
    if post.edited_by_id is not None and (sees or not post.anonymous):
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
        "can_edit": can_edit_post(viewer, post),
        "can_delete": can_delete_post(viewer, post),
        "staff_note": bool(post.staff_note),  # forum/discussion: only staff ever receive these
    }
    if post.reply_to_id is not None and post.reply_to is not None:
        data["reply_to"] = {
            "id": post.reply_to.id,
            "number": post.reply_to.number,
            "url": post_url(post.reply_to),
        }
    return data


def serialize_me(user, memberships) -> dict:
    """The signed-in user with their cohorts and their role in each."""
    return {
        **serialize_user(user),
        "cohorts": [{**serialize_cohort(m.cohort, user), "role": m.role} for m in memberships],
    }


# --- OpenAPI schemas of these shapes --------------------------------------------------------

_STR = {"type": "string"}
_INT = {"type": "integer"}
_BOOL = {"type": "boolean"}
_TIME = {"type": "string", "format": "date-time"}
_NULLABLE_TIME = {"type": "string", "format": "date-time", "nullable": True}


def _ref(name: str, nullable: bool = False) -> dict:
    if nullable:
        return {"allOf": [{"$ref": f"#/components/schemas/{name}"}], "nullable": True}
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, required=None) -> dict:
    return {"type": "object", "properties": properties, "required": list(required or properties)}


schema("UserRef", _object({"id": _INT, "username": _STR, "display_name": _STR}))
schema(
    "User",
    _object(
        {
            "id": _INT,
            "username": _STR,
            "display_name": _STR,
            "role": {"type": "string", "enum": ["admin", "instructor", "trainee"]},
            "is_admin": _BOOL,
            "locale": {"type": "string", "nullable": True},
            "created_at": _TIME,
        }
    ),
)
schema("CohortRef", _object({"id": _INT, "slug": _STR, "url": _STR, "name": _STR}))
_COHORT = {
    "id": _INT,
    "slug": _STR,
    "url": _STR,
    "name": _STR,
    "kind": {"type": "string", "enum": ["national", "special", "foreign", "course"]},
    "year": {"type": "integer", "nullable": True},
    "language": {"type": "string", "enum": ["zh", "en"]},
    "description": _STR,
    "archived": _BOOL,
    "created_at": _TIME,
    "role": {
        "type": "string",
        "enum": ["instructor", "trainee"],
        "nullable": True,
        "description": "The caller's role in the cohort (null: not a member).",
    },
    "can_manage": _BOOL,
}
schema("Cohort", _object(_COHORT))
schema(
    "Me",
    {
        "allOf": [
            _ref("User"),
            _object({"cohorts": {"type": "array", "items": _ref("Cohort")}}),
        ]
    },
)
schema(
    "Membership",
    _object(
        {
            "user": _ref("UserRef"),
            "role": {"type": "string", "enum": ["instructor", "trainee"]},
            "created_at": _TIME,
        }
    ),
)
schema("BoardRef", _object({"id": _INT, "url": _STR, "name": _STR}))
schema(
    "Board",
    _object(
        {
            "id": _INT,
            "url": _STR,
            "name": _STR,
            "cohort": _ref("CohortRef"),
            "description": _STR,
            "position": _INT,
            "anonymous_allowed": _BOOL,
            "kind": {"type": "string", "enum": ["discussion", "announcement"]},
            "created_at": _TIME,
            "can_create_thread": _BOOL,
            "can_post_anonymously": _BOOL,
            "can_manage": _BOOL,
        }
    ),
)
_AUTHOR = {
    "author": {
        **_ref("UserRef", nullable=True),
        "description": "null when anonymous to the caller, or a removed account",
    },
    "author_label": {"type": "string", "description": 'The name to show ("Anonymous trainee").'},
    "anonymous": _BOOL,
    "mine": {"type": "boolean", "description": "Written by the caller."},
}
schema("PostRef", _object({"id": _INT, "number": _INT, "url": _STR}))
schema(
    "Post",
    _object(
        {
            "id": _INT,
            "url": _STR,
            "thread_id": _INT,
            "thread_url": _STR,
            "number": _INT,
            "body": {"type": "string", "description": "Markdown source (empty once deleted)."},
            "body_html": {"type": "string", "description": "Sanitized HTML."},
            **_AUTHOR,
            "reply_to": _ref("PostRef", nullable=True),
            "created_at": _TIME,
            "edited_at": _NULLABLE_TIME,
            "edited_by": _ref("UserRef", nullable=True),
            "hidden": _BOOL,
            "hidden_reason": _STR,
            "deleted": _BOOL,
            "deleted_at": _NULLABLE_TIME,
            "can_edit": _BOOL,
            "can_delete": _BOOL,
            # forum/discussion (role and marks: in thread post lists and single posts)
            "staff_note": _BOOL,
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
_THREAD = {
    "id": _INT,
    "url": _STR,
    "board": _ref("BoardRef"),
    "cohort": _ref("CohortRef"),
    "title": _STR,
    "kind": {"type": "string", "enum": ["discussion", "case", "research", "question"]},
    "pinned": _BOOL,
    "locked": _BOOL,
    "hidden": _BOOL,
    **_AUTHOR,
    "created_at": _TIME,
    "last_activity_at": _TIME,
    "last_poster": _ref("UserRef", nullable=True),
    "last_poster_label": _STR,
    "reply_count": _INT,
    "private": _BOOL,
    "answer_first": _BOOL,
    "answer_due_at": _NULLABLE_TIME,
    "can_reply": _BOOL,
    "can_moderate": _BOOL,
}
schema("Thread", _object(_THREAD))
schema(
    "ThreadDetail",
    {
        "allOf": [
            _ref("Thread"),
            _object({"opening_post": _ref("Post", nullable=True), "can_edit": _BOOL}),
        ]
    },
)
