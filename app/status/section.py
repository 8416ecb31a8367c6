"""The case page's status section (status requests, wishes before planned meetings), and each status
round's answers for the round, reconciliation and report pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from app.attainment.services import in_force_at
from app.cases.models import Case
from app.cases.page import section
from app.invitations.models import Invitation, Response, Round
from app.reconcile.history import CaseHistory
from app.status.services import FORM, StatusView, recipient_status, status_view


@dataclass(frozen=True)
class Recipient:
    first_name: str
    state: str  # a key of RECIPIENT_STATUS_LABELS


@dataclass(frozen=True)
class StatusRequest:
    round_id: int
    meeting_kind: str
    held_on: date
    due_on: date | None
    recipients: list[Recipient]


@dataclass(frozen=True)
class PlannedMeeting:
    id: int
    kind: str
    held_on: date
    wishes_asked: bool
    # A follow-up meeting no status was asked for, on a case with a provider or a school to ask
    # (as the due list's "ask_status" item tells it).
    status_owed: bool = False


@dataclass
class StatusSection:
    requests: list[StatusRequest] = field(default_factory=list)
    planned: list[PlannedMeeting] = field(default_factory=list)

    @property
    def to_ask(self) -> list[PlannedMeeting]:
        """The planned follow-up meetings a status is still to be asked for."""
        return [meeting for meeting in self.planned if meeting.status_owed]

    @property
    def owed(self) -> list[tuple[StatusRequest, Recipient]]:
        """Each status asked for and not sent yet, with its request: what "Venter på dig" lists."""
        return [(request, recipient) for request in self.requests for recipient in request.recipients
                if recipient.state == "waiting"]


@section("status")
def status_section(case: Case, today: date) -> StatusSection:
    """The case's status rounds, newest first, and its planned meetings, soonest first."""
    rounds = sorted((r for m in case.meetings for r in m.rounds if r.kind == "status"), key=lambda r: r.id, reverse=True)
    requests = [
        StatusRequest(r.id, r.meeting.kind, r.meeting.held_on, r.due_on,
                      [Recipient(i.person.first_name, recipient_status(i)) for i in r.invitations])
        for r in rounds
    ]
    asks_status = any(p.role in ("provider", "school") for p in case.people)
    planned = [
        PlannedMeeting(m.id, m.kind, m.held_on, any(r.kind == "see_happen" for r in m.rounds),
                       asks_status and m.kind == "follow_up" and not any(r.kind == "status" for r in m.rounds))
        for m in reversed(case.meetings) if m.held_on >= today
    ]
    return StatusSection(requests, planned)


def status_views(rounds: Iterable[Round], history: CaseHistory) -> dict[int, StatusView]:
    """Gather each status round's answers before the page renders, by round id (others are left out).

    Each voice's previous rating comes from the case's history, already loaded; the case worker's
    own attainment per goal at each round's meeting comes in one query for all of them.
    """
    def earlier(round_: Round) -> Callable[[Invitation], Response | None]:
        def previous_of(invitation: Invitation) -> Response | None:
            entry = history.previous(invitation.person_id, FORM.id, round_)
            return entry.response if entry else None
        return previous_of

    rounds = [r for r in rounds if r.kind == "status"]
    assessed = in_force_at({r.meeting_id for r in rounds})
    views = {}
    for round_ in rounds:
        view = views[round_.id] = status_view(round_, earlier(round_))
        view.caseworker = {goal_id: step for (meeting_id, goal_id), step in assessed.items()
                           if meeting_id == round_.meeting_id}
    return views
