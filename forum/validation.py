"""Checks shared by services: every field has a type and a size limit."""

import re

from flask_babel import gettext as _

from forum.errors import ServiceError

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")


def text(value, field: str, *, max_length: int, min_length: int = 1, strip: bool = True) -> str:
    """A string field: right type, trimmed, within its length limits."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ServiceError("invalid", _("%(field)s must be text.", field=field), field=field)
    if strip:
        value = value.strip()
    if "\x00" in value:
        raise ServiceError("invalid", _("%(field)s contains invalid characters.", field=field), field=field)
    if len(value) < min_length:
        if min_length == 1:
            raise ServiceError("required", _("%(field)s is required.", field=field), field=field)
        raise ServiceError(
            "too_short",
            _("%(field)s must be at least %(n)d characters.", field=field, n=min_length),
            field=field,
        )
    if len(value) > max_length:
        raise ServiceError(
            "too_long",
            _("%(field)s is too long (at most %(n)d characters).", field=field, n=max_length),
            field=field,
        )
    return value


def choice(value, field: str, choices) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ServiceError(
            "invalid",
            _("%(field)s must be one of: %(choices)s.", field=field, choices=", ".join(choices)),
            field=field,
        )
    return value


def boolean(value, field: str) -> bool:
    if isinstance(value, bool):
        return value
    raise ServiceError("invalid", _("%(field)s must be true or false.", field=field), field=field)


def integer(value, field: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value.strip())
        else:
            raise ServiceError("invalid", _("%(field)s must be a whole number.", field=field), field=field)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ServiceError("out_of_range", _("%(field)s is out of range.", field=field), field=field)
    return value


def slug(value, field: str = "slug") -> str:
    value = text(value, field, max_length=63).lower()
    if not SLUG_RE.match(value):
        raise ServiceError(
            "invalid",
            _("%(field)s may use lower-case letters, digits and hyphens (2-63).", field=field),
            field=field,
        )
    return value


def username(value, field: str = "username") -> str:
    value = text(value, field, max_length=63).lower()
    if not USERNAME_RE.match(value):
        raise ServiceError(
            "invalid",
            _("%(field)s may use letters, digits, dots, hyphens and underscores (2-63).", field=field),
            field=field,
        )
    return value


def password(value, field: str = "password") -> str:
    value = text(value, field, max_length=256, strip=False, min_length=1)
    if len(value) < 8:
        raise ServiceError(
            "weak_password", _("The password must be at least 8 characters."), field=field
        )
    return value
