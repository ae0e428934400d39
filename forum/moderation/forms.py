"""Moderation page forms (Flask-WTF: CSRF on every one)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Optional, Regexp

from forum.pages import ConfigLength, PageForm

REASON_MAX = 500


class ReasonMixin:
    reason = StringField(_l("Reason (kept in the log)"), validators=[ConfigLength(maximum=REASON_MAX)])


class ReportForm(PageForm):
    reason = TextAreaField(
        _l("Why should an instructor look at this post?"),
        validators=[DataRequired(), ConfigLength(maximum=REASON_MAX)],
    )


class ResolveForm(PageForm):
    action = HiddenField(validators=[DataRequired(), AnyOf(["dismiss", "hide", "warn", "approve", "reject"])])
    reason = TextAreaField(
        _l("Reason shown to the author, or the warning's text"), validators=[ConfigLength(maximum=1000)]
    )


class FeatureForm(PageForm):
    action = HiddenField(validators=[DataRequired(), AnyOf(["feature", "unfeature"])])


class MoveForm(ReasonMixin, PageForm):
    board_id = SelectField(_l("Move to board"), coerce=int, validators=[DataRequired()])


class MergeForm(ReasonMixin, PageForm):
    target_id = SelectField(_l("Merge into thread"), coerce=int, validators=[DataRequired()])


class SplitForm(ReasonMixin, PageForm):
    title = StringField(
        _l("Title of the new thread"), validators=[DataRequired(), ConfigLength("FORUM_TITLE_MAX")]
    )
    post_ids = SelectMultipleField(_l("Replies to move"), coerce=int, validators=[DataRequired()])


class AssignForm(ReasonMixin, PageForm):
    assignee = SelectField(_l("Instructor to answer"), validators=[Optional()])


class MuteForm(ReasonMixin, PageForm):
    username = SelectField(_l("Trainee"), validators=[DataRequired()])
    minutes = SelectField(_l("For"), coerce=int, validators=[DataRequired()])


class WarnForm(PageForm):
    username = SelectField(_l("Trainee"), validators=[DataRequired()])
    message = TextAreaField(
        _l("Warning (the trainee reads this)"), validators=[DataRequired(), ConfigLength(maximum=1000)]
    )


class ConfirmForm(PageForm):
    """An action with nothing to fill in but its CSRF token."""


class WatchedWordForm(PageForm):
    word = StringField(_l("Word or pattern"), validators=[DataRequired(), ConfigLength(maximum=200)])
    is_regex = BooleanField(_l("Regular expression"))
    action = SelectField(
        _l("Action"),
        choices=[
            SelectChoice("hold", _l("Hold for review")),
            SelectChoice("block", _l("Block")),
            SelectChoice("replace", _l("Replace")),
        ],
    )
    replacement = StringField(_l("Replacement (for Replace)"), validators=[ConfigLength(maximum=200)])


class AuditFilterForm(PageForm):
    """The audit page's filters (a GET form: no CSRF needed)."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validators=[Optional()])
    actor = StringField(_l("By (username)"), validators=[Optional(), ConfigLength(maximum=64)])
    target_type = SelectField(_l("Object"), validators=[Optional()])
    date_from = StringField(_l("From"), validators=[Optional(), Regexp(r"^\d{4}-\d{2}-\d{2}$")])
    date_to = StringField(_l("To"), validators=[Optional(), Regexp(r"^\d{4}-\d{2}-\d{2}$")])


def choices(pairs) -> list[SelectChoice]:
    """``(value, label)`` pairs as the option objects WTForms expects."""
    return [SelectChoice(value, label) for value, label in pairs]
