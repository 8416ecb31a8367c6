"""The case page's reconciliation parts: what waits for a decision, and the latest feedback round."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.cases.models import Case
from app.cases.page import section
from app.invitations.kinds import no_decision_kinds
from app.invitations.overview import RoundOverview, overview_of
from app.reconcile.history import CaseHistory
from app.reconcile.reconciliation import with_history


@dataclass(frozen=True)
class LatestFeedback:
    meeting_kind: str
    held_on: date
    # Loaded in full with the case (people, answers, history): the template reads, never queries.
    overview: RoundOverview


@section("undecided")
def undecided(case: Case, today: date) -> int:
    """Count the rounds no decision has taken a position on yet."""
    return sum(1 for m in case.meetings for r in m.rounds if r.locked_at is None and r.kind not in no_decision_kinds())


@section("latest_feedback")
def latest_feedback(case: Case, today: date) -> LatestFeedback | None:
    """The newest meeting's feedback round with every answer side by side and each voice's history."""
    latest = next((r for m in case.meetings for r in reversed(m.rounds) if r.kind == "feedback"), None)
    if latest is None:
        return None
    rounds = [r for m in case.meetings for r in m.rounds]
    overview = overview_of(latest, sorted(latest.invitations, key=lambda i: i.id))
    overview = with_history(overview, CaseHistory(case, rounds))
    return LatestFeedback(latest.meeting.kind, latest.meeting.held_on, overview)
