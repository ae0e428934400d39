"""Administration forms (Flask-WTF: CSRF on every one)."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from forum.pages import ConfigLength, PageForm

USERNAME_HINT = _l("Lower-case letters, digits, dots, hyphens and underscores (2-63).")


def site_role_choices():
    return [("trainee", _l("Trainee")), ("instructor", _l("Instructor")), ("admin", _l("Administrator"))]


def membership_role_choices():
    return [("trainee", _l("Trainee")), ("instructor", _l("Instructor"))]


def cohort_kind_choices():
    return [
        ("national", _l("National class")),
        ("special", _l("Special class")),
        ("foreign", _l("Foreign officials' class")),
        ("course", _l("Course")),
    ]


def language_choices():
    return [("zh", _l("Chinese")), ("en", _l("English"))]


class UserForm(PageForm):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(max=63),
            Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,62}$", message=USERNAME_HINT),
        ],
        description=USERNAME_HINT,
    )
    display_name = StringField(_l("Name shown to others"), validators=[ConfigLength("FORUM_NAME_MAX")])
    role = SelectField(_l("Role"), choices=site_role_choices, default="trainee")
    password = PasswordField(
        _l("Password"),
        validators=[Optional(), Length(min=8, max=256)],
        description=_l("At least 8 characters. Leave empty to generate one, shown once."),
    )


class ImportUsersForm(PageForm):
    file = FileField(
        _l("CSV file"),
        validators=[FileRequired(_l("Choose a CSV file."))],
        description=_l("One person per line: username, name, role (trainee or instructor)[, password]."),
    )
    cohort = SelectField(_l("Enrol everyone in this class"), choices=[], default="")
    default_password = PasswordField(
        _l("Starting password for rows without one"),
        validators=[Optional(), Length(min=8, max=256)],
        description=_l("Leave empty to generate one password per person, shown once."),
    )


class CohortForm(PageForm):
    slug = StringField(
        _l("Short name in addresses"),
        validators=[
            DataRequired(),
            Length(max=63),
            Regexp(
                r"^[a-z0-9][a-z0-9-]{1,62}$", message=_l("Lower-case letters, digits and hyphens (2-63).")
            ),
        ],
        description=_l("Lower-case letters, digits and hyphens, e.g. mayors-2026."),
    )
    name = StringField(_l("Name"), validators=[DataRequired(), ConfigLength("FORUM_NAME_MAX")])
    kind = SelectField(_l("Kind of class"), choices=cohort_kind_choices, default="national")
    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(min=1949, max=2200)])
    language = SelectField(_l("Language"), choices=language_choices, default="zh")
    description = TextAreaField(_l("Description"), validators=[ConfigLength("FORUM_DESCRIPTION_MAX")])
    archived = BooleanField(_l("Archived: the class has ended and is read-only"))


class MemberForm(PageForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    role = SelectField(_l("Role in this class"), choices=membership_role_choices, default="trainee")


class RemoveMemberForm(PageForm):
    username = HiddenField(validators=[DataRequired(), Length(max=64)])


class CourseForm(PageForm):
    name = StringField(_l("Course name"), validators=[DataRequired(), ConfigLength(maximum=200)])
    lecturer = StringField(_l("Lecturer"), validators=[ConfigLength(maximum=120)])
    year = IntegerField(
        _l("Year"),
        validators=[Optional(), NumberRange(min=1949, max=2200)],
        description=_l("Optional: the year the course is taught (1949-2200)."),
    )
