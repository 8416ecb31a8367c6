"""Staff forms: phone follow-up with a parent, method registration."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from app.cases.forms import no_cpr
from app.forms import Form
from app.labels import (
    CASE_TYPE_LABELS,
    METHOD_LABELS,
    METHOD_OUTCOME_LABELS,
    STARTED_LABELS,
    TARGET_GROUP_LABELS,
)
from app.registrations.models import (
    CASE_TYPES,
    MAX_COUNT,
    METHOD_OUTCOMES,
    METHODS,
    NOTES_LIMIT,
    STARTED,
    TARGET_GROUPS,
)

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
    return IntegerField(
        label,
        validators=[
            InputRequired(_l("Skriv et tal, også hvis det er 0.")),
            NumberRange(0, MAX_COUNT, _l("Skriv et tal fra 0 til %(max)s.", max=MAX_COUNT)),
        ],
    )


class MethodForm(Form):
    method = RadioField(_l("Metode"), choices=_choices(METHODS, METHOD_LABELS),
                        validators=[InputRequired(_l("Vælg metoden."))])
    target_group = SelectField(_l("Målgruppe"), choices=_choices(TARGET_GROUPS, TARGET_GROUP_LABELS),
                               validators=[InputRequired(_l("Vælg målgruppen."))])
    case_type = SelectField(_l("Sagstype"), choices=_choices(CASE_TYPES, CASE_TYPE_LABELS),
                            validators=[InputRequired(_l("Vælg sagstypen."))])
    child_took_part = RadioField(_l("Deltog barnet eller den unge?"), choices=YES_NO,
                                 validators=[InputRequired(_l("Svar, om barnet deltog."))])
    parents_took_part = RadioField(_l("Deltog forældrene?"), choices=YES_NO,
                                   validators=[InputRequired(_l("Svar, om forældrene deltog."))])
    network_count = _count(_l("Antal deltagere fra det private netværk"))
    professional_count = _count(_l("Antal fagpersoner"))
    plan_coverage = RadioField(
        _l("Hvor godt dækker planen formålet med mødet? (1–5)"),
        choices=_one_to_five(_l("slet ikke"), _l("helt")),
        validators=[InputRequired(_l("Vælg, hvor godt planen dækker formålet."))],
    )
    outcome = RadioField(_l("Udfald"), choices=_choices(METHOD_OUTCOMES, METHOD_OUTCOME_LABELS),
                         validators=[InputRequired(_l("Vælg udfaldet."))])

    @property
    def values(self) -> dict:
        return {
            "method": self.method.data,
            "target_group": self.target_group.data,
            "case_type": self.case_type.data,
            "child_took_part": self.child_took_part.data == "yes",
            "parents_took_part": self.parents_took_part.data == "yes",
            "network_count": self.network_count.data,
            "professional_count": self.professional_count.data,
            "plan_coverage": int(self.plan_coverage.data),
            "outcome": self.outcome.data,
        }

    def fill_from(self, registration) -> None:
        for key in ("method", "target_group", "case_type", "network_count", "professional_count", "outcome"):
            self[key].data = getattr(registration, key)
        self.child_took_part.data = "yes" if registration.child_took_part else "no"
        self.parents_took_part.data = "yes" if registration.parents_took_part else "no"
        self.plan_coverage.data = str(registration.plan_coverage)
