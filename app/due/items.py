"""What is due on a case: one DueItem per thing to do, gathered by small collectors.

Each collector reads one kind of obligation from one case (a decision waiting, a
measurement due by the case's rhythm, a provider status due before a meeting, a phone
follow-up per parent), from what its loader (app/due/loaders.py) read of every case at
once: the list costs the same number of queries for one case as for a hundred. The list
shows everything overdue, and what falls due within HORIZON days; an item with no date of
its own (a decision) is dated by when it started waiting, so the oldest comes first.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

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


# A loader reads what its collector needs of every case at once: (case ids, today) -> by case id.
Loader = Callable[[Sequence[int], date], Mapping[int, Any]]
# A collector yields one kind of item for one case from what the loader found for it (None: nothing).
Collector = Callable[[Case, Any, date], Iterable[DueItem]]
# (loader, collector, whether it also reads closed cases)
COLLECTORS: list[tuple[Loader, Collector, bool]] = []


def collector(load: Loader, closed_too: bool = False) -> Callable[[Collector], Collector]:
    """Register a function that yields the due items of one kind for one case, from what `load` read.

    A closed case is off the list (issue 12 item 14), but for what `closed_too` collectors find
    on it: what must still be done before its data may be purged.
    """

    def register(function: Collector) -> Collector:
        COLLECTORS.append((load, function, closed_too))
        return function

    return register


def due_items(cases: Sequence[Case], today: date, closed: Collection[int] = ()) -> list[DueItem]:
    """Return every item due by today + HORIZON on the cases, soonest (most overdue) first.
    `closed` names the closed cases among them."""
    until = today + HORIZON
    found = []
    for load, collect, closed_too in COLLECTORS:
        read = [case for case in cases if closed_too or case.id not in closed]
        loaded = load([case.id for case in read], today) if read else {}
        found += [item for case in read for item in collect(case, loaded.get(case.id), today)]
    return sorted(
        (item for item in found if item.due_on <= until),
        key=lambda item: (item.due_on, item.kind, item.case.id),
    )
