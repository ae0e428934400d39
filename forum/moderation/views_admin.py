"""Pages: mutes and warnings of a cohort (its instructors); the watched words (admins)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.accounts.models import User
from forum.cohorts.models import Cohort
from forum.cohorts.services import members
from forum.errors import ServiceError
from forum.extensions import db
from forum.moderation import bp, filters, mutes, queue
from forum.moderation.forms import ConfirmForm, MuteForm, WarnForm, WatchedWordForm, choices
from forum.pages import flash_refusal, form_status, show_service_error
from forum.permissions import (
    can_manage_watched_words,
    can_mute_in_cohort,
    get_cohort_or_404,
    get_mute_or_404,
    get_watched_word_or_404,
)
from forum.templating import datetime_full


def _duration_label(minutes: int) -> str:
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return ngettext("%(num)d day", "%(num)d days", days)
    return ngettext("%(num)d hour", "%(num)d hours", minutes // 60)


def _trainee_choices(cohort):
    return [
        (u.username, f"{u.display_name} ({u.username})") for u, role in members(cohort) if role == "trainee"
    ]


def _user(username):
    return db.session.execute(select(User).where(User.username == username)).scalar_one()


@bp.route("/cohorts/<slug>/conduct", methods=["GET", "POST"])
@login_required
def conduct(slug):
    """Mute a trainee for a while or send a warning; the running mutes."""
    cohort = get_cohort_or_404(slug, current_user)
    if not can_mute_in_cohort(current_user, cohort):
        abort(403)
    trainees = choices(_trainee_choices(cohort))
    mute_form = MuteForm(prefix="mute")
    mute_form.username.choices = trainees
    mute_form.minutes.choices = choices((m, _duration_label(m)) for m in mutes.MUTE_DURATIONS)
    warn_form = WarnForm(prefix="warn")
    warn_form.username.choices = trainees
    status = 200
    if request.method == "POST":
        form = mute_form if "mute-submit" in request.form else warn_form
        if form.validate_on_submit():
            try:
                if form is mute_form:
                    mute = mutes.mute_user(
                        current_user,
                        cohort,
                        _user(form.username.data),
                        form.minutes.data,
                        form.reason.data or "",
                    )
                    flash(
                        _(
                            "%(name)s is muted until %(until)s.",
                            name=mute.user.display_name,
                            until=_until(mute.until),
                        ),
                        "success",
                    )
                else:
                    queue.warn_user(current_user, cohort, _user(form.username.data), form.message.data)
                    flash(_("The warning has been sent."), "success")
            except ServiceError as error:
                status = show_service_error(form, error, {"minutes": "minutes"})
            else:
                return redirect(url_for("moderation.conduct", slug=cohort.slug))
        else:
            status = form_status(form)
    running = db.session.execute(mutes.cohort_mutes(cohort)).scalars().all()
    return render_template(
        "moderation/conduct.html",
        cohort=cohort,
        mute_form=mute_form,
        warn_form=warn_form,
        running=running,
        confirm=ConfirmForm(),
    ), status


def _until(value) -> str:
    return datetime_full(value)


@bp.route("/mutes/<int:mute_id>/lift", methods=["POST"])
@login_required
def lift_mute(mute_id):
    """End a mute early."""
    mute = get_mute_or_404(mute_id, current_user)
    if not ConfirmForm().validate_on_submit():
        abort(400)

    cohort = db.session.get(Cohort, mute.cohort_id)
    try:
        mutes.lift_mute(current_user, mute)
    except ServiceError as error:
        flash_refusal(error)
    else:
        flash(_("%(name)s may post again.", name=mute.user.display_name), "success")
    return redirect(url_for("moderation.conduct", slug=cohort.slug))


# --- watched words ---------------------------------------------------------------------------


@bp.route("/admin/watched-words", methods=["GET", "POST"])
@login_required
def watched_words():
    """The site's watched words: add, change, remove (admins)."""
    if not can_manage_watched_words(current_user):
        abort(403)
    form = WatchedWordForm()
    status = 200
    if form.validate_on_submit():
        try:
            filters.add_watched_word(
                current_user,
                form.word.data,
                form.action.data,
                form.replacement.data or "",
                bool(form.is_regex.data),
            )
        except ServiceError as error:
            status = show_service_error(form, error)
        else:
            flash(_("“%(word)s” is now watched.", word=form.word.data.strip()), "success")
            return redirect(url_for("moderation.watched_words"))
    else:
        status = form_status(form)
    entries = db.session.execute(filters.list_watched_words()).scalars().all()
    return render_template(
        "moderation/watched_words.html", form=form, entries=entries, confirm=ConfirmForm()
    ), status


@bp.route("/admin/watched-words/<int:word_id>/edit", methods=["GET", "POST"])
@login_required
def edit_watched_word(word_id):
    """Change one watched word (admins)."""
    entry = get_watched_word_or_404(word_id, current_user)
    form = WatchedWordForm(obj=entry)
    status = 200
    if form.validate_on_submit():
        try:
            filters.update_watched_word(
                current_user,
                entry,
                word=form.word.data,
                action=form.action.data,
                replacement=form.replacement.data or "",
                is_regex=bool(form.is_regex.data),
            )
        except ServiceError as error:
            status = show_service_error(form, error)
        else:
            flash(_("The watched word has been changed."), "success")
            return redirect(url_for("moderation.watched_words"))
    else:
        status = form_status(form)
    return render_template("moderation/watched_word_edit.html", form=form, entry=entry), status


@bp.route("/admin/watched-words/<int:word_id>/delete", methods=["POST"])
@login_required
def delete_watched_word(word_id):
    """Remove a watched word (admins)."""
    entry = get_watched_word_or_404(word_id, current_user)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    word = entry.word
    filters.delete_watched_word(current_user, entry)
    flash(_("“%(word)s” is no longer watched.", word=word), "success")
    return redirect(url_for("moderation.watched_words"))
