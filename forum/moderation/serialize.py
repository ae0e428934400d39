"""JSON shapes of moderation objects (API; moderators are the only readers except for
one's own warnings)."""

from forum.api.common import schema
from forum.api.serializers import cohort_ref, post_url, thread_url, user_ref
from forum.permissions import author_display
from forum.sanitize import plain_text
from forum.utils import isoformat


def audit_json(entry) -> dict:
    """One audit row: who did what to which object, when and why, with before/after."""
    return {
        "id": entry.id,
        "actor": entry.actor.username if entry.actor else None,
        "actor_display_name": entry.actor.display_name if entry.actor else None,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "reason": entry.reason or "",
        "before": entry.before,
        "after": entry.after,
        "cohort": entry.cohort.slug if entry.cohort else None,
        "created_at": isoformat(entry.created_at),
    }


def _excerpt(post, length: int = 300) -> str:
    text = plain_text(post.body_html or "")
    return text if len(text) <= length else text[: length - 1] + "…"


def post_brief(post) -> dict | None:
    """A post as the queue and the featured list show it (author shown: staff read these,
    and featured posts are public to the cohort unless anonymous)."""
    if post is None:
        return None
    return {
        "id": post.id,
        "url": post_url(post),
        "number": post.number,
        "thread_id": post.thread_id,
        "thread_url": thread_url(post.thread),
        "thread_title": post.thread.title,
        "excerpt": _excerpt(post),
        "hidden": bool(post.hidden),
        "held": bool(post.held),
        "featured": bool(post.featured),
        "created_at": isoformat(post.created_at),
    }


def review_item_json(item) -> dict:
    post = post_brief(item.post)
    if post is not None:
        post["author"] = user_ref(item.post.author)
    return {
        "id": item.id,
        "kind": item.kind,
        "status": item.status,
        "target_type": item.target_type,
        "target_id": item.target_id,
        "post": post,
        "user": user_ref(item.user),
        "reason": item.reason,
        "created_at": isoformat(item.created_at),
        "resolved_by": user_ref(item.resolved_by),
        "resolved_at": isoformat(item.resolved_at),
        "resolution": item.resolution,
    }


def featured_json(post, viewer) -> dict:
    data = post_brief(post)
    data["author"] = user_ref(author_display(post, viewer).user)
    data["featured_at"] = isoformat(post.featured_at)
    return data


def mute_json(mute) -> dict:
    return {
        "id": mute.id,
        "user": user_ref(mute.user),
        "muted_by": user_ref(mute.muted_by),
        "reason": mute.reason,
        "until": isoformat(mute.until),
        "lifted_at": isoformat(mute.lifted_at),
        "created_at": isoformat(mute.created_at),
    }


def warning_json(warning) -> dict:
    return {
        "id": warning.id,
        "cohort": cohort_ref(warning.cohort),
        "issued_by": user_ref(warning.issued_by),
        "post_id": warning.post_id,
        "message": warning.message,
        "seen_at": isoformat(warning.seen_at),
        "created_at": isoformat(warning.created_at),
    }


def watched_word_json(entry) -> dict:
    return {
        "id": entry.id,
        "word": entry.word,
        "is_regex": bool(entry.is_regex),
        "action": entry.action,
        "replacement": entry.replacement,
        "created_at": isoformat(entry.created_at),
    }


_S, _I, _B = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
_T = {"type": "string", "format": "date-time", "nullable": True}
_REF = {"allOf": [{"$ref": "#/components/schemas/UserRef"}], "nullable": True}
_ANY = {"type": "object", "nullable": True, "additionalProperties": True}

schema(
    "AuditEntry",
    {
        "type": "object",
        "required": ["actor", "action", "target_type", "target_id", "reason", "created_at"],
        "properties": {
            "id": _I,
            "actor": {"type": "string", "nullable": True, "description": "Username; null: the system."},
            "actor_display_name": {"type": "string", "nullable": True},
            "action": _S,
            "target_type": _S,
            "target_id": {"type": "integer", "nullable": True},
            "reason": _S,
            "before": _ANY,
            "after": _ANY,
            "cohort": {"type": "string", "nullable": True},
            "created_at": _T,
        },
    },
)
schema(
    "PostBrief",
    {
        "type": "object",
        "properties": {
            "id": _I,
            "url": _S,
            "number": _I,
            "thread_id": _I,
            "thread_url": _S,
            "thread_title": _S,
            "excerpt": _S,
            "hidden": _B,
            "held": _B,
            "featured": _B,
            "created_at": _T,
            "author": _REF,
            "featured_at": _T,
        },
    },
)
schema(
    "ReviewItem",
    {
        "type": "object",
        "properties": {
            "id": _I,
            "kind": {"type": "string", "enum": ["report", "held"]},
            "status": {
                "type": "string",
                "enum": ["open", "dismissed", "hidden", "warned", "approved", "rejected"],
            },
            "target_type": _S,
            "target_id": _I,
            "post": {"allOf": [{"$ref": "#/components/schemas/PostBrief"}], "nullable": True},
            "user": _REF,
            "reason": _S,
            "created_at": _T,
            "resolved_by": _REF,
            "resolved_at": _T,
            "resolution": _S,
        },
    },
)
schema(
    "Mute",
    {
        "type": "object",
        "properties": {
            "id": _I,
            "user": _REF,
            "muted_by": _REF,
            "reason": _S,
            "until": _T,
            "lifted_at": _T,
            "created_at": _T,
        },
    },
)
schema(
    "ConductWarning",
    {
        "type": "object",
        "properties": {
            "id": _I,
            "cohort": {"$ref": "#/components/schemas/CohortRef"},
            "issued_by": _REF,
            "post_id": {"type": "integer", "nullable": True},
            "message": _S,
            "seen_at": _T,
            "created_at": _T,
        },
    },
)
schema(
    "WatchedWord",
    {
        "type": "object",
        "properties": {
            "id": _I,
            "word": _S,
            "is_regex": _B,
            "action": {"type": "string", "enum": ["hold", "block", "replace"]},
            "replacement": _S,
            "created_at": _T,
        },
    },
)
