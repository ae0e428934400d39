"""Administration pages: the health dashboard and the site settings."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from forum.admin import bp, settings
from forum.errors import ServiceError
from forum.extensions import db
from forum.pages import PageForm, form_status, show_service_error


class SettingsForm(PageForm):
    site_name = StringField(
        _l("Site name"),
        validators=[Optional(), Length(max=120)],
        description=_l("Leave empty for the default name."),
    )
    upload_max_mb = IntegerField(_l("Upload limit (MB)"), validators=[DataRequired(), NumberRange(min=1)])


@bp.route("/health")
def health():
    """Counts and the state of the database, search index, worker queue and Redis."""
    return render_template("admin/health.html", health=settings.health())


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
            settings.save_settings(
                current_user, site_name=form.site_name.data or "", upload_max_mb=form.upload_max_mb.data
            )
        except ServiceError as error:
            db.session.rollback()
            status = show_service_error(form, error)
        else:
            flash(_("The settings have been saved."), "success")
            return redirect(url_for("admin.site_settings"))
    else:
        status = form_status(form)
    return render_template(
        "admin/settings.html", form=form, server_max=settings.configured_upload_mb()
    ), status
