"""One scorer's scoring of a form, and the case worker's final scores, read through the form
engine (app.indicators.items) and checked: pure functions.

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

from app.indicators import items
from app.indicators.catalogue import Factor, IndicatorForm
from app.indicators.classification import DONT_KNOW
from app.indicators.items import FINAL_TEXT_LIMIT, LEVEL_FIELD, TEXT_LIMIT  # noqa: F401  (their home before)
from app.instruments import blocks

# Problem codes (the engine's); items.problem_message words them.
MISSING = blocks.MISSING
MALFORMED = blocks.MALFORMED
GOAL_WORSE = blocks.GOAL_WORSE
TOO_LONG = blocks.TOO_LONG
CPR = blocks.FORBIDDEN
RATIONALE_NEEDED = blocks.NEEDED


@dataclass
class Scoring:
    """The outcome of reading a posted scoring: answers if valid, else problems per field."""

    answers: dict
    # Field name -> (problem code, factor or None).
    problems: dict[str, tuple[str, Factor | None]] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.problems


def _problems(form) -> dict[str, tuple[str, Factor | None]]:
    return {name: (problem.code, problem.subject) for name, problem in blocks.problems(form).items()}


def read_scoring(
    form: IndicatorForm, factors: Sequence[Factor], data: Mapping[str, str], text_limit: int = TEXT_LIMIT
) -> Scoring:
    """Check every factor's status, goal and prose; return the answers and every problem found."""
    filled = blocks.read(items.scoring_form_class(form, factors, "da", text_limit=text_limit), data)
    return Scoring(items.scoring_answers(filled), _problems(filled))


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


def read_finals(
    form: IndicatorForm, factors: Sequence[Factor], data: Mapping[str, str], spread: Collection[str] = ()
) -> Scoring:
    """Read the case worker's final status, goal, rationale and family note per factor.

    Returns answers {factor: entry} for services.save_final_scores, or problems per field
    (never a partial save). `spread` holds the keys of the factors whose scorers differ by 2
    or more steps (matrix.is_spread): there a final status needs a rationale.
    """
    filled = blocks.read(items.finals_form_class(form, factors, "da", spread), data)
    return Scoring(items.final_entries(filled), _problems(filled))


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
