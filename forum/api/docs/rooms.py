"""The OpenAPI description of the live-room endpoints (forum/api/rooms.py)."""

from forum.api.common import PAGE_PARAMETERS, document, error_responses, page_schema, path_param, schema
from forum.rooms.services import HISTORY_MAX

# --- OpenAPI ----------------------------------------------------------------------------------

_ROOM_ID = path_param("room_id")
_SLUG = path_param("slug", "string")


def _json(ref: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


schema(
    "Author",
    {
        "type": "object",
        "nullable": True,
        "properties": {"username": {"type": "string"}, "display_name": {"type": "string"}},
    },
)
schema(
    "RoomMessage",
    {
        "type": "object",
        "required": ["id", "room_id", "client_id", "author", "body_html", "created_at"],
        "properties": {
            "id": {"type": "integer"},
            "room_id": {"type": "integer"},
            "client_id": {"type": "string"},
            "author": {"$ref": "#/components/schemas/Author"},
            "body_html": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
            "reply_to": {
                "type": "object",
                "nullable": True,
                "properties": {
                    "id": {"type": "integer"},
                    "deleted": {"type": "boolean"},
                    "author": {"$ref": "#/components/schemas/Author"},
                    "excerpt": {"type": "string"},
                },
            },
        },
    },
)
schema(
    "Room",
    {
        "type": "object",
        "required": ["id", "url", "name", "status"],
        "properties": {
            "id": {"type": "integer"},
            "url": {"type": "string"},
            "cohort": {"type": "string"},
            "name": {"type": "string"},
            "status": {"type": "string", "enum": ["open", "closed"]},
            "thread_id": {"type": "integer", "nullable": True},
            "slow_mode_seconds": {"type": "integer"},
            "pinned": {"allOf": [{"$ref": "#/components/schemas/RoomMessage"}], "nullable": True},
            "created_at": {"type": "string", "format": "date-time"},
            "closed_at": {"type": "string", "format": "date-time", "nullable": True},
        },
    },
)
schema("RoomPage", page_schema("Room"))

document(
    "/cohorts/{slug}/rooms",
    {
        "get": {
            "summary": "A cohort's live rooms",
            "tags": ["rooms"],
            "parameters": [_SLUG, *PAGE_PARAMETERS],
            "responses": {
                "200": {"description": "Rooms", "content": _json("RoomPage")},
                **error_responses(400, 401, 404),
            },
        },
        "post": {
            "summary": "Open a room (instructors)",
            "tags": ["rooms"],
            "parameters": [_SLUG],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["name"],
                            "properties": {
                                "name": {"type": "string", "maxLength": 120},
                                "thread_id": {"type": "integer"},
                            },
                        }
                    }
                },
            },
            "responses": {
                "201": {"description": "The room", "content": _json("Room")},
                **error_responses(400, 401, 403, 404, 415),
            },
        },
    },
)
document(
    "/rooms/{room_id}",
    {
        "get": {
            "summary": "A room",
            "tags": ["rooms"],
            "parameters": [_ROOM_ID],
            "responses": {
                "200": {"description": "The room", "content": _json("Room")},
                **error_responses(401, 404),
            },
        },
        "patch": {
            "summary": "Close/reopen, slow mode, pin (instructors)",
            "tags": ["rooms"],
            "parameters": [_ROOM_ID],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "status": {"type": "string", "enum": ["open", "closed"]},
                                "slow_mode_seconds": {"type": "integer", "minimum": 0, "maximum": 3600},
                                "pinned_message_id": {"type": "integer", "nullable": True},
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": {"description": "The room", "content": _json("Room")},
                **error_responses(400, 401, 403, 404, 415),
            },
        },
    },
)
document(
    "/rooms/{room_id}/messages",
    {
        "get": {
            "summary": "Messages in order (catch-up with after)",
            "tags": ["rooms"],
            "parameters": [
                _ROOM_ID,
                {"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                {"name": "before", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                {
                    "name": "limit",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": HISTORY_MAX},
                },
            ],
            "responses": {
                "200": {
                    "description": "Messages",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "items": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/RoomMessage"},
                                    },
                                    "more": {"type": "boolean"},
                                },
                            }
                        }
                    },
                },
                **error_responses(400, 401, 404),
            },
        },
        "post": {
            "summary": "Send a message (idempotent by client_id)",
            "tags": ["rooms"],
            "parameters": [_ROOM_ID],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["body", "client_id"],
                            "properties": {
                                "body": {"type": "string"},
                                "client_id": {"type": "string", "maxLength": 64},
                                "reply_to": {"type": "integer"},
                            },
                        }
                    }
                },
            },
            "responses": {
                "201": {"description": "Stored", "content": _json("RoomMessage")},
                "200": {"description": "Already stored (resend)", "content": _json("RoomMessage")},
                **error_responses(400, 401, 403, 404, 415, 429),
            },
        },
    },
)
document(
    "/rooms/{room_id}/messages/{message_id}",
    {
        "delete": {
            "summary": "Delete a message (instructors)",
            "tags": ["rooms"],
            "parameters": [
                _ROOM_ID,
                path_param("message_id"),
            ],
            "responses": {"204": {"description": "Deleted"}, **error_responses(401, 403, 404)},
        },
    },
)
document(
    "/rooms/{room_id}/mutes/{username}",
    {
        "put": {
            "summary": "Mute a trainee in the room (instructors)",
            "tags": ["rooms"],
            "parameters": [
                _ROOM_ID,
                path_param("username", "string"),
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["minutes"],
                            "properties": {
                                "minutes": {"type": "integer", "minimum": 0, "maximum": 1440},
                                "reason": {"type": "string"},
                            },
                        }
                    }
                },
            },
            "responses": {"200": {"description": "The mute"}, **error_responses(400, 401, 403, 404, 415)},
        },
    },
)
document(
    "/rooms/{room_id}/transcript",
    {
        "get": {
            "summary": "The transcript as Markdown",
            "tags": ["rooms"],
            "parameters": [_ROOM_ID],
            "responses": {
                "200": {
                    "description": "Markdown",
                    "content": {"text/markdown": {"schema": {"type": "string"}}},
                },
                **error_responses(401, 404),
            },
        },
    },
)
document(
    "/rooms/{room_id}/transcript/thread",
    {
        "post": {
            "summary": "Append a closed room's transcript to its thread (instructors)",
            "tags": ["rooms"],
            "parameters": [_ROOM_ID],
            "responses": {"201": {"description": "The posts"}, **error_responses(400, 401, 403, 404, 409)},
        },
    },
)
