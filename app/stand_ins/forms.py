"""The form that gives an absent case worker a stand-in."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import InputRequired

from app.forms import DATE_MESSAGE, DateField, Form, whole_number


def _user_id(value) -> int | None:
    """Any posted value is taken; the service says what is wrong with a user who may not be chosen."""
    return value if isinstance(value, int) else whole_number(str(value or ""), digits=10)


class StandInForm(Form):
    absent = SelectField(_l("Fraværende rådgiver"), coerce=_user_id, validate_choice=False,
                         validators=[InputRequired(_l("Vælg den rådgiver, der er fraværende."))])
    stand_in = SelectField(_l("Stedfortræder"), coerce=_user_id, validate_choice=False,
                           validators=[InputRequired(_l("Vælg stedfortræderen."))])
    starts_on = DateField(_l("Første dag"), validators=[InputRequired(DATE_MESSAGE)])
    ends_on = DateField(_l("Sidste dag"), validators=[InputRequired(DATE_MESSAGE)])
