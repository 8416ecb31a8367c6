"""The observation form a network member fills in, and the staff form that makes a link."""

from collections import Counter

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from app.cases.forms import no_cpr
from app.cases.models import Case, Goal
from app.forms import Form, RespondentForm
from app.labels import DOMAIN_LABELS, ROLE_LABELS
from app.observations.models import OBSERVATION_TEXT_LIMIT
from app.observations.services import may_hold_link

NO_GOAL = ""


def _required_text(form, field) -> None:
    if not (field.data or "").strip():
        raise ValidationError(_l("Skriv, hvad du så."))


class ObservationForm(RespondentForm, Form):
    """What a network member reports; a public form (a submission id, no cookie needed) with the
    staff forms' cleaning of text (no NUL) and messages in their language."""

    kind = RadioField(
        _l("Hvordan var det, du så?"),
        choices=[
            SelectChoice("positive", _l("Godt")),
            SelectChoice("negative", _l("Ikke godt")),
            SelectChoice("mixed", _l("Både godt og skidt")),
        ],
        validators=[InputRequired(_l("Vælg, om det var godt, ikke godt eller både og."))],
    )
    text = TextAreaField(
        _l("Hvad så du?"),
        validators=[
            _required_text,
            Length(max=OBSERVATION_TEXT_LIMIT, message=_l("Teksten er for lang. Skriv højst %(max)d tegn.")),
            no_cpr,
        ],
    )
    goal = RadioField(_l("Handler det om et af målene? (valgfrit)"), validate_choice=True, default=NO_GOAL)


def goal_choices(goals: list[Goal]) -> list[SelectChoice]:
    """Name each goal by its life domain only, numbered when two share one.

    The link never expires and anyone may hold the phone: the plan's wording stays off the
    page (issue 10, item 14); the observation still records the goal and its wording's version.
    """
    shared = Counter(goal.current.domain for goal in goals)
    seen: Counter[str] = Counter()
    choices = []
    for goal in goals:
        domain = goal.current.domain
        label = DOMAIN_LABELS[domain]
        if shared[domain] > 1:
            seen[domain] += 1
            label = _("%(domain)s (%(number)d)", domain=label, number=seen[domain])
        choices.append(SelectChoice(str(goal.id), label))
    return choices


def observation_form(case: Case) -> ObservationForm:
    """Build the form with the case's open goals, by life domain, to choose from."""
    form = ObservationForm()
    form.goal.choices = [SelectChoice(NO_GOAL, _l("Ikke et bestemt mål")), *goal_choices(case.open_goals)]
    if form.goal.data is None:
        form.goal.data = NO_GOAL
    return form


class LinkForm(Form):
    person = RadioField(
        _l("Hvem skal have linket?"), coerce=int, validators=[InputRequired(_l("Vælg, hvem der skal have linket."))]
    )


def link_form(case: Case) -> LinkForm:
    form = LinkForm()
    form.person.choices = [
        SelectChoice(p.id, f"{p.first_name} ({ROLE_LABELS[p.role]}{', ' + p.relation if p.relation else ''})")
        for p in case.people
        if may_hold_link(p)
    ]
    return form
