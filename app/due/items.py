"""What is due on a case: one DueItem per thing to do, gathered by small collectors.

Each collector reads one kind of obligation from one case (a decision waiting, a
measurement due by the case's rhythm, a provider status due before a meeting, a phone
follow-up per parent). The list shows everything overdue, and what falls due within
HORIZON days; an item with no date of its own (a decision) is dated by when it started
waiting, so the oldest comes first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from app.cases.models import Case

# How far ahead the list looks; anything overdue is always shown.
HORIZON = timedelta(days=30)


@dataclass(frozen=True)
class DueItem:
    """One thing to do on a case."""

    kind: str  # a key of DUE_KIND_LABELS
    case: Case
    due_on: date
    # What it is about, in words: "Mette (mor) efter opstartsmødet 3. nov."
    what: str
    endpoint: str
    params: tuple[tuple[str, int], ...]

    def overdue(self, today: date) -> bool:
        return self.due_on < today


Collector = Callable[[Case, date], Iterable[DueItem]]
COLLECTORS: list[Collector] = []


def collector(function: Collector) -> Collector:
    """Register a function that yields the due items of one kind for one case."""
    COLLECTORS.append(function)
    return function


def due_items(cases: Sequence[Case], today: date) -> list[DueItem]:
    """Return every item due by today + HORIZON on the cases, soonest (most overdue) first."""
    until = today + HORIZON
    found = [item for case in cases for collect in COLLECTORS for item in collect(case, today)]
    return sorted(
        (item for item in found if item.due_on <= until),
        key=lambda item: (item.due_on, item.kind, item.case.id),
    )
