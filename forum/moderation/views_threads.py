"""Pages: move, merge, split and assign a thread; the queue of unanswered questions."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.accounts.models import User
from forum.cohorts.models import Board, Cohort
from forum.cohorts.services import members
from forum.errors import ServiceError
from forum.extensions import db
from forum.moderation import bp, services, threadops
from forum.moderation.forms import AssignForm, MergeForm, MoveForm, SplitForm, choices
from forum.pages import form_status, show_service_error
from forum.permissions import (
    can_manage_site,
    can_move_thread,
    can_restructure_thread,
    can_work_queue,
    get_board_or_404,
    get_cohort_or_404,
    get_thread_or_404,
)
from forum.threads.models import Post, Thread

MERGE_CHOICES_MAX = 300


def _thread_url(thread) -> str:
    return url_for("threads.thread", thread_id=thread.id)


def _board_choices(thread):
    """Boards a thread may move to: its cohort's; for admins every open cohort's."""
    stmt = (
        select(Board)
        .join(Cohort, Cohort.id == Board.cohort_id)
        .order_by(Cohort.name, Board.position, Board.id)
    )
    if can_manage_site(current_user):
        stmt = stmt.where(Cohort.archived.is_(False))
    else:
        stmt = stmt.where(Board.cohort_id == thread.board.cohort_id)
    return [
        (b.id, f"{b.cohort.name} · {b.name}")
        for b in db.session.execute(stmt).scalars()
        if b.id != thread.board_id
    ]


def _restructure_page(thread_id, check):
    thread = get_thread_or_404(thread_id, current_user)
    if not check(current_user, thread):
        abort(403)
    return thread


@bp.route("/threads/<int:thread_id>/move", methods=["GET", "POST"])
@login_required
def move_thread(thread_id):
    """Move a thread to another board."""
    thread = _restructure_page(thread_id, can_move_thread)
    form = MoveForm()
    form.board_id.choices = choices(_board_choices(thread))
    status = 200
    if form.validate_on_submit():
        try:
            board = get_board_or_404(form.board_id.data, current_user)
            threadops.move_thread(current_user, thread, board, form.reason.data or "")
        except ServiceError as error:
            status = show_service_error(form, error, {"board_id": "board_id"})
        else:
            flash(_("The thread has been moved to %(board)s.", board=board.name), "success")
            return redirect(_thread_url(thread))
    else:
        status = form_status(form)
    return render_template(
        "moderation/thread_move.html", form=form, thread=thread, cohort=thread.board.cohort
    ), status


@bp.route("/threads/<int:thread_id>/merge", methods=["GET", "POST"])
@login_required
def merge_thread(thread_id):
    """Merge this thread into another thread of the cohort."""
    thread = _restructure_page(thread_id, can_restructure_thread)
    form = MergeForm()
    candidates = db.session.execute(
        select(Thread)
        .join(Board, Board.id == Thread.board_id)
        .where(
            Board.cohort_id == thread.board.cohort_id, Thread.id != thread.id, Thread.merged_into_id.is_(None)
        )
        .order_by(Thread.last_activity_at.desc())
        .limit(MERGE_CHOICES_MAX)
    ).scalars()
    form.target_id.choices = choices((t.id, f"#{t.id} {t.title}") for t in candidates)
    status = 200
    if form.validate_on_submit():
        try:
            target = get_thread_or_404(form.target_id.data, current_user)
            threadops.merge_threads(current_user, thread, target, form.reason.data or "")
        except ServiceError as error:
            status = show_service_error(form, error, {"target_id": "target_id"})
        else:
            flash(_("The threads have been merged."), "success")
            return redirect(_thread_url(target))
    else:
        status = form_status(form)
    return render_template(
        "moderation/thread_merge.html", form=form, thread=thread, cohort=thread.board.cohort
    ), status


@bp.route("/threads/<int:thread_id>/split", methods=["GET", "POST"])
@login_required
def split_thread(thread_id):
    """Move chosen replies into a new thread."""
    thread = _restructure_page(thread_id, can_restructure_thread)
    replies = list(
        db.session.execute(
            select(Post).where(Post.thread_id == thread.id, Post.number > 1).order_by(Post.number)
        ).scalars()
    )
    form = SplitForm()
    form.post_ids.choices = choices((p.id, f"#{p.number}") for p in replies)
    status = 200
    if form.validate_on_submit():
        try:
            new = threadops.split_thread(
                current_user, thread, form.post_ids.data, form.title.data, form.reason.data or ""
            )
        except ServiceError as error:
            status = show_service_error(form, error)
        else:
            flash(_("The replies now form a new thread."), "success")
            return redirect(_thread_url(new))
    else:
        status = form_status(form)
    return render_template(
        "moderation/thread_split.html", form=form, thread=thread, replies=replies, cohort=thread.board.cohort
    ), status


def _instructor_choices(cohort):
    return [("", _("Nobody"))] + [
        (user.username, user.display_name) for user, role in members(cohort) if role == "instructor"
    ]


@bp.route("/threads/<int:thread_id>/assign", methods=["GET", "POST"])
@login_required
def assign_thread(thread_id):
    """Ask an instructor of the cohort to answer this thread."""
    thread = _restructure_page(thread_id, can_restructure_thread)
    cohort = thread.board.cohort
    current = db.session.get(User, thread.assigned_to_id) if thread.assigned_to_id else None
    form = AssignForm(data={"assignee": current.username if current else ""})
    form.assignee.choices = choices(_instructor_choices(cohort))
    status = 200
    if form.validate_on_submit():
        assignee = None
        if form.assignee.data:
            assignee = db.session.execute(
                select(User).where(User.username == form.assignee.data)
            ).scalar_one()
        try:
            services.assign_thread(current_user, thread, assignee, form.reason.data or "")
        except ServiceError as error:
            status = show_service_error(form, error, {"username": "assignee"})
        else:
            flash(
                _("Assigned to %(name)s.", name=assignee.display_name)
                if assignee
                else _("Nobody is assigned now."),
                "success",
            )
            return redirect(_thread_url(thread))
    else:
        status = form_status(form)
    return render_template(
        "moderation/thread_assign.html", form=form, thread=thread, cohort=cohort, current=current
    ), status


@bp.route("/cohorts/<slug>/questions")
@login_required
def questions(slug):
    """Trainees' questions still without a staff reply, oldest first."""
    cohort = get_cohort_or_404(slug, current_user)
    if not can_work_queue(current_user, cohort):
        abort(403)
    mine = request.args.get("assigned") == "me"
    stmt = services.unanswered_questions_query(
        current_user, cohort, assigned_to=current_user if mine else None
    )
    page = request.args.get("page", "1")
    threads = db.paginate(
        stmt,
        page=int(page) if page.isdigit() and 0 < int(page) < 1_000_000 else 1,
        per_page=30,
        error_out=False,
    )

    ids = {t.assigned_to_id for t in threads.items if t.assigned_to_id}
    names = (
        dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())
        if ids
        else {}
    )
    return render_template(
        "moderation/questions.html", cohort=cohort, threads=threads, mine=mine, assignees=names
    )
