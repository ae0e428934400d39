"""The OpenAPI description of the moderation endpoints (forum/api/moderation.py)."""

from forum.api.common import PAGE_PARAMETERS, document, operation, page_schema, path_param, schema
from forum.moderation import mutes

# --- OpenAPI --------------------------------------------------------------------------------


def _query(name, description, **extra):
    return {"name": name, "in": "query", "description": description, "schema": {"type": "string", **extra}}


_SLUG = path_param("slug", "string")


def _body(name, required, **properties):
    schema(name, {"type": "object", "required": list(required), "properties": properties})


_STR, _INT, _BOOL = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
_REASON = {"type": "string", "maxLength": 500}
_body("ThreadMove", ["board_id"], board_id=_INT, reason=_REASON)
_body("ThreadMerge", ["target_id"], target_id=_INT, reason=_REASON)
_body(
    "ThreadSplit",
    ["post_ids", "title"],
    post_ids={"type": "array", "items": _INT, "maxItems": 500},
    title=_STR,
    reason=_REASON,
)
_body("ThreadAssign", [], username={"type": "string", "nullable": True}, reason=_REASON)
_body(
    "ThreadAssignment",
    ["thread_id", "assigned_to"],
    thread_id=_INT,
    assigned_to={"type": "string", "nullable": True},
)
_body("FeatureChange", ["featured"], featured=_BOOL, reason=_REASON)
_body("ReportCreate", ["reason"], reason=_REASON)
_body("ReportCreated", ["id", "status"], id=_INT, status=_STR)
_body(
    "QueueAction",
    ["action"],
    action={"type": "string", "enum": ["dismiss", "hide", "warn", "approve", "reject"]},
    reason={
        "type": "string",
        "maxLength": 1000,
        "description": "hide: shown to the author; warn: the warning's text (required).",
    },
)
_body(
    "MuteCreate",
    ["username", "minutes"],
    username=_STR,
    minutes={"type": "integer", "minimum": 1, "maximum": mutes.MAX_MUTE_MINUTES},
    reason=_REASON,
)
_body(
    "WarningCreate",
    ["username", "message"],
    username=_STR,
    message={"type": "string", "maxLength": 1000},
    post_id=_INT,
)
_body(
    "WatchedWordCreate",
    ["word", "action"],
    word={"type": "string", "maxLength": 200},
    action={"type": "string", "enum": ["hold", "block", "replace"]},
    replacement={"type": "string", "maxLength": 200},
    is_regex=_BOOL,
)
_body(
    "WatchedWordUpdate",
    [],
    word={"type": "string", "maxLength": 200},
    action={"type": "string", "enum": ["hold", "block", "replace"]},
    replacement={"type": "string", "maxLength": 200},
    is_regex=_BOOL,
)
for _name in ("AuditEntry", "ReviewItem", "Mute", "ConductWarning", "WatchedWord", "PostBrief"):
    schema(f"{_name}Page", page_schema(_name))

_TAG = "moderation"
document(
    "/audit",
    {
        "get": operation(
            "Moderation actions, newest first (admins: all; instructors: their cohorts)",
            "AuditEntryPage",
            errors=(400, 403, 404),
            tag=_TAG,
            params=[
                _query("cohort", "Cohort slug"),
                _query("action", "e.g. hide_post"),
                _query("actor", "Username"),
                _query("target_type", "post, thread, user ..."),
                _query("from", "First day (YYYY-MM-DD)", format="date"),
                _query("to", "Last day (YYYY-MM-DD)", format="date"),
                *PAGE_PARAMETERS,
            ],
        )
    },
)
document(
    "/threads/{thread_id}/move",
    {
        "parameters": [path_param("thread_id")],
        "post": operation(
            "Move a thread to another board (admins: to another cohort)",
            "ThreadDetail",
            body="ThreadMove",
            errors=(403, 404),
            tag=_TAG,
        ),
    },
)
document(
    "/threads/{thread_id}/merge",
    {
        "parameters": [path_param("thread_id")],
        "post": operation(
            "Merge this thread into target_id (posts renumbered in time order)",
            "ThreadDetail",
            body="ThreadMerge",
            errors=(403, 404, 409),
            tag=_TAG,
        ),
    },
)
document(
    "/threads/{thread_id}/split",
    {
        "parameters": [path_param("thread_id")],
        "post": operation(
            "Split replies into a new thread",
            "ThreadDetail",
            status=201,
            body="ThreadSplit",
            errors=(403, 404),
            tag=_TAG,
        ),
    },
)
document(
    "/threads/{thread_id}/assignee",
    {
        "parameters": [path_param("thread_id")],
        "put": operation(
            "Assign a thread to an instructor of its cohort (null clears)",
            "ThreadAssignment",
            body="ThreadAssign",
            errors=(403, 404),
            tag=_TAG,
        ),
    },
)
document(
    "/cohorts/{slug}/questions",
    {
        "parameters": [_SLUG],
        "get": operation(
            "Trainees' questions without a staff reply, oldest first",
            "ThreadPage",
            errors=(403, 404),
            tag=_TAG,
            params=[_query("assigned", "'me': only those assigned to the caller"), *PAGE_PARAMETERS],
        ),
    },
)
document(
    "/posts/{post_id}/featured",
    {
        "parameters": [path_param("post_id")],
        "put": operation(
            "Feature a post or unfeature it (moderators)",
            "PostBrief",
            body="FeatureChange",
            errors=(403, 404),
            tag=_TAG,
        ),
    },
)
document(
    "/cohorts/{slug}/featured",
    {
        "parameters": [_SLUG],
        "get": operation(
            "A cohort's featured posts", "PostBriefPage", errors=(404,), params=PAGE_PARAMETERS, tag=_TAG
        ),
    },
)
document(
    "/posts/{post_id}/reports",
    {
        "parameters": [path_param("post_id")],
        "post": operation(
            "Report a post with a reason",
            "ReportCreated",
            status=201,
            body="ReportCreate",
            errors=(403, 404, 409),
            tag=_TAG,
        ),
    },
)
document(
    "/cohorts/{slug}/queue",
    {
        "parameters": [_SLUG],
        "get": operation(
            "The review queue: reports and held content, oldest first",
            "ReviewItemPage",
            errors=(400, 403, 404),
            tag=_TAG,
            params=[
                _query("status", "open (default), dismissed, hidden, warned, approved, rejected"),
                _query("kind", "report or held"),
                *PAGE_PARAMETERS,
            ],
        ),
    },
)
document(
    "/queue/{item_id}",
    {
        "parameters": [path_param("item_id")],
        "post": operation(
            "Work a queue entry", "ReviewItem", body="QueueAction", errors=(403, 404, 409), tag=_TAG
        ),
    },
)
document(
    "/cohorts/{slug}/mutes",
    {
        "parameters": [_SLUG],
        "get": operation(
            "The cohort's mutes", "MutePage", errors=(403, 404), params=PAGE_PARAMETERS, tag=_TAG
        ),
        "post": operation(
            "Mute a trainee (read only) for some minutes",
            "Mute",
            status=201,
            body="MuteCreate",
            errors=(403, 404),
            tag=_TAG,
        ),
    },
)
document(
    "/mutes/{mute_id}",
    {
        "parameters": [path_param("mute_id")],
        "delete": operation("Lift a mute", None, status=204, errors=(404, 409), tag=_TAG),
    },
)
document(
    "/cohorts/{slug}/warnings",
    {
        "parameters": [_SLUG],
        "post": operation(
            "Warn a trainee", "ConductWarning", status=201, body="WarningCreate", errors=(403, 404), tag=_TAG
        ),
    },
)
document(
    "/me/warnings",
    {"get": operation("The caller's warnings", "ConductWarningPage", params=PAGE_PARAMETERS, tag=_TAG)},
)
document(
    "/watched-words",
    {
        "get": operation(
            "The site's watched words (admins)",
            "WatchedWordPage",
            errors=(403,),
            params=PAGE_PARAMETERS,
            tag=_TAG,
        ),
        "post": operation(
            "Add a watched word (admins)",
            "WatchedWord",
            status=201,
            body="WatchedWordCreate",
            errors=(403, 409),
            tag=_TAG,
        ),
    },
)
document(
    "/watched-words/{word_id}",
    {
        "parameters": [path_param("word_id")],
        "patch": operation(
            "Change a watched word (admins)", "WatchedWord", body="WatchedWordUpdate", errors=(404,), tag=_TAG
        ),
        "delete": operation("Remove a watched word (admins)", None, status=204, errors=(404,), tag=_TAG),
    },
)
