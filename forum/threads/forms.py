"""Thread page forms (Flask-WTF: CSRF on every one)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Optional, Regexp

from forum.pages import ConfigLength, PageForm

REASON_MAX = 500


def thread_kind_choices():
    return [
        ("discussion", _l("Discussion")),
        ("case", _l("Case")),
        ("research", _l("Research")),
        ("question", _l("Question")),
    ]


class ThreadForm(PageForm):
    title = StringField(_l("Title"), validators=[DataRequired(), ConfigLength("FORUM_TITLE_MAX")])
    kind = SelectField(_l("Kind of thread"), choices=thread_kind_choices, default="discussion")
    body = TextAreaField(_l("Text"), validators=[DataRequired(), ConfigLength("FORUM_POST_MAX")])
    anonymous = BooleanField(_l("Post anonymously to classmates (instructors still see your name)"))


class ReplyForm(PageForm):
    body = TextAreaField(_l("Your reply"), validators=[DataRequired(), ConfigLength("FORUM_POST_MAX")])
    reply_to = HiddenField(validators=[Optional(), Regexp(r"^\d{1,12}$")])
    anonymous = BooleanField(_l("Post anonymously to classmates (instructors still see your name)"))


class EditPostForm(PageForm):
    title = StringField(_l("Title"), validators=[Optional(), ConfigLength("FORUM_TITLE_MAX")])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), ConfigLength("FORUM_POST_MAX")])


class ModerateThreadForm(PageForm):
    action = HiddenField(
        validators=[DataRequired(), AnyOf(["pin", "unpin", "lock", "unlock", "hide", "unhide"])]
    )
    reason = StringField(_l("Reason (optional)"), validators=[ConfigLength(maximum=REASON_MAX)])


class ModeratePostForm(PageForm):
    action = HiddenField(validators=[DataRequired(), AnyOf(["hide", "unhide"])])
    reason = StringField(_l("Reason, shown to the author"), validators=[ConfigLength(maximum=REASON_MAX)])


class ConfirmForm(PageForm):
    """An action with nothing to fill in but its CSRF token (delete)."""
