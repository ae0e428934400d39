"""Pages: start a thread, read a thread, reply, quote, edit, delete, moderate."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum.cohorts.services import instructor_ids
from forum.discussion.context import load_context
from forum.discussion.forms import NewThreadOptionsForm, new_thread_options
from forum.engagement.page import thread_extras
from forum.errors import ServiceError
from forum.moderation.context import merged_target, thread_moderation
from forum.pages import flash_refusal, form_status, show_service_error
from forum.permissions import (
    can_create_thread,
    can_post_anonymously,
    discussion_page_permissions,
    get_board_or_404,
    get_post_or_404,
    get_thread_or_404,
    thread_page_permissions,
)
from forum.threads import bp, services
from forum.threads.forms import (
    ConfirmForm,
    EditPostForm,
    ModeratePostForm,
    ModerateThreadForm,
    ReplyForm,
    ThreadForm,
)


def _per_page() -> int:
    return current_app.config["FORUM_POSTS_PER_PAGE"]


def _post_url(post, viewer=None) -> str:
    """The thread page and anchor where a post stands, as the viewer sees the thread."""
    page = services.page_of_post(post.thread, viewer or current_user, post, _per_page())
    return url_for("threads.thread", thread_id=post.thread_id, page=page if page > 1 else None) + (
        f"#post-{post.id}"
    )


@bp.route("/boards/<int:board_id>/threads/new", methods=["GET", "POST"])
@login_required
def new_thread(board_id):
    """Start a thread on a board: title, kind and the opening post."""
    board = get_board_or_404(board_id, current_user)
    if not can_create_thread(current_user, board):
        abort(403)
    form = ThreadForm()
    options_form = NewThreadOptionsForm()  # forum/discussion: private, answer first, case brief
    allow_anonymous = can_post_anonymously(current_user, board)
    status = 200
    if form.validate_on_submit() and options_form.validate():
        try:
            thread = services.create_thread(
                current_user,
                board,
                form.title.data,
                form.body.data,
                form.kind.data,
                bool(form.anonymous.data),
                options=new_thread_options(options_form),
            )
        except ServiceError as error:
            status = show_service_error(form, error)
        else:
            flash(_("Your thread has been posted."), "success")
            return redirect(url_for("threads.thread", thread_id=thread.id))
    else:
        status = max(form_status(form), form_status(options_form))
    return render_template(
        "threads/new.html",
        form=form,
        board=board,
        cohort=board.cohort,
        allow_anonymous=allow_anonymous,
        options_form=options_form,
    ), status


def render_thread(thread, page: int, form: ReplyForm, status: int = 200):
    """The thread page: one page of posts with a fixed number of queries, and the reply form."""
    perms = thread_page_permissions(current_user, thread)
    pagination = services.thread_posts_page(thread, current_user, page, _per_page())
    if pagination.pages and page > pagination.pages:
        pagination = services.thread_posts_page(thread, current_user, pagination.pages, _per_page())
    sees_anonymous = perms.sees_anonymous
    staff = instructor_ids(thread.board.cohort)
    reply_target = None
    if form.reply_to.data and str(form.reply_to.data).isdigit():
        reply_target = services.reply_target(thread, current_user, int(form.reply_to.data))
    return render_template(
        "threads/thread.html",
        thread=thread,
        board=thread.board,
        cohort=thread.board.cohort,
        posts=pagination.items,
        pagination=pagination,
        perms=perms,
        staff_ids=staff,
        author_of=lambda p: services.author_label(p, sees_anonymous),
        form=form,
        reply_target=reply_target,
        reply_target_label=services.author_label(reply_target, sees_anonymous)[1] if reply_target else "",
        moderate_thread_form=ModerateThreadForm() if perms.can_moderate_now else None,
        confirm_form=ConfirmForm(),
        # forum/discussion: brief, summary, roles, marks (a fixed number of queries) and its permissions
        discussion=load_context(thread, current_user),
        dperms=discussion_page_permissions(current_user, thread),
        # forum/engagement: reactions, reading position (then marked read), watch level
        engagement=thread_extras(current_user, thread, pagination.items, moderator=perms.can_moderate),
        # forum/moderation: report / feature links, move / merge / split / assign
        moderation=thread_moderation(current_user, thread),
    ), status


def _page_arg() -> int:
    page = request.args.get("page", "1")
    return int(page) if page.isdigit() and 0 < int(page) < 1_000_000 else 1


@bp.route("/threads/<int:thread_id>")
@login_required
def thread(thread_id):
    """A thread: its posts page by page, with the reply form at the bottom.

    ``?quote=<post id>`` starts the reply with that post quoted and ``?reply_to=<post id>``
    answers it, so quoting works without JavaScript too.
    """
    merged_into = merged_target(thread_id, current_user)  # forum/moderation: a merged thread
    if merged_into is not None:
        return redirect(url_for("threads.thread", thread_id=merged_into.id))
    thread = get_thread_or_404(thread_id, current_user)
    form = ReplyForm(formdata=None)
    for name in ("quote", "reply_to"):
        value = request.args.get(name, "")
        if value.isdigit() and len(value) <= 12:
            target = services.reply_target(thread, current_user, int(value))
            if target is not None:
                form.reply_to.data = str(target.id)
                if name == "quote" and not target.hidden:
                    form.body.data = services.quote_text(target)
    return render_thread(thread, _page_arg(), form)


@bp.route("/threads/<int:thread_id>/reply", methods=["POST"])
@login_required
def reply(thread_id):
    """Post a reply; on an error the page comes back with the text as typed."""
    thread = get_thread_or_404(thread_id, current_user)
    form = ReplyForm()
    perms = thread_page_permissions(current_user, thread)
    last_page = 1_000_000
    if not perms.can_reply:
        if thread.board.cohort.archived:
            flash(_("This class is archived and read-only."), "error")
        elif thread.locked:
            flash(_("This thread is locked: no new replies."), "error")
        return render_thread(thread, last_page, form, 403)
    if not form.validate_on_submit():
        return render_thread(thread, last_page, form, 400)
    try:
        post = services.create_post(
            current_user,
            thread,
            form.body.data,
            reply_to=int(form.reply_to.data) if form.reply_to.data else None,
            anonymous=bool(form.anonymous.data),
        )
    except ServiceError as error:
        status = show_service_error(form, error)
        return render_thread(thread, last_page, form, status)
    return redirect(_post_url(post))


@bp.route("/posts/<int:post_id>")
@login_required
def post(post_id):
    """A post's own address: the page of its thread where it stands, at its anchor."""
    post = get_post_or_404(post_id, current_user)
    return redirect(_post_url(post))


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(post_id):
    """Change a post's text (and the thread's title, for the opening post)."""
    post = get_post_or_404(post_id, current_user)
    thread = post.thread
    perms = thread_page_permissions(current_user, thread)
    if not perms.can_edit(post):
        abort(403)
    edit_title = post.number == 1
    form = EditPostForm(data={"body": post.body, "title": thread.title if edit_title else ""})
    status = 200
    if form.validate_on_submit():
        try:
            if edit_title and form.title.data and form.title.data.strip() != thread.title:
                services.update_thread(current_user, thread, title=form.title.data)
            services.edit_post(current_user, post, form.body.data)
        except ServiceError as error:
            status = show_service_error(form, error)
        else:
            flash(_("Your changes have been saved."), "success")
            return redirect(_post_url(post))
    else:
        status = form_status(form)
    return render_template(
        "threads/edit_post.html",
        form=form,
        post=post,
        thread=thread,
        board=thread.board,
        cohort=thread.board.cohort,
        edit_title=edit_title,
    ), status


@bp.route("/posts/<int:post_id>/delete", methods=["POST"])
@login_required
def delete_post(post_id):
    """Soft-delete a post (its author, or a moderator); the record stays."""
    post = get_post_or_404(post_id, current_user)
    # CSRF is checked by CSRFProtect before this view runs; nothing else to fill in.
    try:
        services.delete_post(current_user, post)
    except ServiceError as error:
        flash_refusal(error)
        if error.status == 403:
            abort(403)
    else:
        flash(_("The post has been deleted."), "success")
    return redirect(_post_url(post))


@bp.route("/threads/<int:thread_id>/moderate", methods=["POST"])
@login_required
def moderate_thread(thread_id):
    """Pin, lock or hide a thread (or undo it), with an optional reason."""
    thread = get_thread_or_404(thread_id, current_user)
    perms = thread_page_permissions(current_user, thread)
    if not perms.can_moderate_now:
        abort(403)
    form = ModerateThreadForm()
    if not form.validate_on_submit():
        flash(_("Choose an action; the reason may be at most %(n)d characters.", n=500), "error")
        return redirect(url_for("threads.thread", thread_id=thread.id))
    field, value = {
        "pin": ("pinned", True),
        "unpin": ("pinned", False),
        "lock": ("locked", True),
        "unlock": ("locked", False),
        "hide": ("hidden", True),
        "unhide": ("hidden", False),
    }[form.action.data]
    try:
        services.moderate_thread(current_user, thread, reason=form.reason.data or "", **{field: value})
    except ServiceError as error:
        flash_refusal(error)
    else:
        flash(_("The thread has been updated."), "success")
    return redirect(url_for("threads.thread", thread_id=thread.id))


@bp.route("/posts/<int:post_id>/moderate", methods=["POST"])
@login_required
def moderate_post(post_id):
    """Hide a post with a reason its author sees, or show it again."""
    post = get_post_or_404(post_id, current_user)
    perms = thread_page_permissions(current_user, post.thread)
    if not perms.can_moderate_now:
        abort(403)
    form = ModeratePostForm()
    if not form.validate_on_submit():
        flash(_("Choose an action; the reason may be at most %(n)d characters.", n=500), "error")
        return redirect(_post_url(post))
    try:
        services.moderate_post(
            current_user, post, hidden=form.action.data == "hide", reason=form.reason.data or ""
        )
    except ServiceError as error:
        flash_refusal(error)
    else:
        flash(_("The post is hidden.") if post.hidden else _("The post is visible again."), "success")
    return redirect(_post_url(post))
