"""The case worker's goal attainment: which goals a meeting follows up, recording and correcting,
the provider's view beside it, and the facts the figures count (issue 14 item 4; FIGURES.md G3)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import and_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from app import audit
from app.attainment.models import ATTAINMENT_STEPS, GoalAttainment
from app.auth.models import User
from app.cases.models import Goal, GoalVersion, Meeting
from app.extensions import db
from app.invitations.models import Invitation, Response, Round
from app.status.services import FORM, current_status
from app.timestamps import local_date, utcnow

# The meetings that follow up the plan's goals: a follow-up meeting, a meeting about the plan, and a
# (follow-up) network meeting or family group conference.
ATTAINMENT_MEETING_KINDS = ("follow_up", "action_plan", "network_meeting", "family_group_conference")


class AttainmentError(Exception):
    """The attainment cannot be recorded as asked; the message tells the case worker why."""


def takes_attainment(meeting: Meeting) -> bool:
    return meeting.kind in ATTAINMENT_MEETING_KINDS


def goals_followed_up(meeting: Meeting, assessed: Iterable[int]) -> list[Goal]:
    """Return the case's goals the meeting follows up: those not taken out of the plan before the
    meeting's day, and any already assessed at it (their ids in `assessed`)."""
    assessed = set(assessed)
    return [goal for goal in meeting.case.goals
            if goal.id in assessed or goal.closed_at is None or local_date(goal.closed_at) >= meeting.held_on]


def history(meeting: Meeting) -> list[GoalAttainment]:
    """Every recording at the meeting, oldest first; per goal the last is in force."""
    return list(db.session.scalars(
        select(GoalAttainment).where(GoalAttainment.meeting_id == meeting.id).order_by(GoalAttainment.id)
        .options(selectinload(GoalAttainment.corrected_by), joinedload(GoalAttainment.recorded_by))
    ))


def lines(meeting: Meeting) -> dict[int, list[GoalAttainment]]:
    """The recordings at the meeting per goal id, oldest first."""
    found: dict[int, list[GoalAttainment]] = {}
    for row in history(meeting):
        found.setdefault(row.goal_id, []).append(row)
    return found


def record(meeting: Meeting, user: User, chosen: Mapping[int, str], today: date) -> int:
    """Record the case worker's attainment per goal at the meeting; return how many were stored.

    A goal left out keeps what it has. A goal with a recording in force gets a correction that
    names it, unless the step is the same (a double submit stores nothing new). The checks the
    form makes are made again here, so no caller can skip them.
    """
    if not takes_attainment(meeting):
        raise AttainmentError(_("Målopfyldelse vurderes ved et opfølgningsmøde, et møde om barnets plan, et "
                                "netværksmøde eller en familierådslagning."))
    if meeting.held_on > today:
        raise AttainmentError(_("Mødet er ikke holdt endnu. Vurder målene, når mødet er holdt."))
    recorded = lines(meeting)
    goals = {goal.id: goal for goal in goals_followed_up(meeting, recorded)}
    if any(goal_id not in goals for goal_id in chosen):
        raise AttainmentError(_("Et af målene hører ikke til mødet. Hent siden igen, og prøv igen."))
    if any(step not in ATTAINMENT_STEPS for step in chosen.values()):
        raise AttainmentError(_("Vælg en af vurderingerne på listen."))
    if not chosen:
        raise AttainmentError(_("Vælg en vurdering for mindst ét mål."))
    in_force = {goal_id: line[-1] for goal_id, line in recorded.items()}
    stored = 0
    for goal_id, step in sorted(chosen.items()):
        current = in_force.get(goal_id)
        if current is not None and current.attainment == step:
            continue
        row = GoalAttainment(goal=goals[goal_id], meeting=meeting, goal_version=goals[goal_id].current.number,
                             attainment=step, corrects=current, recorded_by=user, recorded_at=utcnow())
        db.session.add(row)
        db.session.flush()
        audit.record("goal_attainment.create", meeting.case_id, attainment_id=row.id, goal_id=goal_id,
                     meeting_id=meeting.id, corrects=current.id if current else None)
        stored += 1
    return stored


def in_force_at(meeting_ids: Iterable[int]) -> dict[tuple[int, int], str]:
    """Return the case worker's attainment in force by (meeting id, goal id) for these meetings, in
    one query: what a status round's page shows beside the provider's."""
    ids = list(meeting_ids)
    if not ids:
        return {}
    newer = aliased(GoalAttainment)
    rows = db.session.execute(
        select(GoalAttainment.meeting_id, GoalAttainment.goal_id, GoalAttainment.attainment)
        .outerjoin(newer, newer.corrects_id == GoalAttainment.id)
        .where(GoalAttainment.meeting_id.in_(ids), newer.id.is_(None))
    ).all()
    return {(meeting_id, goal_id): attainment for meeting_id, goal_id, attainment in rows}


@dataclass(frozen=True)
class ProviderView:
    """One provider's (or school's) attainment of a goal in the status asked for before the meeting."""

    first_name: str
    role: str
    attainment: str | None  # a key of ATTAINMENT_LABELS; None: the status left the goal out
    text: str  # the goal's wording the provider answered


def provider_views(meeting: Meeting) -> dict[int, list[ProviderView]]:
    """Return, per goal id, each provider's and school's attainment in the meeting's status rounds."""
    found: dict[int, list[ProviderView]] = {}
    for round_ in meeting.rounds:
        if round_.kind != "status":
            continue
        for invitation in round_.invitations:
            response = current_status(invitation)
            if response is None:
                continue
            for entry in (response.answers or {}).get("goals", []):
                found.setdefault(entry.get("goal_id"), []).append(ProviderView(
                    invitation.person.first_name, response.respondent_role, entry.get("attainment"),
                    entry.get("text") or ""))
    return found


@dataclass
class GoalRow:
    """One goal on the attainment page: the case worker's line and the providers' views."""

    goal: Goal
    line: list[GoalAttainment] = field(default_factory=list)
    providers: list[ProviderView] = field(default_factory=list)

    @property
    def current(self) -> GoalAttainment | None:
        return self.line[-1] if self.line else None


def page_rows(meeting: Meeting) -> list[GoalRow]:
    """The goals the meeting follows up, each with its recordings and the providers' views."""
    recorded, providers = lines(meeting), provider_views(meeting)
    return [GoalRow(goal, recorded.get(goal.id, []), providers.get(goal.id, []))
            for goal in goals_followed_up(meeting, recorded)]


def status_asked(meeting: Meeting) -> bool:
    """Whether a status was asked for before the meeting (for the page to say none came)."""
    return any(round_.kind == "status" for round_ in meeting.rounds)


# ---- What the figures count (FIGURES.md G3) -------------------------------------------


@dataclass(frozen=True)
class AttainmentFact:
    """The case worker's attainment in force for one goal at one meeting."""

    case_id: int
    goal_id: int
    meeting_id: int
    meeting_kind: str
    held_on: date
    domain: str  # the goal's life domain in the wording that was assessed
    attainment: str  # a key of CASEWORKER_ATTAINMENT_LABELS
    recorded_at: datetime


def attainment_for(case_ids: Iterable[int]) -> list[AttainmentFact]:
    """Return the case worker's attainments in force on these cases, in one query, by case,
    meeting day and goal. The provider's view of the same goal is in its status answer."""
    ids = list(case_ids)
    if not ids:
        return []
    newer = aliased(GoalAttainment)
    rows = db.session.execute(
        select(Goal.case_id, GoalAttainment.goal_id, GoalAttainment.meeting_id, Meeting.kind, Meeting.held_on,
               GoalVersion.domain, GoalAttainment.attainment, GoalAttainment.recorded_at)
        .join(Goal, Goal.id == GoalAttainment.goal_id)
        .join(Meeting, Meeting.id == GoalAttainment.meeting_id)
        .join(GoalVersion, and_(GoalVersion.goal_id == GoalAttainment.goal_id,
                                GoalVersion.number == GoalAttainment.goal_version))
        .outerjoin(newer, newer.corrects_id == GoalAttainment.id)
        .where(Goal.case_id.in_(ids), newer.id.is_(None))
        .order_by(Goal.case_id, Meeting.held_on, Meeting.id, GoalAttainment.goal_id)
    ).all()
    return [AttainmentFact(*row) for row in rows]



@dataclass(frozen=True)
class ProviderAttainmentFact:
    """One provider's (or school's) attainment of one goal in its status in force before a meeting."""

    case_id: int
    goal_id: int
    goal_version: int  # the wording the provider answered (GoalVersion.number): its life domain
    meeting_id: int
    held_on: date
    respondent_role: str  # as it was when the status was given (issue 14 item 5)
    attainment: str  # a key of ATTAINMENT_LABELS
    submitted_at: datetime


def provider_attainment_for(case_ids: Iterable[int]) -> list[ProviderAttainmentFact]:
    """Return the providers' and schools' attainments per goal on these cases, in one query: what
    the figures set beside the case worker's (FIGURES.md G3). The status keeps them per goal in its
    answer, with the goal's id and version, as the provider gave them."""
    ids = list(case_ids)
    if not ids:
        return []
    rows = db.session.execute(
        select(Meeting.case_id, Meeting.id, Meeting.held_on, Response.respondent_role, Response.answers,
               Response.submitted_at)
        .join(Invitation, Invitation.id == Response.invitation_id)
        .join(Round, Round.id == Invitation.round_id)
        .join(Meeting, Meeting.id == Round.meeting_id)
        .where(Meeting.case_id.in_(ids), Round.kind == "status", Response.instrument_id == FORM.id,
               Response.superseded_at.is_(None), Response.declined.is_(False))
        .order_by(Meeting.case_id, Meeting.held_on, Meeting.id, Response.id)
    ).all()
    return [ProviderAttainmentFact(case_id, entry["goal_id"], entry["version"], meeting_id, held_on, role,
                                   entry["attainment"], submitted_at)
            for case_id, meeting_id, held_on, role, answers, submitted_at in rows
            for entry in (answers or {}).get("goals", []) if entry.get("attainment")]
