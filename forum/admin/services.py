"""Administering accounts: deactivate/reactivate, reset a password, change the site role.

Each change writes an audit row (forum.audit.record) in the same commit.
"""

import logging

from flask import current_app
from flask_babel import gettext as _

from forum import validation
from forum.accounts.models import USER_ROLES, User
from forum.audit import record
from forum.errors import Forbidden, ServiceError
from forum.extensions import db
from forum.permissions import can_manage_site

log = logging.getLogger(__name__)


def _check(actor) -> None:
    if not can_manage_site(actor):
        raise Forbidden()


def update_user(actor, user: User, *, active=None, role=None, display_name=None, reason: str = "") -> User:
    """Change an account's active flag, site role or display name (admins only)."""
    _check(actor)
    before, after = {}, {}
    if active is not None:
        active = validation.boolean(active, "active")
        if not active and user.id == getattr(actor, "id", None):
            raise ServiceError("forbidden", _("You cannot deactivate your own account."), 400, "active")
        if bool(user.active) != active:
            before["active"], after["active"] = bool(user.active), active
    if role is not None:
        role = validation.choice(role, "role", USER_ROLES)
        if user.id == getattr(actor, "id", None) and role != user.role:
            raise ServiceError("forbidden", _("You cannot change your own role."), 400, "role")
        if role != user.role:
            before["role"], after["role"] = user.role, role
    if display_name is not None:
        display_name = validation.text(
            display_name, "display_name", max_length=current_app.config["FORUM_NAME_MAX"]
        )
        if display_name != user.display_name:
            before["display_name"], after["display_name"] = user.display_name, display_name
    if not after:
        return user
    for name, value in after.items():
        setattr(user, name, value)
    if after.get("active") is False:
        # End the user's sessions and API tokens at once, not only on their next check.
        user.token_version = (user.token_version or 0) + 1
    if "active" in after:
        action = "user_reactivate" if after["active"] else "user_deactivate"
    elif "role" in after:
        action = "user_role"
    else:
        action = "user_update"
    record(actor, action, user, reason=reason, before=before, after=after)
    db.session.flush()
    log.info("user %s changed by %s: %s", user.username, actor.username, sorted(after))
    return user


def reset_password(actor, user: User, new: str, reason: str = "") -> None:
    """An admin sets someone's password; their sessions and tokens stop working."""
    _check(actor)
    user.set_password(validation.password(new))
    record(actor, "user_password_reset", user, reason=reason)
    db.session.flush()
    log.info("password of %s reset by %s", user.username, actor.username)
