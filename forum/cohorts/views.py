"""Pages: home, cohort, members, board, and the board forms of a cohort's staff."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.cohorts import bp, services
from forum.cohorts.forms import BoardForm
from forum.engagement.reading import board_unread, thread_unread
from forum.engagement.services import board_watch_level
from forum.errors import ServiceError
from forum.extensions import db
from forum.pages import form_status, show_service_error
from forum.permissions import (
    can_create_thread,
    can_manage_board,
    can_manage_cohort,
    can_see_anonymous_author,
    get_board_or_404,
    get_cohort_or_404,
)
from forum.threads import services as thread_services


def _page_arg() -> int:
    page = request.args.get("page", "1")
    return int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1


@bp.route("/")
@login_required
def home():
    """Home: my cohorts (archived ones apart) and the latest threads across them."""
    cohorts = list(db.session.execute(services.list_cohorts_for(current_user)).scalars())
    recent = thread_services.recent_threads(current_user, limit=15)
    rows = [
        {
            "thread": thread,
            "last_poster": thread_services.last_poster_label(
                thread, can_see_anonymous_author(current_user, thread.board.cohort)
            ),
        }
        for thread in recent
    ]
    return render_template(
        "cohorts/home.html",
        active=[c for c in cohorts if not c.archived],
        archived=[c for c in cohorts if c.archived],
        recent=rows,
    )


@bp.route("/cohorts/<slug>")
@login_required
def cohort(slug):
    """A cohort: its boards with counts and their latest thread."""
    cohort = get_cohort_or_404(slug, current_user)
    sees_anonymous = can_see_anonymous_author(current_user, cohort)
    boards = services.board_summaries(cohort, current_user)
    for row in boards:
        latest = row["latest"]
        row["last_poster"] = thread_services.last_poster_label(latest, sees_anonymous) if latest else None
    return render_template(
        "cohorts/cohort.html",
        cohort=cohort,
        boards=boards,
        can_manage=can_manage_cohort(current_user, cohort),
        unread_boards=board_unread(current_user, [row["board"] for row in boards]),  # forum/engagement
    )


@bp.route("/cohorts/<slug>/members")
@login_required
def members(slug):
    """The people of a cohort: instructors first, then trainees."""
    cohort = get_cohort_or_404(slug, current_user)
    rows = services.members(cohort)
    return render_template(
        "cohorts/members.html",
        cohort=cohort,
        instructors=[user for user, role in rows if role == "instructor"],
        trainees=[user for user, role in rows if role == "trainee"],
    )


@bp.route("/cohorts/<slug>/boards/new", methods=["GET", "POST"])
@login_required
def new_board(slug):
    """Add a board to a cohort (its instructors, admins)."""
    cohort = get_cohort_or_404(slug, current_user)
    if not can_manage_cohort(current_user, cohort):
        abort(403)
    form = BoardForm()
    status = 200
    if form.validate_on_submit():
        try:
            board = services.create_board(
                current_user,
                cohort,
                form.name.data,
                form.description.data or "",
                bool(form.anonymous_allowed.data),
                kind=form.kind.data,
            )
        except ServiceError as error:
            status = show_service_error(form, error)
        else:
            flash(_("The board %(name)s was added.", name=board.name), "success")
            return redirect(url_for("cohorts.board", board_id=board.id))
    else:
        status = form_status(form)
    return render_template("cohorts/board_form.html", form=form, cohort=cohort, board=None), status


@bp.route("/boards/<int:board_id>/edit", methods=["GET", "POST"])
@login_required
def edit_board(board_id):
    """Rename a board or change its settings (the cohort's instructors, admins)."""
    board = get_board_or_404(board_id, current_user)
    if not can_manage_board(current_user, board):
        abort(403)
    form = BoardForm(obj=board)
    status = 200
    if form.validate_on_submit():
        try:
            services.update_board(
                current_user,
                board,
                name=form.name.data,
                description=form.description.data or "",
                anonymous_allowed=bool(form.anonymous_allowed.data),
                kind=form.kind.data,
            )
        except ServiceError as error:
            status = show_service_error(form, error)
        else:
            flash(_("The board has been saved."), "success")
            return redirect(url_for("cohorts.board", board_id=board.id))
    else:
        status = form_status(form)
    return render_template("cohorts/board_form.html", form=form, cohort=board.cohort, board=board), status


@bp.route("/boards/<int:board_id>")
@login_required
def board(board_id):
    """A board: its threads, pinned first, then by latest activity, page by page."""
    board = get_board_or_404(board_id, current_user)
    stmt = thread_services.board_threads_query(board, current_user)
    per_page = current_app.config["FORUM_PER_PAGE"]
    pagination = db.paginate(stmt, page=_page_arg(), per_page=per_page, error_out=False)
    if pagination.pages and pagination.page > pagination.pages:
        # A page past the end (threads moved or hidden since): show the last one.
        pagination = db.paginate(stmt, page=pagination.pages, per_page=per_page, error_out=False)
    sees_anonymous = can_see_anonymous_author(current_user, board.cohort)
    rows = [
        {"thread": thread, "last_poster": thread_services.last_poster_label(thread, sees_anonymous)}
        for thread in pagination.items
    ]
    return render_template(
        "cohorts/board.html",
        board=board,
        cohort=board.cohort,
        rows=rows,
        pagination=pagination,
        can_create=can_create_thread(current_user, board),
        can_manage=can_manage_board(current_user, board),
        # forum/engagement: new / unread replies per thread, the board's notification level
        unread=thread_unread(current_user, pagination.items),
        board_watch_level=board_watch_level(current_user, board),
    )
