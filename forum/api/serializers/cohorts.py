"""Cohorts, their memberships and their boards, with what the viewer may do there."""

from forum.api.common import schema
from forum.api.serializers.common import (
    BOOLEAN,
    DATE_TIME,
    INTEGER,
    STRING,
    board_ref,
    cohort_ref,
    object_schema,
    schema_ref,
    user_ref,
)
from forum.permissions import (
    can_create_thread,
    can_manage_board,
    can_manage_cohort,
    can_post_anonymously,
    cohort_role,
)
from forum.utils import isoformat


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


# --- OpenAPI schemas ---------------------------------------------------------------------

schema(
    "Cohort",
    object_schema(
        {
            "id": INTEGER,
            "slug": STRING,
            "url": STRING,
            "name": STRING,
            "kind": {"type": "string", "enum": ["national", "special", "foreign", "course"]},
            "year": {"type": "integer", "nullable": True},
            "language": {"type": "string", "enum": ["zh", "en"]},
            "description": STRING,
            "archived": BOOLEAN,
            "created_at": DATE_TIME,
            "role": {
                "type": "string",
                "enum": ["instructor", "trainee"],
                "nullable": True,
                "description": "The caller's role in the cohort (null: not a member).",
            },
            "can_manage": BOOLEAN,
        }
    ),
)
schema(
    "Membership",
    object_schema(
        {
            "user": schema_ref("UserRef"),
            "role": {"type": "string", "enum": ["instructor", "trainee"]},
            "created_at": DATE_TIME,
        }
    ),
)
schema(
    "Board",
    object_schema(
        {
            "id": INTEGER,
            "url": STRING,
            "name": STRING,
            "cohort": schema_ref("CohortRef"),
            "description": STRING,
            "position": INTEGER,
            "anonymous_allowed": BOOLEAN,
            "kind": {"type": "string", "enum": ["discussion", "announcement"]},
            "created_at": DATE_TIME,
            "can_create_thread": BOOLEAN,
            "can_post_anonymously": BOOLEAN,
            "can_manage": BOOLEAN,
        }
    ),
)
