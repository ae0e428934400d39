"""Pages: a cohort's rooms, a room, and the instructors' room actions."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.cohorts.models import Board
from forum.errors import ServiceError
from forum.extensions import db
from forum.pages import flash_refusal, form_status, show_service_error
from forum.permissions import (
    can_create_room,
    can_manage_room,
    can_moderate_room,
    can_post_in_room,
    can_view_thread,
    get_cohort_or_404,
    get_room_or_404,
    get_thread_or_404,
)
from forum.rooms import bp, moderation, services, transcript
from forum.rooms.forms import ActionForm, RoomForm, SlowModeForm
from forum.rooms.serialize import message_json
from forum.threads.models import Thread
from forum.utils import isoformat

THREAD_CHOICES = 50


def _thread_choices(cohort) -> list[tuple[int, str]]:
    threads = db.session.execute(
        select(Thread)
        .join(Board, Thread.board_id == Board.id)
        .where(Board.cohort_id == cohort.id)
        .order_by(Thread.last_activity_at.desc())
        .limit(THREAD_CHOICES * 2)
    ).scalars()
    visible = [t for t in threads if can_view_thread(current_user, t)][:THREAD_CHOICES]
    return [(0, _("None"))] + [(t.id, t.title) for t in visible]


@bp.route("/cohorts/<slug>/rooms", methods=["GET", "POST"])
@login_required
def cohort_rooms(slug):
    """A cohort's live rooms, open ones first; instructors open a new one here."""
    cohort = get_cohort_or_404(slug, current_user)
    form = None
    status = 200
    if can_create_room(current_user, cohort):
        form = RoomForm()
        form.thread_id.choices = _thread_choices(cohort)
        if form.validate_on_submit():
            try:
                thread = get_thread_or_404(form.thread_id.data, current_user) if form.thread_id.data else None
                room = services.create_room(current_user, cohort, form.name.data, thread)
            except ServiceError as error:
                status = show_service_error(form, error)
            else:
                flash(_("The room %(name)s is open.", name=room.name), "success")
                return redirect(url_for("rooms.room", room_id=room.id))
        else:
            status = form_status(form)
    rooms = services.rooms_of_cohort(cohort)
    return render_template("rooms/list.html", cohort=cohort, rooms=rooms, form=form), status


@bp.route("/rooms/<int:room_id>")
@login_required
def room(room_id):
    """A live room: its messages (the script keeps them current), the send box, who is here."""
    room = get_room_or_404(room_id, current_user)
    messages, more = services.history(current_user, room)
    mute = services.active_mute(room, current_user)
    slow_form = None
    if can_moderate_room(current_user, room):
        slow_form = SlowModeForm(seconds=room.slow_mode_seconds)
        if room.slow_mode_seconds not in dict(slow_form.seconds.choices):
            slow_form.seconds.choices.append((room.slow_mode_seconds, f"{room.slow_mode_seconds} s"))
    return render_template(
        "rooms/room.html",
        room=room,
        cohort=room.cohort,
        messages=messages,
        more=more,
        pinned=room.pinned_message if room.pinned_message and not room.pinned_message.is_deleted else None,
        can_post=can_post_in_room(current_user, room),
        can_moderate=can_moderate_room(current_user, room),
        can_manage=can_manage_room(current_user, room),
        muted_until=isoformat(mute.until) if mute else "",
        action_form=ActionForm(),
        slow_form=slow_form,
        message_json=message_json,
    )


def _room_action(room_id, action, success: str):
    room = get_room_or_404(room_id, current_user)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        action(room)
    except ServiceError as error:
        flash_refusal(error)
    else:
        flash(success, "success")
    return redirect(url_for("rooms.room", room_id=room.id))


@bp.post("/rooms/<int:room_id>/close")
@login_required
def close(room_id):
    """Close a room: read-only from now on."""
    return _room_action(room_id, lambda r: moderation.close_room(current_user, r), _("The room is closed."))


@bp.post("/rooms/<int:room_id>/reopen")
@login_required
def reopen(room_id):
    """Open a closed room again."""
    return _room_action(
        room_id, lambda r: moderation.reopen_room(current_user, r), _("The room is open again.")
    )


@bp.post("/rooms/<int:room_id>/slow-mode")
@login_required
def slow_mode(room_id):
    """Turn slow mode on or off."""
    room = get_room_or_404(room_id, current_user)
    form = SlowModeForm()
    if not form.validate_on_submit():
        flash(_("Choose one of the slow mode settings."), "error")
        return redirect(url_for("rooms.room", room_id=room.id))
    try:
        moderation.set_slow_mode(current_user, room, form.seconds.data)
    except ServiceError as error:
        flash_refusal(error)
    else:
        flash(_("Slow mode updated."), "success")
    return redirect(url_for("rooms.room", room_id=room.id))


@bp.post("/rooms/<int:room_id>/transcript/thread")
@login_required
def append_transcript(room_id):
    """Append a closed room's transcript to its thread as a post."""
    room = get_room_or_404(room_id, current_user)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        posts = transcript.append_to_thread(current_user, room)
    except ServiceError as error:
        flash_refusal(error)
        return redirect(url_for("rooms.room", room_id=room.id))
    flash(_("The transcript was added to the thread."), "success")
    return redirect(url_for("threads.thread", thread_id=room.thread_id) + f"#post-{posts[0].id}")


@bp.get("/rooms/<int:room_id>/transcript.md")
@login_required
def transcript_markdown(room_id):
    """Download the room's transcript as Markdown."""
    room = get_room_or_404(room_id, current_user)
    return Response(
        transcript.to_markdown(current_user, room),
        mimetype="text/markdown",
        headers={"Content-Disposition": f'attachment; filename="room-{room.id}.md"'},
    )
