"""The administrator's forms for staff accounts."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from app.auth.models import CASE_ROLES, ROLES
from app.cases.forms import MultiCheckboxField
from app.forms import Form
from app.labels import STAFF_ROLE_LABELS

# A password an administrator sets is handed on to the person, who should change it.
MIN_PASSWORD = 10


class UserForm(Form):
    """Name, e-mail, roles and team: what an administrator may change on an account."""

    name = StringField(_l("Navn"), validators=[InputRequired(_l("Skriv medarbejderens navn.")), Length(max=120)])
    email = StringField(_l("E-mail"), validators=[
        Optional(), Length(max=254),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Det ligner ikke en e-mailadresse."))],
        filters=[lambda v: v.strip() if v else v])
    roles = MultiCheckboxField(_l("Roller"), choices=[SelectChoice(r, STAFF_ROLE_LABELS[r]) for r in ROLES],
                               validators=[DataRequired(_l("Vælg mindst én rolle."))])
    team = SelectField(_l("Team"))  # no Optional(): it would skip the check that case workers have a team

    def validate_team(self, field) -> None:
        if not field.data and set(self.roles.data or ()) & set(CASE_ROLES):
            raise ValidationError(_l("En rådgiver eller teamleder skal høre til et team. Vælg teamet."))


def _password_field():
    return PasswordField(_l("Adgangskode"), validators=[
        InputRequired(_l("Skriv en adgangskode.")),
        Length(min=MIN_PASSWORD, max=200, message=_l("Adgangskoden skal have mellem %(min)d og %(max)d tegn."))])


class NewUserForm(UserForm):
    username = StringField(_l("Brugernavn"), validators=[
        InputRequired(_l("Skriv et brugernavn.")), Length(max=80)], filters=[lambda v: v.strip() if v else v])
    password = _password_field()


class PasswordForm(Form):
    password = _password_field()


class HandOverForm(Form):
    colleague = SelectField(_l("Kollega, der overtager sagerne"), coerce=int,
                            validators=[InputRequired(_l("Vælg den kollega, der overtager sagerne."))])
