"""Indicator rhythm and phone follow-ups: pure date arithmetic, one table per rule of DESIGN.md F and H."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.indicators.schedule import (
    PHONE_FOLLOW_UP_KINDS,
    add_months,
    due_or_next,
    measurement_dates,
    needs_phone_follow_up,
    next_due,
    phone_follow_up_due,
)
from app.instruments import catalogue


def d(text: str) -> date:
    return date.fromisoformat(text)


def ds(*texts: str) -> list[date]:
    return [d(text) for text in texts]


# Month arithmetic: the same day of the month, clamped to the month's last day
# ("31 January + 1 month = 29 February in a leap year / 28 otherwise").
ADD_MONTHS_CASES = [
    pytest.param("2024-01-31", 1, "2024-02-29", id="31-jan-plus-1-leap-year"),
    pytest.param("2023-01-31", 1, "2023-02-28", id="31-jan-plus-1-common-year"),
    pytest.param("2000-01-31", 1, "2000-02-29", id="2000-divisible-by-400-is-leap"),
    pytest.param("2100-01-31", 1, "2100-02-28", id="2100-century-is-not-leap"),
    pytest.param("2024-02-29", 12, "2025-02-28", id="leap-day-plus-a-year"),
    pytest.param("2024-02-29", 48, "2028-02-29", id="leap-day-plus-four-years"),
    pytest.param("2024-05-31", 1, "2024-06-30", id="31-may-plus-1"),
    pytest.param("2024-03-31", -1, "2024-02-29", id="backwards-clamps-too"),
    pytest.param("2024-12-15", 1, "2025-01-15", id="over-new-year"),
    pytest.param("2024-11-30", 3, "2025-02-28", id="over-new-year-into-february"),
    pytest.param("2024-01-10", 0, "2024-01-10", id="zero-months"),
]


@pytest.mark.parametrize(("day", "months", "expected"), ADD_MONTHS_CASES)
def test_add_months(day: str, months: int, expected: str) -> None:
    assert add_months(d(day), months) == d(expected)


# DESIGN.md F: "default: intake, then after 3 months, then every 6 months"; issue 4: "or
# every 4 months" and "intake 10 January 2024 gives 10 April 2024 and then every 6 months";
# up to and including `until`.
SCHEDULE_CASES = [
    pytest.param(
        "2024-01-10",
        {},
        "2026-04-10",
        ds("2024-01-10", "2024-04-10", "2024-10-10", "2025-04-10", "2025-10-10", "2026-04-10"),
        id="issue-example-6-months-until-inclusive",
    ),
    pytest.param(
        "2024-01-10",
        {},
        "2026-04-09",
        ds("2024-01-10", "2024-04-10", "2024-10-10", "2025-04-10", "2025-10-10"),
        id="issue-example-6-months-until-the-day-before",
    ),
    pytest.param(
        "2024-01-10",
        {"rhythm_months": 4},
        "2025-04-10",
        ds("2024-01-10", "2024-04-10", "2024-08-10", "2024-12-10", "2025-04-10"),
        id="issue-example-4-months-first-still-after-3",
    ),
    pytest.param(
        "2024-01-10",
        {"rhythm_months": 4, "first_after_months": 4},
        "2025-01-10",
        ds("2024-01-10", "2024-05-10", "2024-09-10", "2025-01-10"),
        id="4-months-from-the-start",
    ),
    pytest.param("2024-01-10", {}, "2024-01-10", ds("2024-01-10"), id="until-on-intake-is-intake-alone"),
    pytest.param("2024-01-10", {}, "2024-04-09", ds("2024-01-10"), id="until-before-the-first-follow-up"),
    pytest.param("2024-01-10", {}, "2024-01-09", [], id="until-before-intake-is-empty"),
    pytest.param("2024-01-10", {}, "2020-01-01", [], id="until-long-before-intake-is-empty"),
]


@pytest.mark.parametrize(("intake", "rhythm", "until", "expected"), SCHEDULE_CASES)
def test_measurement_dates(intake: str, rhythm: dict[str, int], until: str, expected: list[date]) -> None:
    assert measurement_dates(d(intake), **rhythm, until=d(until)) == expected


def test_measurement_dates_positional_rhythm() -> None:
    # The brief's order: (intake, rhythm_months, first_after_months, until=…).
    expected = ds("2024-01-10", "2024-03-10", "2024-07-10")
    assert measurement_dates(d("2024-01-10"), 4, 2, until=d("2024-07-10")) == expected


# Month ends clamp and do not drift: every date is counted from the intake, not from the date
# before it ("31 Jan → 30 Apr → 31 Oct…"), through leap and common years.
MONTH_END_CASES = [
    pytest.param(
        "2024-01-31",
        {},
        ds("2024-01-31", "2024-04-30", "2024-10-31", "2025-04-30", "2025-10-31"),
        id="31-jan-30-apr-back-to-31-oct",
    ),
    pytest.param(
        "2023-11-30",
        {},
        ds("2023-11-30", "2024-02-29", "2024-08-30", "2025-02-28", "2025-08-30"),
        id="30-nov-to-29-feb-leap-then-28-feb-common-back-to-30",
    ),
    pytest.param(
        "2023-08-31",
        {},
        ds("2023-08-31", "2023-11-30", "2024-05-31", "2024-11-30", "2025-05-31"),
        id="31-aug-alternates-30-and-31",
    ),
    pytest.param(
        "2023-12-31",
        {"rhythm_months": 4, "first_after_months": 2},
        ds("2023-12-31", "2024-02-29", "2024-06-30", "2024-10-31", "2025-02-28"),
        id="31-dec-rhythm-4-first-after-2",
    ),
    pytest.param(
        "2024-02-29",
        {"rhythm_months": 12, "first_after_months": 12},
        ds("2024-02-29", "2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29"),
        id="leap-day-yearly-comes-back-to-29-feb",
    ),
    pytest.param(
        "2024-02-29",
        {},
        ds("2024-02-29", "2024-05-29", "2024-11-29", "2025-05-29", "2025-11-29"),
        id="leap-day-intake-default-rhythm",
    ),
]


@pytest.mark.parametrize(("intake", "rhythm", "expected"), MONTH_END_CASES)
def test_measurement_dates_month_ends(intake: str, rhythm: dict[str, int], expected: list[date]) -> None:
    assert measurement_dates(d(intake), **rhythm, until=expected[-1]) == expected


# A rhythm is whole months, at least 1: anything else is refused, for the schedule and the due date.
@pytest.mark.parametrize(
    "rhythm",
    [
        pytest.param({"rhythm_months": 0}, id="rhythm-0"),
        pytest.param({"rhythm_months": -6}, id="rhythm-negative"),
        pytest.param({"rhythm_months": 1.5}, id="rhythm-float"),
        pytest.param({"rhythm_months": True}, id="rhythm-bool"),
        pytest.param({"first_after_months": 0}, id="first-0-would-repeat-intake"),
        pytest.param({"first_after_months": "3"}, id="first-text"),
    ],
)
def test_rhythm_refused(rhythm: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        measurement_dates(d("2024-01-10"), **rhythm, until=d("2025-01-01"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least 1"):
        next_due(d("2024-01-10"), [], d("2024-01-10"), **rhythm)  # type: ignore[arg-type]


# next_due, intake 10 January 2024 on the default rhythm: scheduled 10 Jan 2024, 10 Apr 2024,
# 10 Oct 2024, 10 Apr 2025, 10 Oct 2025 … A date's window opens half the gap to the date before
# it earlier (intake: half the gap to the first follow-up) and closes the day before the next
# date: intake 26 Nov 2023 – 9 Apr 2024; 10 Apr: 25 Feb – 9 Oct 2024; 10 Oct: 11 Jul 2024 –
# 9 Apr 2025; 10 Apr 2025: 9 Jan – 9 Oct 2025. Each measurement covers one date, oldest first.
# Due: the first date not covered whose window is open today; closed windows are missed; None
# when no open window lacks its measurement.
NEXT_DUE_CASES = [
    # Nothing measured yet.
    pytest.param([], "2023-11-25", None, id="nothing-done-intake-window-not-open"),
    pytest.param([], "2023-11-26", "2024-01-10", id="nothing-done-intake-window-opens-upcoming"),
    pytest.param([], "2024-01-10", "2024-01-10", id="nothing-done-intake-due-today"),
    pytest.param([], "2024-04-09", "2024-01-10", id="nothing-done-intake-overdue-last-day-of-its-window"),
    pytest.param([], "2024-04-10", "2024-04-10", id="nothing-done-intake-missed-first-follow-up-due"),
    # On time.
    pytest.param(["2024-01-10"], "2024-02-24", None, id="on-time-intake-nothing-due-yet"),
    pytest.param(["2024-01-10"], "2024-02-25", "2024-04-10", id="on-time-intake-next-window-opens"),
    pytest.param(["2024-01-10", "2024-04-10"], "2024-04-10", None, id="on-time-both-measured-today"),
    pytest.param(["2024-01-10", "2024-04-10"], "2024-07-11", "2024-10-10", id="on-time-third-window-opens"),
    pytest.param(
        ["2024-01-10", "2024-04-10", "2024-10-10", "2025-04-10"], "2025-07-10", None, id="on-time-four-rounds"
    ),
    # Late.
    pytest.param(["2024-01-10"], "2024-05-01", "2024-04-10", id="late-first-follow-up-overdue"),
    pytest.param(["2024-01-10"], "2024-10-09", "2024-04-10", id="late-overdue-on-the-last-day-it-can-be-done"),
    pytest.param(
        ["2024-01-10", "2024-08-01"], "2024-09-01", "2024-10-10", id="late-measurement-covers-the-round-it-was-late-for"
    ),
    pytest.param(["2024-03-01"], "2024-04-15", "2024-04-10", id="late-intake-covers-intake-not-the-follow-up"),
    pytest.param(["2024-03-01", "2024-03-15"], "2024-04-15", None, id="late-intake-then-early-follow-up"),
    # Early.
    pytest.param(["2024-01-01"], "2024-02-01", None, id="early-intake-counts"),
    pytest.param(["2023-11-25"], "2024-01-10", "2024-01-10", id="too-early-for-intake-does-not-count"),
    pytest.param(
        ["2024-01-10", "2024-04-10", "2024-07-11"], "2024-07-12", None, id="early-on-the-day-the-window-opens"
    ),
    pytest.param(
        ["2024-01-10", "2024-04-10", "2024-07-10"], "2024-07-12", "2024-10-10", id="a-day-too-early-for-the-next"
    ),
    pytest.param(["2024-01-10", "2024-04-10", "2024-04-10"], "2024-07-12", "2024-10-10", id="same-day-twice-is-one"),
    # Missing.
    pytest.param(["2024-01-10"], "2024-10-10", "2024-10-10", id="missing-follow-up-missed-next-due-today"),
    pytest.param(["2024-01-10"], "2026-01-01", "2025-10-10", id="missing-for-long-only-the-current-round"),
    pytest.param(["2024-04-10"], "2024-05-01", None, id="missing-intake-is-missed-once-its-window-closed"),
    pytest.param(
        ["2024-01-10", "2024-10-10"], "2024-10-11", None, id="missing-first-follow-up-the-next-measurement-is-on-time"
    ),
    pytest.param(
        ["2025-04-10", "2024-04-10", "2024-01-10", "2024-10-10"], "2025-07-10", None, id="order-of-done-does-not-matter"
    ),
]


@pytest.mark.parametrize(("done", "today", "expected"), NEXT_DUE_CASES)
def test_next_due(done: list[str], today: str, expected: str | None) -> None:
    due = next_due(d("2024-01-10"), ds(*done), d(today))
    assert due == (d(expected) if expected else None)


# The same rules on the 4-month rhythm (issue 4): 10 Jan, 10 Apr, 10 Aug, 10 Dec 2024 …; the
# 10 Aug window opens 10 Jun, the 10 Dec window 10 Oct; and on a month-end intake (31 Jan:
# 30 Apr, 31 Oct …) the due date is the clamped one.
NEXT_DUE_RHYTHM_CASES = [
    pytest.param("2024-01-10", {"rhythm_months": 4}, ["2024-01-10", "2024-04-10"], "2024-06-09", None, id="4m-before"),
    pytest.param(
        "2024-01-10", {"rhythm_months": 4}, ["2024-01-10", "2024-04-10"], "2024-06-10", "2024-08-10", id="4m-opens"
    ),
    pytest.param(
        "2024-01-10", {"rhythm_months": 4}, ["2024-01-10", "2024-04-10"], "2024-08-15", "2024-08-10", id="4m-overdue"
    ),
    pytest.param(
        "2024-01-10", {"rhythm_months": 4}, ["2024-01-10", "2024-04-10"], "2024-12-10", "2024-12-10", id="4m-missed"
    ),
    pytest.param("2024-01-31", {}, ["2024-01-31"], "2024-05-01", "2024-04-30", id="month-end-clamped-due-date"),
    pytest.param(
        "2024-01-31", {}, ["2024-01-31", "2024-04-30"], "2024-11-01", "2024-10-31", id="month-end-no-drift-due-date"
    ),
]


@pytest.mark.parametrize(("intake", "rhythm", "done", "today", "expected"), NEXT_DUE_RHYTHM_CASES)
def test_next_due_rhythms(
    intake: str, rhythm: dict[str, int], done: list[str], today: str, expected: str | None
) -> None:
    due = next_due(d(intake), ds(*done), d(today), **rhythm)
    assert due == (d(expected) if expected else None)


def test_measuring_what_is_due_clears_it() -> None:
    # The due list's promise: a measurement taken on the day next_due is read covers the date it
    # named, whatever was measured before (every ten days over two years, three histories).
    intake = d("2024-01-10")
    histories = ([], ds("2024-01-10"), ds("2024-01-10", "2024-04-10"), ds("2024-03-01", "2024-08-01"))
    checked = 0
    for today in (d("2023-11-01") + timedelta(days=10 * step) for step in range(80)):
        for history in histories:
            done = [day for day in history if day <= today]
            due = next_due(intake, done, today)
            if due is not None:
                assert next_due(intake, [*done, today], today) != due, (today, done)
                checked += 1
    assert checked > 200


# The due list and the case page show the measurement due, or else the next one coming up.
@pytest.mark.parametrize(
    ("done", "today", "expected"),
    [
        pytest.param([], "2024-01-10", "2024-01-10", id="intake-due-on-the-day"),
        pytest.param(["2024-01-10"], "2024-02-01", "2024-04-10", id="window-not-open-next-coming-up"),
        pytest.param(["2024-01-10"], "2024-03-01", "2024-04-10", id="window-open-due"),
        pytest.param(["2024-01-10"], "2024-05-01", "2024-04-10", id="overdue"),
        pytest.param(["2024-01-10", "2024-04-10"], "2024-05-01", "2024-10-10", id="measured-next-in-six-months"),
        pytest.param([], "2023-12-01", "2024-01-10", id="before-the-intake"),
    ],
)
def test_due_or_next(done: list[str], today: str, expected: str) -> None:
    assert due_or_next(d("2024-01-10"), ds(*done), d(today)) == d(expected)


# DESIGN.md H: "phone follow-ups due within 14 days of a start-up, follow-up or notification
# meeting".
@pytest.mark.parametrize(
    ("meeting_on", "due"),
    [
        pytest.param("2024-01-10", "2024-01-24", id="plain"),
        pytest.param("2024-12-20", "2025-01-03", id="over-new-year"),
        pytest.param("2024-02-20", "2024-03-05", id="over-29-feb"),
        pytest.param("2023-02-20", "2023-03-06", id="over-28-feb"),
    ],
)
def test_phone_follow_up_due(meeting_on: str, due: str) -> None:
    assert phone_follow_up_due(d(meeting_on)) == d(due)


# DESIGN.md H: a start-up, follow-up or notification meeting (GLOSSARY: startup, follow_up,
# notification) needs a phone follow-up; the other meeting kinds do not.
@pytest.mark.parametrize(
    ("kind", "needed"),
    [
        pytest.param("startup", True, id="startup"),
        pytest.param("follow_up", True, id="follow_up"),
        pytest.param("notification", True, id="notification"),
        pytest.param("network_meeting", False, id="network_meeting"),
        pytest.param("family_group_conference", False, id="family_group_conference"),
        pytest.param("action_plan", False, id="action_plan"),
        pytest.param("informal", False, id="informal"),
        pytest.param("Startup", False, id="codes-are-lower-case"),
        pytest.param("", False, id="empty"),
    ],
)
def test_needs_phone_follow_up(kind: str, needed: bool) -> None:
    assert needs_phone_follow_up(kind) is needed


def test_phone_follow_up_kinds_are_meeting_kinds() -> None:
    # GLOSSARY: Meeting.kind is one of network_meeting, family_group_conference, startup,
    # follow_up, action_plan, notification, informal.
    assert PHONE_FOLLOW_UP_KINDS == {"startup", "follow_up", "notification"}
    assert PHONE_FOLLOW_UP_KINDS <= catalogue.MEETING_KINDS
