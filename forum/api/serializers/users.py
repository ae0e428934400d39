"""People: a user's own account, and the signed-in user with their cohorts."""

from forum.api.common import schema
from forum.api.serializers.cohorts import serialize_cohort
from forum.api.serializers.common import (
    BOOLEAN,
    DATE_TIME,
    INTEGER,
    STRING,
    object_schema,
    schema_ref,
    user_ref,
)
from forum.utils import isoformat


def serialize_user(user) -> dict:
    """A person's own account details."""
    return {
        **user_ref(user),
        "role": user.role,
        "is_admin": user.is_admin,
        "locale": user.locale,
        "created_at": isoformat(user.created_at),
    }


def serialize_me(user, memberships) -> dict:
    """The signed-in user with their cohorts and their role in each."""
    return {
        **serialize_user(user),
        "cohorts": [{**serialize_cohort(m.cohort, user), "role": m.role} for m in memberships],
    }


# --- OpenAPI schemas ---------------------------------------------------------------------

schema(
    "User",
    object_schema(
        {
            "id": INTEGER,
            "username": STRING,
            "display_name": STRING,
            "role": {"type": "string", "enum": ["admin", "instructor", "trainee"]},
            "is_admin": BOOLEAN,
            "locale": {"type": "string", "nullable": True},
            "created_at": DATE_TIME,
        }
    ),
)
schema(
    "Me",
    {
        "allOf": [
            schema_ref("User"),
            object_schema({"cohorts": {"type": "array", "items": schema_ref("Cohort")}}),
        ]
    },
)
