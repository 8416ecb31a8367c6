"""Forms for cases, people, meetings and the action plan's goals."""

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from app.cases.models import (
    CHOSEN_CLOSE_REASONS,
    CLOSURE_NOTE_LIMIT,
    GENDERS,
    GOAL_DOMAINS,
    GOAL_FIELD_LIMIT,
    GOAL_KINDS,
    GOAL_TEXT_LIMIT,
    MEETING_KINDS,
    PERSON_ROLES,
)
from app.forms import DATE_MESSAGE, DateField, Form
from app.labels import (
    CLOSE_REASON_LABELS,
    DOMAIN_LABELS,
    GENDER_LABELS,
    GOAL_KIND_CHOICE_LABELS,
    MEETING_KIND_LABELS,
    ROLE_LABELS,
)
from app.settings import lists

# Six digits (a birth date), an optional dash, four digits: the shape of a CPR number.
CPR_PATTERN = re.compile(r"(?<!\d)[0-3]\d[01]\d\d\d-?\d{4}(?!\d)")


def no_cpr(form, field) -> None:
    """Refuse text that contains something shaped like a CPR number."""
    if field.data and CPR_PATTERN.search(field.data):
        raise ValidationError(_l("Skriv ikke CPR-numre i Samstem."))


class CaseForm(Form):
    child_first_name = StringField(
        _l("Barnets fornavn"),
        validators=[DataRequired(_l("Skriv barnets fornavn.")), Length(max=80), no_cpr],
    )
    child_birth_year = IntegerField(
        _l("Barnets fødselsår"),
        validators=[InputRequired(_l("Skriv barnets fødselsår, fx 2017."))],
    )
    external_ref = StringField(
        _l("Sagsnummer i fagsystemet (valgfrit)"),
        validators=[Optional(), Length(max=40), no_cpr],
    )

    def validate_child_birth_year(self, field) -> None:
        this_year = date.today().year
        if field.data is not None and not this_year - 25 <= field.data <= this_year:
            raise ValidationError(_l("Fødselsåret skal være mellem %(low)s og %(high)s.", low=this_year - 25, high=this_year))


class PersonForm(Form):
    role = SelectField(_l("Rolle"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in PERSON_ROLES])
    first_name = StringField(
        _l("Fornavn"), validators=[DataRequired(_l("Skriv et fornavn.")), Length(max=80), no_cpr]
    )
    relation = StringField(
        _l("Relation til barnet, med egne ord"),
        validators=[Optional(), Length(max=120), no_cpr],
    )
    email = StringField(
        _l("E-mail (valgfri)"),
        validators=[Optional(), Length(max=254), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Det ligner ikke en e-mailadresse."))],
    )
    phone = StringField(
        _l("Mobilnummer (valgfrit)"),
        validators=[Optional(), Length(max=30), Regexp(r"^\+?[\d ]{8,20}$", message=_l("Skriv kun tal, mellemrum og evt. + foran."))],
    )
    language = SelectField(_l("Foretrukket sprog"))
    fit_exempt = BooleanField(_l("Fritaget for FIT-skemaer"))
    # No Optional(): it would stop the chain before the check that a reason is given.
    fit_exemption = TextAreaField(_l("Faglig begrundelse for fritagelsen"), validators=[Length(max=2000)])

    def validate_fit_exemption(self, field) -> None:
        if self.fit_exempt.data and not (field.data or "").strip():
            raise ValidationError(_l("Skriv en faglig begrundelse, når personen er fritaget for FIT."))


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class MeetingForm(Form):
    kind = SelectField(_l("Mødetype"), choices=[SelectChoice(k, MEETING_KIND_LABELS[k]) for k in MEETING_KINDS])
    held_on = DateField(_l("Dato"), validators=[InputRequired(_l("Vælg mødets dato."))])
    participants = MultiCheckboxField(
        _l("Deltagere"), coerce=int, validators=[DataRequired(_l("Vælg mindst én deltager."))]
    )


class GoalForm(Form):
    text = TextAreaField(
        _l("Målet"),
        validators=[
            DataRequired(_l("Skriv målet, gerne med familiens egne ord.")),
            Length(max=GOAL_TEXT_LIMIT),
            no_cpr,
        ],
    )
    domain = SelectField(
        _l("Hvilket område i barnets liv handler målet om?"),
        choices=[SelectChoice(d, DOMAIN_LABELS[d]) for d in GOAL_DOMAINS],
    )
    kind = RadioField(
        _l("Skal noget blive bedre, eller skal noget holdes?"),
        choices=[SelectChoice(k, GOAL_KIND_CHOICE_LABELS[k]) for k in GOAL_KINDS],
        default="improve",
    )
    # Every goal says who is responsible and how achievement will be documented (issue 4):
    # a goal nobody owns or nobody can check cannot be followed up.
    responsible = StringField(
        _l("Hvem er ansvarlig?"),
        validators=[DataRequired(_l("Skriv, hvem der er ansvarlig for målet.")), Length(max=GOAL_FIELD_LIMIT), no_cpr],
    )
    documentation = StringField(
        _l("Hvordan kan vi se, at målet er nået?"),
        validators=[
            DataRequired(_l("Skriv, hvordan I kan se, at målet er nået, fx »skolefravær under 10 %«.")),
            Length(max=GOAL_FIELD_LIMIT),
            no_cpr,
        ],
    )
    # The version the page showed, so a rewording made meanwhile by someone else is not overwritten.
    version = HiddenField()


def _not_in_future(form, field) -> None:
    if field.data is not None and field.data > date.today():
        raise ValidationError(_l("Datoen kan ikke ligge i fremtiden."))


def _note(label) -> TextAreaField:
    return TextAreaField(label, validators=[Length(max=CLOSURE_NOTE_LIMIT), no_cpr])


class CloseForm(Form):
    """Closing a case: the day, the reason from the list, and for "without further measure"
    the network meeting or family group conference it followed (FIGURES.md K5)."""

    closed_on = DateField(_l("Dato for lukningen"),
                          validators=[InputRequired(DATE_MESSAGE), _not_in_future])
    reason = RadioField(_l("Hvorfor lukkes sagen?"),
                        choices=[SelectChoice(r, CLOSE_REASON_LABELS[r]) for r in CHOSEN_CLOSE_REASONS],
                        validators=[InputRequired(_l("Vælg, hvorfor sagen lukkes."))])
    # Filled in by the view with the case's network meetings and family group conferences.
    meeting = SelectField(_l("Efter hvilket møde?"), choices=[], validate_choice=False)
    note = _note(_l("Uddybning (valgfri)"))

    def validate_meeting(self, field) -> None:
        known = {str(choice.value) for choice in field.choices if choice.value}
        if self.reason.data == "closed_no_measure" and not field.data:
            raise ValidationError(_l("Vælg det møde, sagen blev lukket efter.") if known else _l(
                "Der er ikke registreret en familierådslagning eller et netværksmøde på sagen. Registrér mødet "
                "først, eller vælg en anden årsag."))
        if field.data and field.data not in known:
            raise ValidationError(_l("Vælg en af mulighederne."))

    def validate_note(self, field) -> None:
        if self.reason.data == "other" and not (field.data or "").strip():
            raise ValidationError(_l("Skriv, hvorfor sagen lukkes."))

    @property
    def meeting_id(self) -> int | None:
        return int(self.meeting.data) if self.reason.data == "closed_no_measure" and self.meeting.data else None


class ReopenForm(Form):
    """Re-opening a case: the day, a reason from the organisation's list "reopen_reason" (in use
    now: a re-opening is new input) and a note (issue 14 item 3)."""

    reopened_on = DateField(_l("Dato for genåbning"),
                            validators=[InputRequired(DATE_MESSAGE), _not_in_future])
    reason = RadioField(_l("Hvorfor genåbnes sagen?"), choices=[],
                        validators=[InputRequired(_l("Vælg, hvorfor sagen genåbnes."))])
    note = _note(_l("Uddybning (valgfri)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = [SelectChoice(code, name) for code, name in lists.choices("reopen_reason")]

    def validate_note(self, field) -> None:
        if self.reason.data == "other" and not (field.data or "").strip():
            raise ValidationError(_l("Skriv, hvorfor sagen blev genåbnet."))


def _list_choices(name: str, keep: str | None) -> list[SelectChoice]:
    """A blank first choice (nothing chosen for the case worker), the list's entries in use, and
    the stored code even when it has since been taken out of use."""
    return [SelectChoice("", _l("Vælg …"))] + [SelectChoice(code, text) for code, text in lists.choices(name, keep=keep)]


def _blank_is_none(value):
    return None if isinstance(value, str) and not value.strip() else value


class BackgroundForm(Form):
    """The case's background (issue 14 item 1): target group and case type from the organisation's
    lists; the child's gender only when the organisation records it, and never required."""

    target_group = SelectField(_l("Målgruppe"), validators=[InputRequired(_l("Vælg målgruppen."))])
    case_type = SelectField(_l("Sagstype"), validators=[InputRequired(_l("Vælg sagstypen."))])
    gender = SelectField(_l("Barnets køn (valgfrit)"), validators=[Optional()], filters=[_blank_is_none],
                         choices=[SelectChoice("", _l("Ikke oplyst"))]
                         + [SelectChoice(g, GENDER_LABELS[g]) for g in GENDERS])

    def __init__(self, *args, stored=None, record_gender: bool = False, **kwargs):
        """`stored`: the background in force, whose codes stay choosable when correcting."""
        super().__init__(*args, **kwargs)
        self.target_group.choices = _list_choices("target_group", stored.target_group if stored else None)
        self.case_type.choices = _list_choices("case_type", stored.case_type if stored else None)
        if not record_gender:
            del self.gender

    @property
    def values(self) -> dict:
        return {"target_group": self.target_group.data, "case_type": self.case_type.data,
                "gender": self.gender.data if "gender" in self else None}
