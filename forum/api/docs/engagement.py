"""The OpenAPI entries of the engagement endpoints (forum/api/engagement.py)."""

from forum.api.common import PAGE_PARAMETERS, document, operation, page_schema, path_param, schema
from forum.engagement.models import NOTIFICATION_KINDS, REACTION_KINDS, WATCH_LEVELS

# --- OpenAPI ------------------------------------------------------------------------------------


def _obj(properties: dict, required: list | None = None) -> dict:
    spec = {"type": "object", "properties": properties}
    if required:
        spec["required"] = required
    return spec


_INT = {"type": "integer"}
_STR = {"type": "string"}
_BOOL = {"type": "boolean"}
_TIME = {"type": "string", "format": "date-time"}
_USER = {"$ref": "#/components/schemas/UserRef"}
_LEVEL = {"type": "string", "enum": list(WATCH_LEVELS)}
_KIND_PARAM = {
    "name": "kind",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "enum": list(REACTION_KINDS)},
}

schema(
    "Reactions",
    _obj(
        {
            "post_id": _INT,
            "counts": {"type": "object", "additionalProperties": _INT, "description": "kind -> count"},
            "mine": {"type": "array", "items": {"type": "string", "enum": list(REACTION_KINDS)}},
            "kinds": {"type": "array", "items": _STR},
        },
        ["post_id", "counts", "mine"],
    ),
)
schema(
    "Revision",
    _obj(
        {
            "number": _INT,
            "current": _BOOL,
            "body": _STR,
            "body_html": _STR,
            "editor": {**_USER, "nullable": True, "description": "Who wrote this version."},
            "created_at": _TIME,
        }
    ),
)
schema(
    "Revisions",
    _obj(
        {
            "post_id": _INT,
            "url": _STR,
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Revision"}},
        }
    ),
)
schema(
    "ReadState",
    _obj(
        {
            "thread_id": _INT,
            "last_read_number": _INT,
            "unread": _INT,
            "new": _BOOL,
            "first_unread_number": {"type": "integer", "nullable": True},
            "first_unread_url": _STR,
        }
    ),
)
schema("ReadStateUpdate", _obj({"last_read_number": {"type": "integer", "minimum": 0}}, ["last_read_number"]))
schema("BoardReadState", _obj({"board_id": _INT, "unread_threads": _INT, "marked": _INT}))
schema(
    "Notification",
    _obj(
        {
            "id": _INT,
            "kind": {"type": "string", "enum": list(NOTIFICATION_KINDS)},
            "text": _STR,
            "actor": {
                **_USER,
                "nullable": True,
                "description": "Null when the actor wrote anonymously and the caller may not know them.",
            },
            "actor_label": _STR,
            "thread": {**_obj({"id": _INT, "title": _STR, "url": _STR}), "nullable": True},
            "post": {**_obj({"id": _INT, "number": _INT, "url": _STR}), "nullable": True},
            "excerpt": _STR,
            "url": {"type": "string", "description": "Opens it (and marks it read)."},
            "target_url": {"type": "string", "nullable": True},
            "read": _BOOL,
            "created_at": _TIME,
        }
    ),
)
OPENAPI_NOTIFICATION_PAGE = page_schema("Notification")
OPENAPI_NOTIFICATION_PAGE["properties"]["unread_count"] = _INT
schema("NotificationPage", OPENAPI_NOTIFICATION_PAGE)
schema("UnreadCount", _obj({"unread_count": _INT}, ["unread_count"]))
schema(
    "NotificationsRead",
    _obj(
        {"ids": {"type": "array", "maxItems": 100, "items": {"type": "integer", "minimum": 1}}, "all": _BOOL}
    ),
)
schema("ThreadWatch", _obj({"thread_id": _INT, "level": _LEVEL}))
schema("BoardWatch", _obj({"board_id": _INT, "level": _LEVEL}))
schema("WatchUpdate", _obj({"level": _LEVEL}, ["level"]))
schema("MentionCandidates", _obj({"items": {"type": "array", "items": _USER}}))
schema(
    "SimilarThreads",
    _obj(
        {
            "items": {
                "type": "array",
                "items": _obj(
                    {
                        "id": _INT,
                        "title": _STR,
                        "url": _STR,
                        "reply_count": _INT,
                        "board": _obj({"id": _INT, "name": _STR}),
                    }
                ),
            }
        }
    ),
)

document(
    "/posts/{post_id}/reactions",
    {
        "parameters": [path_param("post_id")],
        "get": operation(
            "A post's reactions and the caller's own", "Reactions", errors=(404,), tag="engagement"
        ),
    },
)
document(
    "/posts/{post_id}/reactions/{kind}",
    {
        "parameters": [path_param("post_id"), _KIND_PARAM],
        "put": operation(
            "React to a post (not one's own; archived cohort: 403)",
            "Reactions",
            errors=(400, 403, 404),
            tag="engagement",
        ),
        "delete": operation("Take back a reaction", "Reactions", errors=(400, 403, 404), tag="engagement"),
    },
)
document(
    "/posts/{post_id}/revisions",
    {
        "parameters": [path_param("post_id")],
        "get": operation(
            "Every version of a post, newest first (its author and the staff)",
            "Revisions",
            errors=(403, 404),
            tag="engagement",
        ),
    },
)
document(
    "/threads/{thread_id}/read-state",
    {
        "parameters": [path_param("thread_id")],
        "get": operation(
            "How far the caller has read a thread", "ReadState", errors=(404,), tag="engagement"
        ),
        "put": operation(
            "Record reading up to a post number (never backwards)",
            "ReadState",
            body="ReadStateUpdate",
            errors=(404,),
            tag="engagement",
        ),
    },
)
document(
    "/boards/{board_id}/read-state",
    {
        "parameters": [path_param("board_id")],
        "get": operation(
            "How many threads of a board have unread posts", "BoardReadState", errors=(404,), tag="engagement"
        ),
        "post": operation(
            "Mark every thread of a board read", "BoardReadState", errors=(404,), tag="engagement"
        ),
    },
)
document(
    "/notifications",
    {
        "get": operation(
            "The caller's notifications, newest first",
            "NotificationPage",
            errors=(400,),
            params=[*PAGE_PARAMETERS, {"name": "unread", "in": "query", "schema": {"type": "boolean"}}],
            tag="engagement",
        )
    },
)
document(
    "/notifications/unread-count",
    {"get": operation("The caller's unread notification count", "UnreadCount", tag="engagement")},
)
document(
    "/notifications/read",
    {
        "post": operation(
            "Mark notifications read (ids, or all)", "UnreadCount", body="NotificationsRead", tag="engagement"
        )
    },
)
for _name, _ref in (("thread", "ThreadWatch"), ("board", "BoardWatch")):
    document(
        f"/{_name}s/{{{_name}_id}}/watch",
        {
            "parameters": [path_param(f"{_name}_id")],
            "get": operation(
                f"The caller's notification level for a {_name}", _ref, errors=(404,), tag="engagement"
            ),
            "put": operation(
                f"Set the caller's notification level for a {_name}",
                _ref,
                body="WatchUpdate",
                errors=(404,),
                tag="engagement",
            ),
        },
    )
document(
    "/cohorts/{slug}/mentions",
    {
        "parameters": [path_param("slug", "string")],
        "get": operation(
            "Members of a cohort to @mention (members only)",
            "MentionCandidates",
            errors=(400, 404),
            params=[{"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 64}}],
            tag="engagement",
        ),
    },
)
document(
    "/similar-threads",
    {
        "get": operation(
            "Visible threads whose titles look like a new one's",
            "SimilarThreads",
            errors=(400, 404),
            params=[
                {
                    "name": "title",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "string", "maxLength": 200},
                },
                {"name": "cohort", "in": "query", "schema": {"type": "string"}},
            ],
            tag="engagement",
        )
    },
)
