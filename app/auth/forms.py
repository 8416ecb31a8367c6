"""The login form."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from app.forms import Form


class LoginForm(Form):
    username = StringField(_l("Brugernavn"), validators=[DataRequired(_l("Skriv dit brugernavn.")), Length(max=80)])
    password = PasswordField(_l("Adgangskode"), validators=[DataRequired(_l("Skriv din adgangskode.")), Length(max=200)])


class CodeForm(Form):
    code = StringField(_l("Kode fra din app"), validators=[DataRequired(_l("Skriv den 6-cifrede kode fra din app.")),
                                                          Length(max=12)])
