"""One scorer's scoring of a form, read from posted fields and checked: pure functions.

Field names: "<factor>-status" (a step of the scale or "dont_know"), "<factor>-goal" (a step,
optional; factor forms only), "<factor>-text" (optional prose), and "function_level" (ICF
forms: A–E or "dont_know"). INSTRUMENTS.md §4: "Every factor must be scored each round (or
marked 'ved ikke')"; a goal worse than the status is refused (classification.goal_kind).

The answers stored (in a Response, or a StaffScoring) look like
{"scores": {factor: {"status": 3 | "dont_know", "goal": 2 | None, "text": "…"}},
 "function_level": "B" | "dont_know"}   # the last only for ICF forms
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from app.cases.forms import CPR_PATTERN
from app.indicators.catalogue import Factor, IndicatorForm
from app.indicators.classification import (
    DONT_KNOW,
    FUNCTION_LEVELS,
    GoalWorseThanStatus,
    goal_kind,
)

TEXT_LIMIT = 1000
LEVEL_FIELD = "function_level"

# Problem codes; the views word them.
MISSING = "missing"
MALFORMED = "malformed"
GOAL_WORSE = "goal_worse"
TOO_LONG = "too_long"
CPR = "cpr"
RATIONALE_NEEDED = "rationale_needed"


@dataclass
class Scoring:
    """The outcome of reading a posted scoring: answers if valid, else problems per field."""

    answers: dict
    # Field name -> (problem code, factor or None).
    problems: dict[str, tuple[str, Factor | None]] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.problems


def _step(raw: str, scale: Sequence[int]) -> int | None:
    """The step a posted value names, or None if it names none."""
    raw = raw.strip()
    if not raw.isdigit() or len(raw) > 2:
        return None
    value = int(raw)
    return value if value in scale else None


def read_scoring(
    form: IndicatorForm, factors: Sequence[Factor], data: Mapping[str, str], text_limit: int = TEXT_LIMIT
) -> Scoring:
    """Check every factor's status, goal and prose; return the answers and every problem found."""
    scores: dict[str, dict] = {}
    problems: dict[str, tuple[str, Factor | None]] = {}
    for factor in factors:
        name = factor.key
        raw_status = (data.get(f"{name}-status") or "").strip()
        raw_goal = (data.get(f"{name}-goal") or "").strip()
        text = (data.get(f"{name}-text") or "").replace("\x00", "").strip()
        status: int | str | None
        if not raw_status:
            status = None
            problems[f"{name}-status"] = (MISSING, factor)
        elif raw_status == DONT_KNOW:
            status = DONT_KNOW
        else:
            status = _step(raw_status, form.scale)
            if status is None:
                problems[f"{name}-status"] = (MALFORMED, factor)
        goal: int | None = None
        if form.has_goals and raw_goal and raw_goal != DONT_KNOW:
            goal = _step(raw_goal, form.scale)
            if goal is None:
                problems[f"{name}-goal"] = (MALFORMED, factor)
            elif isinstance(status, int):
                try:
                    goal_kind(status, goal)
                except GoalWorseThanStatus:
                    problems[f"{name}-goal"] = (GOAL_WORSE, factor)
        if len(text) > text_limit:
            problems[f"{name}-text"] = (TOO_LONG, factor)
        elif CPR_PATTERN.search(text):
            problems[f"{name}-text"] = (CPR, factor)
        scores[name] = {"status": status, "goal": goal, "text": text}
    answers: dict = {"scores": scores}
    if form.is_icf:
        level = (data.get(LEVEL_FIELD) or "").strip()
        if not level:
            problems[LEVEL_FIELD] = (MISSING, None)
        elif level != DONT_KNOW and level not in FUNCTION_LEVELS:
            problems[LEVEL_FIELD] = (MALFORMED, None)
        answers[LEVEL_FIELD] = level or None
    return Scoring(answers, problems)


def typed_values(form: IndicatorForm, factors: Sequence[Factor], data: Mapping[str, str]) -> dict[str, str]:
    """What the scorer typed, by field name, to put back on the page after a problem."""
    names = [f"{f.key}-{part}" for f in factors for part in ("status", "goal", "text")] + [LEVEL_FIELD]
    return {name: (data.get(name) or "") for name in names if data.get(name)}


def values_from_answers(answers: Mapping) -> dict[str, str]:
    """Stored answers as field values, to show a scoring again."""
    values: dict[str, str] = {}
    for key, score in (answers.get("scores") or {}).items():
        for part in ("status", "goal", "text"):
            if score.get(part) not in (None, ""):
                values[f"{key}-{part}"] = str(score[part])
    if answers.get(LEVEL_FIELD):
        values[LEVEL_FIELD] = str(answers[LEVEL_FIELD])
    return values


FINAL_TEXT_LIMIT = 4000


def read_finals(
    form: IndicatorForm, factors: Sequence[Factor], data: Mapping[str, str], spread: Collection[str] = ()
) -> Scoring:
    """Read the case worker's final status, goal, rationale and family note per factor.

    Field names: "final-<factor>-status" (a step, "dont_know" or empty = not set yet),
    "final-<factor>-goal", "final-<factor>-rationale", "final-<factor>-note", and for ICF
    forms "final-function_level-level". Returns answers {factor: entry} for
    services.save_final_scores, or problems per field (never a partial save).

    `spread` holds the keys of the factors whose scorers differ by 2 or more steps
    (matrix.is_spread). Issue 4: the case worker "sets the final status and goal per factor
    with a rationale": where the scorers disagree that much, a final status (a step or "Ved
    ikke") needs a rationale; elsewhere the rationale stays optional.
    """
    entries: dict[str, dict] = {}
    problems: dict[str, tuple[str, Factor | None]] = {}
    for factor in factors:
        prefix = f"final-{factor.key}"
        raw_status = (data.get(f"{prefix}-status") or "").strip()
        raw_goal = (data.get(f"{prefix}-goal") or "").strip()
        status: int | None = None
        dont_know = raw_status == DONT_KNOW
        if raw_status and not dont_know:
            status = _step(raw_status, form.scale)
            if status is None:
                problems[f"{prefix}-status"] = (MALFORMED, factor)
        goal: int | None = None
        if form.has_goals and raw_goal:
            goal = _step(raw_goal, form.scale)
            if goal is None:
                problems[f"{prefix}-goal"] = (MALFORMED, factor)
            elif status is None and not dont_know:
                problems[f"{prefix}-goal"] = (MISSING, factor)
            elif status is not None:
                try:
                    goal_kind(status, goal)
                except GoalWorseThanStatus:
                    problems[f"{prefix}-goal"] = (GOAL_WORSE, factor)
        texts = {}
        for part in ("rationale", "note"):
            text = (data.get(f"{prefix}-{part}") or "").replace("\x00", "").strip()
            if len(text) > FINAL_TEXT_LIMIT:
                problems[f"{prefix}-{part}"] = (TOO_LONG, factor)
            elif CPR_PATTERN.search(text):
                problems[f"{prefix}-{part}"] = (CPR, factor)
            texts[part] = text
        if factor.key in spread and (status is not None or dont_know) and not texts["rationale"]:
            problems[f"{prefix}-rationale"] = (RATIONALE_NEEDED, factor)
        entries[factor.key] = {"status": status, "dont_know": dont_know, "goal": goal, "level": None,
                               "rationale": texts["rationale"], "family_note": texts["note"]}
    if form.is_icf:
        name = f"final-{LEVEL_FIELD}-level"
        level = (data.get(name) or "").strip()
        if level and level not in FUNCTION_LEVELS and level != DONT_KNOW:
            problems[name] = (MALFORMED, None)
        elif level:
            entries[LEVEL_FIELD] = {"status": None, "dont_know": level == DONT_KNOW,
                                    "level": level if level != DONT_KNOW else None, "goal": None,
                                    "rationale": "", "family_note": ""}
    return Scoring(entries, problems)


def values_from_finals(finals: Mapping) -> dict[str, str]:
    """The final scores in force as field values for the matrix form."""
    values: dict[str, str] = {}
    for key, row in finals.items():
        if row.unscored:
            continue
        prefix = f"final-{key}"
        if row.dont_know:
            values[f"{prefix}-status" if key != LEVEL_FIELD else f"{prefix}-level"] = DONT_KNOW
        if row.status is not None:
            values[f"{prefix}-status"] = str(row.status)
        if row.level:
            values[f"{prefix}-level"] = row.level
        if row.goal is not None:
            values[f"{prefix}-goal"] = str(row.goal)
        if row.rationale:
            values[f"{prefix}-rationale"] = row.rationale
        if row.family_note:
            values[f"{prefix}-note"] = row.family_note
    return values
