"""When indicator rounds and phone follow-ups are due: pure date arithmetic, standard library only.

DESIGN.md F: the rhythm is "default: intake, then after 3 months, then every 6 months";
issue 4: "or every 4 months". DESIGN.md H: "phone follow-ups due within 14 days of a
start-up, follow-up or notification meeting".
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from itertools import takewhile

DEFAULT_RHYTHM_MONTHS = 6
DEFAULT_FIRST_AFTER_MONTHS = 3
PHONE_FOLLOW_UP_DAYS = 14
# Meeting.kind values (GLOSSARY): opstartsmøde, opfølgningsmøde, underretningsmøde.
PHONE_FOLLOW_UP_KINDS = frozenset({"startup", "follow_up", "notification"})


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, clamped to the month's last day.

    31 January + 1 month is 29 February in a leap year and 28 February otherwise.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _months(value: int, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a whole number of months, at least 1, not {value!r}")
    return value


def _schedule(intake: date, rhythm_months: int, first_after_months: int) -> Iterator[date]:
    """Intake, intake + first, intake + first + rhythm, … without end.

    Every date is counted from the intake, never from the date before it, so clamping at a
    short month does not drift: 31 Jan → 30 Apr → 31 Oct, not 30 Oct.
    """
    rhythm = _months(rhythm_months, "rhythm_months")
    first = _months(first_after_months, "first_after_months")
    yield intake
    offset = first
    while True:
        yield add_months(intake, offset)
        offset += rhythm


def measurement_dates(
    intake: date,
    rhythm_months: int = DEFAULT_RHYTHM_MONTHS,
    first_after_months: int = DEFAULT_FIRST_AFTER_MONTHS,
    *,
    until: date,
) -> list[date]:
    """Every scheduled measurement from the intake up to and including `until`.

    DESIGN.md F: "intake, then after 3 months, then every 6 months" (issue 4: or every 4).
    Intake 10 January 2024: 10 Apr 2024, then 10 Oct 2024, 10 Apr 2025 … (rhythm 4: 10 Aug
    2024, 10 Dec 2024 …). `until` before the intake gives [] (no date lies on or before it);
    `until` on the intake gives [intake]. Months below 1 raise ValueError.
    """
    return list(takewhile(lambda scheduled: scheduled <= until, _schedule(intake, rhythm_months, first_after_months)))


def next_due(
    intake: date,
    done: Sequence[date],
    today: date,
    rhythm_months: int = DEFAULT_RHYTHM_MONTHS,
    first_after_months: int = DEFAULT_FIRST_AFTER_MONTHS,
) -> date | None:
    """The scheduled date a measurement is due for now, or None when none is due yet.

    The window of a scheduled date opens half the gap to the scheduled date before it
    earlier (whole days, rounded down; for the intake: half the gap to the first
    follow-up) and closes the day
    before the next scheduled date. A measurement covers the date whose window it lies in;
    each measurement covers one date at most and each date needs one measurement, matched
    oldest first (a date takes the earliest measurement still free in its window, so a late
    measurement covers the round it was late for, and a second one in the same window can
    be an early measurement for the next round).

    Returned: the first scheduled date not covered whose window is open today (opened on or
    before today, not yet closed). It is overdue when before today, due on today, and
    upcoming when after it (measuring from today on covers it). A date whose window closed
    without a measurement is missed: it is skipped, because no measurement can cover it any
    more, so the due list shows the round that can still be done. None when every date
    whose window has opened is covered (the next window opens later). Measurements dated
    after today are counted like any other: the caller decides what to pass.
    """
    for current, opens, closes, covered_by in coverage(intake, done, rhythm_months, first_after_months):
        if opens > today:
            return None
        if covered_by is None and today < closes:
            return current
    return None  # pragma: no cover (the schedule has no end)


def coverage(
    intake: date,
    done: Sequence[date],
    rhythm_months: int = DEFAULT_RHYTHM_MONTHS,
    first_after_months: int = DEFAULT_FIRST_AFTER_MONTHS,
) -> Iterator[tuple[date, date, date, date | None]]:
    """Every scheduled date with its window and the measurement covering it, without end:
    (scheduled, window opens, window closes (the next scheduled date), measurement or None).

    The matching next_due describes: a date takes the earliest measurement still free in its
    window. The figures (FIGURES.md I4) count from it which dates were measured on time (on or
    before the date), late (after it, within the window) or not at all.
    """
    measured = sorted(done)
    free = 0  # measured[:free] are used or too early for every later window
    schedule = _schedule(intake, rhythm_months, first_after_months)
    previous: date | None = None
    current = next(schedule)
    following = next(schedule)
    while True:
        gap = (current - previous) if previous is not None else (following - current)
        opens = current - timedelta(days=gap.days // 2)
        while free < len(measured) and measured[free] < opens:
            free += 1  # windows only move later: a measurement before this one is never used
        if free < len(measured) and measured[free] < following:
            yield current, opens, following, measured[free]  # covered
            free += 1
        else:
            yield current, opens, following, None
        previous, current, following = current, following, next(schedule)


def due_or_next(intake: date, done: Sequence[date], today: date,
                rhythm_months: int = DEFAULT_RHYTHM_MONTHS) -> date | None:
    """The measurement due now (next_due), else the next scheduled date after today.

    Looks no further than one rhythm and the first follow-up beyond today (or the intake),
    so there is always a next date unless the rhythm is broken.
    """
    due = next_due(intake, done, today, rhythm_months)
    if due is not None:
        return due
    horizon = add_months(max(today, intake), rhythm_months + DEFAULT_FIRST_AFTER_MONTHS)
    later = [d for d in measurement_dates(intake, rhythm_months, until=horizon) if d > today]
    return later[0] if later else None


def phone_follow_up_due(meeting_on: date) -> date:
    """The phone follow-up is due 14 days after the meeting (DESIGN.md H)."""
    return meeting_on + timedelta(days=PHONE_FOLLOW_UP_DAYS)


def needs_phone_follow_up(kind: str) -> bool:
    """True for a start-up, follow-up or notification meeting (DESIGN.md H); False for other kinds."""
    return kind in PHONE_FOLLOW_UP_KINDS
