"""Library pages: browse with filters, upload (drag and drop, several files, progress),
a material's page (details, status, per-page text, citing threads), download, edit."""

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from werkzeug.exceptions import RequestEntityTooLarge

from forum import permissions, transaction
from forum.cohorts.models import Cohort
from forum.courses.models import Course
from forum.errors import ServiceError
from forum.extensions import db
from forum.materials import bp, services
from forum.materials.citations import citing_threads
from forum.materials.forms import ConfirmForm, EditMaterialForm, UploadForm
from forum.materials.models import MATERIAL_KINDS, MATERIAL_STATUSES, Material, material_shares
from forum.pages import flash_refusal, show_service_error

PREVIEW_PAGES = 10
PREVIEW_CHARS = 4000


def _shareable_cohorts(user) -> list:
    cohorts = db.session.execute(
        select(Cohort).where(Cohort.archived.is_(False)).order_by(Cohort.name)
    ).scalars()
    return [c for c in cohorts if permissions.can_share_material_with(user, c)]


def _visible_cohorts(user) -> list:
    stmt = permissions.visible_cohorts(select(Cohort).order_by(Cohort.name), user)
    return db.session.execute(stmt).scalars().all()


def library_filters() -> dict:
    """The list's filters from the query string, each checked (bad values are ignored)."""
    args = request.args
    filters = {"q": args.get("q", "").strip()[:200]}
    for name in ("course", "year"):
        value = args.get(name, "").strip()
        filters[name] = int(value) if value.isdigit() and len(value) < 10 else None
    filters["kind"] = args.get("kind") if args.get("kind") in MATERIAL_KINDS else ""
    filters["status"] = args.get("status") if args.get("status") in MATERIAL_STATUSES else ""
    filters["cohort"] = args.get("cohort", "").strip()[:64]
    filters["tag"] = args.get("tag", "").strip()[:40]
    return filters


def library_query(user, filters: dict):
    """Materials the user may see, newest first, narrowed by the filters."""
    stmt = select(Material).order_by(Material.created_at.desc(), Material.id.desc())
    stmt = permissions.visible_materials(stmt, user)
    if filters.get("q"):
        stmt = stmt.where(func.lower(Material.title).contains(filters["q"].lower(), autoescape=True))
    if filters.get("course"):
        stmt = stmt.where(Material.course_id == filters["course"])
    if filters.get("year"):
        stmt = stmt.where(Material.year == filters["year"])
    if filters.get("kind"):
        stmt = stmt.where(Material.kind == filters["kind"])
    if filters.get("status"):
        stmt = stmt.where(Material.status == filters["status"])
    if filters.get("tag"):
        stmt = stmt.where(Material.tags.contains(filters["tag"], autoescape=True))
    if filters.get("cohort"):
        cohort = db.session.execute(select(Cohort).filter_by(slug=filters["cohort"])).scalar_one_or_none()
        cohort_id = cohort.id if cohort and permissions.can_view_cohort(user, cohort) else -1
        shared = select(material_shares.c.material_id).where(material_shares.c.cohort_id == cohort_id)
        stmt = stmt.where(Material.id.in_(shared))
    return stmt


@bp.route("/")
@login_required
def library():
    """The library: materials the user may see, with filters."""
    filters = library_filters()
    page = request.args.get("page", 1, type=int) or 1
    pagination = db.paginate(
        library_query(current_user, filters),
        page=max(1, min(page, 10_000)),
        per_page=current_app.config["FORUM_PER_PAGE"],
        error_out=False,
    )
    courses = db.session.execute(select(Course).order_by(Course.name)).scalars().all()
    return render_template(
        "materials/library.html",
        pagination=pagination,
        materials=pagination.items,
        filters=filters,
        courses=courses,
        cohorts=_visible_cohorts(current_user),
        kinds=MATERIAL_KINDS,
        statuses=MATERIAL_STATUSES,
        can_upload=permissions.can_upload_material(current_user),
    )


def _upload_form(user) -> UploadForm:
    form = UploadForm()
    form.cohort.choices = [("", _("Only me (and administrators)"))] + [
        (c.slug, c.name) for c in _shareable_cohorts(user)
    ]
    return form


def _wants_json() -> bool:
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "application/json"


@bp.route("/upload", methods=["GET", "POST"])
@login_required
def upload():
    """Upload one or several files (the page sends each file by itself, with progress)."""
    if not permissions.can_upload_material(current_user):
        abort(403)
    try:
        form = _upload_form(current_user)
        files = (
            [f for f in request.files.getlist("files") if f and f.filename]
            if request.method == "POST"
            else []
        )
    except RequestEntityTooLarge:
        return _upload_refused(services.too_large_error())
    if request.method == "POST" and form.validate():
        if not files:
            return _upload_refused(
                ServiceError("required", _("Choose at least one file."), 400, "files"), form
            )
        cohort = None
        if form.cohort.data:
            cohort = db.session.execute(select(Cohort).filter_by(slug=form.cohort.data)).scalar_one_or_none()
            if cohort is None:
                return _upload_refused(ServiceError("invalid", _("Unknown class."), 400, "cohort"), form)
        done, errors = [], []
        for storage in files:
            try:
                # One unit of work per file: a refused file leaves the others stored.
                with transaction.unit():
                    material, created = services.upload_material(
                        current_user,
                        storage.stream,
                        storage.filename,
                        title=form.title.data if len(files) == 1 else None,
                        cohort=cohort,
                        course=form.course.data,
                        college_wide=form.college_wide.data,
                        lecturer=form.lecturer.data,
                        year=(form.year.data or "").strip() or None,
                        tags=form.tags.data,
                    )
                done.append((material, created))
            except ServiceError as error:
                errors.append((storage.filename, error))
        return _upload_done(form, done, errors)
    if request.method == "POST" and _wants_json():
        message = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return jsonify({"error": {"code": "invalid", "message": message}}), 400
    status = 400 if form.errors else 200
    return render_template(
        "materials/upload.html", form=form, max_mb=services.max_upload_bytes() // (1024 * 1024)
    ), status


def _upload_refused(error: ServiceError, form=None):
    if _wants_json():
        return jsonify({"error": {"code": error.code, "message": error.message}}), error.status
    form = form or _upload_form(current_user)
    status = show_service_error(form, error)
    return render_template(
        "materials/upload.html", form=form, max_mb=services.max_upload_bytes() // (1024 * 1024)
    ), status


def _upload_done(form, done, errors):
    if _wants_json():
        items = [
            {
                "id": m.id,
                "title": m.title,
                "url": url_for("materials.material", material_id=m.id),
                "status": m.status,
                "duplicate": not created,
            }
            for m, created in done
        ]
        body = {
            "items": items,
            "errors": [{"filename": n, "code": e.code, "message": e.message} for n, e in errors],
        }
        if errors and not done:
            first = errors[0][1]
            body["error"] = {"code": first.code, "message": first.message}
            return jsonify(body), first.status
        return jsonify(body), 201 if any(created for _m, created in done) else 200
    for name, error in errors:
        flash(f"{name}: {error.message}", "error")
    for material, created in done:
        if created:
            flash(_("%(title)s was uploaded and is being indexed.", title=material.title), "success")
        else:
            flash(_("%(title)s was already in the library.", title=material.title), "info")
    if len(done) == 1:
        return redirect(url_for("materials.material", material_id=done[0][0].id))
    if not done:
        return render_template(
            "materials/upload.html", form=form, max_mb=services.max_upload_bytes() // (1024 * 1024)
        ), errors[0][1].status
    return redirect(url_for("materials.library"))


@bp.route("/<int:material_id>")
@login_required
def material(material_id):
    """A material: details, status, text preview by page or slide, citing threads."""
    material = permissions.get_material_or_404(material_id, current_user)
    page = request.args.get("page", 1, type=int) or 1
    page = max(1, min(page, max(material.page_count, 1)))
    first = ((page - 1) // PREVIEW_PAGES) * PREVIEW_PAGES + 1
    pages = services.page_texts(material, range(first, first + PREVIEW_PAGES))
    return render_template(
        "materials/material.html",
        material=material,
        pages=pages,
        preview_chars=PREVIEW_CHARS,
        first=first,
        last=first + PREVIEW_PAGES - 1,
        current_page=page,
        threads=citing_threads(current_user, material),
        reason=services.reason_text(material.status_reason),
        can_edit=permissions.can_edit_material(current_user, material),
        confirm=ConfirmForm(),
    )


@bp.route("/<int:material_id>/download")
@login_required
def download(material_id):
    """The stored file, under its original (sanitized) name."""
    material = permissions.get_material_or_404(material_id, current_user)
    path = services.material_path(material)
    if not path.is_file():
        abort(404)
    mimetype = material.mime_type.split(";")[0]
    # Text and HTML are never rendered by the browser on this origin: always a download.
    return send_file(
        path,
        mimetype=mimetype,
        as_attachment=True,
        download_name=material.original_filename,
        max_age=0,
        etag=material.content_hash,
    )


@bp.route("/<int:material_id>/edit", methods=["GET", "POST"])
@login_required
def edit(material_id):
    """Edit title, course, lecturer, year, tags and sharing."""
    material = permissions.get_material_or_404(material_id, current_user)
    if not permissions.can_edit_material(current_user, material):
        abort(403)
    form = EditMaterialForm(obj=None if request.method == "POST" else material)
    if request.method == "GET":
        form.course.data = material.course.name if material.course else ""
        form.year.data = str(material.year or "")
    shareable = _shareable_cohorts(current_user)
    shared = {c.id for c in material.cohorts}
    status = 200
    if form.validate_on_submit():
        chosen = {int(v) for v in request.form.getlist("cohorts") if v.isdigit()}
        managed = {c.id for c in shareable}
        # Cohorts the editor does not manage keep their share as it is.
        cohort_ids = (shared - managed) | (chosen & managed)
        try:
            services.update_material(
                current_user,
                material,
                title=form.title.data,
                course=form.course.data or "",
                lecturer=form.lecturer.data or "",
                year=(form.year.data or "").strip() or "",
                tags=form.tags.data or "",
                cohort_ids=sorted(cohort_ids),
                college_wide=bool(form.college_wide.data)
                if permissions.can_share_college_wide(current_user)
                else None,
            )
            flash(_("The material was saved."), "success")
            return redirect(url_for("materials.material", material_id=material.id))
        except ServiceError as error:
            status = show_service_error(form, error)
    elif form.errors:
        status = 400
    return render_template(
        "materials/edit.html",
        form=form,
        material=material,
        shareable=shareable,
        shared=shared,
        can_college=permissions.can_share_college_wide(current_user),
    ), status


@bp.route("/<int:material_id>/reextract", methods=["POST"])
@login_required
def reextract(material_id):
    """Read the file again and re-index it."""
    material = permissions.get_material_or_404(material_id, current_user)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.reextract(current_user, material)
        flash(_("The material is queued for indexing again."), "success")
    except ServiceError as error:
        flash_refusal(error)
    return redirect(url_for("materials.material", material_id=material.id))
