"""The periods figures are released for: quarters, half-years and months, named "2026-Q3",
"2026-H2" and "2026-10".

FIGURES.md rule 5: figures cover closed periods only, so a figure never changes from one day to
the next. A period is closed once its last day has passed where the organisation is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

KINDS = ("quarter", "half", "month")
_CODE = re.compile(r"(?P<year>20\d\d)-(?:Q(?P<quarter>[1-4])|H(?P<half>[12])|(?P<month>0[1-9]|1[0-2]))")
# The longest text a period's name may be; anything longer is refused before it is read.
MAX_LENGTH = 7


class NotAPeriod(ValueError):
    """The text names no period Samstem knows."""


@dataclass(frozen=True, order=True)
class Period:
    """A span of whole days: `start` is its first day, `end` the day after its last."""

    start: date
    end: date
    kind: str
    code: str

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    def closed(self, today: date) -> bool:
        """Whether the period's last day has passed."""
        return today >= self.end


def _month_end(year: int, month: int) -> date:
    return date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)


def quarter(year: int, number: int) -> Period:
    return Period(date(year, 3 * number - 2, 1), _month_end(year, 3 * number), "quarter", f"{year}-Q{number}")


def half(year: int, number: int) -> Period:
    return Period(date(year, 6 * number - 5, 1), _month_end(year, 6 * number), "half", f"{year}-H{number}")


def month(year: int, number: int) -> Period:
    return Period(date(year, number, 1), _month_end(year, number), "month", f"{year}-{number:02d}")


def parse(text: str | None) -> Period:
    """Return the period a name like "2026-Q3", "2026-H2" or "2026-10" names; NotAPeriod otherwise."""
    text = (text or "").strip()
    found = _CODE.fullmatch(text) if len(text) <= MAX_LENGTH else None
    if found is None:
        raise NotAPeriod(text)
    year = int(found["year"])
    if found["quarter"]:
        return quarter(year, int(found["quarter"]))
    if found["half"]:
        return half(year, int(found["half"]))
    return month(year, int(found["month"]))


def closed_since(first: date, today: date, kinds: tuple[str, ...] = KINDS) -> list[Period]:
    """Every closed period of these kinds from the one holding `first` up to today, oldest first."""
    found: list[Period] = []
    for year in range(first.year, today.year + 1):
        candidates = ([quarter(year, n) for n in range(1, 5)] if "quarter" in kinds else []) + \
                     ([half(year, n) for n in (1, 2)] if "half" in kinds else []) + \
                     ([month(year, n) for n in range(1, 13)] if "month" in kinds else [])
        found += [p for p in candidates if p.end > first and p.closed(today)]
    return sorted(found, key=lambda p: (p.start, p.end))
