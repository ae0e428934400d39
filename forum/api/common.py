"""What every API module shares: who is calling, reading JSON bodies, pagination,
object URLs, and the OpenAPI fragments each module contributes.

Auth: ``Authorization: Bearer TOKEN`` (from ``POST /api/v1/auth/token``), or the
browser's session cookie, in which case unsafe methods also need the
``X-CSRFToken`` header (the page's ``<meta name="csrf-token">``).
"""

from flask import g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from sqlalchemy import func, select
from wtforms import ValidationError

from forum.accounts.services import user_for_token
from forum.errors import ServiceError
from forum.extensions import db

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
MAX_JSON_BYTES = 256 * 1024
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

# OpenAPI: every API module adds its paths and schemas here at import time;
# forum/api/openapi.py assembles the document from them.
OPENAPI_PATHS: dict[str, dict] = {}
OPENAPI_SCHEMAS: dict[str, dict] = {}


def document(path: str, spec: dict) -> None:
    """Describe one path (OpenAPI ``paths`` item, keyed by method) for the document."""
    OPENAPI_PATHS.setdefault(path, {}).update(spec)


def path_param(name: str, type_: str = "integer") -> dict:
    """An OpenAPI path parameter: a positive id unless ``type_`` says otherwise."""
    spec = {"type": "integer", "minimum": 1} if type_ == "integer" else {"type": type_}
    return {"name": name, "in": "path", "required": True, "schema": spec}


def schema(name: str, spec: dict) -> None:
    OPENAPI_SCHEMAS[name] = spec


def authenticate_request():
    """Set ``g.api_user`` from a bearer token or the session (with CSRF for writes)."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ServiceError("unauthorized", _("Use the header Authorization: Bearer TOKEN."), 401)
        user = user_for_token(token.strip())
        if user is None:
            raise ServiceError("invalid_token", _("The token is invalid or has expired."), 401)
        g.api_user = user
        return
    if current_user.is_authenticated:
        if request.method not in SAFE_METHODS:
            try:
                validate_csrf(request.headers.get("X-CSRFToken", ""))
            except ValidationError:  # missing, expired or not this session's token
                raise ServiceError("csrf", _("Missing or invalid X-CSRFToken header."), 400) from None
        g.api_user = current_user._get_current_object()
        return
    g.api_user = None


def api_user():
    """The signed-in caller; raises 401 when there is none."""
    user = g.get("api_user")
    if user is None:
        raise ServiceError("unauthorized", _("Sign in or send a bearer token."), 401)
    return user


def json_body(required: tuple[str, ...] = (), optional: tuple[str, ...] = ()) -> dict:
    """The request's JSON object; unknown fields refused, required ones present."""
    if request.content_length and request.content_length > MAX_JSON_BYTES:
        raise ServiceError("too_large", _("The request body is too large."), 413)
    if not request.is_json:
        raise ServiceError("invalid_json", _("Send a JSON object with Content-Type: application/json."), 415)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ServiceError("invalid_json", _("The body must be a JSON object."), 400)
    allowed = set(required) | set(optional)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ServiceError("unknown_field", _("Unknown field: %(name)s.", name=unknown[0]), 400, unknown[0])
    for name in required:
        if name not in data or data[name] is None:
            raise ServiceError("required", _("%(field)s is required.", field=name), 400, name)
    return data


def int_arg(name: str, default: int | None = None, minimum: int = 1, maximum: int | None = None):
    """An integer query argument; a clear 400 when it is not one."""
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ServiceError("invalid", _("%(field)s must be a whole number.", field=name), 400, name) from None
    if value < minimum or (maximum is not None and value > maximum):
        raise ServiceError("out_of_range", _("%(field)s is out of range.", field=name), 400, name)
    return value


def page_args() -> tuple[int, int]:
    page = int_arg("page", 1, minimum=1, maximum=1_000_000)
    per_page = int_arg("per_page", DEFAULT_PER_PAGE, minimum=1, maximum=MAX_PER_PAGE)
    return page, per_page


def paginate(stmt, serialize) -> dict:
    """``{items, page, per_page, total, pages}`` for a select statement."""
    page, per_page = page_args()
    total = db.session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).unique().scalars().all()
    return {
        "items": [serialize(row) for row in rows],
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": (total + per_page - 1) // per_page,
    }


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": "string"},
            },
        }
    },
}


def error_responses(*statuses: int) -> dict:
    """OpenAPI ``responses`` entries for the given error statuses."""
    text = {
        400: "Bad input",
        401: "Not signed in",
        403: "Forbidden",
        404: "Not found",
        409: "Conflict",
        413: "Too large",
        415: "Not JSON",
        429: "Too many requests",
    }
    return {
        str(s): {
            "description": text.get(s, "Error"),
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for s in statuses
    }


def page_schema(item_ref: str) -> dict:
    return {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{item_ref}"}},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
            "pages": {"type": "integer"},
        },
    }


PAGE_PARAMETERS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}},
]


# --- helpers for feature modules: id routes, JSON fields, OpenAPI bodies --------------------

# Route converter for database ids: ``f"/boards/<{ID}:board_id>"``. The bound keeps an
# id past the database's integer range a 404 instead of an overflow error.
ID = "int(max=2147483647)"


def json_int(value, field: str, *, minimum: int | None = 1) -> int:
    """A JSON integer (not a string of digits, not a boolean), or a 400."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ServiceError("invalid", _("%(field)s must be a whole number.", field=field), 400, field)
    if (minimum is not None and value < minimum) or value > 2147483647:
        raise ServiceError("out_of_range", _("%(field)s is out of range.", field=field), 400, field)
    return value


def present(data: dict, *names: str) -> dict:
    """The fields of ``data`` among ``names`` that were sent with a value (null = absent)."""
    return {name: data[name] for name in names if data.get(name) is not None}


def nothing_to_change() -> ServiceError:
    """The 400 for a PATCH that names no field to change."""
    return ServiceError("required", _("Send at least one field to change."), 400)


def json_request(ref: str, required: bool = True) -> dict:
    """An OpenAPI ``requestBody`` whose JSON schema is ``#/components/schemas/<ref>``."""
    return {
        "required": required,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


def json_response(ref: str | None, description: str = "OK") -> dict:
    """An OpenAPI response with a JSON body (``ref`` None: no body)."""
    if ref is None:
        return {"description": description}
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


def operation(
    summary: str,
    response: str | None,
    *,
    status: int = 200,
    body: str | None = None,
    errors: tuple[int, ...] = (),
    params: list | None = None,
    public: bool = False,
    tag: str | None = None,
) -> dict:
    """One OpenAPI operation: summary, optional JSON body, its success and error responses.

    Signed-in operations get 401 added; bodies get 400/413/415 added.
    """
    statuses = set(errors)
    if not public:
        statuses.add(401)
    if body is not None:
        statuses.update((400, 413, 415))
    spec = {
        "summary": summary,
        "responses": {str(status): json_response(response, summary if response is None else "OK")},
    }
    spec["responses"].update(error_responses(*sorted(statuses)))
    if body is not None:
        spec["requestBody"] = json_request(body)
    if params:
        spec["parameters"] = params
    if public:
        spec["security"] = []
    if tag:
        spec["tags"] = [tag]
    return spec
