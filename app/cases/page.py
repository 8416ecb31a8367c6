"""The case page, assembled from plain data: one section function per area.

Each area registers a section function with `@section("name")` (like the due list's
collectors). The builder first loads the case's people, goals, meetings, participants,
rounds, invitations and answers in one query per kind; each section then reads that graph
and loads what else it needs in one query per kind, never one per meeting. Sections return
plain data (dataclasses, dicts, lists of plain values): the template never queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.cases.models import Case, CaseClosure, Goal, GoalVersion, Meeting
from app.extensions import db
from app.invitations.models import Invitation, Round

Section = Callable[[Case, date], Any]
SECTIONS: dict[str, Section] = {}


def section(name: str) -> Callable[[Section], Section]:
    """Register a function that returns one area's part of the case page."""

    def register(function: Section) -> Section:
        SECTIONS[name] = function
        return function

    return register


@dataclass(frozen=True)
class Header:
    id: int
    child_name: str
    birth_year: int
    external_ref: str | None
    caseworker_name: str


@dataclass
class CasePage:
    case: Header
    sections: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["sections"][name]
        except KeyError:
            raise AttributeError(name) from None


def load_case_graph(case: Case) -> Case:
    """Load the case's people, goals, meetings, participants, rounds, invitations, answers and
    closings at once.

    One query per kind; people met again (participants, invitations' people) and users
    already loaded (the case worker, a goal's author) come from the session, not the database.
    """
    rounds = selectinload(Meeting.rounds)
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.case_id == case.id).order_by(Meeting.held_on.desc(), Meeting.id.desc())
        .options(selectinload(Meeting.participants),
                 rounds.selectinload(Round.invitations).selectinload(Invitation.responses))
    ).all()
    set_committed_value(case, "meetings", list(meetings))
    goals = db.session.scalars(
        select(Goal).where(Goal.case_id == case.id).order_by(Goal.id)
        .options(selectinload(Goal.versions).lazyload(GoalVersion.written_by))
    ).all()
    set_committed_value(case, "goals", list(goals))
    closures = db.session.scalars(
        select(CaseClosure).where(CaseClosure.case_id == case.id).order_by(CaseClosure.id)
        .options(selectinload(CaseClosure.closed_by), selectinload(CaseClosure.reopened_by))
    ).all()
    set_committed_value(case, "closures", list(closures))
    case.people  # noqa: B018  (loads the people once, before the sections read them)
    return case


def build_case_page(case: Case, today: date) -> CasePage:
    """Return everything the case page shows, as plain data."""
    case = load_case_graph(case)
    child = case.child
    page = CasePage(Header(case.id, child.first_name if child else "", case.child_birth_year, case.external_ref,
                           case.caseworker.name))
    for name, build in SECTIONS.items():
        page.sections[name] = build(case, today)
    return page
