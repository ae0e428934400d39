"""API: reactions, revisions, reading state, notifications, watch settings, @mention
candidates and similar threads (forum/engagement)."""

from flask import jsonify, request
from flask_babel import gettext as _

from forum import validation
from forum.api import bp
from forum.api.common import (
    ID,
    api_user,
    json_body,
    json_int,
    paginate,
)
from forum.api.serializers import user_ref
from forum.engagement import notifications, reading, services
from forum.engagement.models import REACTION_KINDS
from forum.errors import ServiceError
from forum.permissions import (
    get_board_or_404,
    get_cohort_or_404,
    get_post_or_404,
    get_thread_or_404,
)
from forum.utils import isoformat

KIND = "string(maxlength=16)"


# --- reactions and revisions ------------------------------------------------------------------


def _reactions(post, user) -> dict:
    summary = services.reaction_summaries([post.id], user)[post.id]
    return {
        "post_id": post.id,
        "counts": summary["counts"],
        "mine": summary["mine"],
        "kinds": list(REACTION_KINDS),
    }


@bp.get(f"/posts/<{ID}:post_id>/reactions")
def get_reactions(post_id):
    """A post's reaction counts and the caller's own reactions."""
    user = api_user()
    return jsonify(_reactions(get_post_or_404(post_id, user), user))


@bp.put(f"/posts/<{ID}:post_id>/reactions/<{KIND}:kind>")
def add_reaction(post_id, kind):
    """React to a post (agree, thanks, insightful, question); repeating it changes nothing."""
    user = api_user()
    post = get_post_or_404(post_id, user)
    services.set_reaction(user, post, kind, True)
    return jsonify(_reactions(post, user))


@bp.delete(f"/posts/<{ID}:post_id>/reactions/<{KIND}:kind>")
def remove_reaction(post_id, kind):
    """Take back one's reaction of one kind."""
    user = api_user()
    post = get_post_or_404(post_id, user)
    services.set_reaction(user, post, kind, False)
    return jsonify(_reactions(post, user))


@bp.get(f"/posts/<{ID}:post_id>/revisions")
def list_revisions(post_id):
    """Every version of a post, newest first, with who made it (its author and the staff)."""
    user = api_user()
    post = get_post_or_404(post_id, user)
    versions = services.post_versions(user, post)
    items = [
        {
            "number": v["number"],
            "current": v["current"],
            "body": v["body"],
            "body_html": v["body_html"],
            "editor": user_ref(v["editor"]),
            "created_at": isoformat(v["created_at"]),
        }
        for v in reversed(versions)
    ]
    return jsonify({"post_id": post.id, "url": f"/posts/{post.id}/revisions", "items": items})


# --- reading state ------------------------------------------------------------------------------


def _read_state(thread, user) -> dict:
    info = reading.thread_unread(user, [thread])[thread.id]
    first = reading.first_unread_number(user, thread)
    return {
        "thread_id": thread.id,
        "last_read_number": info["last_read"] or 0,
        "unread": info["unread"],
        "new": info["new"],
        "first_unread_number": first,
        "first_unread_url": f"/threads/{thread.id}/unread",
    }


@bp.get(f"/threads/<{ID}:thread_id>/read-state")
def get_read_state(thread_id):
    """How far the caller has read a thread and how many posts are unread."""
    user = api_user()
    return jsonify(_read_state(get_thread_or_404(thread_id, user), user))


@bp.put(f"/threads/<{ID}:thread_id>/read-state")
def put_read_state(thread_id):
    """Record reading up to a post number (the position never moves backwards)."""
    user = api_user()
    thread = get_thread_or_404(thread_id, user)
    data = json_body(required=("last_read_number",))
    reading.mark_read(user, thread, json_int(data["last_read_number"], "last_read_number", minimum=0))
    return jsonify(_read_state(thread, user))


@bp.get(f"/boards/<{ID}:board_id>/read-state")
def get_board_read_state(board_id):
    """How many of a board's threads have unread posts for the caller."""
    user = api_user()
    board = get_board_or_404(board_id, user)
    return jsonify({"board_id": board.id, "unread_threads": reading.board_unread(user, [board])[board.id]})


@bp.post(f"/boards/<{ID}:board_id>/read-state")
def mark_board_read(board_id):
    """Mark every thread of a board read."""
    user = api_user()
    board = get_board_or_404(board_id, user)
    marked = reading.mark_board_read(user, board)
    return jsonify({"board_id": board.id, "unread_threads": 0, "marked": marked})


# --- notifications --------------------------------------------------------------------------------


def serialize_notification(notification, viewer) -> dict:
    """A notification as its recipient sees it (anonymous actors stay anonymous)."""
    described = notifications.describe(notification, viewer)
    thread, post = notification.thread, notification.post
    visible = described["visible"]
    return {
        "id": notification.id,
        "kind": notification.kind,
        "text": described["text"],
        "actor": user_ref(described["actor"]),
        "actor_label": described["actor_label"],
        "thread": {"id": thread.id, "title": thread.title, "url": f"/threads/{thread.id}"}
        if visible
        else None,
        "post": {"id": post.id, "number": post.number, "url": f"/posts/{post.id}"}
        if visible and post is not None
        else None,
        "excerpt": described["excerpt"],
        "url": f"/notifications/{notification.id}",
        "target_url": described["url"],
        "read": notification.read_at is not None,
        "created_at": isoformat(notification.created_at),
    }


@bp.get("/notifications")
def list_notifications():
    """The caller's notifications, newest first (``?unread=true`` for unread ones only)."""
    user = api_user()
    unread = request.args.get("unread", "false")
    if unread not in ("true", "false", "1", "0"):
        raise ServiceError("invalid", _("%(field)s must be true or false.", field="unread"), 400, "unread")
    stmt = notifications.notifications_query(user, unread in ("true", "1"))
    page = paginate(stmt, lambda n: serialize_notification(n, user))
    page["unread_count"] = notifications.unread_count(user)
    return jsonify(page)


@bp.get("/notifications/unread-count")
def notification_count():
    """How many of the caller's notifications are unread."""
    return jsonify({"unread_count": notifications.unread_count(api_user())})


@bp.post("/notifications/read")
def read_notifications():
    """Mark notifications read: ``{ids: [...]}`` (at most 100) or ``{all: true}``."""
    user = api_user()
    data = json_body(optional=("ids", "all"))
    everything = validation.boolean(data["all"], "all") if data.get("all") is not None else False
    ids = data.get("ids")
    if ids is not None:
        if not isinstance(ids, list):
            raise ServiceError("invalid", _("%(field)s must be a list of ids.", field="ids"), 400, "ids")
        ids = [json_int(i, "ids") for i in ids[: notifications.MARK_READ_MAX + 1]]
    count = notifications.mark_read(user, ids, everything=everything)
    return jsonify({"unread_count": count})


# --- watch settings --------------------------------------------------------------------------------


@bp.get(f"/threads/<{ID}:thread_id>/watch")
def get_thread_watch(thread_id):
    """The caller's notification level for a thread (watch, normal, mute)."""
    user = api_user()
    thread = get_thread_or_404(thread_id, user)
    return jsonify({"thread_id": thread.id, "level": services.thread_watch_level(user, thread)})


@bp.put(f"/threads/<{ID}:thread_id>/watch")
def put_thread_watch(thread_id):
    """Watch (every new post), normal (mentions, replies, quotes) or mute a thread."""
    user = api_user()
    thread = get_thread_or_404(thread_id, user)
    data = json_body(required=("level",))
    return jsonify({"thread_id": thread.id, "level": services.set_thread_watch(user, thread, data["level"])})


@bp.get(f"/boards/<{ID}:board_id>/watch")
def get_board_watch(board_id):
    """The caller's notification level for a board."""
    user = api_user()
    board = get_board_or_404(board_id, user)
    return jsonify({"board_id": board.id, "level": services.board_watch_level(user, board)})


@bp.put(f"/boards/<{ID}:board_id>/watch")
def put_board_watch(board_id):
    """Watch (every new thread), normal or mute (its threads stay quiet) a board."""
    user = api_user()
    board = get_board_or_404(board_id, user)
    data = json_body(required=("level",))
    return jsonify({"board_id": board.id, "level": services.set_board_watch(user, board, data["level"])})


# --- composing: @mentions and similar threads ---------------------------------------------------


@bp.get("/cohorts/<slug>/mentions")
def mention_candidates(slug):
    """Members of a cohort to @mention, matching ``q`` (start of username or name)."""
    user = api_user()
    if len(slug) > 64:
        raise ServiceError("not_found", _("There is nothing here, or you may not see it."), 404)
    cohort = get_cohort_or_404(slug, user)
    people = services.mention_candidates(user, cohort, request.args.get("q", ""))
    return jsonify({"items": [user_ref(p) for p in people]})


@bp.get("/similar-threads")
def similar_threads():
    """Threads the caller may see whose titles look like ``title`` (while composing)."""
    user = api_user()
    cohort_id = None
    if request.args.get("cohort"):
        cohort_id = get_cohort_or_404(request.args["cohort"][:64], user).id
    found = services.similar_threads(user, request.args.get("title", ""), 5, cohort_id)
    return jsonify(
        {
            "items": [
                {
                    "id": t.id,
                    "title": t.title,
                    "url": f"/threads/{t.id}",
                    "reply_count": t.reply_count,
                    "board": {"id": t.board.id, "name": t.board.name},
                }
                for t in found
            ]
        }
    )


from forum.api.docs import engagement as _doc  # noqa: E402,F401  (this module's OpenAPI entries)
