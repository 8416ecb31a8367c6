"""The administrator's forms for teams."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length

from app.forms import Form


class TeamForm(Form):
    name = StringField(_l("Teamets navn"), validators=[InputRequired(_l("Skriv teamets navn.")), Length(max=120)],
                       filters=[lambda v: v.strip() if v else v])


class MergeForm(Form):
    into = SelectField(_l("Slå sammen med"), coerce=int, validators=[InputRequired(_l("Vælg det team, der skal overtage."))])
