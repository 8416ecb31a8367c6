"""The audit log's search form: read from the address (GET), so a search can be bookmarked and exported."""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from app.forms import DateField, Form

# The days a period may name: a date outside them is a typing error (and year 1 or 9999 would
# overflow when turned into a moment in Danish time).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)


def _within_years(form, field) -> None:
    if field.data is not None and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(_l("Vælg en dato mellem år 2000 og 2999."))


class SearchForm(Form):
    class Meta:
        csrf = False  # a search changes nothing; it is read from the address

    person = IntegerField(_l("Person (nummer i Samstem)"), validators=[Optional()])
    case = IntegerField(_l("Sag (nummer i Samstem)"), validators=[Optional()])
    user = SelectField(_l("Medarbejder"), validators=[Optional()])
    action = SelectField(_l("Handling"), validators=[Optional()])
    from_date = DateField(_l("Fra og med dato"), validators=[Optional(), _within_years])
    to_date = DateField(_l("Til og med dato"), validators=[Optional(), _within_years])
    page = IntegerField(_l("Side"), default=1, validators=[
        Optional(), NumberRange(min=1, message=_l("Sidetallet skal være 1 eller mere."))])
