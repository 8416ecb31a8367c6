"""The case page's registrations: phone follow-ups due and made, method registrations, and what
each meeting in the meeting list still lacks. (Closings and re-openings: app.cases.section.)"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.cases.models import Case
from app.cases.page import section
from app.registrations import services
from app.settings import lists


@dataclass(frozen=True)
class CallDue:
    meeting_id: int
    meeting_kind: str
    held_on: date
    person_id: int
    first_name: str
    due_on: date
    overdue: bool
    attempts: tuple[services.Attempt, ...]  # the calls that did not reach the parent, oldest first


@dataclass(frozen=True)
class CallMade:
    meeting_id: int
    meeting_kind: str
    held_on: date
    first_name: str
    reached: bool
    helps: int | None


@dataclass(frozen=True)
class MethodMeeting:
    id: int
    kind: str
    held_on: date
    outcome: str | None  # the registration in force's outcome; None when none is registered
    status: str | None = None  # held, not_used or failed (issue 14 item 3)


@dataclass(frozen=True)
class MethodWithoutMeeting:
    """A method offered and not used, or attempted and failed, with no meeting (FIGURES.md K2)."""

    id: int
    method: str
    status: str
    occurred_on: date
    reason: str  # the failure's reason, named in the reader's language
    outcome: str


@dataclass
class RegistrationSection:
    due: list[CallDue] = field(default_factory=list)
    calls: list[CallMade] = field(default_factory=list)
    method_meetings: list[MethodMeeting] = field(default_factory=list)
    without_meeting: list[MethodWithoutMeeting] = field(default_factory=list)
    # Per meeting id: "phone" or "method", for the meetings that take a registration.
    kinds: dict[int, str] = field(default_factory=dict)
    # Per meeting id held on or before today: how many registrations are still missing.
    open_by_meeting: dict[int, int] = field(default_factory=dict)


def _kind(meeting) -> str | None:
    if services.needs_phone_follow_up(meeting.kind):
        return "phone"
    return "method" if services.takes_method_registration(meeting) else None


@section("registrations")
def registration_section(case: Case, today: date) -> RegistrationSection:
    """Two queries: the phone follow-ups and the method registrations of the case."""
    recorded = services.phone_follow_ups_on(case)
    due = services.follow_ups_due_from(case.meetings, recorded, today)
    still_due = {(d.meeting.id, d.person.id) for d in due}
    in_force = services.in_force(services.method_registrations_on(case))
    registered = {r.meeting_id: r for r in in_force if r.meeting_id is not None}
    reasons = lists.names("method_failure_reason") if any(r.meeting_id is None for r in in_force) else {}
    found = RegistrationSection(
        due=[CallDue(d.meeting.id, d.meeting.kind, d.meeting.held_on, d.person.id, d.person.first_name, d.due_on,
                     d.overdue, d.attempts) for d in due],
        # A call still due is listed there, with its attempts; not twice.
        calls=[CallMade(c.meeting_id, c.meeting.kind, c.meeting.held_on, c.person.first_name, c.reached, c.helps)
               for c in services.in_force(recorded) if (c.meeting_id, c.person_id) not in still_due],
        method_meetings=[MethodMeeting(m.id, m.kind, m.held_on, registered[m.id].outcome if m.id in registered else None,
                                       registered[m.id].status if m.id in registered else None)
                         for m in case.meetings if services.takes_method_registration(m)],
        without_meeting=sorted((MethodWithoutMeeting(r.id, r.method, r.status, r.occurred_on,
                                                     reasons.get(r.failure_reason, r.failure_reason), r.outcome)
                                for r in in_force if r.meeting_id is None), key=lambda r: (r.occurred_on, r.id),
                               reverse=True),
        kinds={m.id: kind for m in case.meetings if (kind := _kind(m))},
    )
    for item in due:
        found.open_by_meeting[item.meeting.id] = found.open_by_meeting.get(item.meeting.id, 0) + 1
    for meeting in found.method_meetings:
        if meeting.held_on <= today and meeting.outcome is None:
            found.open_by_meeting[meeting.id] = 1
    return found
