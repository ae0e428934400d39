"""Live rooms in the JSON API: list and open rooms, read and send messages, moderate,
export the transcript. The same services as the sockets and the pages."""

from flask import Response, jsonify
from flask_babel import gettext as _

from forum.api import bp
from forum.api.common import (
    api_user,
    int_arg,
    json_body,
    paginate,
)
from forum.errors import NotFound, ServiceError
from forum.permissions import (
    get_cohort_or_404,
    get_room_message_or_404,
    get_room_or_404,
    get_thread_or_404,
    get_user_or_404,
)
from forum.rooms import moderation, services, transcript
from forum.rooms.serialize import message_json, room_json
from forum.utils import isoformat
from forum.validation import choice, integer


def _room(room_id: int):
    return get_room_or_404(room_id, api_user())


@bp.get("/cohorts/<slug>/rooms")
def list_rooms(slug):
    """A cohort's rooms, open ones first."""
    cohort = get_cohort_or_404(slug, api_user())
    return jsonify(paginate(services.rooms_query(cohort), room_json))


@bp.post("/cohorts/<slug>/rooms")
def create_room(slug):
    """Open a room (instructors), optionally as the live session of a thread."""
    user = api_user()
    cohort = get_cohort_or_404(slug, user)
    data = json_body(required=("name",), optional=("thread_id",))
    thread = None
    if data.get("thread_id") is not None:
        try:
            thread = get_thread_or_404(integer(data["thread_id"], "thread_id", minimum=1), user)
        except NotFound:
            raise ServiceError("invalid", _("The thread is not in this class."), 400, "thread_id") from None
    room = services.create_room(user, cohort, data["name"], thread)
    return jsonify(room_json(room)), 201


@bp.get("/rooms/<int:room_id>")
def get_room(room_id):
    """One room's state."""
    return jsonify(room_json(_room(room_id)))


@bp.patch("/rooms/<int:room_id>")
def update_room(room_id):
    """Moderate a room: ``status`` open|closed, ``slow_mode_seconds``, ``pinned_message_id``."""
    user = api_user()
    room = _room(room_id)
    data = json_body(optional=("status", "slow_mode_seconds", "pinned_message_id"))
    if "status" in data:
        if choice(data["status"], "status", ("open", "closed")) == "closed":
            moderation.close_room(user, room)
        else:
            moderation.reopen_room(user, room)
    if "slow_mode_seconds" in data:
        moderation.set_slow_mode(user, room, data["slow_mode_seconds"])
    if "pinned_message_id" in data:
        message_id = data["pinned_message_id"]
        message = None
        if message_id is not None:
            message = get_room_message_or_404(integer(message_id, "pinned_message_id", minimum=1), room, user)
        moderation.pin_message(user, room, message)
    return jsonify(room_json(room))


@bp.get("/rooms/<int:room_id>/messages")
def list_messages(room_id):
    """Messages in order: ``after`` an id (catch-up), ``before`` one, or the latest ``limit``."""
    user = api_user()
    room = _room(room_id)
    messages, more = services.history(
        user,
        room,
        after=int_arg("after", None, minimum=0),
        before=int_arg("before", None, minimum=1),
        limit=int_arg("limit", services.HISTORY_DEFAULT, minimum=1, maximum=services.HISTORY_MAX),
    )
    return jsonify({"items": [message_json(m) for m in messages], "more": more})


@bp.post("/rooms/<int:room_id>/messages")
def send_message(room_id):
    """Send a message; resending the same ``client_id`` returns the stored one (200)."""
    user = api_user()
    room = _room(room_id)
    data = json_body(required=("body", "client_id"), optional=("reply_to",))
    message, created = services.send_message(
        user, room, data["body"], data["client_id"], data.get("reply_to")
    )
    return jsonify(message_json(message)), 201 if created else 200


@bp.delete("/rooms/<int:room_id>/messages/<int:message_id>")
def delete_message(room_id, message_id):
    """Remove a message for everyone (instructors)."""
    user = api_user()
    room = _room(room_id)
    moderation.delete_message(user, get_room_message_or_404(message_id, room, user))
    return "", 204


@bp.put("/rooms/<int:room_id>/mutes/<username>")
def mute_user(room_id, username):
    """Mute a trainee in the room for ``minutes`` (0 lifts the mute)."""
    user = api_user()
    room = _room(room_id)
    target = get_user_or_404(username, user)
    data = json_body(required=("minutes",), optional=("reason",))
    row = moderation.mute(user, room, target, data["minutes"], data.get("reason") or "")
    return jsonify(
        {"username": target.username, "room_id": room.id, "until": isoformat(row.until) if row else None}
    )


@bp.get("/rooms/<int:room_id>/transcript")
def export_transcript(room_id):
    """The room's transcript as a Markdown file."""
    user = api_user()
    room = _room(room_id)
    return Response(
        transcript.to_markdown(user, room),
        mimetype="text/markdown",
        headers={"Content-Disposition": f'attachment; filename="room-{room.id}.md"'},
    )


@bp.post("/rooms/<int:room_id>/transcript/thread")
def append_transcript(room_id):
    """Append a closed room's transcript to its thread as a post (instructors)."""
    user = api_user()
    room = _room(room_id)
    posts = transcript.append_to_thread(user, room)
    return jsonify({"thread_id": room.thread_id, "post_ids": [p.id for p in posts]}), 201


from forum.api.docs import rooms as _doc  # noqa: E402,F401  (the OpenAPI description of these endpoints)
