"""Room page forms (Flask-WTF: CSRF on every one)."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired

from forum.pages import ConfigLength, PageForm

SLOW_MODE_CHOICES = (0, 10, 30, 60, 120, 300)


class RoomForm(PageForm):
    name = StringField(_l("Room name"), validators=[DataRequired(), ConfigLength("FORUM_NAME_MAX")])
    thread_id = SelectField(
        _l("Live session of a thread (optional)"), coerce=int, choices=[], validate_choice=True
    )


class SlowModeForm(PageForm):
    seconds = SelectField(_l("Slow mode"), coerce=int, choices=[], validate_choice=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seconds.choices = [
            (n, _l("Off") if n == 0 else _l("One message every %(n)d s", n=n)) for n in SLOW_MODE_CHOICES
        ]


class ActionForm(PageForm):
    """A button that only needs its CSRF token (close, reopen, append the transcript)."""
