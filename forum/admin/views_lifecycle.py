"""Administration pages: a new cohort from a template; opening an archived cohort's materials."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectField
from wtforms.validators import DataRequired

from forum.admin import bp, lifecycle
from forum.admin.forms import CohortForm
from forum.cohorts import services as cohort_services
from forum.cohorts.models import Cohort
from forum.errors import ServiceError
from forum.extensions import db
from forum.pages import PageForm, form_status, show_service_error


class TemplateCohortForm(CohortForm):
    template = SelectField(_l("Copy the boards of"), choices=[], validators=[DataRequired()])


class OpenMaterialsForm(PageForm):
    target = SelectField(_l("Open its materials to"), choices=[], validators=[DataRequired()])


def _choices(archived=None):
    stmt = select(Cohort).order_by(Cohort.year.desc().nulls_last(), Cohort.name)
    if archived is not None:
        stmt = stmt.where(Cohort.archived.is_(archived))
    return [(c.slug, f"{c.name} ({c.slug})") for c in db.session.execute(stmt).scalars()]


@bp.route("/cohorts/new-from-template", methods=["GET", "POST"])
def new_cohort_from_template():
    """Create a cohort whose boards are copied from an earlier one."""
    form = TemplateCohortForm()
    del form.archived
    form.template.choices = _choices()
    status = 200
    if form.validate_on_submit():
        template = cohort_services.find_cohort(form.template.data)
        try:
            cohort = lifecycle.create_from_template(
                current_user,
                template,
                form.slug.data,
                form.name.data,
                form.kind.data,
                form.year.data,
                form.language.data,
                form.description.data or "",
            )
        except ServiceError as error:
            status = show_service_error(form, error)
        else:
            flash(_("The class %(name)s was created.", name=cohort.name), "success")
            return redirect(url_for("admin.cohort_members", slug=cohort.slug))
    else:
        status = form_status(form)
    return render_template("admin/cohort_template_form.html", form=form), status


@bp.route("/cohorts/<slug>/open-materials", methods=["GET", "POST"])
def open_materials(slug):
    """Share an archived cohort's materials with a later cohort."""
    source = cohort_services.find_cohort(slug)
    if source is None:
        abort(404)
    form = OpenMaterialsForm()
    form.target.choices = [c for c in _choices(archived=False)]
    status = 200
    if form.validate_on_submit():
        target = cohort_services.find_cohort(form.target.data)
        try:
            opened = lifecycle.open_materials(current_user, source, target)
        except ServiceError as error:
            status = show_service_error(form, error, default="target")
        else:
            flash(_("%(n)d materials are now open to %(name)s.", n=opened, name=target.name), "success")
            return redirect(url_for("admin.cohorts"))
    else:
        status = form_status(form)
    return render_template("admin/open_materials.html", form=form, cohort=source), status
