"""Cohort page forms (Flask-WTF: CSRF on every one)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from forum.pages import ConfigLength, PageForm


class BoardForm(PageForm):
    name = StringField(_l("Board name"), validators=[DataRequired(), ConfigLength("FORUM_NAME_MAX")])
    description = TextAreaField(_l("Description"), validators=[ConfigLength("FORUM_DESCRIPTION_MAX")])
    anonymous_allowed = BooleanField(_l("Trainees may post anonymously to classmates here"))
    # forum/discussion: announcement boards, where only instructors start threads
    kind = SelectField(
        _l("Kind of board"),
        choices=[
            SelectChoice("discussion", _l("Discussion: everyone starts threads")),
            SelectChoice("announcement", _l("Announcements: only instructors start threads")),
        ],
        default="discussion",
    )
