"""Staff forms of resultatdokumentation: the organisation's procedure and a case's form."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError

from app.cases.forms import MultiCheckboxField
from app.forms import DATE_MESSAGE, DateField, Form
from app.indicators.models import SCORERS
from app.labels import SCORER_LABELS


class ProcedureForm(Form):
    scorers = MultiCheckboxField(
        _l("Hvem scorer?"),
        choices=[SelectChoice(s, SCORER_LABELS[s]) for s in SCORERS],
    )
    together = RadioField(
        _l("Scorer de hver for sig eller sammen?"),
        choices=[SelectChoice("separately", _l("Hver for sig: hver får sit eget link")),
                 SelectChoice("together", _l("Sammen: rådgiveren taster én fælles scoring"))],
        validators=[InputRequired(_l("Vælg, om de scorer hver for sig eller sammen."))],
    )
    rhythm = RadioField(
        _l("Hvor ofte måles der?"),
        choices=[SelectChoice("6", _l("Ved start, efter 3 måneder og derefter hver 6. måned")),
                 SelectChoice("4", _l("Ved start, efter 3 måneder og derefter hver 4. måned"))],
        validators=[InputRequired(_l("Vælg, hvor ofte der måles."))],
    )
    default_form = SelectField(_l("Skema, som nye sager får foreslået"), validators=[InputRequired()])
    family_split = RadioField(
        _l("Familieforhold"),
        choices=[SelectChoice("yes", _l("Del op i mor, far og søskende")),
                 SelectChoice("no", _l("Ét samlet område"))],
        validators=[InputRequired(_l("Vælg, om familieforhold skal deles op."))],
    )

    def validate_scorers(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Vælg mindst én, der scorer."))


class CaseIndicatorsForm(Form):
    form_id = SelectField(_l("Indikatorskema"), validators=[InputRequired(_l("Vælg et skema."))])
    intake_on = DateField(_l("Dato for indsatsens start (første måling)"),
                          validators=[InputRequired(DATE_MESSAGE)])


class TookPartField(SelectMultipleField):
    """Who took part in a joint scoring: people of the meeting only."""

    def pre_validate(self, form) -> None:
        known = {str(choice.value) for choice in self.choices}
        if any(value not in known for value in self.data or ()):
            raise ValidationError(_("En af de valgte personer deltog ikke i mødet."))
