"""Pages of the discussion features: the instructors' forms (case brief, roles, summary,
thread settings), staff notes and the accept / endorse / key-contribution buttons."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import to_user_timezone, to_utc
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from forum.cohorts.services import members
from forum.discussion import bp, cases, services
from forum.discussion.forms import (
    CaseBriefForm,
    MarkForm,
    RoleForm,
    SettingsForm,
    StaffNoteForm,
    SummaryForm,
)
from forum.discussion.materials import linked_materials
from forum.discussion.models import MARK_KINDS, CaseMaterial, ThreadSummary
from forum.errors import ServiceError
from forum.extensions import db
from forum.pages import flash_refusal, form_status, show_service_error
from forum.permissions import (
    can_assign_roles,
    can_change_thread_settings,
    can_edit_case_brief,
    can_write_staff_note,
    can_write_summary,
    get_post_or_404,
    get_thread_or_404,
    get_user_or_404,
)


def _thread_url(thread) -> str:
    return url_for("threads.thread", thread_id=thread.id)


def _page(template, thread, form, status=200, **extra):
    return render_template(
        template, thread=thread, board=thread.board, cohort=thread.board.cohort, form=form, **extra
    ), status


@bp.route("/threads/<int:thread_id>/case-brief", methods=["GET", "POST"])
@login_required
def edit_brief(thread_id):
    """Write a case thread's brief: background, questions, materials, teaching notes."""
    thread = get_thread_or_404(thread_id, current_user)
    if not can_edit_case_brief(current_user, thread):
        abort(403)
    brief = cases.case_brief(thread)
    ids = [
        row.material_id
        for row in db.session.execute(
            db.select(CaseMaterial).where(CaseMaterial.thread_id == thread.id).order_by(CaseMaterial.position)
        ).scalars()
    ]
    form = CaseBriefForm(
        data={
            "background": brief.background if brief else "",
            "questions": brief.questions if brief else "",
            "teaching_notes": brief.teaching_notes if brief else "",
            "material_ids": ", ".join(str(i) for i in ids),
        }
    )
    status = 200
    if form.validate_on_submit():
        try:
            cases.save_case_brief(
                current_user,
                thread,
                {
                    "background": form.background.data or "",
                    "questions": form.questions.data or "",
                    "teaching_notes": form.teaching_notes.data or "",
                    "material_ids": (form.material_ids.data or "").replace(",", " ").split(),
                },
            )
        except ServiceError as error:
            status = show_service_error(form, error)
        else:
            flash(_("The case brief has been saved."), "success")
            return redirect(_thread_url(thread))
    else:
        status = form_status(form)
    return _page(
        "discussion/brief_form.html", thread, form, status, materials=linked_materials(current_user, ids)
    )


@bp.route("/threads/<int:thread_id>/roles", methods=["GET", "POST"])
@login_required
def roles(thread_id):
    """Role play: give the cohort's trainees a role in this case, or take it away."""
    thread = get_thread_or_404(thread_id, current_user)
    if not can_assign_roles(current_user, thread):
        abort(403)
    trainees = [user for user, role in members(thread.board.cohort) if role == "trainee"]
    form = RoleForm()
    form.username.choices = [SelectChoice(u.username, f"{u.display_name} ({u.username})") for u in trainees]
    status = 200
    if form.validate_on_submit():
        try:
            user = get_user_or_404(form.username.data, current_user)
            cases.assign_role(current_user, thread, user, form.label.data)
        except ServiceError as error:
            status = show_service_error(form, error, {"username": "username"})
        else:
            flash(_("The role has been given."), "success")
            return redirect(url_for("discussion.roles", thread_id=thread.id))
    else:
        status = form_status(form)
    return _page(
        "discussion/roles.html",
        thread,
        form,
        status,
        roles=cases.thread_roles(thread),
        remove_form=MarkForm(),
    )


@bp.route("/threads/<int:thread_id>/roles/<username>/remove", methods=["POST"])
@login_required
def remove_role(thread_id, username):
    """Take a trainee's role in this case away."""
    thread = get_thread_or_404(thread_id, current_user)
    if not can_assign_roles(current_user, thread):
        abort(403)
    MarkForm().validate_on_submit()
    try:
        cases.remove_role(current_user, thread, get_user_or_404(username[:64], current_user))
    except ServiceError as error:
        flash_refusal(error)
    else:
        flash(_("The role has been taken away."), "success")
    return redirect(url_for("discussion.roles", thread_id=thread.id))


@bp.route("/threads/<int:thread_id>/summary", methods=["GET", "POST"])
@login_required
def edit_summary(thread_id):
    """Write the pinned "conclusions so far" at the top of a research thread."""
    thread = get_thread_or_404(thread_id, current_user)
    if not can_write_summary(current_user, thread):
        abort(403)

    summary = db.session.execute(
        db.select(ThreadSummary).where(ThreadSummary.thread_id == thread.id)
    ).scalar_one_or_none()
    form = SummaryForm(data={"body": summary.body if summary else ""})
    status = 200
    if form.validate_on_submit():
        try:
            services.save_summary(current_user, thread, form.body.data or "")
        except ServiceError as error:
            status = show_service_error(form, error)
        else:
            flash(_("The summary has been saved."), "success")
            return redirect(_thread_url(thread))
    else:
        status = form_status(form)
    return _page("discussion/summary_form.html", thread, form, status)


@bp.route("/threads/<int:thread_id>/discussion-settings", methods=["GET", "POST"])
@login_required
def settings(thread_id):
    """A thread's settings: private, answer before you see and its due date."""
    thread = get_thread_or_404(thread_id, current_user)
    if not can_change_thread_settings(current_user, thread):
        abort(403)
    due = to_user_timezone(thread.answer_due_at).replace(tzinfo=None) if thread.answer_due_at else None
    form = SettingsForm(
        data={"private": thread.private, "answer_first": thread.answer_first, "answer_due_at": due}
    )
    status = 200
    if form.validate_on_submit():
        try:
            services.update_thread_settings(
                current_user,
                thread,
                private=bool(form.private.data),
                answer_first=bool(form.answer_first.data),
                answer_due_at=to_utc(form.answer_due_at.data) if form.answer_due_at.data else None,
            )
        except ServiceError as error:
            status = show_service_error(form, error)
        else:
            flash(_("The thread's settings have been saved."), "success")
            return redirect(_thread_url(thread))
    else:
        status = form_status(form)
    return _page("discussion/settings.html", thread, form, status)


@bp.route("/threads/<int:thread_id>/staff-notes", methods=["POST"])
@login_required
def staff_note(thread_id):
    """Leave a note in the thread that only the cohort's staff see."""
    thread = get_thread_or_404(thread_id, current_user)
    if not can_write_staff_note(current_user, thread):
        abort(403)
    form = StaffNoteForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(_thread_url(thread) + "#staff-note")
    try:
        post = services.create_staff_note(current_user, thread, form.body.data)
    except ServiceError as error:
        flash_refusal(error)
        return redirect(_thread_url(thread) + "#staff-note")
    flash(_("Your staff note has been added."), "success")
    return redirect(url_for("threads.post", post_id=post.id))


@bp.route("/posts/<int:post_id>/marks/<kind>", methods=["POST"])
@login_required
def mark(post_id, kind):
    """Accept, endorse or mark a reply as a key contribution (``on=1``), or undo it (``on=0``)."""
    post = get_post_or_404(post_id, current_user)
    if kind not in MARK_KINDS:
        abort(404)
    form = MarkForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        changed = services.set_mark(current_user, post, kind, form.on.data == "1")
    except ServiceError as error:
        if error.status == 403:
            abort(403)
        flash_refusal(error)
    else:
        if changed:
            flash(_MARK_MESSAGES[(kind, form.on.data == "1")](), "success")
    return redirect(url_for("threads.post", post_id=post.id))


_MARK_MESSAGES = {
    ("accepted", True): lambda: _("The answer has been accepted."),
    ("accepted", False): lambda: _("The answer is no longer accepted."),
    ("endorsed", True): lambda: _("The reply has been endorsed."),
    ("endorsed", False): lambda: _("The endorsement has been taken back."),
    ("key", True): lambda: _("The reply has been marked as a key contribution."),
    ("key", False): lambda: _("The reply is no longer marked as a key contribution."),
}
