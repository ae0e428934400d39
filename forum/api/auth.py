"""API: bearer tokens and the caller's own account (``/auth/token``, ``/me``)."""

from flask import current_app, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.accounts import services as accounts
from forum.api import bp
from forum.api.common import api_user, document, json_body, operation, schema
from forum.api.serializers import serialize_me
from forum.cohorts.models import Cohort, Membership
from forum.extensions import db


@bp.post("/auth/token")
def create_token():
    """Exchange a username and password for a bearer token (throttled like the sign-in page)."""
    data = json_body(required=("username", "password"))
    user = accounts.authenticate(data["username"], data["password"], request.remote_addr or "unknown")
    return jsonify(
        token=accounts.issue_token(user),
        token_type="Bearer",
        expires_in=current_app.config["FORUM_TOKEN_MAX_AGE"],
    )


@bp.get("/me")
def me():
    """The caller, with their cohorts and their role in each."""
    user = api_user()
    memberships = (
        db.session.execute(
            select(Membership)
            .join(Cohort, Cohort.id == Membership.cohort_id)
            .where(Membership.user_id == user.id)
            .options(joinedload(Membership.cohort))
            .order_by(Cohort.archived, Cohort.year.desc().nulls_last(), Cohort.id.desc())
        )
        .scalars()
        .all()
    )
    return jsonify(serialize_me(user, memberships))


schema(
    "TokenRequest",
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["username", "password"],
        "properties": {
            "username": {"type": "string", "maxLength": 256},
            "password": {"type": "string", "maxLength": 256},
        },
    },
)
schema(
    "Token",
    {
        "type": "object",
        "required": ["token"],
        "properties": {
            "token": {"type": "string", "description": "Send as Authorization: Bearer TOKEN."},
            "token_type": {"type": "string", "enum": ["Bearer"]},
            "expires_in": {"type": "integer", "description": "Seconds the token stays valid."},
        },
    },
)
document(
    "/auth/token",
    {
        "post": operation(
            "Get a bearer token. Wrong credentials: 401; too many failures for the account "
            "or the address: 429.",
            "Token",
            body="TokenRequest",
            errors=(401, 429),
            public=True,
            tag="auth",
        )
    },
)
document("/me", {"get": operation("The caller with their cohorts and roles", "Me", tag="auth")})
