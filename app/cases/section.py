"""The case page's own sections: its people, the action plan's goals and its meetings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.cases.models import Case, Goal
from app.cases.page import section


@dataclass(frozen=True)
class PersonRow:
    id: int
    first_name: str
    role: str
    relation: str | None
    language: str
    fit_exemption: str | None


@dataclass(frozen=True)
class GoalRow:
    id: int
    text: str
    domain: str
    kind: str
    responsible: str | None
    documentation: str | None
    times_changed: int
    closed_at: datetime | None


@dataclass(frozen=True)
class RoundLink:
    id: int
    kind: str
    is_locked: bool


@dataclass(frozen=True)
class MeetingRow:
    id: int
    kind: str
    held_on: date
    participants: list[str]
    rounds: list[RoundLink]

    @property
    def has_feedback(self) -> bool:
        return any(r.kind == "feedback" for r in self.rounds)


@section("people")
def people(case: Case, today: date) -> list[PersonRow]:
    return [PersonRow(p.id, p.first_name, p.role, p.relation, p.language, p.fit_exemption) for p in case.people]


def _goal_row(goal: Goal) -> GoalRow:
    version = goal.current
    return GoalRow(goal.id, version.text, version.domain, version.kind, version.responsible, version.documentation,
                   goal.times_changed, goal.closed_at)


@section("goals")
def goals(case: Case, today: date) -> dict[str, list[GoalRow]]:
    return {"open": [_goal_row(g) for g in case.open_goals], "closed": [_goal_row(g) for g in case.closed_goals]}


@section("meetings")
def meetings(case: Case, today: date) -> list[MeetingRow]:
    """The case's meetings, newest first, with who took part and the rounds held on each."""
    return [
        MeetingRow(m.id, m.kind, m.held_on, [p.first_name for p in m.participants],
                   [RoundLink(r.id, r.kind, r.is_locked) for r in m.rounds])
        for m in case.meetings
    ]
