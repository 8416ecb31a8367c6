"""Scores from answers: pure functions, no database, no request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.instruments.catalogue import DONT_KNOW, NUMERIC_TYPES, Instrument


@dataclass(frozen=True)
class Score:
    """What one respondent's answers to one instrument add up to."""

    total: float | None
    mean: float | None
    answered: int
    dont_know: int
    complete: bool


def _answered(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _rounded(value: Decimal, places: str) -> float:
    # Decimal arithmetic on the answers' own digits: 9.9 * 4 is 39.6, not 39.599999…
    return float(value.quantize(Decimal(places), rounding=ROUND_HALF_UP))


def score(instrument: Instrument, answers: Mapping[str, Any]) -> Score:
    """Score one response: a sum (FIT), a mean (participation) or nothing (dialogue forms)."""
    given = {item.key: answers.get(item.key) for item in instrument.items if _answered(answers.get(item.key))}
    complete = all(item.key in given for item in instrument.items if item.required)
    dont_know = sum(1 for value in given.values() if value == DONT_KNOW)
    total = mean = None
    method = instrument.scoring.method if instrument.scoring and instrument.scored else None
    numeric = [item.key for item in instrument.items if item.type in NUMERIC_TYPES]
    # "Ved ikke" is neither a number nor missing: it is left out of the numbers, counted apart.
    numbers = [Decimal(str(given[key])) for key in numeric if key in given and given[key] != DONT_KNOW]
    if method == "sum" and len(numbers) == len(numeric):
        total = _rounded(sum(numbers, Decimal(0)), "0.1")
    elif method == "mean" and numbers:
        mean = _rounded(sum(numbers, Decimal(0)) / len(numbers), "0.01")
    return Score(total=total, mean=mean, answered=len(given), dont_know=dont_know, complete=complete)


def cutoff_for(instrument: Instrument, child_age: int | None) -> float | None:
    """Return the clinical cut-off for a child of this age, or None when the file sets none."""
    if instrument.scoring is None:
        return None
    for cutoff in instrument.scoring.cutoffs:
        if cutoff.matches(child_age):
            return cutoff.value
    return None
