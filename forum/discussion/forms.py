"""Forms of the discussion features (Flask-WTF: CSRF on every one)."""

from flask_babel import lazy_gettext as _l
from flask_babel import to_utc
from wtforms import BooleanField, DateTimeLocalField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Optional, Regexp

from forum.discussion.cases import ROLE_LABEL_MAX
from forum.pages import ConfigLength, PageForm


class CaseBriefForm(PageForm):
    background = TextAreaField(_l("Background"), validators=[ConfigLength("FORUM_POST_MAX")])
    questions = TextAreaField(_l("Questions for discussion"), validators=[ConfigLength("FORUM_POST_MAX")])
    teaching_notes = TextAreaField(
        _l("Teaching notes (only instructors see them)"), validators=[ConfigLength("FORUM_POST_MAX")]
    )
    material_ids = StringField(
        _l("Linked teaching materials (material numbers, separated by commas)"),
        validators=[
            Optional(),
            Regexp(r"^[\d,\s]{0,400}$", message=_l("Material numbers, separated by commas.")),
        ],
    )


class RoleForm(PageForm):
    username = SelectField(_l("Trainee"), choices=[], validate_choice=True)
    label = StringField(
        _l("Role (e.g. mayor, residents' representative, developer)"),
        validators=[DataRequired(), ConfigLength(maximum=ROLE_LABEL_MAX)],
    )


class SummaryForm(PageForm):
    body = TextAreaField(
        _l("Conclusions so far (leave empty to remove)"), validators=[ConfigLength("FORUM_POST_MAX")]
    )


class SettingsForm(PageForm):
    private = BooleanField(_l("Private: only the asker and the instructors see this thread"))
    answer_first = BooleanField(
        _l("Answer before you see: trainees see others' replies after posting their own")
    )
    answer_due_at = DateTimeLocalField(
        _l("First answers due (optional; afterwards everyone sees every reply)"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()],
    )


class StaffNoteForm(PageForm):
    body = TextAreaField(
        _l("Staff note (only instructors see it)"),
        validators=[DataRequired(), ConfigLength("FORUM_POST_MAX")],
    )


class MarkForm(PageForm):
    on = HiddenField(validators=[DataRequired(), AnyOf(["1", "0"])])


class NewThreadOptionsForm(PageForm):
    """The discussion options under the new-thread form (its CSRF token is the main form's)."""

    class Meta:
        csrf = False

    private = BooleanField(_l("Ask the instructors privately: only you and the instructors see this thread"))
    answer_first = BooleanField(
        _l("Answer before you see: trainees see others' replies after posting their own (case, question)")
    )
    answer_due_at = DateTimeLocalField(
        _l("First answers due (optional)"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()],
    )
    background = TextAreaField(_l("Background"), validators=[ConfigLength("FORUM_POST_MAX")])
    questions = TextAreaField(_l("Questions for discussion"), validators=[ConfigLength("FORUM_POST_MAX")])
    teaching_notes = TextAreaField(
        _l("Teaching notes (only instructors see them)"), validators=[ConfigLength("FORUM_POST_MAX")]
    )
    material_ids = StringField(
        _l("Linked teaching materials (material numbers, separated by commas)"),
        validators=[
            Optional(),
            Regexp(r"^[\d,\s]{0,400}$", message=_l("Material numbers, separated by commas.")),
        ],
    )


def new_thread_options(form) -> dict:
    """The discussion options of the new-thread form, for ``create_thread(options=...)``."""
    options = {}
    if form.private.data:
        options["private"] = True
    if form.answer_first.data:
        options["answer_first"] = True
        if form.answer_due_at.data:
            options["answer_due_at"] = to_utc(form.answer_due_at.data)
    brief = {
        "background": form.background.data or "",
        "questions": form.questions.data or "",
        "teaching_notes": form.teaching_notes.data or "",
        "material_ids": (form.material_ids.data or "").replace(",", " ").split(),
    }
    if any(brief.values()):
        options["brief"] = brief
    return options
