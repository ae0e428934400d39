"""Pages: the notification centre, a post's revisions, reactions, watch settings,
reading state (first unread, mark read), a member's card, and the live post fragment."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.cohorts.models import Cohort, Membership
from forum.engagement import bp, notifications, reading, services
from forum.engagement.page import render_post_fragment
from forum.errors import ServiceError
from forum.extensions import db
from forum.pages import flash_refusal
from forum.permissions import (
    get_board_or_404,
    get_post_or_404,
    get_thread_or_404,
    get_user_or_404,
    visible_cohort_ids,
)
from forum.templating import safe_next_url
from forum.threads import services as thread_services
from forum.threads.models import Post


def _page_arg() -> int:
    page = request.args.get("page", "1")
    return int(page) if page.isdigit() and 0 < int(page) < 1_000_000 else 1


def _back(default: str):
    return redirect(safe_next_url(request.form.get("next")) or default)


# --- notification centre ------------------------------------------------------------------


@bp.route("/notifications")
@login_required
def notification_centre():
    """Everything the user was told about, newest first; unread ones marked."""
    unread_only = request.args.get("filter") == "unread"
    pagination = db.paginate(
        notifications.notifications_query(current_user, unread_only),
        page=_page_arg(),
        per_page=current_app.config["FORUM_PER_PAGE"],
        error_out=False,
    )
    rows = [(n, notifications.describe(n, current_user)) for n in pagination.items]
    return render_template(
        "engagement/notifications.html",
        rows=rows,
        pagination=pagination,
        unread_only=unread_only,
        unread=notifications.unread_count(current_user),
    )


@bp.route("/notifications/<int:notification_id>")
@login_required
def open_notification(notification_id):
    """Mark a notification read and go to what it is about."""
    notification = notifications.get_notification_or_404(current_user, notification_id)
    notifications.mark_read(current_user, [notification.id])
    described = notifications.describe(notification, current_user)
    if not described["url"]:
        flash(_("That post or thread is no longer available."), "info")
        return redirect(url_for("engagement.notification_centre"))
    return redirect(described["url"])


@bp.route("/notifications/read", methods=["POST"])
@login_required
def mark_notifications_read():
    """Mark all notifications read (or the ones listed in ``ids``)."""
    ids = [int(i) for i in request.form.getlist("ids") if i.isdigit() and len(i) < 12]
    try:
        if ids:
            notifications.mark_read(current_user, ids)
        else:
            notifications.mark_read(current_user, everything=True)
    except ServiceError as error:
        flash_refusal(error)
    return _back(url_for("engagement.notification_centre"))


# --- posts: revisions and reactions ---------------------------------------------------------


@bp.route("/posts/<int:post_id>/revisions")
@login_required
def revisions(post_id):
    """Earlier versions of a post and who edited it (its author and the staff)."""
    post = get_post_or_404(post_id, current_user)
    try:
        versions = services.post_versions(current_user, post)
    except ServiceError:
        abort(403)
    return render_template(
        "engagement/revisions.html", post=post, thread=post.thread, versions=list(reversed(versions))
    )


@bp.route("/posts/<int:post_id>/react", methods=["POST"])
@login_required
def react(post_id):
    """Add or take back a reaction (the page's buttons; scripts use the API)."""
    post = get_post_or_404(post_id, current_user)
    try:
        services.toggle_reaction(current_user, post, request.form.get("kind", ""))
    except ServiceError as error:
        flash_refusal(error)
    return redirect(url_for("threads.post", post_id=post.id))


# --- watch settings and reading state ---------------------------------------------------------


def _save_watch(setter, target, back: str):
    """Apply a watch level from the form (``setter`` checks it), flash the outcome, go back."""
    try:
        setter(current_user, target, request.form.get("level", ""))
        flash(_("Notification setting saved."), "success")
    except ServiceError as error:
        flash_refusal(error)
    return _back(back)


@bp.route("/threads/<int:thread_id>/watch", methods=["POST"])
@login_required
def watch_thread(thread_id):
    """Watch, follow normally or mute a thread."""
    thread = get_thread_or_404(thread_id, current_user)
    return _save_watch(services.set_thread_watch, thread, url_for("threads.thread", thread_id=thread.id))


@bp.route("/boards/<int:board_id>/watch", methods=["POST"])
@login_required
def watch_board(board_id):
    """Watch (new threads), follow normally or mute a board."""
    board = get_board_or_404(board_id, current_user)
    return _save_watch(services.set_board_watch, board, url_for("cohorts.board", board_id=board.id))


@bp.route("/boards/<int:board_id>/read", methods=["POST"])
@login_required
def mark_board_read(board_id):
    """Mark every thread of a board read."""
    board = get_board_or_404(board_id, current_user)
    reading.mark_board_read(current_user, board)
    flash(_("All threads of this board are marked read."), "success")
    return _back(url_for("cohorts.board", board_id=board.id))


@bp.route("/threads/<int:thread_id>/unread")
@login_required
def first_unread(thread_id):
    """Jump to the first post the user has not read (the last post when all are read)."""
    thread = get_thread_or_404(thread_id, current_user)
    number = reading.first_unread_number(current_user, thread)
    post = None
    if number is not None:
        post = db.session.execute(
            db.select(Post).where(Post.thread_id == thread.id, Post.number == number)
        ).scalar_one_or_none()
    if post is None:
        stmt = (
            thread_services.visible_posts_query(thread, current_user)
            .order_by(None)
            .order_by(Post.number.desc())
        )
        post = db.session.execute(stmt.limit(1)).unique().scalar_one_or_none()
    if post is None:
        return redirect(url_for("threads.thread", thread_id=thread.id))
    per_page = current_app.config["FORUM_POSTS_PER_PAGE"]
    page = thread_services.page_of_post(thread, current_user, post, per_page)
    return redirect(
        url_for("threads.thread", thread_id=thread.id, page=page if page > 1 else None) + f"#post-{post.id}"
    )


# --- live pages and members ---------------------------------------------------------------------


@bp.route("/live/posts/<int:post_id>")
@login_required
def live_post(post_id):
    """One post rendered for this viewer, for a live thread page to insert."""
    post = get_post_or_404(post_id, current_user)
    return render_post_fragment(post)


@bp.route("/members/<username>")
@login_required
def member(username):
    """A person's card (where an @mention leads): name and the cohorts shared with you."""
    if len(username) > 64:
        abort(404)
    person = get_user_or_404(username, current_user)
    visible = visible_cohort_ids(current_user)
    stmt = (
        db.select(Cohort, Membership.role)
        .join(Membership, Membership.cohort_id == Cohort.id)
        .where(Membership.user_id == person.id)
        .order_by(Cohort.id.desc())
    )
    if visible is not None:
        stmt = stmt.where(Cohort.id.in_(visible or [-1]))
    shared = db.session.execute(stmt).all()
    if visible is not None and not shared and person.id != current_user.id:
        abort(404)  # only people one shares a class with
    return render_template("engagement/member.html", person=person, shared=shared)
