"""API: the audit log, moving/merging/splitting/assigning threads, featured posts,
reports and the review queue, mutes, warnings and the site's watched words.

Pin, lock and hide are ``PATCH /threads/{id}`` and ``PATCH /posts/{id}`` (forum/api/threads.py).
"""

from datetime import datetime, timedelta

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
from forum.api.serializers import serialize_thread
from forum.errors import NotFound, ServiceError
from forum.moderation import filters, mutes, queue, services, threadops
from forum.moderation import serialize as shapes
from forum.permissions import (
    can_manage_watched_words,
    can_mute_in_cohort,
    get_board_or_404,
    get_cohort_or_404,
    get_mute_or_404,
    get_post_or_404,
    get_review_item_or_404,
    get_thread_or_404,
    get_user_or_404,
    get_watched_word_or_404,
)


def _reason(data, name="reason") -> str:
    return validation.text(data.get(name) or "", name, max_length=500, min_length=0)


def _date_arg(name: str) -> datetime | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return datetime.strptime(raw[:10], "%Y-%m-%d")
    except ValueError:
        raise ServiceError(
            "invalid", _("%(field)s must be a date (YYYY-MM-DD).", field=name), 400, name
        ) from None


# --- audit ----------------------------------------------------------------------------------


@bp.get("/audit")
def list_audit():
    """Moderation actions, newest first: admins (all, or ``?cohort=``); instructors for their cohorts."""
    user = api_user()
    slug = request.args.get("cohort")
    cohort = get_cohort_or_404(slug, user) if slug else None
    until = _date_arg("to")
    stmt = services.audit_query(
        user,
        cohort,
        action=request.args.get("action"),
        actor=request.args.get("actor"),
        target_type=request.args.get("target_type"),
        since=_date_arg("from"),
        until=until + timedelta(days=1) if until else None,
    )
    return jsonify(paginate(stmt, shapes.audit_json))


# --- threads: move, merge, split, assign ---------------------------------------------------


@bp.post(f"/threads/<{ID}:thread_id>/move")
def move_thread(thread_id):
    """Move a thread to another board (same cohort; admins: any cohort)."""
    user = api_user()
    thread = get_thread_or_404(thread_id, user)
    data = json_body(required=("board_id",), optional=("reason",))
    try:
        board = get_board_or_404(json_int(data["board_id"], "board_id"), user)
    except NotFound:
        raise ServiceError("invalid", _("There is no such board."), 400, "board_id") from None
    threadops.move_thread(user, thread, board, _reason(data))
    return jsonify(serialize_thread(thread, user, detail=True))


@bp.post(f"/threads/<{ID}:thread_id>/merge")
def merge_thread(thread_id):
    """Merge this thread into ``target_id``: its posts join the target in time order."""
    user = api_user()
    source = get_thread_or_404(thread_id, user)
    data = json_body(required=("target_id",), optional=("reason",))
    try:
        target = get_thread_or_404(json_int(data["target_id"], "target_id"), user)
    except NotFound:
        raise ServiceError("invalid", _("There is no such thread."), 400, "target_id") from None
    target = threadops.merge_threads(user, source, target, _reason(data))
    return jsonify(serialize_thread(target, user, detail=True))


@bp.post(f"/threads/<{ID}:thread_id>/split")
def split_thread(thread_id):
    """Move chosen replies (``post_ids``) into a new thread titled ``title``."""
    user = api_user()
    thread = get_thread_or_404(thread_id, user)
    data = json_body(required=("post_ids", "title"), optional=("reason",))
    new = threadops.split_thread(user, thread, data["post_ids"], data["title"], _reason(data))
    return jsonify(serialize_thread(new, user, detail=True)), 201


@bp.put(f"/threads/<{ID}:thread_id>/assignee")
def assign_thread(thread_id):
    """Ask an instructor of the cohort to answer (``username``; null clears)."""
    user = api_user()
    thread = get_thread_or_404(thread_id, user)
    data = json_body(required=(), optional=("username", "reason"))
    assignee = None
    if data.get("username") is not None:
        name = validation.text(data["username"], "username", max_length=64)
        try:
            assignee = get_user_or_404(name, user)
        except NotFound:
            raise ServiceError("invalid", _("There is no such user."), 400, "username") from None
    services.assign_thread(user, thread, assignee, _reason(data))
    return jsonify({"thread_id": thread.id, "assigned_to": assignee.username if assignee else None})


@bp.get("/cohorts/<slug>/questions")
def unanswered_questions(slug):
    """Trainees' questions without a staff reply, oldest first (``?assigned=me``)."""
    user = api_user()
    cohort = get_cohort_or_404(slug, user)
    mine = request.args.get("assigned") == "me"
    stmt = services.unanswered_questions_query(user, cohort, assigned_to=user if mine else None)
    return jsonify(paginate(stmt, lambda t: serialize_thread(t, user)))


# --- featured posts -----------------------------------------------------------------------


@bp.put(f"/posts/<{ID}:post_id>/featured")
def feature_post(post_id):
    """Feature a post (``featured`` true) or take the mark off (false)."""
    user = api_user()
    post = get_post_or_404(post_id, user)
    data = json_body(required=("featured",), optional=("reason",))
    services.feature_post(user, post, data["featured"], _reason(data))
    return jsonify(shapes.featured_json(post, user))


@bp.get("/cohorts/<slug>/featured")
def featured_posts(slug):
    """A cohort's featured posts, most recently featured first."""
    user = api_user()
    cohort = get_cohort_or_404(slug, user)
    return jsonify(
        paginate(services.featured_posts_query(user, cohort), lambda p: shapes.featured_json(p, user))
    )


# --- reports and the review queue -------------------------------------------------------------


@bp.post(f"/posts/<{ID}:post_id>/reports")
def report_post(post_id):
    """Report a post to the cohort's instructors, with a reason."""
    user = api_user()
    post = get_post_or_404(post_id, user)
    data = json_body(required=("reason",))
    item = queue.report_post(user, post, data["reason"])
    return jsonify({"id": item.id, "status": item.status}), 201


@bp.get("/cohorts/<slug>/queue")
def cohort_queue(slug):
    """A cohort's reports and held content (``?status=open`` by default, ``?kind=``)."""
    user = api_user()
    cohort = get_cohort_or_404(slug, user)
    stmt = queue.queue_query(
        user, cohort, status=request.args.get("status", "open") or None, kind=request.args.get("kind") or None
    )
    return jsonify(paginate(stmt, shapes.review_item_json))


@bp.post(f"/queue/<{ID}:item_id>")
def resolve_queue_item(item_id):
    """Work an entry: reports ``dismiss|hide|warn``, held content ``approve|reject``."""
    user = api_user()
    item = get_review_item_or_404(item_id, user)
    data = json_body(required=("action",), optional=("reason",))
    queue.resolve(
        user,
        item,
        data["action"],
        validation.text(data.get("reason") or "", "reason", max_length=1000, min_length=0),
    )
    return jsonify(shapes.review_item_json(item))


# --- mutes and warnings ------------------------------------------------------------------------


@bp.get("/cohorts/<slug>/mutes")
def list_mutes(slug):
    """The cohort's running mutes (``?all=1``: past ones too), newest first."""
    user = api_user()
    cohort = get_cohort_or_404(slug, user)

    if not can_mute_in_cohort(user, cohort):
        raise ServiceError("forbidden", _("You are not allowed to do that."), 403)
    stmt = mutes.cohort_mutes(cohort, active_only=request.args.get("all") != "1")
    return jsonify(paginate(stmt, shapes.mute_json))


def _member(data, user):
    name = validation.text(data["username"], "username", max_length=64)
    try:
        return get_user_or_404(name, user)
    except NotFound:
        raise ServiceError("invalid", _("There is no such user."), 400, "username") from None


@bp.post("/cohorts/<slug>/mutes")
def create_mute(slug):
    """Mute a trainee for ``minutes``: they can read but not post or chat."""
    user = api_user()
    cohort = get_cohort_or_404(slug, user)
    data = json_body(required=("username", "minutes"), optional=("reason",))
    mute = mutes.mute_user(
        user, cohort, _member(data, user), json_int(data["minutes"], "minutes"), _reason(data)
    )
    return jsonify(shapes.mute_json(mute)), 201


@bp.delete(f"/mutes/<{ID}:mute_id>")
def lift_mute(mute_id):
    """End a mute early."""
    user = api_user()
    mutes.lift_mute(user, get_mute_or_404(mute_id, user))
    return "", 204


@bp.post("/cohorts/<slug>/warnings")
def create_warning(slug):
    """Send a trainee a warning (``message``), optionally about one of their posts."""
    user = api_user()
    cohort = get_cohort_or_404(slug, user)
    data = json_body(required=("username", "message"), optional=("post_id",))
    post = None
    if data.get("post_id") is not None:
        post = get_post_or_404(json_int(data["post_id"], "post_id"), user)
    warning = queue.warn_user(user, cohort, _member(data, user), data["message"], post=post)
    return jsonify(shapes.warning_json(warning)), 201


@bp.get("/me/warnings")
def my_warnings():
    """The caller's warnings, newest first."""
    return jsonify(paginate(queue.warnings_for(api_user()), shapes.warning_json))


# --- watched words (admins) -----------------------------------------------------------------


def _admin_only(user):
    if not can_manage_watched_words(user):
        raise ServiceError("forbidden", _("You are not allowed to do that."), 403)


@bp.get("/watched-words")
def list_watched_words():
    """The site's watched words (admins)."""
    user = api_user()
    _admin_only(user)
    return jsonify(paginate(filters.list_watched_words(), shapes.watched_word_json))


@bp.post("/watched-words")
def create_watched_word():
    """Add a watched word: ``word``, ``action`` hold|block|replace, ``replacement``, ``is_regex``."""
    user = api_user()
    data = json_body(required=("word", "action"), optional=("replacement", "is_regex"))
    entry = filters.add_watched_word(
        user, data["word"], data["action"], data.get("replacement") or "", data.get("is_regex", False)
    )
    return jsonify(shapes.watched_word_json(entry)), 201


@bp.patch(f"/watched-words/<{ID}:word_id>")
def update_watched_word(word_id):
    """Change a watched word."""
    user = api_user()
    entry = get_watched_word_or_404(word_id, user)
    data = json_body(optional=("word", "action", "replacement", "is_regex"))
    filters.update_watched_word(user, entry, **data)
    return jsonify(shapes.watched_word_json(entry))


@bp.delete(f"/watched-words/<{ID}:word_id>")
def delete_watched_word(word_id):
    """Remove a watched word."""
    user = api_user()
    filters.delete_watched_word(user, get_watched_word_or_404(word_id, user))
    return "", 204


from forum.api.docs import moderation as _doc  # noqa: E402,F401  (the OpenAPI description of these routes)
