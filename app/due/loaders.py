"""What the due list's collectors read, for every case of the list at once.

Each loader runs a fixed number of queries whatever the number of cases and however long
their history, reads only the columns its collector needs (no answers' JSON) and returns
plain data by case id. The rules are those of the services the case page uses
(undecided_rounds, undecided_observations, phone_follow_ups_due, next_measurement, the
decisions still to be filed), applied to many cases in one go.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.cases.models import PARENT_ROLES, Meeting, Person, meeting_participant
from app.extensions import db
from app.indicators import schedule
from app.indicators.models import CaseIndicators, IndicatorRound
from app.indicators.services import procedure
from app.invitations.kinds import no_decision_kinds
from app.invitations.models import Invitation, Response, Round
from app.observations.models import Observation
from app.reconcile.filing import TO_FILE
from app.reconcile.models import Decision
from app.registrations.models import PhoneFollowUp

# A response in force: a newer answer supersedes, it never overwrites.
_CURRENT = Response.superseded_at.is_(None)


@dataclass(frozen=True)
class MeetingFacts:
    id: int
    kind: str
    held_on: date


@dataclass
class UndecidedRound:
    """A round no decision has taken a position on, with what dates its wait."""

    id: int
    kind: str
    meeting: MeetingFacts
    answered: list[datetime] = field(default_factory=list)  # when each answer in force came
    # Per invitation without an answer in force: (revoked_at, expires_at).
    unanswered: list[tuple[datetime | None, datetime]] = field(default_factory=list)


def undecided_rounds(case_ids: Sequence[int], today: date) -> dict[int, list[UndecidedRound]]:
    """Return each case's rounds waiting for a decision, oldest meeting first (as undecided_rounds)."""
    rows = db.session.execute(
        select(Meeting.case_id, Meeting.id, Meeting.kind, Meeting.held_on, Round.id, Round.kind,
               Invitation.id, Invitation.revoked_at, Invitation.expires_at, Response.submitted_at)
        .join(Round.meeting)
        .outerjoin(Invitation, Invitation.round_id == Round.id)
        .outerjoin(Response, and_(Response.invitation_id == Invitation.id, _CURRENT))
        .where(Meeting.case_id.in_(case_ids), Round.locked_at.is_(None), Round.kind.not_in(no_decision_kinds()))
        .order_by(Meeting.held_on, Round.id, Invitation.id)
    )
    found: dict[int, dict[int, UndecidedRound]] = defaultdict(dict)
    for case_id, meeting_id, meeting_kind, held_on, round_id, kind, invitation_id, revoked, expires, answered in rows:
        round_ = found[case_id].setdefault(round_id, UndecidedRound(
            round_id, kind, MeetingFacts(meeting_id, meeting_kind, held_on)))
        if answered is not None:
            round_.answered.append(answered)
        elif invitation_id is not None:  # the outer join gives one such row per unanswered invitation
            round_.unanswered.append((revoked, expires))
    return {case_id: list(rounds.values()) for case_id, rounds in found.items()}


@dataclass(frozen=True)
class StatusOwed:
    """One person asked for a status who has not answered (waiting, opened or expired)."""

    round_id: int
    due_on: date
    first_name: str
    role: str


@dataclass
class PlannedMeeting:
    meeting: MeetingFacts
    status_asked: bool  # any status round on the meeting, answered or not
    owed: list[StatusOwed] = field(default_factory=list)


def planned_meetings(case_ids: Sequence[int], today: date) -> dict[int, list[PlannedMeeting]]:
    """Return each case's meetings from today on, latest first, with the statuses still owed."""
    status_round = exists().where(Round.meeting_id == Meeting.id, Round.kind == "status")
    meetings = db.session.execute(
        select(Meeting.case_id, Meeting.id, Meeting.kind, Meeting.held_on, status_round)
        .where(Meeting.case_id.in_(case_ids), Meeting.held_on >= today)
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
    )
    found: dict[int, list[PlannedMeeting]] = defaultdict(list)
    by_id: dict[int, PlannedMeeting] = {}
    for case_id, meeting_id, kind, held_on, asked in meetings:
        by_id[meeting_id] = PlannedMeeting(MeetingFacts(meeting_id, kind, held_on), bool(asked))
        found[case_id].append(by_id[meeting_id])
    answered = exists().where(Response.invitation_id == Invitation.id, _CURRENT)
    owed = db.session.execute(
        select(Round.meeting_id, Round.id, Round.due_on, Person.first_name, Person.role)
        .join(Round.meeting).join(Invitation, Invitation.round_id == Round.id).join(Invitation.person)
        .where(Meeting.case_id.in_(case_ids), Meeting.held_on >= today, Round.kind == "status",
               Round.locked_at.is_(None), Round.due_on.is_not(None), Invitation.revoked_at.is_(None), ~answered)
        .order_by(Round.id, Invitation.id)
    )
    for meeting_id, round_id, due_on, first_name, role in owed:
        by_id[meeting_id].owed.append(StatusOwed(round_id, due_on, first_name, role))
    return found


@dataclass(frozen=True)
class Rhythm:
    """A case's indicator form and where its rhythm stands."""

    form_id: str
    next_on: date | None  # the measurement due, or the next one coming up


@dataclass(frozen=True)
class Measured:
    """A case's indicator form, the intake its rhythm starts at, and its measurements (the meetings
    of its indicator rounds), as the due list and the figures (FIGURES.md I4) read them."""

    form_id: str
    intake_on: date
    done: list[tuple[date, int, str]]  # (held on, meeting id, meeting kind), oldest first


def measured(case_ids: Sequence[int] | None = None) -> dict[int, Measured]:
    """Return, for each case with an indicator form (of these cases; None: every case), its rhythm's facts."""
    settings = select(CaseIndicators.case_id, CaseIndicators.form_id, CaseIndicators.intake_on)
    rounds = (select(Meeting.case_id, Meeting.held_on, Meeting.id, Meeting.kind)
              .join(Round, Round.meeting_id == Meeting.id).join(IndicatorRound, IndicatorRound.round_id == Round.id)
              .order_by(Meeting.held_on, Meeting.id))
    if case_ids is not None:
        settings = settings.where(CaseIndicators.case_id.in_(case_ids))
        rounds = rounds.where(Meeting.case_id.in_(case_ids))
    done: dict[int, list[tuple[date, int, str]]] = defaultdict(list)
    for case_id, held_on, meeting_id, kind in db.session.execute(rounds):
        done[case_id].append((held_on, meeting_id, kind))
    return {case_id: Measured(form_id, intake_on, done[case_id])
            for case_id, form_id, intake_on in db.session.execute(settings)}


def measurements(case_ids: Sequence[int], today: date) -> dict[int, Rhythm]:
    """Return, for each case with an indicator form, its measurement due (as next_measurement)."""
    rhythm = procedure().rhythm_months
    return {
        case_id: Rhythm(found.form_id, schedule.due_or_next(found.intake_on, [d for d, _m, _k in found.done], today,
                                                             rhythm))
        for case_id, found in measured(case_ids).items()
    }


def undecided_observations(case_ids: Sequence[int], today: date) -> dict[int, list[datetime]]:
    """Return when each observation still waiting for a decision arrived, by case."""
    found: dict[int, list[datetime]] = defaultdict(list)
    for case_id, submitted_at in db.session.execute(
        select(Observation.case_id, Observation.submitted_at)
        .where(Observation.case_id.in_(case_ids), Observation.decided_at.is_(None))
    ):
        found[case_id].append(submitted_at)
    return found


@dataclass(frozen=True)
class Attempt:
    """A call that did not reach the parent: when, and who tried (as registrations.services.Attempt)."""

    at: datetime
    by: str


@dataclass(frozen=True)
class CallDue:
    """One phone follow-up still to be made: one parent, one meeting (as FollowUpDue)."""

    meeting: MeetingFacts
    person_id: int
    first_name: str
    role: str
    due_on: date
    attempts: list[Attempt] = field(default_factory=list)  # oldest first


def phone_calls(case_ids: Sequence[int], today: date) -> dict[int, list[CallDue]]:
    """Return the phone follow-ups due on each case, earliest first, each with the calls that did
    not reach the parent (as phone_follow_ups_due): one statement, the attempts joined in."""
    later = aliased(PhoneFollowUp)
    in_force = ~exists().where(later.corrects_id == PhoneFollowUp.id)
    talked = exists().where(PhoneFollowUp.meeting_id == Meeting.id, PhoneFollowUp.person_id == Person.id,
                            PhoneFollowUp.reached.is_(True), in_force)
    attempt = aliased(PhoneFollowUp)
    rows = db.session.execute(
        select(Meeting.case_id, Meeting.id, Meeting.kind, Meeting.held_on, Person.id, Person.first_name, Person.role,
               attempt.recorded_at, User.name)
        .join(meeting_participant, meeting_participant.c.meeting_id == Meeting.id)
        .join(Person, Person.id == meeting_participant.c.person_id)
        .outerjoin(attempt, and_(attempt.meeting_id == Meeting.id, attempt.person_id == Person.id,
                                 attempt.reached.is_(False)))
        .outerjoin(User, User.id == attempt.recorded_by_id)
        .where(Meeting.case_id.in_(case_ids), Meeting.kind.in_(sorted(schedule.PHONE_FOLLOW_UP_KINDS)),
               Meeting.held_on <= today, Person.role.in_(PARENT_ROLES), ~talked)
        .order_by(Meeting.held_on, Meeting.id, Person.id, attempt.id)
    )
    found: dict[int, list[CallDue]] = defaultdict(list)
    for case_id, meeting_id, kind, held_on, person_id, first_name, role, tried_at, tried_by in rows:
        calls = found[case_id]
        if not calls or (calls[-1].meeting.id, calls[-1].person_id) != (meeting_id, person_id):
            meeting = MeetingFacts(meeting_id, kind, held_on)
            calls.append(CallDue(meeting, person_id, first_name, role, schedule.phone_follow_up_due(held_on)))
        if tried_at is not None:
            calls[-1].attempts.append(Attempt(tried_at, tried_by))
    return found


def decisions_to_file(case_ids: Sequence[int], today: date) -> dict[int, list[datetime]]:
    """Return when each decision in force not yet filed in the case system was made, by case."""
    found: dict[int, list[datetime]] = defaultdict(list)
    for case_id, decided_at in db.session.execute(
        select(Decision.case_id, Decision.decided_at).where(Decision.case_id.in_(case_ids), TO_FILE)
    ):
        found[case_id].append(decided_at)
    return found
