"""The administrator's forms for teams."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length, ValidationError

from app.forms import Form, whole_number


class TeamForm(Form):
    name = StringField(_l("Teamets navn"), validators=[InputRequired(_l("Skriv teamets navn.")), Length(max=120)],
                       filters=[lambda v: v.strip() if v else v])


class MergeForm(Form):
    into = SelectField(_l("Slå sammen med"), coerce=int, validators=[InputRequired(_l("Vælg det team, der skal overtage."))])


class DepartmentForm(Form):
    name = StringField(_l("Afdelingens navn"), validators=[InputRequired(_l("Skriv afdelingens navn.")),
                                                           Length(max=120)],
                       filters=[lambda v: v.strip() if v else v])


class MoveForm(Form):
    """The team's department; "" is none. Any posted id is taken: the service says what is wrong with it."""

    department = SelectField(_l("Afdeling"), validate_choice=False,
                             coerce=lambda v: v if isinstance(v, int) or v is None else whole_number(str(v), digits=10))

    def validate_department(self, field) -> None:
        # Not sent at all is a broken form; sent empty is "no department".
        if not field.raw_data or (field.raw_data[0] and field.data is None):
            raise ValidationError(_l("Vælg en af afdelingerne."))
