"""Administration pages: users (one by one or from a CSV), cohorts and memberships."""

import secrets

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from forum.accounts import services as account_services
from forum.admin import bp
from forum.admin.forms import CohortForm, ImportUsersForm, MemberForm, RemoveMemberForm, UserForm
from forum.cohorts import services as cohort_services
from forum.cohorts.models import Cohort
from forum.errors import ServiceError
from forum.extensions import db, login_manager
from forum.pages import flash_refusal, form_status, show_service_error
from forum.permissions import can_manage_site

CSV_MAX_BYTES = 1_000_000


# Served to everyone: the site logo appears in every page's header.
PUBLIC_ENDPOINTS = {"admin.site_logo"}


@bp.before_request
def _admins_only():
    """Every administration page: signed in, and a site administrator."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not can_manage_site(current_user):
        abort(403)


def _page_arg() -> int:
    page = request.args.get("page", "1")
    return int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1


def _no_store(response):
    # Pages showing passwords must not stay in a shared computer's cache.
    response.headers["Cache-Control"] = "no-store"
    return response


def _cohort_or_404(slug) -> Cohort:
    cohort = cohort_services.find_cohort(slug)
    if cohort is None:
        abort(404)
    return cohort


@bp.route("/")
def index():
    """Administration overview: counts of people, classes and posts."""
    return render_template("admin/index.html", counts=cohort_services.site_counts())


# --- users -------------------------------------------------------------------------------


@bp.route("/users")
def users():
    """Everyone with an account, searchable by username or name."""
    query = request.args.get("q", "")[:64]
    pagination = account_services.search_users(current_user, query, _page_arg(), per_page=50)
    return render_template("admin/users.html", pagination=pagination, query=query)


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    """Create one account; an empty password is generated and shown once."""
    form = UserForm()
    status = 200
    if form.validate_on_submit():
        password = form.password.data or secrets.token_urlsafe(9)
        try:
            user = account_services.create_user(
                current_user, form.username.data, password, form.role.data, form.display_name.data or None
            )
        except ServiceError as error:
            status = show_service_error(form, error)
        else:
            flash(_("The account %(name)s was created.", name=user.username), "success")
            if form.password.data:
                return redirect(url_for("admin.users", q=user.username))
            return _no_store(
                make_response(
                    render_template(
                        "admin/users_created.html",
                        created=[user],
                        passwords={user.username: password},
                        cohort=None,
                    )
                )
            )
    else:
        status = form_status(form)
    return render_template("admin/user_form.html", form=form), status


def _decode_csv(raw: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030, as spreadsheet programs save CSV in China."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ServiceError("invalid", _("The file is not a text CSV (save it as CSV UTF-8)."), 400, "file")


def _cohort_choices():
    cohorts = db.session.execute(
        select(Cohort)
        .where(Cohort.archived.is_(False))
        .order_by(Cohort.year.desc().nulls_last(), Cohort.name)
    ).scalars()
    return [("", _("— none —"))] + [(c.slug, f"{c.name} ({c.slug})") for c in cohorts]


@bp.route("/users/import", methods=["GET", "POST"])
def import_users():
    """Create a whole class of accounts from a CSV, optionally enrolling them in a cohort."""
    form = ImportUsersForm()
    form.cohort.choices = _cohort_choices()
    if request.method == "GET" and request.args.get("cohort"):
        form.cohort.data = request.args["cohort"]
    status = 200
    if form.validate_on_submit():
        try:
            raw = form.file.data.read(CSV_MAX_BYTES + 1)
            if len(raw) > CSV_MAX_BYTES:
                raise ServiceError("too_large", _("The CSV file is too large (at most 1 MB)."), 400, "file")
            cohort = _cohort_or_404(form.cohort.data) if form.cohort.data else None
            created, passwords = account_services.import_users_csv(
                current_user, _decode_csv(raw), cohort, form.default_password.data or None
            )
        except ServiceError as error:
            status = show_service_error(form, error, default="file")
        else:
            flash(_("%(n)d accounts were created.", n=len(created)), "success")
            return _no_store(
                make_response(
                    render_template(
                        "admin/users_created.html", created=created, passwords=passwords, cohort=cohort
                    )
                )
            )
    else:
        status = form_status(form)
    return render_template("admin/import_users.html", form=form), status


# --- cohorts -----------------------------------------------------------------------------


@bp.route("/cohorts")
def cohorts():
    """Every cohort, open ones first, with member counts."""
    rows = list(db.session.execute(cohort_services.list_cohorts_for(current_user)).scalars())
    counts = cohort_services.member_counts([c.id for c in rows])
    return render_template("admin/cohorts.html", cohorts=rows, counts=counts)


@bp.route("/cohorts/new", methods=["GET", "POST"])
def new_cohort():
    """Create a cohort."""
    form = CohortForm()
    del form.archived
    status = 200
    if form.validate_on_submit():
        try:
            cohort = cohort_services.create_cohort(
                current_user,
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
    return render_template("admin/cohort_form.html", form=form, cohort=None), status


@bp.route("/cohorts/<slug>/edit", methods=["GET", "POST"])
def edit_cohort(slug):
    """Change a cohort's details, or archive it at the end of the class (or reopen it)."""
    cohort = _cohort_or_404(slug)
    form = CohortForm(obj=cohort)
    form.slug.data = cohort.slug  # the slug is part of addresses: it does not change
    status = 200
    if form.validate_on_submit():
        try:
            cohort_services.update_cohort(
                current_user,
                cohort,
                name=form.name.data,
                kind=form.kind.data,
                year=form.year.data,
                language=form.language.data,
                description=form.description.data or "",
                archived=bool(form.archived.data),
            )
        except ServiceError as error:
            status = show_service_error(form, error)
        else:
            flash(_("The class has been saved."), "success")
            return redirect(url_for("admin.cohorts"))
    else:
        status = form_status(form)
    return render_template("admin/cohort_form.html", form=form, cohort=cohort), status


@bp.route("/cohorts/<slug>/members", methods=["GET", "POST"])
def cohort_members(slug):
    """A cohort's members: add someone by username with a role, or remove them."""
    cohort = _cohort_or_404(slug)
    form = MemberForm()
    status = 200
    if form.validate_on_submit():
        user = account_services.find_user(form.username.data)
        if user is None:
            form.username.errors.append(_("There is no account with this username."))
            status = 400
        else:
            try:
                cohort_services.add_membership(current_user, cohort, user, form.role.data)
            except ServiceError as error:
                status = show_service_error(form, error)
            else:
                flash(_("%(name)s is now in this class.", name=user.display_name), "success")
                return redirect(url_for("admin.cohort_members", slug=cohort.slug))
    else:
        status = form_status(form)
    return render_template(
        "admin/members.html",
        cohort=cohort,
        form=form,
        members=cohort_services.members(cohort),
        remove_form=RemoveMemberForm(formdata=None),
    ), status


@bp.route("/cohorts/<slug>/members/remove", methods=["POST"])
def remove_member(slug):
    """Take someone out of a cohort."""
    cohort = _cohort_or_404(slug)
    form = RemoveMemberForm()
    user = account_services.find_user(form.username.data) if form.validate_on_submit() else None
    if user is None:
        flash(_("There is no account with this username."), "error")
    else:
        try:
            cohort_services.remove_membership(current_user, cohort, user)
        except ServiceError as error:
            flash_refusal(error)
        else:
            flash(_("%(name)s was removed from this class.", name=user.display_name), "success")
    return redirect(url_for("admin.cohort_members", slug=cohort.slug))
