"""The administrator's form for a new API key."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from app.cases.forms import MultiCheckboxField
from app.forms import Form

SCOPE_LABELS = {"read": _l("Læse sager, svar og rapporter"), "write": _l("Oprette og ændre sager, møder og runder")}


class ApiKeyForm(Form):
    name = StringField(_l("Navn"), validators=[DataRequired(_l("Skriv et navn, fx fagsystemets navn.")),
                                               Length(max=80)])
    scopes = MultiCheckboxField(_l("Må"), choices=[SelectChoice(code, label) for code, label in SCOPE_LABELS.items()],
                                validators=[DataRequired(_l("Vælg mindst én ting, nøglen må."))])
    teams = MultiCheckboxField(_l("Teams, hvis sager nøglen når"), coerce=int,
                               validators=[DataRequired(_l("Vælg mindst ét team."))])
