"""The forms on a user's own account page."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField
from wtforms.validators import EqualTo, InputRequired, Length

from app.forms import Form
from app.users.forms import MIN_PASSWORD


class OwnPasswordForm(Form):
    current = PasswordField(_l("Din nuværende adgangskode"), validators=[
        InputRequired(_l("Skriv din nuværende adgangskode.")), Length(max=200)])
    password = PasswordField(_l("Ny adgangskode"), validators=[
        InputRequired(_l("Skriv en ny adgangskode.")),
        Length(min=MIN_PASSWORD, max=200, message=_l("Adgangskoden skal have mellem %(min)d og %(max)d tegn."))])
    repeat = PasswordField(_l("Den nye adgangskode igen"), validators=[
        InputRequired(_l("Skriv den nye adgangskode igen.")), Length(max=200),
        EqualTo("password", _l("De to nye adgangskoder er ikke ens. Skriv dem igen."))])
