"""Administration pages for one account: deactivate/reactivate, reset password, change role."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from forum.accounts import services as account_services
from forum.admin import bp, services
from forum.admin.forms import site_role_choices
from forum.errors import ServiceError
from forum.pages import PageForm, form_status, show_service_error


class ActiveForm(PageForm):
    active = HiddenField(validators=[AnyOf(["0", "1"])])
    active_reason = StringField(_l("Reason (for the log)"), validators=[Optional(), Length(max=500)])


class PasswordForm(PageForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=8, max=256)])
    password_reason = StringField(_l("Reason (for the log)"), validators=[Optional(), Length(max=500)])


class RoleForm(PageForm):
    role = SelectField(_l("Site role"), choices=site_role_choices)
    role_reason = StringField(_l("Reason (for the log)"), validators=[Optional(), Length(max=500)])


def _user_or_404(username):
    user = account_services.find_user(username) if len(username) <= 64 else None
    if user is None:
        abort(404)
    return user


def _render(user, status=200, **forms):
    forms.setdefault("active_form", ActiveForm(formdata=None, active="1" if not user.active else "0"))
    forms.setdefault("password_form", PasswordForm(formdata=None))
    forms.setdefault("role_form", RoleForm(formdata=None, role=user.role))
    return render_template("admin/user_detail.html", user=user, **forms), status


@bp.route("/users/<username>")
def user_detail(username):
    """One account: its state, and the forms to deactivate it, reset its password or change its role."""
    return _render(_user_or_404(username))


@bp.route("/users/<username>/active", methods=["POST"])
def user_set_active(username):
    """Deactivate or reactivate an account."""
    user = _user_or_404(username)
    form = ActiveForm()
    if not form.validate_on_submit():
        return _render(user, form_status(form) or 400, active_form=form)
    try:
        services.update_user(
            current_user, user, active=form.active.data == "1", reason=form.active_reason.data or ""
        )
    except ServiceError as error:
        return _render(user, show_service_error(form, error, default="active_reason"), active_form=form)
    if user.active:
        flash(_("%(name)s can sign in again.", name=user.username), "success")
    else:
        flash(_("%(name)s was deactivated.", name=user.username), "success")
    return redirect(url_for("admin.user_detail", username=user.username))


@bp.route("/users/<username>/password", methods=["POST"])
def user_reset_password(username):
    """Set a new password for an account."""
    user = _user_or_404(username)
    form = PasswordForm()
    if not form.validate_on_submit():
        return _render(user, form_status(form), password_form=form)
    try:
        services.reset_password(current_user, user, form.password.data, form.password_reason.data or "")
    except ServiceError as error:
        return _render(user, show_service_error(form, error, default="password"), password_form=form)
    flash(_("The password of %(name)s was changed.", name=user.username), "success")
    return redirect(url_for("admin.user_detail", username=user.username))


@bp.route("/users/<username>/role", methods=["POST"])
def user_set_role(username):
    """Change an account's site role."""
    user = _user_or_404(username)
    form = RoleForm()
    if not form.validate_on_submit():
        return _render(user, form_status(form), role_form=form)
    try:
        services.update_user(current_user, user, role=form.role.data, reason=form.role_reason.data or "")
    except ServiceError as error:
        return _render(user, show_service_error(form, error, default="role"), role_form=form)
    flash(_("The role of %(name)s was changed.", name=user.username), "success")
    return redirect(url_for("admin.user_detail", username=user.username))
