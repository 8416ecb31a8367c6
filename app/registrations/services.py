"""Phone follow-ups and method registrations: recorded, corrected, and what is due."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app import audit
from app.auth.models import User
from app.cases import closure as closures
from app.cases.models import PARENT_ROLES, Case, Meeting, Person
from app.extensions import db
from app.indicators.schedule import needs_phone_follow_up, phone_follow_up_due
from app.instruments import METHOD_MEETING_KINDS
from app.registrations.models import (
    OCCASIONS,
    OUTCOMES_WITHOUT_MEETING,
    MethodRegistration,
    PhoneFollowUp,
)
from app.settings import lists
from app.timestamps import utcnow

PHONE_FIELDS = ("reached", "started", "helps", "notes")
METHOD_FIELDS = (
    "status", "occurred_on", "method", "occasion", "target_group", "case_type", "failure_reason", "failure_note",
    "child_took_part", "parents_took_part", "network_count", "professional_count", "plan_coverage", "outcome",
    "network_role",
)
# A call that did not reach the parent, recorded again this soon (a double click), is the same attempt.
REPEAT_WINDOW = timedelta(minutes=2)


# --- phone follow-ups (INSTRUMENTS.md §6 phone-follow-up, DESIGN.md H) -------------------


def parents_at(meeting: Meeting) -> list[Person]:
    """Return the parents and carers who took part in the meeting: one follow-up each."""
    return [p for p in meeting.participants if p.role in PARENT_ROLES]


def takes_phone_follow_up(meeting: Meeting, person: Person) -> bool:
    return needs_phone_follow_up(meeting.kind) and person in parents_at(meeting)


def phone_history(meeting: Meeting, person: Person) -> list[PhoneFollowUp]:
    """Every recording for the parent and meeting, oldest first; the last is in force."""
    return list(
        db.session.scalars(
            select(PhoneFollowUp)
            .where(PhoneFollowUp.meeting_id == meeting.id, PhoneFollowUp.person_id == person.id)
            .order_by(PhoneFollowUp.id)
            .options(selectinload(PhoneFollowUp.corrected_by), joinedload(PhoneFollowUp.recorded_by))
        )
    )


def _clean_phone(data: dict) -> dict:
    reached = bool(data["reached"])
    notes = (data.get("notes") or "").strip() or None
    if not reached:
        return {"reached": False, "started": None, "helps": None, "notes": notes}
    return {"reached": True, "started": data["started"], "helps": int(data["helps"]), "notes": notes}


def _repeated(current: PhoneFollowUp | None, values: dict) -> bool:
    """Tell whether the values are the recording in force again: a double click, or (once the
    parent was reached) a correction that changes nothing. A call that did not reach the parent
    is an attempt; the same again later is the next attempt."""
    if current is None or any(getattr(current, k) != values[k] for k in PHONE_FIELDS):
        return False
    return current.reached or utcnow() - current.recorded_at < REPEAT_WINDOW


def record_phone_follow_up(meeting: Meeting, person: Person, user: User, data: dict) -> tuple[PhoneFollowUp, bool]:
    """Record the call. After a call that reached the parent, a new recording corrects it; after
    one that did not (an attempt), it is the next call. Either way the earlier one stays as history.

    Returns the recording in force and whether anything new was stored (the same answers
    again, e.g. a double click, store nothing).
    """
    values = _clean_phone(data)
    history = phone_history(meeting, person)
    current = history[-1] if history else None
    if _repeated(current, values):
        return current, False
    row = PhoneFollowUp(meeting=meeting, person=person, recorded_by=user, recorded_at=utcnow(), corrects=current, **values)
    db.session.add(row)
    db.session.flush()
    audit.record("phone_follow_up.create", meeting.case_id, follow_up_id=row.id, meeting_id=meeting.id,
                 person_id=person.id, corrects=current.id if current else None)
    return row, True


@dataclass(frozen=True)
class Attempt:
    """A call that did not reach the parent: when, and who tried."""

    at: datetime
    by: str


def attempts_in(line: Iterable[PhoneFollowUp]) -> tuple[Attempt, ...]:
    """Return the attempts among one parent's recordings (their recorder loaded), oldest first."""
    return tuple(Attempt(row.recorded_at, row.recorded_by.name) for row in sorted(line, key=lambda r: r.id)
                 if not row.reached)


@dataclass(frozen=True)
class FollowUpDue:
    """One phone follow-up still to be made: one parent, one meeting, and the calls that did
    not reach the parent so far (oldest first)."""

    case_id: int
    meeting: Meeting
    person: Person
    due_on: date
    overdue: bool
    attempts: tuple[Attempt, ...] = ()


def phone_follow_ups_due(cases: Case | Iterable[Case], today: date) -> list[FollowUpDue]:
    """Return one entry per parent per start-up, follow-up or notification meeting held on or
    before today whose parent nobody has talked with yet, earliest due first (DESIGN.md H).

    Due 14 days after the meeting (schedule.phone_follow_up_due); overdue when that day is
    past. A meeting planned for a later day is not due yet. A call that reached the parent
    takes the entry off the list; a call that did not is an attempt, listed with the entry,
    which stays due until a later call reaches the parent (issue 10, item 2).
    """
    cases = [cases] if isinstance(cases, Case) else list(cases)
    if not cases:
        return []
    meetings = [m for case in cases for m in case.meetings if needs_phone_follow_up(m.kind) and m.held_on <= today]
    if not meetings:
        return []
    recorded = db.session.scalars(
        select(PhoneFollowUp).where(PhoneFollowUp.meeting_id.in_([m.id for m in meetings]))
        .options(joinedload(PhoneFollowUp.recorded_by))
    )
    return follow_ups_due_from(meetings, recorded, today)


def follow_ups_due_from(meetings: Iterable[Meeting], recorded: Iterable[PhoneFollowUp], today: date) -> list[FollowUpDue]:
    """phone_follow_ups_due from loaded meetings and the phone follow-ups recorded on them."""
    lines: dict[tuple[int, int], list[PhoneFollowUp]] = {}
    for row in sorted(recorded, key=lambda r: r.id):
        lines.setdefault((row.meeting_id, row.person_id), []).append(row)
    due = []
    for meeting in meetings:
        if not needs_phone_follow_up(meeting.kind) or meeting.held_on > today:
            continue
        for person in parents_at(meeting):
            line = lines.get((meeting.id, person.id), [])
            if line and line[-1].reached:  # the recording in force is the latest
                continue
            on = phone_follow_up_due(meeting.held_on)
            due.append(FollowUpDue(meeting.case_id, meeting, person, on, on < today, attempts_in(line)))
    return sorted(due, key=lambda d: (d.due_on, d.meeting.id, d.person.id))


# --- method registration (INSTRUMENTS.md §6 method-registration, DESIGN.md G) -----------


def takes_method_registration(meeting: Meeting) -> bool:
    return meeting.kind in METHOD_MEETING_KINDS


def method_history(meeting: Meeting) -> list[MethodRegistration]:
    return list(
        db.session.scalars(
            select(MethodRegistration).where(MethodRegistration.meeting_id == meeting.id).order_by(MethodRegistration.id)
        )
    )


def line_of(registration: MethodRegistration) -> list[MethodRegistration]:
    """The registration's line, oldest first: the first recording and each correction of it."""
    first = registration
    while first.corrects is not None:
        first = first.corrects
    line = [first]
    while line[-1].corrected_by is not None:
        line.append(line[-1].corrected_by)
    return line


class RegistrationError(ValueError):
    """The registration cannot be stored as asked; the message says why, for the case worker."""


def _text(value: str | None) -> str | None:
    # NUL is never typed on purpose, and PostgreSQL cannot store it.
    return (value or "").replace("\x00", "").strip() or None


def _clean_method(data: dict, meeting: Meeting | None, current: MethodRegistration | None) -> dict:
    """The values to store; list codes are checked against the list in use (or the stored one
    when correcting), and the questions the status does not ask are left empty (issue 14 item 3)."""
    values = {key: data.get(key) for key in METHOD_FIELDS}
    held = values["status"] == "held"
    if held and meeting is None:
        raise RegistrationError(_("Registrér mødet først: en holdt familierådslagning eller et holdt netværksmøde "
                                  "hører til sit møde."))
    if values["occasion"] not in OCCASIONS:
        raise RegistrationError(_("Svar, om det var det første eller et opfølgende."))
    lists_of = {"target_group": "target_group", "case_type": "case_type", "failure_reason": "method_failure_reason"}
    for key, name in lists_of.items():
        code = values[key]
        if key == "failure_reason" and held:
            continue
        kept = current is not None and getattr(current, key) == code
        if code not in lists.codes(name) and not kept:
            raise RegistrationError(_("Vælg en af mulighederne."))
    values["failure_note"] = None if held else _text(values["failure_note"])
    if held:
        values["failure_reason"] = None
    values["network_role"] = _text(values["network_role"]) if values["outcome"] == "network_role" else None
    if values["outcome"] == "network_role" and values["network_role"] is None:
        raise RegistrationError(_("Skriv, hvilken rolle netværket tog på sig."))
    if not held and values["outcome"] not in OUTCOMES_WITHOUT_MEETING:
        raise RegistrationError(_("Når metoden ikke blev brugt, kan udfaldet kun være, at en indsats er sat i gang, "
                                  "eller at sagen fortsætter. Skal sagen lukkes, så luk den på sagens side."))
    if meeting is not None:
        values["occurred_on"] = meeting.held_on
    elif values["occurred_on"] is None:
        raise RegistrationError(_("Skriv datoen."))
    return values


def _register(case: Case, meeting: Meeting | None, user: User, data: dict,
              current: MethodRegistration | None) -> tuple[MethodRegistration, bool]:
    values = _clean_method(data, meeting, current)
    if current is not None and all(getattr(current, k) == values[k] for k in METHOD_FIELDS):
        return current, False
    closure = None
    if values["outcome"] == "closed":
        closure = current.closure if current is not None and current.closure_id else closures.close_after_method(meeting, user)
    row = MethodRegistration(case_id=case.id, meeting=meeting, registered_by=user, registered_at=utcnow(),
                             corrects=current, closure=closure, **values)
    db.session.add(row)
    db.session.flush()
    audit.record("method_registration.create", case.id, registration_id=row.id,
                 meeting_id=meeting.id if meeting else None, status=row.status,
                 corrects=current.id if current else None, closure_id=closure.id if closure else None)
    return row, True


def register_method(meeting: Meeting, user: User, data: dict) -> tuple[MethodRegistration, bool]:
    """Register the method after its meeting; registering again corrects the one in force, which
    stays as history.

    The outcome "closed" points to the case's closing (issue 12 item 14): the one it pointed to
    already when only other answers are corrected, else the closing in force, else a new one
    (the case is closed now, without further measure after this meeting). Correcting the
    outcome away from "closed" leaves the case closed: re-opening it is the case worker's step.
    """
    history = method_history(meeting)
    return _register(meeting.case, meeting, user, data, history[-1] if history else None)


def register_without_meeting(case: Case, user: User, data: dict,
                             corrects: MethodRegistration | None = None) -> tuple[MethodRegistration, bool]:
    """Register a method offered and not used, or attempted and failed, with no meeting
    (FIGURES.md K2); with `corrects`, correct that registration (the one in force of its line)."""
    if corrects is not None and (corrects.case_id != case.id or corrects.meeting_id is not None
                                 or not corrects.is_current):
        raise RegistrationError(_("Registreringen er lige blevet rettet af en anden. Se den nyeste, og ret den, "
                                  "hvis det er nødvendigt."))
    return _register(case, None, user, data, corrects)


def method_registrations_of(case: Case) -> dict[int, MethodRegistration]:
    """Return the registration in force per meeting id."""
    rows = db.session.scalars(
        select(MethodRegistration).where(MethodRegistration.case_id == case.id,
                                         MethodRegistration.meeting_id.is_not(None))
    )
    return {r.meeting_id: r for r in rows if r.is_current}


# --- what a case's meetings still lack (the case page's meeting list) ---------------------


def open_registrations(case: Case, today: date) -> dict[int, int]:
    """Return, per meeting held on or before today, how many registrations are still to be
    made: one per parent not yet talked with after a start-up, follow-up or notification meeting
    (as phone_follow_ups_due counts them), one for a network meeting or family group
    conference with no method registered. Meetings with nothing missing are left out."""
    missing: dict[int, int] = {}
    for item in phone_follow_ups_due(case, today):
        missing[item.meeting.id] = missing.get(item.meeting.id, 0) + 1
    registered = method_registrations_of(case)
    for meeting in case.meetings:
        if takes_method_registration(meeting) and meeting.held_on <= today and meeting.id not in registered:
            missing[meeting.id] = 1
    return missing


# --- batch loaders (the case page) ---------------------------------------------------------


def in_force(rows: Iterable[PhoneFollowUp | MethodRegistration]) -> list:
    """Return the rows no other row of the same list corrects, without loading each row's correction."""
    rows = list(rows)
    corrected = {row.corrects_id for row in rows if row.corrects_id is not None}
    return [row for row in rows if row.id not in corrected]


def phone_follow_ups_on(case: Case) -> list[PhoneFollowUp]:
    """Every phone follow-up recorded on the case (corrected ones and attempts too), newest
    meeting first, with who recorded it."""
    return list(db.session.scalars(
        select(PhoneFollowUp).join(PhoneFollowUp.meeting).where(Meeting.case_id == case.id)
        .order_by(Meeting.held_on.desc(), PhoneFollowUp.meeting_id.desc(), PhoneFollowUp.person_id, PhoneFollowUp.id)
        .options(joinedload(PhoneFollowUp.recorded_by))
    ))


def method_registrations_on(case: Case) -> list[MethodRegistration]:
    """Every method registration on the case (corrected ones too, and those without a meeting), oldest first."""
    return list(db.session.scalars(
        select(MethodRegistration).where(MethodRegistration.case_id == case.id).order_by(MethodRegistration.id)
    ))
