"""The import page's forms: choose the file; confirm the checked file."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired

from app.forms import Form


class UploadForm(Form):
    file = FileField(_l("Fil fra fagsystemet (CSV eller Excel .xlsx)"),
                     validators=[FileRequired(_l("Vælg den fil, du vil importere."))])


class ConfirmForm(Form):
    sealed = HiddenField(validators=[DataRequired(_l("Vælg filen igen."))])
