"""Helpers shared by the server-rendered pages: form limits and service errors."""

from flask import current_app, flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from forum import transaction
from forum.errors import ServiceError


class ConfigLength:
    """Length limits read from the configuration when the form is validated, so a
    FORUM_POST_MAX set in the environment holds for the form as for the service."""

    def __init__(self, key: str | None = None, *, maximum: int | None = None, minimum: int = 0):
        self.key = key
        self.maximum = maximum
        self.minimum = minimum

    def limit(self) -> int:
        return current_app.config[self.key] if self.key else self.maximum

    def __call__(self, form, field):
        value = field.data or ""
        if not isinstance(value, str):
            return
        length = len(value.strip())
        if self.minimum and length < self.minimum:
            raise ValidationError(_l("At least %(n)d characters.", n=self.minimum))
        if length > self.limit():
            raise ValidationError(
                _l("Too long: %(length)d characters, at most %(n)d.", length=length, n=self.limit())
            )


class PageForm(FlaskForm):
    """A Flask-WTF form (CSRF) whose fields show their length limit to the browser."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self:
            for validator in field.validators:
                if isinstance(validator, ConfigLength):
                    # The browser stops typing at the limit; the server checks anyway.
                    render_kw = dict(field.render_kw or {})
                    render_kw["maxlength"] = validator.limit()
                    field.render_kw = render_kw


def show_service_error(
    form, error: ServiceError, fields: dict[str, str] | None = None, default: str | None = None
) -> int:
    """Discard the refused action's work, put the refusal next to the field it names (or
    the ``default`` field) or flash it; returns the status (400 or more) to re-render the
    form with."""
    # The request's unit rolls back on that status anyway; doing it now means the page is
    # rendered from what is stored (not a half-applied change, such as a new title whose
    # post edit was refused) and flushes nothing half-built while it renders.
    transaction.rollback()
    name = (fields or {}).get(error.field, error.field) if error.field else default
    field = getattr(form, name, None) if (form is not None and name) else None
    if field is not None and hasattr(field, "errors"):
        if not isinstance(field.errors, list):
            field.errors = list(field.errors)
        field.errors.append(error.message)
    else:
        flash(error.message, "error")
    return error.status if 400 <= error.status < 500 else 400


def flash_refusal(error: ServiceError) -> None:
    """Discard the refused action's work and flash the refusal, for a view that answers it
    with a redirect: the request's unit commits a redirect, so the work goes here."""
    transaction.rollback()
    flash(error.message, "error")


def form_status(form) -> int:
    """400 when a submitted form is re-rendered with errors, 200 otherwise."""
    return 400 if form is not None and form.errors else 200
