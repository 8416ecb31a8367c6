"""The case page's reconciliation parts: the rounds that wait for a decision, and the latest feedback round."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.cases.models import Case
from app.cases.page import section
from app.invitations.kinds import no_decision_kinds
from app.invitations.models import Round
from app.invitations.overview import RoundOverview, overview_of
from app.reconcile.history import CaseHistory
from app.reconcile.reconciliation import with_history
from app.timestamps import utcnow


@dataclass(frozen=True)
class LatestFeedback:
    meeting_kind: str
    held_on: date
    # Loaded in full with the case (people, answers, history): the template reads, never queries.
    overview: RoundOverview
    answered: int  # how many of those asked have answered
    asked: int


@dataclass(frozen=True)
class OpenRound:
    """A round no decision has taken a position on yet, as "Venter på dig" lists it."""

    id: int
    kind: str
    meeting_kind: str
    held_on: date
    answered: int
    asked: int


def _answered(round_: Round) -> int:
    now = utcnow()
    return sum(1 for invitation in round_.invitations if invitation.status(now) == "answered")


def _undecided_rounds(case: Case) -> list[Round]:
    """The rounds that wait for a decision, oldest meeting first (case.meetings is newest first)."""
    waiting = no_decision_kinds()
    return [r for m in reversed(case.meetings) for r in m.rounds if r.locked_at is None and r.kind not in waiting]


@section("undecided")
def undecided(case: Case, today: date) -> int:
    """Count the rounds no decision has taken a position on yet."""
    return len(_undecided_rounds(case))


@section("open_rounds")
def open_rounds(case: Case, today: date) -> list[OpenRound]:
    """The rounds that wait for a decision, oldest first, with how many of those asked have answered."""
    return [OpenRound(r.id, r.kind, r.meeting.kind, r.meeting.held_on, _answered(r), len(r.invitations))
            for r in _undecided_rounds(case)]


@section("latest_feedback")
def latest_feedback(case: Case, today: date) -> LatestFeedback | None:
    """The newest meeting's feedback round with every answer side by side and each voice's history."""
    latest = next((r for m in case.meetings for r in reversed(m.rounds) if r.kind == "feedback"), None)
    if latest is None:
        return None
    rounds = [r for m in case.meetings for r in m.rounds]
    overview = overview_of(latest, sorted(latest.invitations, key=lambda i: i.id))
    overview = with_history(overview, CaseHistory(case, rounds))
    return LatestFeedback(latest.meeting.kind, latest.meeting.held_on, overview, _answered(latest),
                          len(latest.invitations))
