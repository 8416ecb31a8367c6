"""The administrator's forms: the organisation's settings."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.forms import Form
from app.respond.notices import EDITABLE
from app.settings import texts
from app.settings.services import GROUP_FLOOR
from app.settings.texts import TEXT_LIMIT

NAME_LIMIT = 120
MAX_DAYS = 36500


def _group(label) -> IntegerField:
    # FIGURES.md "Disclosure rules" 2: configurable, never below 3.
    return IntegerField(label, validators=[
        InputRequired(_l("Skriv et helt tal, mindst 3.")),
        NumberRange(GROUP_FLOOR, 1000, _l("Mindst 3: med færre børn i en gruppe kan man regne ud, hvem der har "
                                          "svaret hvad.")),
    ])


def _retention(label) -> IntegerField:
    return IntegerField(label, validators=[
        Optional(), NumberRange(1, MAX_DAYS, _l("Skriv et antal dage fra 1 til %(max)s.", max=MAX_DAYS))])


class SettingsForm(Form):
    organisation_name = StringField(_l("Organisationens navn, som dem, der svarer, ser det"), validators=[
        DataRequired(_l("Skriv organisationens navn.")), Length(max=NAME_LIMIT)],
        filters=[lambda text: text.strip() if text else text])
    token_days = IntegerField(_l("Hvor mange dage et link virker"), validators=[
        InputRequired(_l("Skriv et antal dage.")), NumberRange(1, 365, _l("Skriv et antal dage fra 1 til 365."))])
    reminder_days = IntegerField(_l("Dage, før der sendes en påmindelse (0 = ingen påmindelse)"), validators=[
        InputRequired(_l("Skriv et antal dage, eller 0.")),
        NumberRange(0, 365, _l("Skriv et antal dage fra 0 til 365."))])
    retention_days = _retention(_l("Dage efter at en sag er lukket, før dens oplysninger slettes"))
    audit_retention_days = _retention(_l("Dage, før auditloggens indgange mister deres personoplysninger"))
    min_group_count = _group(_l("Mindste antal børn bag et tal"))
    min_group_mean = _group(_l("Mindste antal børn bag et gennemsnit eller en andel"))
    round_to_five = BooleanField(_l("Rund tal af til nærmeste 5"))
    pilot_mode = BooleanField(_l("Pilotdrift: tallene vises ikke for ledere endnu"))
    target_network_share = IntegerField(_l("Ledelsens mål: andel af anbringelser i netværket (procent)"),
                                        validators=[Optional(), NumberRange(0, 100, _l("Skriv en procent fra 0 "
                                                                                       "til 100."))])

    record_gender = BooleanField(_l("Registrér barnets køn i sagens baggrund (til tallene)"))

    def validate_reminder_days(self, field) -> None:
        if field.data and self.token_days.data and field.data >= self.token_days.data:
            raise ValidationError(_l("Påmindelsen skal sendes, før linket holder op med at virke."))

    def values(self) -> dict:
        return {name: self[name].data for name in (
            "organisation_name", "token_days", "reminder_days", "retention_days", "audit_retention_days",
            "min_group_count", "min_group_mean", "round_to_five", "pilot_mode", "target_network_share",
            "record_gender")}


class TextForm(Form):
    """One text in one language on /admin/texts."""

    text = HiddenField()
    lang = HiddenField()
    body = TextAreaField(_l("Tekst"), validators=[
        DataRequired(_l("Skriv teksten. Den, der svarer, skal kunne læse noget her.")),
        Length(max=TEXT_LIMIT)],
        filters=[lambda text: text.strip() if text else text])

    def validate_text(self, field) -> None:
        if field.data not in EDITABLE or self.lang.data not in texts.languages():
            raise ValidationError(_l("Vælg en af teksterne på siden."))
