"""Library forms (Flask-WTF: CSRF on every one)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, MultipleFileField, SelectField, StringField
from wtforms.validators import Optional, Regexp

from forum.pages import ConfigLength, PageForm


class MaterialDetailsMixin:
    course = StringField(_l("Course"), validators=[Optional(), ConfigLength(maximum=200)])
    lecturer = StringField(_l("Lecturer"), validators=[Optional(), ConfigLength(maximum=120)])
    year = StringField(
        _l("Year"), validators=[Optional(), Regexp(r"^\s*\d{4}\s*$", message=_l("A year like 2024."))]
    )
    tags = StringField(
        _l("Tags"), description=_l("Separated by commas."), validators=[Optional(), ConfigLength(maximum=500)]
    )


class UploadForm(MaterialDetailsMixin, PageForm):
    files = MultipleFileField(_l("Files"))
    title = StringField(
        _l("Title"),
        description=_l("For a single file; several files keep their names."),
        validators=[Optional(), ConfigLength("FORUM_TITLE_MAX")],
    )
    cohort = SelectField(_l("Share with class"), choices=[], validate_choice=False)
    college_wide = BooleanField(_l("Share with the whole college"))


class EditMaterialForm(MaterialDetailsMixin, PageForm):
    title = StringField(_l("Title"), validators=[ConfigLength("FORUM_TITLE_MAX", minimum=1)])
    college_wide = BooleanField(_l("Share with the whole college"))


class ConfirmForm(PageForm):
    """A button-only form (CSRF)."""
