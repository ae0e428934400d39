"""The OpenAPI paths and schemas of forum/api/discussion.py."""

from forum.api.common import document, operation, path_param, schema
from forum.discussion.models import MARK_KINDS

# --- OpenAPI ------------------------------------------------------------------------------

_STR = {"type": "string"}
_TIME = {"type": "string", "format": "date-time"}
_MARKS = {"type": "array", "items": {"type": "string", "enum": list(MARK_KINDS)}}
_TEXT = {"type": "string", "maxLength": 20000, "description": "Markdown."}

schema(
    "DiscussionPostFields",
    {
        "type": "object",
        "description": "Added to every Post object by the discussion features.",
        "properties": {
            "staff_note": {"type": "boolean", "description": "Only the cohort's staff see staff notes."},
            "role": {"type": "string", "nullable": True, "description": "The author's role in this case."},
            "marks": _MARKS,
        },
    },
)
schema(
    "CaseBrief",
    {
        "type": "object",
        "properties": {
            "background": _STR,
            "background_html": _STR,
            "questions": _STR,
            "questions_html": _STR,
            "teaching_notes": {"type": "string", "description": "Staff only (absent for trainees)."},
            "teaching_notes_html": {"type": "string", "description": "Staff only (absent for trainees)."},
            "materials": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "title": _STR,
                        "url": {"type": "string", "nullable": True},
                    },
                },
            },
            "updated_at": _TIME,
        },
    },
)
schema(
    "ThreadDiscussion",
    {
        "type": "object",
        "properties": {
            "thread_id": {"type": "integer"},
            "url": _STR,
            "kind": _STR,
            "private": {"type": "boolean", "description": "Only the asker and the cohort's staff see it."},
            "answer_first": {
                "type": "boolean",
                "description": "Trainees see others' replies after posting one.",
            },
            "answer_due_at": {**_TIME, "nullable": True, "description": "After it, every reply is visible."},
            "must_answer_first": {"type": "boolean", "description": "The caller has to reply first."},
            "brief": {"allOf": [{"$ref": "#/components/schemas/CaseBrief"}], "nullable": True},
            "summary": {
                "type": "object",
                "nullable": True,
                "properties": {"body": _STR, "body_html": _STR, "updated_at": _TIME},
            },
            "roles": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"user": {"$ref": "#/components/schemas/UserRef"}, "label": _STR},
                },
            },
            "marks": {
                "type": "object",
                "description": "Mark kind -> ids of visible posts.",
                "properties": {k: {"type": "array", "items": {"type": "integer"}} for k in MARK_KINDS},
            },
            "highlights": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Post"},
                "description": "Accepted and endorsed answers (questions), key contributions.",
            },
            "can": {"type": "object", "additionalProperties": {"type": "boolean"}},
        },
    },
)
schema(
    "DiscussionSettings",
    {
        "type": "object",
        "additionalProperties": False,
        "minProperties": 1,
        "properties": {
            "private": {"type": "boolean"},
            "answer_first": {"type": "boolean", "description": "Case and question threads."},
            "answer_due_at": {**_TIME, "nullable": True, "description": "ISO 8601; UTC without an offset."},
        },
    },
)
schema(
    "CaseBriefUpdate",
    {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "background": _TEXT,
            "questions": _TEXT,
            "teaching_notes": _TEXT,
            "material_ids": {"type": "array", "maxItems": 30, "items": {"type": "integer", "minimum": 1}},
        },
    },
)
schema(
    "SummaryUpdate",
    {"type": "object", "additionalProperties": False, "required": ["body"], "properties": {"body": _TEXT}},
)
schema(
    "RoleUpdate",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["label"],
        "properties": {"label": {"type": "string", "minLength": 1, "maxLength": 60}},
    },
)
schema(
    "Role",
    {"type": "object", "properties": {"user": {"$ref": "#/components/schemas/UserRef"}, "label": _STR}},
)
schema(
    "StaffNoteCreate",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["body"],
        "properties": {"body": {**_TEXT, "minLength": 1}, "reply_to": {"type": "integer", "minimum": 1}},
    },
)


_USERNAME = {
    "name": "username",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "maxLength": 64},
}
_KIND = {
    "name": "kind",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "enum": list(MARK_KINDS)},
}

document(
    "/threads/{thread_id}/discussion",
    {
        "parameters": [path_param("thread_id")],
        "get": operation(
            "A thread's discussion features as the caller sees them",
            "ThreadDiscussion",
            errors=(404,),
            tag="discussion",
        ),
        "patch": operation(
            "Private / answer before you see / first-answer due date (staff)",
            "ThreadDiscussion",
            body="DiscussionSettings",
            errors=(403, 404),
            tag="discussion",
        ),
    },
)
document(
    "/threads/{thread_id}/brief",
    {
        "parameters": [path_param("thread_id")],
        "put": operation(
            "Write a case thread's brief (staff; all fields empty removes it)",
            "ThreadDiscussion",
            body="CaseBriefUpdate",
            errors=(403, 404),
            tag="discussion",
        ),
        "delete": operation(
            "Remove the brief (staff)", None, status=204, errors=(403, 404), tag="discussion"
        ),
    },
)
document(
    "/threads/{thread_id}/summary",
    {
        "parameters": [path_param("thread_id")],
        "put": operation(
            "Write the pinned summary of a research or case thread (staff)",
            "ThreadDiscussion",
            body="SummaryUpdate",
            errors=(403, 404),
            tag="discussion",
        ),
        "delete": operation(
            "Remove the summary (staff)", None, status=204, errors=(403, 404), tag="discussion"
        ),
    },
)
document(
    "/threads/{thread_id}/roles/{username}",
    {
        "parameters": [path_param("thread_id"), _USERNAME],
        "put": operation(
            "Give a trainee a role in a case thread (staff)",
            "Role",
            body="RoleUpdate",
            errors=(403, 404),
            tag="discussion",
        ),
        "delete": operation(
            "Take the role away (staff)", None, status=204, errors=(403, 404), tag="discussion"
        ),
    },
)
document(
    "/posts/{post_id}/marks/{kind}",
    {
        "parameters": [path_param("post_id"), _KIND],
        "put": operation(
            "Accept (question: asker or staff), endorse or mark a key contribution (staff); "
            "accepting moves the question's accepted answer",
            "Post",
            errors=(403, 404),
            tag="discussion",
        ),
        "delete": operation("Take the mark away", "Post", errors=(403, 404), tag="discussion"),
    },
)
document(
    "/threads/{thread_id}/staff-notes",
    {
        "parameters": [path_param("thread_id")],
        "post": operation(
            "Leave a staff-only note in a thread (staff)",
            "Post",
            status=201,
            body="StaffNoteCreate",
            errors=(403, 404),
            tag="discussion",
        ),
    },
)
