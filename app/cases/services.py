"""Cases, people, meetings and goals: what the case worker changes, in one place each."""

from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import audit
from app.auth.models import CASE_ROLES, User, UserRole
from app.cases.forms import CPR_PATTERN
from app.cases.models import (
    GOAL_DOMAINS,
    GOAL_KINDS,
    Case,
    Goal,
    GoalVersion,
    Meeting,
    Person,
)
from app.extensions import db
from app.stand_ins.models import StandIn
from app.timestamps import local_today, utcnow

# What a goal's wording is made of; a new version is added when any of these changes.
GOAL_FIELDS = ("text", "domain", "kind", "responsible", "documentation")
# The same goal added again this soon by the same person (a double click) is the same goal.
REPEAT_WINDOW = timedelta(minutes=2)
CHANGED_MEANWHILE = _l("Målet er blevet ændret, siden du åbnede siden. Se den nye udgave i historikken, og gem igen.")


class GoalError(Exception):
    """The goal cannot be changed as asked; the message says why, for the case worker."""


def visible_cases(user: User) -> Select:
    """Return the query for the cases this user's team owns, and those of the absent case workers
    the user stands in for today (as app.auth.access.check_case_access lets through), newest first."""
    absent = select(StandIn.absent_id).where(StandIn.stand_in_id == user.id, StandIn.in_force_on(local_today()))
    return (
        select(Case)
        .where(or_(Case.team_id == user.team_id, Case.caseworker_id.in_(absent)))
        .options(selectinload(Case.people), selectinload(Case.caseworker))
        .order_by(Case.created_at.desc(), Case.id.desc())
    )


def team_case_workers(team_id: int | None) -> list[User]:
    """Return the team's case workers and team leaders, by name: whose due lists the team has."""
    return list(db.session.scalars(
        select(User)
        .where(User.team_id == team_id, User.role_rows.any(UserRole.role.in_(CASE_ROLES)))
        .order_by(User.name)
    ))


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


def _wording(data: dict) -> dict:
    """Return a goal's fields from form data: trimmed, empty optional ones as None."""
    # NUL is never typed on purpose, and PostgreSQL cannot store it.
    wording = {key: (data.get(key) or "").replace("\x00", "").strip() or None for key in GOAL_FIELDS}
    if not wording["text"]:
        raise GoalError(_("Skriv målet, gerne med familiens egne ord."))
    if any(value and CPR_PATTERN.search(value) for value in wording.values()):
        raise GoalError(_("Skriv ikke CPR-numre i Samstem."))
    if wording["domain"] not in GOAL_DOMAINS or wording["kind"] not in GOAL_KINDS:
        raise GoalError(_("Vælg en af mulighederne."))
    return wording


def _same(version: GoalVersion, wording: dict) -> bool:
    return all(getattr(version, key) == wording[key] for key in GOAL_FIELDS)


def add_goal(case: Case, user: User, data: dict) -> Goal:
    """Add a goal to the case's action plan with its first wording."""
    wording = _wording(data)
    for goal in case.open_goals:
        # A double click: the goal was just added by the same person, word for word.
        if goal.created_by_id == user.id and utcnow() - goal.created_at < REPEAT_WINDOW and _same(goal.current, wording):
            return goal
    goal = Goal(case=case, created_by_id=user.id)
    goal.versions.append(GoalVersion(number=1, written_by_id=user.id, **wording))
    db.session.add(goal)
    db.session.flush()
    audit.record("goal.create", case.id, goal_id=goal.id)
    return goal


def reword_goal(goal: Goal, user: User, data: dict, based_on: int | None = None) -> GoalVersion | None:
    """Add a new version of the goal if its wording changed; return it, or None when nothing changed.

    `based_on` is the version number the case worker saw; when someone else has reworded the
    goal since, nothing is stored, so their wording is not overwritten unseen.
    """
    if goal.is_closed:
        raise GoalError(_("Målet er taget ud af barnets plan og kan ikke ændres."))
    current = goal.current
    wording = _wording(data)
    if _same(current, wording):
        return None  # also a double click, whose first click already stored this wording
    if based_on is not None and based_on != current.number:
        raise GoalError(str(CHANGED_MEANWHILE))
    version = GoalVersion(goal=goal, number=current.number + 1, written_by_id=user.id, **wording)
    db.session.add(version)
    try:
        db.session.flush()
    except IntegrityError as error:
        # Another rewording took the same number at the same moment (the unique goal_id, number).
        raise GoalError(str(CHANGED_MEANWHILE)) from error
    changed = [key for key in GOAL_FIELDS if getattr(current, key) != wording[key]]
    audit.record("goal.reword", goal.case_id, goal_id=goal.id, version=version.number, changed=changed)
    return version


def close_goal(goal: Goal) -> bool:
    """Take the goal out of the action plan, keeping its history; return False if it already was."""
    if goal.is_closed:
        return False
    goal.closed_at = utcnow()
    db.session.flush()
    audit.record("goal.close", goal.case_id, goal_id=goal.id)
    return True
