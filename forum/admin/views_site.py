"""Administration pages: the health dashboard and the site settings (name, upload limit,
logo); and the logo itself, served to everyone."""

from flask import abort, flash, redirect, render_template, send_from_directory, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from forum import settings
from forum.admin import bp, logo, site
from forum.errors import ServiceError
from forum.pages import PageForm, flash_refusal, form_status, show_service_error

# The logo's name changes with its content, so a browser may keep it for a year.
LOGO_MAX_AGE = 365 * 24 * 3600


class SettingsForm(PageForm):
    site_name = StringField(
        _l("Site name"),
        validators=[Optional(), Length(max=120)],
        description=_l("Leave empty for the default name."),
    )
    upload_max_mb = IntegerField(_l("Upload limit (MB)"), validators=[DataRequired(), NumberRange(min=1)])


class LogoForm(PageForm):
    logo = FileField(
        _l("Logo"),
        validators=[FileRequired(_l("Choose an image file."))],
        description=_l(
            "A PNG, JPEG or WebP image of at most %(n)d MB, shown beside the site name.", n=logo.MAX_MB
        ),
    )


class RemoveLogoForm(PageForm):
    """Only its CSRF token."""


@bp.app_context_processor
def _site_logo():
    """Every page's header may show ``site_logo_url()`` beside the site name."""
    return {"site_logo_url": logo.logo_url}


@bp.route("/health")
def health():
    """Counts and the state of the database, search index, worker queue and Redis."""
    return render_template("admin/health.html", health=site.health())


def _settings_page(form, logo_form, status: int = 200):
    return render_template(
        "admin/settings.html",
        form=form,
        logo_form=logo_form,
        logo_url=logo.logo_url(),
        server_max=settings.configured_upload_mb(),
    ), status


@bp.route("/settings", methods=["GET", "POST"])
def site_settings():
    """Edit the site name and the upload limit."""
    form = SettingsForm()
    if not form.is_submitted():
        form.site_name.data = settings.site_name_override() or ""
        form.upload_max_mb.data = settings.upload_limit_mb()
    status = 200
    if form.validate_on_submit():
        try:
            site.save_settings(
                current_user, site_name=form.site_name.data or "", upload_max_mb=form.upload_max_mb.data
            )
        except ServiceError as error:
            status = show_service_error(form, error)
        else:
            flash(_("The settings have been saved."), "success")
            return redirect(url_for("admin.site_settings"))
    else:
        status = form_status(form)
    return _settings_page(form, LogoForm(formdata=None), status)


def _filled_settings_form() -> SettingsForm:
    form = SettingsForm(formdata=None)
    form.site_name.data = settings.site_name_override() or ""
    form.upload_max_mb.data = settings.upload_limit_mb()
    return form


@bp.route("/settings/logo", methods=["POST"])
def upload_logo():
    """Replace the site logo with an uploaded PNG, JPEG or WebP image."""
    logo_form = LogoForm()
    status = 200
    if logo_form.validate_on_submit():
        try:
            logo.save_logo(current_user, logo_form.logo.data.stream)
        except ServiceError as error:
            status = show_service_error(logo_form, error, default="logo")
        else:
            flash(_("The logo has been saved."), "success")
            return redirect(url_for("admin.site_settings"))
    else:
        status = form_status(logo_form)
    return _settings_page(_filled_settings_form(), logo_form, status)


@bp.route("/settings/logo/remove", methods=["POST"])
def remove_logo():
    """Remove the site logo: the header shows the default mark again."""
    form = RemoveLogoForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        logo.remove_logo(current_user)
    except ServiceError as error:
        flash_refusal(error)
    else:
        flash(_("The logo has been removed."), "success")
    return redirect(url_for("admin.site_settings"))


@bp.route("/logo/<filename>")
def site_logo(filename):
    """The current site logo, for everyone (the header shows it, on the sign-in page too)."""
    if filename != logo.logo_name():
        abort(404)
    response = send_from_directory(
        logo.logo_dir(), filename, mimetype=logo.MIME_TYPES[filename.rsplit(".", 1)[1]], max_age=LOGO_MAX_AGE
    )
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response
