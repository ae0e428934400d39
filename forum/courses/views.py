"""Administration pages: the course catalogue (list, add, edit)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.admin import bp
from forum.admin.forms import CourseForm
from forum.courses import services as course_services
from forum.errors import ServiceError
from forum.extensions import db
from forum.pages import form_status, show_service_error
from forum.permissions import get_course_or_404

PER_PAGE = 50


@bp.route("/courses")
def courses():
    """The course catalogue, searchable by name or lecturer, with each course's material count."""
    query = request.args.get("q", "")[:100]
    page = request.args.get("page", 1, type=int) or 1
    pagination = db.paginate(
        course_services.courses_query(query),
        page=max(1, min(page, 100_000)),
        per_page=PER_PAGE,
        error_out=False,
    )
    counts = course_services.material_counts([course.id for course in pagination.items])
    return render_template("admin/courses.html", pagination=pagination, query=query, counts=counts)


@bp.route("/courses/new", methods=["GET", "POST"])
def new_course():
    """Add a course to the catalogue."""
    form = CourseForm()
    status = 200
    if form.validate_on_submit():
        try:
            course = course_services.create_course(
                current_user, form.name.data, form.lecturer.data, form.year.data
            )
        except ServiceError as error:
            status = show_service_error(form, error)
        else:
            flash(_("The course %(name)s was added.", name=course.name), "success")
            return redirect(url_for("admin.courses", q=course.name))
    else:
        status = form_status(form)
    return render_template("admin/course_form.html", form=form, course=None), status


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
def edit_course(course_id):
    """Change a course's name, lecturer or year."""
    course = get_course_or_404(course_id, current_user)
    form = CourseForm(obj=course)
    status = 200
    if form.validate_on_submit():
        try:
            course_services.update_course(
                current_user,
                course,
                name=form.name.data,
                lecturer=form.lecturer.data or "",
                year=form.year.data,
            )
        except ServiceError as error:
            status = show_service_error(form, error)
        else:
            flash(_("The course has been saved."), "success")
            return redirect(url_for("admin.courses", q=course.name))
    else:
        status = form_status(form)
    return render_template("admin/course_form.html", form=form, course=course), status
