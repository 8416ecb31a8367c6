"""Cases, people and meetings: what the case worker changes, in one place each."""

from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from app import audit
from app.auth.models import User
from app.cases.models import Case, Meeting, Person
from app.extensions import db


def visible_cases(user: User) -> Select:
    """Return the query for the cases this user's team owns, newest first."""
    return (
        select(Case)
        .where(Case.team_id == user.team_id)
        .options(selectinload(Case.people), selectinload(Case.caseworker))
        .order_by(Case.created_at.desc(), Case.id.desc())
    )


def create_case(user: User, child_first_name: str, child_birth_year: int, external_ref: str | None) -> Case:
    """Open a case on the user's team, with the child as its first person."""
    case = Case(
        team_id=user.team_id,
        caseworker_id=user.id,
        child_birth_year=child_birth_year,
        external_ref=(external_ref or "").strip() or None,
    )
    case.people.append(Person(role="child", first_name=child_first_name.strip()))
    db.session.add(case)
    db.session.flush()
    audit.record("case.create", case.id)
    return case


def save_person(case: Case, person: Person | None, data: dict) -> Person:
    """Add a person to the case, or update one, from the person form's data."""
    if person is None:
        person = Person(case=case)
        db.session.add(person)
    person.role = data["role"]
    person.first_name = data["first_name"].strip()
    person.relation = (data.get("relation") or "").strip() or None
    person.email = (data.get("email") or "").strip() or None
    person.phone = (data.get("phone") or "").strip() or None
    person.language = data["language"]
    person.fit_exemption = (data.get("fit_exemption") or "").strip() if data.get("fit_exempt") else None
    db.session.flush()
    audit.record("person.save", case.id, person_id=person.id)
    return person


def record_meeting(case: Case, kind: str, held_on: date, participant_ids: list[int]) -> Meeting:
    """Record a meeting with participants chosen among the case's people."""
    people = [p for p in case.people if p.id in set(participant_ids)]
    meeting = Meeting(case=case, kind=kind, held_on=held_on, participants=people)
    db.session.add(meeting)
    db.session.flush()
    audit.record("meeting.create", case.id, meeting_id=meeting.id)
    return meeting
