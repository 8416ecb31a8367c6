"""Where voices differ on one item: the extremes and who holds them, never an average.

The rule: "items where respondents differ by more than a threshold set in the instrument
file (default: 3 points on a 0–10 line, 2 steps on a 5-point scale)".
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeVar

from app.instruments.catalogue import DONT_KNOW, NUMERIC_TYPES, Item

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Divergence(Generic[K]):
    """An item on which the voices differ by more than the file's threshold."""

    spread: float  # highest minus lowest numeric answer, exact to the answers' digits
    threshold: float  # item.divergence
    high: tuple[K, ...]  # keys of the voices holding the highest answer, in input order
    low: tuple[K, ...]  # keys of the voices holding the lowest answer, in input order
    highest: float
    lowest: float


def number(value: Any) -> Decimal | None:
    """Return a stored answer as an exact Decimal; None for no answer, "ved ikke" or no number.

    VAS answers are stored as numbers (7.3), scale answers as text ("4"); Decimal(str(...))
    keeps the answer's own digits, so 4.4 - 1.4 is exactly 3.0 (floats: 3.0000000000000004).
    """
    if value is None or value == DONT_KNOW or isinstance(value, bool):
        return None
    if not isinstance(value, (int, float, str, Decimal)):
        return None
    try:
        exact = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return exact if exact.is_finite() else None


def divergence(item: Item, answers: Mapping[K, Any]) -> Divergence[K] | None:
    """Return how the voices differ on the item, or None when they do not diverge.

    The item diverges when the highest and lowest numeric answers differ by more than
    item.divergence (strictly). Only vas and scale items can diverge; no answer, "ved ikke"
    and anything not a number are left out; fewer than two numbers cannot diverge.
    """
    if item.type not in NUMERIC_TYPES or item.divergence is None:
        return None
    numbers = {key: exact for key, value in answers.items() if (exact := number(value)) is not None}
    if len(numbers) < 2:
        return None
    highest, lowest = max(numbers.values()), min(numbers.values())
    spread = highest - lowest
    if spread <= Decimal(str(item.divergence)):
        return None
    return Divergence(
        spread=float(spread),
        threshold=item.divergence,
        high=tuple(key for key, exact in numbers.items() if exact == highest),
        low=tuple(key for key, exact in numbers.items() if exact == lowest),
        highest=float(highest),
        lowest=float(lowest),
    )
