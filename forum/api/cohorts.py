"""API: cohorts, their members and their boards."""

from flask import jsonify, url_for

from forum.admin import lifecycle
from forum.api import bp
from forum.api.common import (
    ID,
    PAGE_PARAMETERS,
    api_user,
    document,
    json_body,
    json_int,
    nothing_to_change,
    operation,
    page_schema,
    paginate,
    path_param,
    present,
    schema,
)
from forum.api.serializers import serialize_board, serialize_cohort, serialize_membership
from forum.cohorts import services
from forum.cohorts.models import COHORT_KINDS, COHORT_LANGUAGES, MEMBERSHIP_ROLES
from forum.permissions import cohort_role, get_board_or_404, get_cohort_or_404, get_user_or_404


@bp.get("/cohorts")
def list_cohorts():
    """The cohorts the caller may see (admins: all), open ones first."""
    user = api_user()
    return jsonify(paginate(services.list_cohorts_for(user), lambda c: serialize_cohort(c, user)))


@bp.post("/cohorts")
def create_cohort():
    """Create a cohort (admins)."""
    user = api_user()
    data = json_body(
        required=("slug", "name", "kind"), optional=("year", "language", "description", "template")
    )
    year = data.get("year")
    if year is not None:
        json_int(year, "year", minimum=None)
    # ``template``: the slug of an earlier cohort whose boards are copied (forum/admin/lifecycle.py).
    template = get_cohort_or_404(data["template"], user) if data.get("template") is not None else None
    cohort = lifecycle.create_from_template(
        user,
        template,
        data["slug"],
        data["name"],
        data["kind"],
        year,
        data.get("language") or "zh",
        data.get("description") or "",
    )
    response = jsonify(serialize_cohort(cohort, user))
    response.headers["Location"] = url_for("api.get_cohort", slug=cohort.slug)
    return response, 201


@bp.get("/cohorts/<slug>")
def get_cohort(slug):
    """One cohort, with its boards."""
    user = api_user()
    cohort = get_cohort_or_404(slug, user)
    data = serialize_cohort(cohort, user)
    data["boards"] = [serialize_board(board, user) for board in cohort.boards]
    return jsonify(data)


@bp.get("/cohorts/<slug>/members")
def list_members(slug):
    """The cohort's members (instructors first), for anyone who may see the cohort."""
    user = api_user()
    cohort = get_cohort_or_404(slug, user)
    return jsonify(paginate(services.memberships_query(cohort), serialize_membership))


@bp.put("/cohorts/<slug>/members/<username>")
def put_member(slug, username):
    """Enrol a user or change their role (instructors of the cohort: trainees only; admins)."""
    actor = api_user()
    cohort = get_cohort_or_404(slug, actor)
    data = json_body(required=("role",))
    member = get_user_or_404(username, actor)
    created = cohort_role(member, cohort.id) is None
    membership = services.add_membership(actor, cohort, member, data["role"])
    return jsonify(serialize_membership(membership)), 201 if created else 200


@bp.delete("/cohorts/<slug>/members/<username>")
def delete_member(slug, username):
    """Remove a user from the cohort (admins)."""
    actor = api_user()
    cohort = get_cohort_or_404(slug, actor)
    member = get_user_or_404(username, actor)
    services.remove_membership(actor, cohort, member)
    return "", 204


@bp.get("/cohorts/<slug>/boards")
def list_boards(slug):
    """The cohort's boards in their order."""
    user = api_user()
    cohort = get_cohort_or_404(slug, user)
    return jsonify(paginate(services.boards_query(cohort), lambda b: serialize_board(b, user)))


@bp.post("/cohorts/<slug>/boards")
def create_board(slug):
    """Add a board to the cohort (its instructors, admins)."""
    user = api_user()
    cohort = get_cohort_or_404(slug, user)
    data = json_body(required=("name",), optional=("description", "anonymous_allowed", "kind"))
    board = services.create_board(
        user,
        cohort,
        data["name"],
        data.get("description") or "",
        data["anonymous_allowed"] if data.get("anonymous_allowed") is not None else False,
        kind=data.get("kind") or "discussion",  # forum/discussion: announcement boards
    )
    response = jsonify(serialize_board(board, user))
    response.headers["Location"] = url_for("api.get_board", board_id=board.id)
    return response, 201


@bp.get(f"/boards/<{ID}:board_id>")
def get_board(board_id):
    """One board."""
    user = api_user()
    return jsonify(serialize_board(get_board_or_404(board_id, user), user))


@bp.patch(f"/boards/<{ID}:board_id>")
def update_board(board_id):
    """Rename, describe, reorder a board or allow anonymous posts (its cohort's instructors)."""
    user = api_user()
    board = get_board_or_404(board_id, user)
    data = json_body(optional=("name", "description", "anonymous_allowed", "position", "kind"))
    changes = present(data, "name", "description", "anonymous_allowed", "position", "kind")
    if not changes:
        raise nothing_to_change()
    if "position" in changes:
        json_int(changes["position"], "position", minimum=0)
    board = services.update_board(user, board, **changes)
    return jsonify(serialize_board(board, user))


# --- OpenAPI ------------------------------------------------------------------------------


_NAME = {"type": "string", "minLength": 1, "maxLength": 120}
_DESCRIPTION = {"type": "string", "maxLength": 2000}

schema(
    "CohortCreate",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["slug", "name", "kind"],
        "properties": {
            "slug": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{1,62}$"},
            "name": _NAME,
            "kind": {"type": "string", "enum": list(COHORT_KINDS)},
            "year": {"type": "integer", "minimum": 1949, "maximum": 2200, "nullable": True},
            "language": {"type": "string", "enum": list(COHORT_LANGUAGES), "default": "zh"},
            "description": _DESCRIPTION,
            "template": {
                "type": "string",
                "description": "Slug of an earlier cohort whose boards are copied",
            },
        },
    },
)
schema(
    "CohortDetail",
    {
        "allOf": [
            {"$ref": "#/components/schemas/Cohort"},
            {
                "type": "object",
                "properties": {
                    "boards": {"type": "array", "items": {"$ref": "#/components/schemas/Board"}},
                },
            },
        ]
    },
)
schema(
    "MembershipPut",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["role"],
        "properties": {
            "role": {
                "type": "string",
                "enum": list(MEMBERSHIP_ROLES),
                "description": "Only admins may make instructors.",
            }
        },
    },
)
# forum/discussion: in an announcement board only the cohort's staff start threads.
_BOARD_KIND = {"type": "string", "enum": ["discussion", "announcement"], "default": "discussion"}
schema(
    "BoardCreate",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["name"],
        "properties": {
            "name": _NAME,
            "description": _DESCRIPTION,
            "anonymous_allowed": {"type": "boolean"},
            "kind": _BOARD_KIND,
        },
    },
)
schema(
    "BoardUpdate",
    {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "name": _NAME,
            "description": _DESCRIPTION,
            "anonymous_allowed": {"type": "boolean"},
            "position": {"type": "integer", "minimum": 0, "maximum": 10000},
            "kind": _BOARD_KIND,
        },
    },
)
schema("CohortPage", page_schema("Cohort"))
schema("MembershipPage", page_schema("Membership"))
schema("BoardPage", page_schema("Board"))

_SLUG = path_param("slug", "string")
_USERNAME = path_param("username", "string")
_BOARD_ID = path_param("board_id")

document(
    "/cohorts",
    {
        "get": operation(
            "List the cohorts the caller may see",
            "CohortPage",
            errors=(400,),
            params=PAGE_PARAMETERS,
            tag="cohorts",
        ),
        "post": operation(
            "Create a cohort (admins)",
            "Cohort",
            status=201,
            body="CohortCreate",
            errors=(403, 409),
            tag="cohorts",
        ),
    },
)
document(
    "/cohorts/{slug}",
    {
        "parameters": [_SLUG],
        "get": operation("A cohort with its boards", "CohortDetail", errors=(404,), tag="cohorts"),
    },
)
document(
    "/cohorts/{slug}/members",
    {
        "parameters": [_SLUG],
        "get": operation(
            "The cohort's members", "MembershipPage", errors=(400, 404), params=PAGE_PARAMETERS, tag="cohorts"
        ),
    },
)
document(
    "/cohorts/{slug}/members/{username}",
    {
        "parameters": [_SLUG, _USERNAME],
        "put": operation(
            "Enrol a user or change their role (201 when newly enrolled). Instructors of the "
            "cohort may enrol trainees; admins anyone. Archived cohorts: 403.",
            "Membership",
            body="MembershipPut",
            errors=(403, 404),
            tag="cohorts",
        ),
        "delete": operation(
            "Remove a user from the cohort (admins)", None, status=204, errors=(403, 404), tag="cohorts"
        ),
    },
)
document(
    "/cohorts/{slug}/boards",
    {
        "parameters": [_SLUG],
        "get": operation(
            "The cohort's boards in order",
            "BoardPage",
            errors=(400, 404),
            params=PAGE_PARAMETERS,
            tag="boards",
        ),
        "post": operation(
            "Add a board (the cohort's instructors, admins; not when archived)",
            "Board",
            status=201,
            body="BoardCreate",
            errors=(403, 404),
            tag="boards",
        ),
    },
)
document(
    "/boards/{board_id}",
    {
        "parameters": [_BOARD_ID],
        "get": operation("A board", "Board", errors=(404,), tag="boards"),
        "patch": operation(
            "Change a board (the cohort's instructors, admins)",
            "Board",
            body="BoardUpdate",
            errors=(403, 404),
            tag="boards",
        ),
    },
)
