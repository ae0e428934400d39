"""Pages: sign in, sign out, change password, switch language."""

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from forum.accounts import bp, services
from forum.accounts.forms import LanguageForm, LoginForm, PasswordForm
from forum.cohorts.services import list_cohorts_for
from forum.errors import ServiceError
from forum.extensions import db
from forum.pages import show_service_error
from forum.templating import safe_next_url


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with a username and password."""
    if current_user.is_authenticated:
        return redirect(url_for("cohorts.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data, form.password.data, request.remote_addr)
        except ServiceError as error:
            flash(error.message, "error")
            status = error.status if error.status == 429 else 200
        else:
            login_user(user, remember=form.remember.data)
            session.permanent = True
            if user.locale:
                session["locale"] = user.locale
            return redirect(safe_next_url(form.next.data) or url_for("cohorts.home"))
    elif request.method == "POST":
        status = 400
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out (a POST with CSRF, so no link can sign someone out)."""
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """One's own account: details and password change."""
    form = PasswordForm()
    status = 400 if request.method == "POST" else 200
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.new_password.data)
        except ServiceError as error:
            status = show_service_error(form, error)
        else:
            # The password change ended every other session; keep this one.
            login_user(current_user._get_current_object())
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("accounts.account"))
    cohorts = list(db.session.execute(list_cohorts_for(current_user)).scalars())
    return render_template("accounts/account.html", form=form, cohorts=cohorts), status


@bp.route("/language", methods=["POST"])
def language():
    """Switch the interface language; remembered on the account when signed in."""
    form = LanguageForm()
    if form.validate_on_submit() and form.locale.data in services.LOCALES:
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            services.set_locale(current_user, form.locale.data)
    return redirect(safe_next_url(form.next.data) or url_for("cohorts.home"))
