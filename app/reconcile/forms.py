"""The decision form: action or no adjustment, in the case worker's words, and a follow-up."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app.cases.forms import no_cpr
from app.forms import DATE_MESSAGE, DateField, Form

TEXT_LIMIT = 4000
# A follow-up meeting further ahead than this is almost certainly a typing error.
FOLLOW_UP_HORIZON = timedelta(days=2 * 366)


class DecisionForm(Form):
    outcome = RadioField(
        _l("Hvad giver de nye svar anledning til?"),
        choices=[
            SelectChoice("action", _l("Det giver anledning til handling")),
            SelectChoice("no_adjustment", _l("Det giver ikke anledning til justering")),
        ],
        validators=[InputRequired(_l("Vælg, om det giver anledning til handling eller ej."))],
    )
    # Both texts stay in the form, so switching choice loses nothing typed. No Optional():
    # it would end the chain before the check that the chosen one is filled in.
    action_text = TextAreaField(
        _l("Hvilken handling?"), validators=[Length(max=TEXT_LIMIT), no_cpr]
    )
    reason_text = TextAreaField(
        _l("Hvorfor ingen justering?"), validators=[Length(max=TEXT_LIMIT), no_cpr]
    )
    follow_up = RadioField(
        _l("Er der brug for et nyt opfølgningsmøde?"),
        choices=[SelectChoice("yes", _l("Ja, planlæg et opfølgningsmøde")), SelectChoice("no", _l("Nej"))],
        validators=[InputRequired(_l("Svar, om der er brug for et nyt opfølgningsmøde."))],
    )
    follow_up_on = DateField(_l("Dato for opfølgningsmødet"), validators=[Optional()])
    # Indicator rounds: why factors without a final status are decided on anyway (INSTRUMENTS.md §4).
    unscored_reason = TextAreaField(
        _l("Hvorfor mangler nogle faktorer en endelig status?"), validators=[Length(max=TEXT_LIMIT), no_cpr]
    )
    # The decision a correction replaces, and the rounds and observations the page showed (case view).
    corrects = HiddenField()
    rounds = HiddenField()
    observations = HiddenField()

    @property
    def text(self) -> str:
        field = self.action_text if self.outcome.data == "action" else self.reason_text
        return (field.data or "").strip()

    def validate_action_text(self, field) -> None:
        if self.outcome.data == "action" and not (field.data or "").strip():
            raise ValidationError(_l("Skriv, hvilken handling det giver anledning til."))

    def validate_reason_text(self, field) -> None:
        if self.outcome.data == "no_adjustment" and not (field.data or "").strip():
            raise ValidationError(_l("Skriv, hvorfor det ikke giver anledning til justering."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Optional() ends the date's own checks when it is empty, so "yes" without a date is caught here.
        if self.follow_up.data == "yes" and self.follow_up_on.data is None and not self.follow_up_on.errors:
            self.follow_up_on.errors.append(str(_l("Vælg en dato for opfølgningsmødet.")))
            valid = False
        return valid

    def validate_follow_up_on(self, field) -> None:
        if self.follow_up.data != "yes" or field.data is None:
            return
        today = date.today()
        if field.data < today:
            raise ValidationError(_l("Opfølgningsmødet skal ligge i dag eller senere."))
        if field.data > today + FOLLOW_UP_HORIZON:
            raise ValidationError(_l("Vælg en dato inden for to år."))


class FilingForm(Form):
    """"Journaliseret i fagsystemet": the day the decision was filed in the case system."""

    filed_on = DateField(_l("Journaliseret den"), validators=[InputRequired(DATE_MESSAGE)])
    # The page to go back to (a path on this site only; anything else is ignored).
    back = HiddenField()

    def validate_filed_on(self, field) -> None:
        if field.data is not None and field.data > date.today():
            raise ValidationError(_l("Datoen kan ikke ligge i fremtiden."))
