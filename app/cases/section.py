"""The case page's own sections: its people, the action plan's goals and its meetings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.cases.models import Case, CaseBackground, CaseClosure, Goal
from app.cases.page import section
from app.extensions import db
from app.settings import lists


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


@dataclass(frozen=True)
class ClosureRow:
    """One closing of the case and, when it came, its re-opening (issue 12 item 14)."""

    id: int
    closed_on: date | None
    reason: str
    after_meeting: tuple[str, date] | None  # (kind, held_on) of the meeting it was closed after
    note: str | None
    closed_by: str | None
    reopened_on: date | None
    reopen_reason: str | None  # named in the reader's language (the list "reopen_reason")
    reopen_note: str | None
    reopened_by: str | None


@dataclass(frozen=True)
class ClosureSection:
    current: ClosureRow | None  # the closing in force; None while the case is open
    history: list[ClosureRow]  # every closing, newest first


def _closure_row(closure: CaseClosure, meetings: dict, reasons: dict) -> ClosureRow:
    meeting = meetings.get(closure.meeting_id)
    return ClosureRow(
        closure.id, closure.closed_on, closure.reason, (meeting.kind, meeting.held_on) if meeting else None,
        closure.note, closure.closed_by.name if closure.closed_by else None, closure.reopened_on,
        reasons.get(closure.reopen_reason, closure.reopen_reason) if closure.reopen_reason else None,
        closure.reopen_note, closure.reopened_by.name if closure.reopened_by else None)


@section("closure")
def closure(case: Case, today: date) -> ClosureSection:
    """Whether the case is closed, since when and why, and every earlier closing and re-opening."""
    meetings = {m.id: m for m in case.meetings}
    reasons = lists.names("reopen_reason") if any(c.reopen_reason for c in case.closures) else {}
    rows = [_closure_row(c, meetings, reasons) for c in reversed(case.closures)]
    return ClosureSection(next((r for r in rows if r.reopened_on is None), None), rows)


@dataclass(frozen=True)
class BackgroundRow:
    """One version of the case's background, its codes named in the reader's language."""

    target_group: str
    case_type: str
    gender: str | None  # a code of GENDERS
    written_by: str
    written_at: datetime


@dataclass(frozen=True)
class BackgroundSection:
    current: BackgroundRow | None  # None until the background is set
    earlier: list[BackgroundRow]  # the versions before it, newest first


@section("background")
def background(case: Case, today: date) -> BackgroundSection:
    """The case's background in force and its earlier versions (issue 14 item 1), in one query."""
    rows = db.session.scalars(
        select(CaseBackground).where(CaseBackground.case_id == case.id).order_by(CaseBackground.id.desc())
        .options(joinedload(CaseBackground.written_by))
    ).all()
    if not rows:
        return BackgroundSection(None, [])
    groups, types = lists.names("target_group"), lists.names("case_type")
    shown = [BackgroundRow(groups.get(r.target_group, r.target_group), types.get(r.case_type, r.case_type), r.gender,
                           r.written_by.name, r.written_at) for r in rows]
    return BackgroundSection(shown[0], shown[1:])
