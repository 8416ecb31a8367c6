"""The attainment form: one choice per goal the meeting follows up, built for the meeting's goals."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, Optional

from app.attainment.models import ATTAINMENT_STEPS
from app.cases.models import Goal
from app.forms import Form
from app.labels import CASEWORKER_ATTAINMENT_LABELS

PREFIX = "goal_"


def _blank_is_none(value):
    return None if isinstance(value, str) and not value.strip() else value


class AttainmentForm(Form):
    """Filled in with a field per goal by attainment_form()."""

    @property
    def values(self) -> dict[int, str]:
        """The chosen step per goal id; a goal left without a choice keeps what it has."""
        return {int(field.name.removeprefix(PREFIX)): field.data for field in self
                if field.name.startswith(PREFIX) and field.data}


def field_name(goal: Goal) -> str:
    return f"{PREFIX}{goal.id}"


def attainment_form(goals: list[Goal], current: dict[int, str]) -> AttainmentForm:
    """Build the form for these goals; a goal's recording in force is chosen until the case worker changes it."""
    class _Form(AttainmentForm):
        pass

    for goal in goals:
        setattr(_Form, field_name(goal), RadioField(
            goal.current.text,
            choices=[SelectChoice(code, CASEWORKER_ATTAINMENT_LABELS[code]) for code in ATTAINMENT_STEPS],
            validators=[Optional(), AnyOf(ATTAINMENT_STEPS, message=_l("Vælg en af vurderingerne på listen."))],
            filters=[_blank_is_none], validate_choice=False, default=current.get(goal.id)))
    return _Form()
