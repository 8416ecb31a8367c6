"""Staff forms: phone follow-up with a parent, method registration."""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.cases.forms import no_cpr
from app.forms import DATE_MESSAGE, DateField, Form
from app.labels import (
    METHOD_LABELS,
    METHOD_OUTCOME_LABELS,
    METHOD_STATUS_LABELS,
    OCCASION_LABELS,
    STARTED_LABELS,
)
from app.registrations.models import (
    MAX_COUNT,
    METHOD_OUTCOMES,
    METHOD_STATUSES,
    METHODS,
    NOTES_LIMIT,
    OCCASIONS,
    OUTCOMES_WITHOUT_MEETING,
    ROLE_LIMIT,
    STARTED,
)
from app.settings import lists

FAILURE_NOTE_LIMIT = 2000

YES_NO = [SelectChoice("yes", _l("Ja")), SelectChoice("no", _l("Nej"))]


def _choices(codes, labels) -> list[SelectChoice]:
    return [SelectChoice(code, labels[code]) for code in codes]


def _one_to_five(low: str, high: str) -> list[SelectChoice]:
    return [SelectChoice("1", _l("1 · %(words)s", words=low))] + [SelectChoice(str(n), str(n)) for n in (2, 3, 4)] + [
        SelectChoice("5", _l("5 · %(words)s", words=high))
    ]


def _blank_is_none(value):
    """An optional choice sent blank (" ") is no choice: Optional() lets it through unchecked,
    and it must not reach the checks and the service as a value (issue 12, item 18)."""
    return None if isinstance(value, str) and not value.strip() else value


class PhoneFollowUpForm(Form):
    reached = RadioField(
        _l("Fik du fat i forælderen?"), choices=YES_NO,
        validators=[InputRequired(_l("Svar, om du fik fat i forælderen."))],
    )
    started = RadioField(_l("Er indsatsen gået i gang?"), choices=_choices(STARTED, STARTED_LABELS),
                         validators=[Optional()], filters=[_blank_is_none])
    helps = RadioField(_l("Hjælper det? (1–5)"), choices=_one_to_five(_l("slet ikke"), _l("i høj grad")),
                       validators=[Optional()], filters=[_blank_is_none])
    notes = TextAreaField(_l("Noter (valgfrit)"), validators=[Length(max=NOTES_LIMIT), no_cpr])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.reached.data == "yes":
            for field, missing in ((self.started, _l("Svar, om indsatsen er gået i gang.")),
                                   (self.helps, _l("Svar, hvor meget det hjælper."))):
                if not field.data and not field.errors:
                    field.errors.append(str(missing))
                    valid = False
        elif self.reached.data == "no":
            valid = self._refuse_unasked(self.started) & self._refuse_unasked(self.helps) & valid
        return valid

    @staticmethod
    def _refuse_unasked(field) -> bool:
        """Refuse an answer to a question that needs a conversation when nobody was reached
        (issue 10, item 2). A chosen radio button cannot be un-chosen in the browser, so the
        choice is taken out of the form again and named in the message instead."""
        if not field.data or field.errors:
            return True
        chosen = next(c.label for c in field.choices if c.value == field.data)
        field.errors.append(str(_l(
            "Det kan kun forælderen svare på, og du fik ikke fat i forælderen. Vi har taget dit valg "
            "»%(answer)s« ud. Talte I sammen, så vælg Ja ovenfor og vælg svaret igen.", answer=chosen)))
        field.data = None
        return False

    @property
    def values(self) -> dict:
        return {
            "reached": self.reached.data == "yes",
            "started": self.started.data,
            "helps": self.helps.data,
            "notes": self.notes.data,
        }


def _count(label) -> IntegerField:
    # Required when the method was held (MethodForm.validate); blank otherwise.
    return IntegerField(label, validators=[
        Optional(), NumberRange(0, MAX_COUNT, _l("Skriv et tal fra 0 til %(max)s.", max=MAX_COUNT))])


def _list_choices(name: str, keep: str | None) -> list[SelectChoice]:
    """A blank first choice (nothing is chosen for the case worker), then the list's entries in
    use, and the stored value when correcting even if it has since been taken out of use."""
    return [SelectChoice("", _l("Vælg …"))] + [SelectChoice(code, text) for code, text in lists.choices(name, keep=keep)]


def _not_in_future(form, field) -> None:
    if field.data is not None and field.data > date.today():
        raise ValidationError(_l("Datoen kan ikke ligge i fremtiden."))


class MethodForm(Form):
    """A method registration (DESIGN.md G; issue 14 item 3): held, or offered and not used, or
    attempted and failed. Target group, case type and the failure's reason come from the
    organisation's lists; participants and plan coverage are asked only when the method was held."""

    status = RadioField(_l("Blev metoden brugt?"), choices=_choices(METHOD_STATUSES, METHOD_STATUS_LABELS),
                        validators=[InputRequired(_l("Svar, om metoden blev brugt."))])
    # Only without a meeting: the day the method was offered or attempted (the view removes it otherwise).
    occurred_on = DateField(_l("Dato"), validators=[InputRequired(DATE_MESSAGE), _not_in_future])
    method = RadioField(_l("Metode"), choices=_choices(METHODS, METHOD_LABELS),
                        validators=[InputRequired(_l("Vælg metoden."))])
    occasion = RadioField(_l("Var det den første familierådslagning eller det første netværksmøde i sagen, eller et "
                             "opfølgende?"), choices=_choices(OCCASIONS, OCCASION_LABELS),
                          validators=[InputRequired(_l("Svar, om det var det første eller et opfølgende."))])
    target_group = SelectField(_l("Målgruppe"), validators=[InputRequired(_l("Vælg målgruppen."))])
    case_type = SelectField(_l("Sagstype"), validators=[InputRequired(_l("Vælg sagstypen."))])
    failure_reason = SelectField(_l("Hvorfor blev metoden ikke til noget?"), validators=[Optional()],
                                 filters=[_blank_is_none])
    failure_note = TextAreaField(_l("Uddybning"), validators=[Length(max=FAILURE_NOTE_LIMIT), no_cpr])
    child_took_part = RadioField(_l("Deltog barnet eller den unge?"), choices=YES_NO,
                                 validators=[Optional()], filters=[_blank_is_none])
    parents_took_part = RadioField(_l("Deltog forældrene?"), choices=YES_NO,
                                   validators=[Optional()], filters=[_blank_is_none])
    network_count = _count(_l("Antal deltagere fra det private netværk"))
    professional_count = _count(_l("Antal fagpersoner"))
    plan_coverage = RadioField(
        _l("Hvor godt dækker planen formålet med indsatsen? (1–5)"),
        choices=_one_to_five(_l("slet ikke"), _l("helt")), validators=[Optional()], filters=[_blank_is_none],
    )
    outcome = RadioField(_l("Udfald"), choices=_choices(METHOD_OUTCOMES, METHOD_OUTCOME_LABELS),
                         validators=[InputRequired(_l("Vælg udfaldet."))])
    network_role = StringField(_l("Hvilken rolle tog netværket på sig?"),
                               validators=[Length(max=ROLE_LIMIT), no_cpr])

    def __init__(self, *args, stored=None, with_date: bool = False, **kwargs):
        """`stored`: the registration being corrected, whose list values stay choosable."""
        super().__init__(*args, **kwargs)
        self.target_group.choices = _list_choices("target_group", stored.target_group if stored else None)
        self.case_type.choices = _list_choices("case_type", stored.case_type if stored else None)
        self.failure_reason.choices = _list_choices("method_failure_reason", stored.failure_reason if stored else None)
        if not with_date:
            del self.occurred_on

    @property
    def held(self) -> bool:
        return self.status.data == "held"

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.held:
            required = ((self.child_took_part, _l("Svar, om barnet deltog.")),
                        (self.parents_took_part, _l("Svar, om forældrene deltog.")),
                        (self.network_count, _l("Skriv et tal, også hvis det er 0.")),
                        (self.professional_count, _l("Skriv et tal, også hvis det er 0.")),
                        (self.plan_coverage, _l("Vælg, hvor godt planen dækker formålet.")))
            for field, missing in required:
                if field.data is None and not field.errors:
                    field.errors.append(str(missing))
                    valid = False
        elif self.status.data in METHOD_STATUSES:
            valid = self._check_failure() & valid
        if self.outcome.data == "network_role" and not (self.network_role.data or "").strip() \
                and not self.network_role.errors:
            self.network_role.errors.append(str(_l("Skriv, hvilken rolle netværket tog på sig.")))
            valid = False
        return valid

    def _check_failure(self) -> bool:
        ok = True
        if not self.failure_reason.data and not self.failure_reason.errors:
            self.failure_reason.errors.append(str(_l("Vælg, hvorfor metoden ikke blev til noget.")))
            ok = False
        if self.failure_reason.data == "other" and not (self.failure_note.data or "").strip() \
                and not self.failure_note.errors:
            self.failure_note.errors.append(str(_l("Skriv, hvorfor metoden ikke blev til noget.")))
            ok = False
        if self.outcome.data and self.outcome.data not in OUTCOMES_WITHOUT_MEETING and not self.outcome.errors:
            self.outcome.errors.append(str(_l(
                "Når metoden ikke blev brugt, kan udfaldet kun være, at en indsats er sat i gang, eller at sagen "
                "fortsætter. Skal sagen lukkes, så luk den på sagens side.")))
            ok = False
        return ok

    @property
    def values(self) -> dict:
        """What the service stores: the questions the status does not ask are left out (None)."""
        held = self.held
        values = {
            "status": self.status.data,
            "method": self.method.data,
            "occasion": self.occasion.data,
            "target_group": self.target_group.data,
            "case_type": self.case_type.data,
            "failure_reason": None if held else self.failure_reason.data,
            "failure_note": None if held else self.failure_note.data,
            "child_took_part": (self.child_took_part.data == "yes") if held else None,
            "parents_took_part": (self.parents_took_part.data == "yes") if held else None,
            "network_count": self.network_count.data if held else None,
            "professional_count": self.professional_count.data if held else None,
            "plan_coverage": int(self.plan_coverage.data) if held else None,
            "outcome": self.outcome.data,
            "network_role": self.network_role.data if self.outcome.data == "network_role" else None,
        }
        if "occurred_on" in self:
            values["occurred_on"] = self.occurred_on.data
        return values

    def fill_from(self, registration) -> None:
        for key in ("status", "method", "occasion", "target_group", "case_type", "failure_reason", "failure_note",
                    "network_count", "professional_count", "outcome", "network_role"):
            self[key].data = getattr(registration, key)
        if "occurred_on" in self:
            self.occurred_on.data = registration.occurred_on
        if registration.held:
            self.child_took_part.data = "yes" if registration.child_took_part else "no"
            self.parents_took_part.data = "yes" if registration.parents_took_part else "no"
            self.plan_coverage.data = str(registration.plan_coverage)
