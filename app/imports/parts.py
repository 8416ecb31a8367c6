"""The case's background and its measures in an import: checked and applied through their own services.

The background (target group, case type, gender) is set with app.cases.background.set_background,
and measures are checked, added and corrected with app.measures.services (validate_measure,
add_measure, change_measure), so a row is held to the same rules as the case page's forms.
"""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from app.auth.models import User
from app.cases.background import current_background, records_gender, set_background
from app.cases.models import Case
from app.extensions import db
from app.imports.columns import BY_FIELD
from app.measures.models import Measure
from app.measures.services import (
    add_measure,
    change_measure,
    measures_for,
    validate_measure,
)
from app.settings import lists

BACKGROUND_FIELDS = ("target_group", "case_type", "gender")
MEASURE_FIELDS = ("kind", "provider", "started_on", "ended_on", "end_reason", "end_note")
BACKGROUND_HEADINGS = ("målgruppe", "sagstype", "køn")
# A problem the measures' service names by a field the file has no column for.
FIELD_COLUMN = {"rung": "indsats"}


@dataclass(frozen=True)
class PartProblem:
    column: str
    message: str


@dataclass
class MeasurePlan:
    """One measure row: add it, correct the case's measure of the same kind and start, or nothing."""

    row: int
    values: dict
    measure_id: int | None = None
    changes: list = field(default_factory=list)  # (column, old, new) for a correction

    @property
    def key(self) -> tuple:
        return self.values.get("kind"), self.values.get("started_on")


def heading(field_name: str) -> str:
    column = BY_FIELD.get(field_name)
    return column.heading if column else FIELD_COLUMN.get(field_name, field_name)


def _shown(field_name: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    list_name = {"target_group": "target_group", "case_type": "case_type", "provider": "provider",
                 "end_reason": "measure_end_reason"}.get(field_name)
    return lists.label(list_name, value) if list_name else str(value)


# --- background ----------------------------------------------------------------------------------

def current_backgrounds(case_ids: list[int]) -> dict:
    return current_background(case_ids) if case_ids else {}


def check_background(given: dict, current) -> tuple[list[PartProblem], list[tuple[str, str, str]]]:
    """Return the problems of the background the row gives, and its changes (column, old, new)."""
    problems = []
    if "gender" in given and not records_gender():
        problems.append(PartProblem(heading("gender"), _(
            "Organisationen registrerer ikke barnets køn. Tag kolonnen køn ud, eller slå det til under "
            "organisationens indstillinger.")))
    merged = {key: getattr(current, key, None) for key in BACKGROUND_FIELDS} | given
    for key in ("target_group", "case_type"):
        if not merged.get(key):
            problems.append(PartProblem(heading(key), _("Skriv både målgruppe og sagstype, når sagen ikke har dem.")))
    changes = [(heading(key), _shown(key, getattr(current, key, None)), _shown(key, given[key]))
               for key in BACKGROUND_FIELDS if key in given and given[key] != getattr(current, key, None)]
    return problems, changes


def apply_background(case: Case, user: User, given: dict) -> None:
    current = current_background([case.id]).get(case.id)
    merged = {key: getattr(current, key, None) for key in BACKGROUND_FIELDS} | given
    set_background(case, user, merged)


# --- measures ------------------------------------------------------------------------------------

def existing_measures(case_ids: list[int]) -> dict[int, list]:
    """The measures of the cases as they stand, by case id, in one query."""
    found: dict[int, list] = {}
    for fact in measures_for(case_ids) if case_ids else []:
        found.setdefault(fact.case_id, []).append(fact)
    return found


def check_measure(case: Case | None, plan: MeasurePlan, facts: list) -> list[PartProblem]:
    """Match the row to the case's measure of the same kind and start; return what is wrong with it."""
    same = next((fact for fact in facts if (fact.kind, fact.started_on) == plan.key), None)
    data = {key: plan.values.get(key) for key in MEASURE_FIELDS}
    if same is None:
        problems = validate_measure(case if case is not None else Case(), data)
    else:
        plan.measure_id = same.measure_id
        measure = db.session.get(Measure, same.measure_id)
        current = {key: getattr(measure.current, key) for key in MEASURE_FIELDS}
        given = {key: value for key, value in data.items() if key in plan.values}
        plan.changes = [(heading(key), _shown(key, current[key]), _shown(key, given[key]))
                        for key in MEASURE_FIELDS if key in given and given[key] != current[key]]
        problems = validate_measure(case, current | given, measure=measure) if plan.changes else {}
    return [PartProblem(heading(key), message) for key, message in problems.items()]


def overlapping_rows(measures: list[MeasurePlan]) -> list[tuple[MeasurePlan, MeasurePlan]]:
    """Pairs of the file's measures of one case that are of the same kind and run at the same time.

    The measures' service sees the measures stored already, not the file's other rows; the rule is
    its own: one may start the day the other ends.
    """
    pairs = []
    for index, later in enumerate(measures):
        for earlier in measures[:index]:
            if earlier.values.get("kind") != later.values.get("kind"):
                continue
            start, end = later.values.get("started_on"), later.values.get("ended_on")
            other_start, other_end = earlier.values.get("started_on"), earlier.values.get("ended_on")
            if None in (start, other_start):
                continue
            if (other_end is None or start < other_end) and (end is None or other_start < end):
                pairs.append((earlier, later))
    return pairs


def apply_measure(case: Case, user: User, plan: MeasurePlan) -> None:
    """Add or correct the measure; a MeasureError (two rows of the file overlapping) is raised as it is."""
    data = {key: plan.values.get(key) for key in MEASURE_FIELDS}
    if plan.measure_id is None:
        add_measure(case, user, data)
    elif plan.changes:
        change_measure(db.session.get(Measure, plan.measure_id), user,
                       {key: value for key, value in data.items() if key in plan.values})

