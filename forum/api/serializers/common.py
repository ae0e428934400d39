"""What every shape shares: the page URL of each object, the short references to
people, cohorts, boards and posts, and the OpenAPI building blocks of the schemas."""

from forum.api.common import schema

# --- page URLs -------------------------------------------------------------------------


def cohort_url(cohort) -> str:
    return f"/cohorts/{cohort.slug}"


def board_url(board) -> str:
    return f"/boards/{board.id}"


def thread_url(thread) -> str:
    return f"/threads/{thread.id}"


def post_url(post) -> str:
    return f"/posts/{post.id}"


# --- references --------------------------------------------------------------------------


def user_ref(user) -> dict | None:
    """A person as others see them: username and display name."""
    if user is None:
        return None
    return {"id": user.id, "username": user.username, "display_name": user.display_name}


def cohort_ref(cohort) -> dict:
    return {"id": cohort.id, "slug": cohort.slug, "url": cohort_url(cohort), "name": cohort.name}


def board_ref(board) -> dict:
    return {"id": board.id, "url": board_url(board), "name": board.name}


def post_ref(post) -> dict:
    return {"id": post.id, "number": post.number, "url": post_url(post)}


# --- OpenAPI building blocks -------------------------------------------------------------

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
DATE_TIME = {"type": "string", "format": "date-time"}
NULLABLE_DATE_TIME = {"type": "string", "format": "date-time", "nullable": True}


def schema_ref(name: str, nullable: bool = False) -> dict:
    """A reference to a named schema (``nullable``: or null)."""
    if nullable:
        return {"allOf": [{"$ref": f"#/components/schemas/{name}"}], "nullable": True}
    return {"$ref": f"#/components/schemas/{name}"}


def object_schema(properties: dict, required=None) -> dict:
    """An object with these properties, all of them required unless ``required`` says."""
    return {"type": "object", "properties": properties, "required": list(required or properties)}


schema("UserRef", object_schema({"id": INTEGER, "username": STRING, "display_name": STRING}))
schema("CohortRef", object_schema({"id": INTEGER, "slug": STRING, "url": STRING, "name": STRING}))
schema("BoardRef", object_schema({"id": INTEGER, "url": STRING, "name": STRING}))
schema("PostRef", object_schema({"id": INTEGER, "number": INTEGER, "url": STRING}))
