"""Pages: report a post, the review queue, featured posts, one's warnings, the audit log."""

import json
from datetime import datetime, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum import audit
from forum.audit import AUDIT_TARGET_TYPES
from forum.cohorts.models import Cohort
from forum.errors import ServiceError
from forum.extensions import db
from forum.moderation import bp, queue, services
from forum.moderation.forms import AuditFilterForm, FeatureForm, ReportForm, ResolveForm, choices
from forum.moderation.models import ReviewItem
from forum.pages import flash_refusal, form_status, show_service_error
from forum.permissions import (
    can_report_post,
    can_view_audit,
    can_work_queue,
    get_cohort_or_404,
    get_post_or_404,
    get_review_item_or_404,
)


def _unseen_warning_count() -> int:
    if not current_user.is_authenticated or current_user.is_admin:
        return 0
    return queue.unseen_warning_count(current_user)


def _review_queue_count(cohort) -> int:
    return queue.open_count(current_user, cohort)


@bp.app_context_processor
def _moderation_helpers():
    """Template helpers every page may call (nothing runs unless a template calls one)."""
    return {"unseen_warning_count": _unseen_warning_count, "review_queue_count": _review_queue_count}


def _page() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 1_000_000 else 1


def _paginate(stmt, per_page: int = 30):
    return db.paginate(stmt, page=_page(), per_page=per_page, error_out=False)


def post_link(post) -> str:
    return url_for("threads.post", post_id=post.id)


# --- reporting a post ------------------------------------------------------------------------


@bp.route("/posts/<int:post_id>/report", methods=["GET", "POST"])
@login_required
def report_post(post_id):
    """Report a post to the cohort's instructors, with a reason."""
    post = get_post_or_404(post_id, current_user)
    if not can_report_post(current_user, post):
        abort(403)
    form = ReportForm()
    status = 200
    if form.validate_on_submit():
        try:
            queue.report_post(current_user, post, form.reason.data)
        except ServiceError as error:
            status = show_service_error(form, error)
        else:
            flash(_("Thank you: the instructors will look at this post."), "success")
            return redirect(post_link(post))
    else:
        status = form_status(form)
    return render_template(
        "moderation/report.html", form=form, post=post, thread=post.thread, cohort=post.thread.board.cohort
    ), status


# --- the review queue -------------------------------------------------------------------------


@bp.route("/cohorts/<slug>/queue")
@login_required
def cohort_queue(slug):
    """The cohort's reports and held content, oldest first; resolved ones on a second tab."""
    cohort = get_cohort_or_404(slug, current_user)
    if not can_work_queue(current_user, cohort):
        abort(403)
    show = request.args.get("show", "open")
    status = "open" if show != "resolved" else None
    stmt = queue.queue_query(current_user, cohort, status=status)
    if show == "resolved":
        stmt = (
            stmt.where(ReviewItem.status != "open")
            .order_by(None)
            .order_by(ReviewItem.resolved_at.desc(), ReviewItem.id.desc())
        )
    return render_template(
        "moderation/queue.html",
        cohort=cohort,
        items=_paginate(stmt),
        show=show,
        form=ResolveForm(formdata=None),
    )


@bp.route("/queue/<int:item_id>", methods=["POST"])
@login_required
def resolve_item(item_id):
    """Dismiss, hide or warn on a report; approve or reject held content."""
    item = get_review_item_or_404(item_id, current_user)
    form = ResolveForm()
    if not form.validate_on_submit():
        flash(_("Choose an action; the text may be at most %(n)d characters.", n=1000), "error")
    else:
        try:
            queue.resolve(current_user, item, form.action.data, form.reason.data or "")
        except ServiceError as error:
            flash_refusal(error)
        else:
            flash(
                {
                    "dismiss": _("The report has been dismissed."),
                    "hide": _("The post is hidden; its author sees your reason."),
                    "warn": _("The warning has been sent."),
                    "approve": _("The post is now visible to everyone."),
                    "reject": _("The post stays hidden; its author sees your reason."),
                }[form.action.data],
                "success",
            )

    cohort = db.session.get(Cohort, item.cohort_id)
    return redirect(url_for("moderation.cohort_queue", slug=cohort.slug))


# --- featured posts ----------------------------------------------------------------------------


@bp.route("/posts/<int:post_id>/feature", methods=["POST"])
@login_required
def feature_post(post_id):
    """Feature a post ("精华") or take the mark off."""
    post = get_post_or_404(post_id, current_user)
    form = FeatureForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.feature_post(current_user, post, form.action.data == "feature")
    except ServiceError as error:
        if error.status == 403:
            abort(403)
        flash_refusal(error)
    else:
        flash(
            _("The post is featured.") if post.featured else _("The post is no longer featured."), "success"
        )
    return redirect(post_link(post))


@bp.route("/cohorts/<slug>/featured")
@login_required
def featured(slug):
    """A cohort's featured posts, most recently featured first."""
    cohort = get_cohort_or_404(slug, current_user)
    posts = _paginate(services.featured_posts_query(current_user, cohort), per_page=20)
    return render_template("moderation/featured.html", cohort=cohort, posts=posts)


# --- one's warnings -----------------------------------------------------------------------------


@bp.route("/warnings")
@login_required
def my_warnings():
    """The warnings an instructor sent me; opening the page marks them read."""
    warnings = _paginate(queue.warnings_for(current_user), per_page=20)
    unseen = {w.id for w in warnings.items if w.seen_at is None}
    queue.mark_warnings_seen(current_user)
    return render_template("moderation/warnings.html", warnings=warnings, unseen=unseen)


# --- the audit log --------------------------------------------------------------------------------


def _day(value):
    return datetime.strptime(value, "%Y-%m-%d") if value else None


def _audit_page(cohort):
    form = AuditFilterForm(request.args)
    actions = audit.audit_actions(cohort)
    form.action.choices = choices([("", _("All actions"))] + [(a, a) for a in actions])
    form.target_type.choices = choices([("", _("All objects"))] + [(t, t) for t in AUDIT_TARGET_TYPES])
    filters = {}
    status = 200
    if request.args and not form.validate():
        status = 400
    else:
        try:
            until = _day(form.date_to.data)
            filters = dict(
                action=form.action.data or None,
                actor=form.actor.data or None,
                target_type=form.target_type.data or None,
                since=_day(form.date_from.data),
                until=until + timedelta(days=1) if until else None,
            )
        except ValueError:
            status, filters = 400, {}
            form.date_from.errors = [_("Use dates like 2026-03-01.")]
    entries = _paginate(services.audit_query(current_user, cohort, **filters), per_page=50)
    return render_template(
        "moderation/audit.html", cohort=cohort, form=form, entries=entries, as_text=_as_text
    ), status


def _as_text(value) -> str:
    """A before/after value as readable JSON (Chinese kept as is; the template escapes it)."""
    return "—" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


@bp.route("/cohorts/<slug>/audit")
@login_required
def cohort_audit(slug):
    """A cohort's moderation log (its instructors, admins), newest first, filterable."""
    cohort = get_cohort_or_404(slug, current_user)
    if not can_view_audit(current_user, cohort):
        abort(403)
    return _audit_page(cohort)


@bp.route("/admin/audit")
@login_required
def site_audit():
    """The whole site's moderation log (admins)."""
    if not can_view_audit(current_user):
        abort(403)
    return _audit_page(None)
