"""API: administering accounts (admins only): PATCH a user, reset a password."""

from flask import jsonify

from forum.admin import services
from forum.api import bp
from forum.api.common import api_user, document, json_body, nothing_to_change, operation, path_param, schema
from forum.api.serializers import serialize_user
from forum.errors import Forbidden
from forum.permissions import can_manage_site, get_user_or_404


def _admin():
    user = api_user()
    if not can_manage_site(user):
        raise Forbidden()
    return user


def _admin_json(user) -> dict:
    return {**serialize_user(user), "active": bool(user.active), "url": f"/admin/users/{user.username}"}


@bp.patch("/users/<username>")
def update_user(username):
    """Change an account's ``active``, ``role`` or ``display_name`` (admins)."""
    actor = _admin()
    user = get_user_or_404(username, actor)
    data = json_body(optional=("active", "role", "display_name", "reason"))
    if not any(data.get(name) is not None for name in ("active", "role", "display_name")):
        raise nothing_to_change()
    reason = data.get("reason") if isinstance(data.get("reason"), str) else ""
    services.update_user(
        actor,
        user,
        active=data.get("active"),
        role=data.get("role"),
        display_name=data.get("display_name"),
        reason=reason[:500],
    )
    return jsonify(_admin_json(user))


@bp.post("/users/<username>/password")
def reset_password(username):
    """Set a new password for an account (admins); its sessions and tokens end."""
    actor = _admin()
    user = get_user_or_404(username, actor)
    data = json_body(required=("password",), optional=("reason",))
    reason = data.get("reason") if isinstance(data.get("reason"), str) else ""
    services.reset_password(actor, user, data["password"], reason[:500])
    return "", 204


schema(
    "AdminUser",
    {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "username": {"type": "string"},
            "display_name": {"type": "string"},
            "role": {"type": "string", "enum": ["admin", "instructor", "trainee"]},
            "is_admin": {"type": "boolean"},
            "locale": {"type": "string", "nullable": True},
            "created_at": {"type": "string", "format": "date-time"},
            "active": {"type": "boolean"},
            "url": {"type": "string"},
        },
    },
)
schema(
    "UserUpdate",
    {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "active": {"type": "boolean"},
            "role": {"type": "string", "enum": ["admin", "instructor", "trainee"]},
            "display_name": {"type": "string"},
            "reason": {"type": "string", "maxLength": 500},
        },
    },
)
schema(
    "PasswordReset",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["password"],
        "properties": {
            "password": {"type": "string", "minLength": 8},
            "reason": {"type": "string", "maxLength": 500},
        },
    },
)
_path = [path_param("username", "string")]
document(
    "/users/{username}",
    {
        "parameters": _path,
        "patch": operation(
            "Deactivate/reactivate an account, change its role or name (admins)",
            "AdminUser",
            body="UserUpdate",
            errors=(403, 404),
            tag="admin",
        ),
    },
)
document(
    "/users/{username}/password",
    {
        "parameters": _path,
        "post": operation(
            "Reset an account's password (admins)",
            None,
            status=204,
            body="PasswordReset",
            errors=(403, 404),
            tag="admin",
        ),
    },
)
