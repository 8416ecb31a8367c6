"""What the figures count, read from the database once per release: every feedback invitation up
to the end of a period, with its answers, as plain rows.

The figures (app/figures/catalogue.py) are pure functions of these rows, so each can be tested on
hand-made rows and every filter is a subset of rows, not a new query. Only the release command
reads here; pages read releases (FIGURES.md rule 5).

The respondent's role is the one they were asked in (Invitation.respondent_role, issue 14 item 5),
so editing a person later never rewrites a released figure's history.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from itertools import compress
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.attainment.models import GoalAttainment
from app.auth.models import Team
from app.cases.models import (
    PARENT_ROLES,
    Case,
    CaseClosure,
    GoalVersion,
    Meeting,
    Person,
    meeting_participant,
)
from app.due.loaders import measured
from app.extensions import db
from app.figures.periods import Period
from app.indicators import schedule
from app.indicators.catalogue import current_forms
from app.indicators.models import (
    CaseIndicators,
    FinalScore,
    IndicatorRound,
    StaffScoring,
)
from app.indicators.services import procedure
from app.invitations.models import Invitation, Response, Round
from app.measures.ladder import current_ladder
from app.measures.models import Measure, MeasureVersion
from app.measures.services import MeasureFact as CaseMeasure
from app.reconcile.models import Decision, decision_round
from app.registrations.models import MethodRegistration, PhoneFollowUp
from app.settings import services as settings
from app.status.services import FORM as STATUS_FORM
from app.timestamps import local_date, utcnow

# The respondents' roles as the figures group them (FIGURES.md P1: child, parents, network, provider).
ROLE_GROUPS = {"child": "child", "mother": "parents", "father": "parents", "carer": "parents",
               "network": "network", "provider": "provider", "school": "provider"}
# The meeting filter: the two network-involving methods and every other meeting (FIGURES.md P1 "by method").
METHOD_KINDS = ("family_group_conference", "network_meeting")
MEETING_GROUPS = (*METHOD_KINDS, "other")


def meeting_group(kind: str, method: str | None = None) -> str:
    """The method a meeting counts under: its method registration's (`method`, already a group), else its kind's."""
    if method is not None:
        return method
    return kind if kind in METHOD_KINDS else "other"


def group_of(row) -> str:
    """The method group of a fact's meeting (FIGURES.md P1 "by method")."""
    return meeting_group(row.meeting_kind, row.method)


@dataclass(frozen=True)
class Answer:
    """One current response to one form."""

    instrument_id: str
    version: int
    answers: dict[str, Any]
    declined: bool
    submitted_on: date


@dataclass(frozen=True)
class InvitationFact:
    """One person's invitation in a feedback round, with the facts around it."""

    id: int
    round_id: int
    case_id: int
    team_id: int
    caseworker_id: int
    meeting_kind: str
    held_on: date
    child_age: int
    person_id: int
    role: str
    status: str  # answered, declined, expired, revoked, waiting
    answers: tuple[Answer, ...] = ()
    decided_on: date | None = None  # the day the round's first decision was made
    # The group the meeting's method registration puts it in (see methods()); None: no registration.
    method: str | None = None

    @property
    def role_group(self) -> str:
        return ROLE_GROUPS.get(self.role, "provider")


@dataclass(frozen=True)
class DueFact:
    """One thing that was due in the period (FIGURES.md I4), and whether it was done on time."""

    case_id: int
    team_id: int
    caseworker_id: int
    meeting_kind: str
    due_on: date
    kind: str  # phone_follow_up, provider_status, measurement
    state: str  # on_time, late, missing
    method: str | None = None  # as InvitationFact.method


@dataclass(frozen=True)
class FactorFact:
    """One factor's final status in an indicator round, beside every scorer's status for it (FIGURES.md D2)."""

    case_id: int
    team_id: int
    caseworker_id: int
    meeting_kind: str
    held_on: date
    factor: str
    final: int
    scorers: tuple[int, ...]
    method: str | None = None  # as InvitationFact.method


@dataclass(frozen=True)
class Source:
    """Rows read from the database (load_span): when, and the registrations in force before which day.
    A figure may then have the database sum its cells over the same rows (app/figures/sums.py)."""

    now: datetime
    registered_before: date


@dataclass(frozen=True)
class IndicatorFact:
    """One factor's final status and goal in one indicator round (FIGURES.md G1, G2): the status a
    number on the 1–5 scale, "dont_know", or None where the round left it unscored."""

    case_id: int
    team_id: int
    caseworker_id: int
    meeting_kind: str
    held_on: date
    round_id: int
    factor: str
    status: int | str | None
    goal: int | None
    method: str | None = None  # as InvitationFact.method


@dataclass(frozen=True)
class GoalFact:
    """One assessment of how far a plan's goal has come at a meeting (FIGURES.md G3): the case
    worker's ("caseworker") or a provider's or school's in the status before it ("provider")."""

    case_id: int
    team_id: int
    caseworker_id: int
    meeting_kind: str
    held_on: date
    meeting_id: int
    goal_id: int
    domain: str
    who: str
    attainment: str
    method: str | None = None  # as InvitationFact.method


@dataclass(frozen=True)
class MethodFact:
    """One method registration in force (FIGURES.md K1, K2, K5–K7, K10): held, offered and not used,
    or attempted and failed, with the target group and case type it was registered with, and the
    re-opening of the closing its outcome "closed" points to (K6)."""

    id: int
    case_id: int
    team_id: int
    caseworker_id: int
    occurred_on: date
    # The method registered; the meeting filter counts every registration under it (group_of).
    method: str
    status: str  # held, not_used, failed
    occasion: str | None  # first, follow_up; None: registered before the question was asked
    target_group: str
    case_type: str
    outcome: str  # closed, measure, network_role, continues
    failure_reason: str | None = None
    reopened_on: date | None = None
    reopen_reason: str | None = None
    rounds: tuple[int, ...] = ()  # the feedback rounds of its meeting (K10's participation)
    meeting_kind: str = ""


@dataclass(frozen=True)
class MeasureFact:
    """One measure as it stands (its newest version) on the intervention ladder (FIGURES.md K8, K9),
    with its rung's place and kind read from the ladder when the release was made."""

    case_id: int
    team_id: int
    caseworker_id: int
    rung: str
    position: int  # 0: a rung the ladder no longer has
    placement: bool
    network: bool
    started_on: date
    ended_on: date | None = None


@dataclass(frozen=True)
class Facts:
    """The rows one release counts, for one period, possibly narrowed by the filters."""

    period: Period
    invitations: tuple[InvitationFact, ...]
    team: int | None = None
    meeting: str | None = None
    due: tuple[DueFact, ...] = ()
    # A department's teams, when the rows are narrowed to one department (the leader's figures).
    department: int | None = None
    department_teams: frozenset[int] | None = None
    factors: tuple[FactorFact, ...] = ()
    # Indicators and goals (FIGURES.md G1–G3), read for every meeting before the span's end: an outcome
    # needs the round before it. Never narrowed by where(): the figures pick by team and meeting.
    indicators: tuple[IndicatorFact, ...] = ()
    case_measures: tuple[CaseMeasure, ...] = ()
    goals: tuple[GoalFact, ...] = ()
    # The network methods and the ladder (app/figures/method_figures.py): every row up to the span's
    # end, never narrowed by where(); a figure picks its team's and period's rows itself.
    registrations: tuple[MethodFact, ...] = ()
    measures: tuple[MeasureFact, ...] = ()
    # The leadership's target for network placements, in percent (setting target_network_share).
    target_network_share: int | None = None
    # What the figures work out once per release from all rows (scores, series, verdicts), shared by
    # every narrowed copy: a filter then only chooses among them (app/figures/catalogue.py).
    cache: dict = field(default_factory=dict, compare=False, repr=False)
    # Where the rows were read from; None: rows made by hand (tests), which figures sum in Python.
    source: Source | None = field(default=None, compare=False, repr=False)

    @property
    def in_period(self) -> list[InvitationFact]:
        return [row for row in self.invitations if self.period.contains(row.held_on)]

    @property
    def everyone(self) -> tuple[InvitationFact, ...]:
        """Every row of the release, before any filter."""
        return self.cache.setdefault("everyone", self.invitations)

    @property
    def grouped(self) -> bool:
        """Whether the rows are one team's or one department's: its cells then carry their case workers (rule 5a)."""
        return self.team is not None or self.department is not None

    def keeps_team(self, team_id: int) -> bool:
        return (self.team is None or team_id == self.team) and \
            (self.department_teams is None or team_id in self.department_teams)

    def keeps(self, row) -> bool:
        """Whether the row belongs to this copy's team (or department) and kind of meeting."""
        return self.keeps_team(row.team_id) and (self.meeting is None or group_of(row) == self.meeting)

    def for_period(self, period: Period) -> Facts:
        """The rows one period's release counts, from rows read for a span holding it."""
        return replace(self, period=period, invitations=tuple(r for r in self.invitations if r.held_on < period.end),
                       cache={})

    def where(self, team: int | None = None, meeting: str | None = None, department: int | None = None,
              department_teams: frozenset[int] | None = None) -> Facts:
        """The rows of one team's (or one department's, with its teams) cases and one kind of meeting (None: all)."""
        self.everyone  # noqa: B018  (remembered before narrowing)
        self.cache.setdefault("all_due", self.due)
        narrowed = replace(self, team=team, meeting=meeting, department=department,
                           department_teams=None if department is None else frozenset(department_teams or ()))
        return replace(narrowed, invitations=narrowed._kept("invitations", self.everyone),
                       due=narrowed._kept("due", self.due), factors=narrowed._kept("factors", self.factors))

    def _kept(self, name: str, rows: tuple) -> tuple:
        """The rows this copy keeps (as keeps() says, in their order): each row's team and method group
        worked out once per release, so each filter tests a few groups instead of every row."""
        found = self.cache.get(("parts of", name))
        if found is None or found[0] is not rows:
            found = self.cache[("parts of", name)] = (rows, [(row.team_id, group_of(row)) for row in rows])
        parts = found[1]
        wanted = {part for part in set(parts)
                  if self.keeps_team(part[0]) and (self.meeting is None or part[1] == self.meeting)}
        return tuple(compress(rows, [part in wanted for part in parts]))


def status(revoked: bool, expired: bool, answers: tuple[Answer, ...]) -> str:
    """The invitation's state as Invitation.status derives it; opened and waiting are one: waiting."""
    if revoked:
        return "revoked"
    if answers and all(a.declined for a in answers):
        return "declined"
    if answers:
        return "answered"
    return "expired" if expired else "waiting"


def load(period: Period, now: datetime | None = None) -> Facts:
    """Read every feedback invitation of meetings held before the period's end, with its answers,
    and what was due and scored in the period."""
    return load_span(period, now).for_period(period)


def load_span(span: Period, now: datetime | None = None) -> Facts:
    """Read the rows of every period within the span at once (`flask figures release --all-closed`):
    each period then takes its own with for_period, instead of reading the history again."""
    period, now = span, now or utcnow()
    rows = db.session.execute(
        select(Invitation.id, Invitation.round_id, Case.id, Case.team_id, Case.caseworker_id, Meeting.kind,
               Meeting.held_on, Case.child_birth_year, Person.id, Invitation.respondent_role, Invitation.revoked_at,
               Invitation.expires_at, Meeting.id)
        .join(Round, Invitation.round_id == Round.id).join(Meeting, Round.meeting_id == Meeting.id)
        .join(Case, Meeting.case_id == Case.id).join(Person, Invitation.person_id == Person.id)
        .where(Round.kind == "feedback", Meeting.held_on < period.end)
        .order_by(Meeting.held_on, Invitation.id)
    ).all()
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    answers: dict[int, list[Answer]] = defaultdict(list)
    decided: dict[int, date] = {}
    # The current answers of the same invitations, joined on the same conditions (no list of ids to send).
    for inv_id, instrument_id, version, given, declined, submitted_at in db.session.execute(
        select(Response.invitation_id, Response.instrument_id, Response.instrument_version, Response.answers,
               Response.declined, Response.submitted_at)
        .join(Invitation, Response.invitation_id == Invitation.id).join(Round, Invitation.round_id == Round.id)
        .join(Meeting, Round.meeting_id == Meeting.id)
        .where(Round.kind == "feedback", Meeting.held_on < period.end, Response.superseded_at.is_(None))
        .order_by(Response.id)
    ):
        answers[inv_id].append(Answer(instrument_id, version, given or {}, declined,
                                      submitted_at.astimezone(zone).date()))
    for round_id, first in db.session.execute(
        select(decision_round.c.round_id, func.min(Decision.decided_at))
        .join(Decision, Decision.id == decision_round.c.decision_id)
        .join(Round, Round.id == decision_round.c.round_id).join(Meeting, Round.meeting_id == Meeting.id)
        .where(Round.kind == "feedback", Meeting.held_on < period.end).group_by(decision_round.c.round_id)
    ):
        decided[round_id] = local_date(first if first.tzinfo else first.replace(tzinfo=now.tzinfo))
    registered = methods(span.end)
    facts = []
    for inv_id, round_id, case_id, team_id, worker, kind, held_on, birth_year, person_id, role, revoked, expires, \
            meeting_id in rows:
        given = tuple(answers.get(inv_id, ()))
        facts.append(InvitationFact(
            id=inv_id, round_id=round_id, case_id=case_id, team_id=team_id, caseworker_id=worker,
            meeting_kind=kind, held_on=held_on, child_age=held_on.year - birth_year, person_id=person_id, role=role,
            status=status(revoked is not None, now >= expires, given), answers=given,
            decided_on=decided.get(round_id), method=registered.get(meeting_id)))
    return Facts(period=period, invitations=tuple(facts),
                 due=tuple(_phone_calls(period, registered) + _statuses(period, registered)
                           + _measurements(period, registered, local_date(now))),
                 factors=tuple(_factors(period, registered)), source=Source(now, span.end),
                 registrations=tuple(method_facts(span.end)), measures=tuple(measure_facts(span.end)),
                 target_network_share=_target(), **goal_facts(period, registered))


def methods(before: date) -> dict[int, str]:
    """The method group of each meeting with a method registration in force (FIGURES.md P1 "by method"):
    the registered method where it was held; "other" where it was attempted and failed at the meeting,
    since no such method took place. Meetings without one count under their kind (meeting_group)."""
    correction = aliased(MethodRegistration)
    rows = db.session.execute(
        select(MethodRegistration.meeting_id, MethodRegistration.method, MethodRegistration.status)
        .where(MethodRegistration.meeting_id.is_not(None), MethodRegistration.occurred_on < before,
               ~select(correction.id).where(correction.corrects_id == MethodRegistration.id).exists())
        .order_by(MethodRegistration.id)  # two in force for one meeting: the newest counts (sums.py alike)
    ).all()
    return {meeting_id: method if status == "held" else "other" for meeting_id, method, status in rows}


def method_facts(before: date) -> list[MethodFact]:
    """Every method registration in force dated before the day (FIGURES.md K1, K2, K5–K7, K10), with
    the re-opening of its closing as recorded when the release is made (K6: a later re-opening makes
    a new version of the period's release, as a late answer does)."""
    correction = aliased(MethodRegistration)
    rows = db.session.execute(
        select(MethodRegistration.id, Case.id, Case.team_id, Case.caseworker_id, MethodRegistration.occurred_on,
               MethodRegistration.method, MethodRegistration.status, MethodRegistration.occasion,
               MethodRegistration.target_group, MethodRegistration.case_type, MethodRegistration.outcome,
               MethodRegistration.failure_reason, CaseClosure.reopened_on, CaseClosure.reopen_reason,
               MethodRegistration.meeting_id, Meeting.kind)
        .join(Case, Case.id == MethodRegistration.case_id)
        .outerjoin(CaseClosure, CaseClosure.id == MethodRegistration.closure_id)
        .outerjoin(Meeting, Meeting.id == MethodRegistration.meeting_id)
        .where(MethodRegistration.occurred_on < before,
               ~select(correction.id).where(correction.corrects_id == MethodRegistration.id).exists())
        .order_by(MethodRegistration.occurred_on, MethodRegistration.id)
    ).all()
    rounds: dict[int, list[int]] = defaultdict(list)
    for chunk in _chunks(sorted({row[14] for row in rows if row[14] is not None})):
        for meeting_id, round_id in db.session.execute(
                select(Round.meeting_id, Round.id).where(Round.kind == "feedback", Round.meeting_id.in_(chunk))
                .order_by(Round.id)):
            rounds[meeting_id].append(round_id)
    return [MethodFact(id=reg_id, case_id=case_id, team_id=team_id, caseworker_id=worker, occurred_on=occurred_on,
                       method=method, status=status, occasion=occasion, target_group=target_group,
                       case_type=case_type, outcome=outcome, failure_reason=reason, reopened_on=reopened_on,
                       reopen_reason=reopen_reason, rounds=tuple(rounds.get(meeting_id, ())), meeting_kind=kind or "")
            for reg_id, case_id, team_id, worker, occurred_on, method, status, occasion, target_group, case_type,
            outcome, reason, reopened_on, reopen_reason, meeting_id, kind in rows]


def measure_facts(before: date) -> list[MeasureFact]:
    """Every measure started before the day, as its newest version stands (FIGURES.md K8, K9)."""
    newest = (select(MeasureVersion.measure_id, func.max(MeasureVersion.number).label("number"))
              .group_by(MeasureVersion.measure_id).subquery())
    ladder = current_ladder()
    found = []
    for case_id, team_id, worker, rung_code, started_on, ended_on in db.session.execute(
        select(Case.id, Case.team_id, Case.caseworker_id, MeasureVersion.rung, MeasureVersion.started_on,
               MeasureVersion.ended_on)
        .join(Measure, Measure.case_id == Case.id).join(newest, newest.c.measure_id == Measure.id)
        .join(MeasureVersion, (MeasureVersion.measure_id == Measure.id) & (MeasureVersion.number == newest.c.number))
        .where(MeasureVersion.started_on < before).order_by(MeasureVersion.started_on, Measure.id)
    ):
        rung = ladder.rung(rung_code)
        found.append(MeasureFact(case_id, team_id, worker, rung_code, rung.position if rung else 0,
                                 bool(rung and rung.placement), bool(rung and rung.network), started_on, ended_on))
    return found


def _target() -> int | None:
    """The leadership's target for network placements as a share of all placements (K9), if set."""
    value = settings.get("target_network_share")
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100 else None


def _number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _factors(period: Period, registered: dict[int, str]) -> list[FactorFact]:
    """Each factor's final status (the newest in force, a number) in the indicator rounds of meetings
    in the period, with the statuses every scorer gave it: the people asked, and the case worker's own."""
    rounds = {round_id: (case_id, team_id, worker, kind, held_on, meeting_id)
              for round_id, case_id, team_id, worker, kind, held_on, meeting_id in db.session.execute(
                  select(Round.id, Case.id, Case.team_id, Case.caseworker_id, Meeting.kind, Meeting.held_on, Meeting.id)
                  .join(Meeting, Round.meeting_id == Meeting.id).join(Case, Meeting.case_id == Case.id)
                  .where(Round.kind == "indicators", Meeting.held_on >= period.start, Meeting.held_on < period.end))}
    # The same rounds joined on the same conditions, and only the columns counted: no list of ids
    # to send, no ORM object per score.
    in_period = (Round.kind == "indicators", Meeting.held_on >= period.start, Meeting.held_on < period.end)
    finals: dict[tuple[int, str], tuple[Any, bool, bool]] = {}
    scores: dict[tuple[int, str], list[int]] = defaultdict(list)
    for round_id, factor, status, unscored, dont_know in db.session.execute(
            select(FinalScore.round_id, FinalScore.factor, FinalScore.status, FinalScore.unscored,
                   FinalScore.dont_know)
            .join(Round, FinalScore.round_id == Round.id).join(Meeting, Round.meeting_id == Meeting.id)
            .where(*in_period).order_by(FinalScore.id)):
        finals[(round_id, factor)] = (status, unscored, dont_know)
    given = db.session.execute(
        select(Invitation.round_id, Response.answers).join(Response, Response.invitation_id == Invitation.id)
        .join(Round, Invitation.round_id == Round.id).join(Meeting, Round.meeting_id == Meeting.id)
        .where(*in_period, Response.superseded_at.is_(None), Response.declined.is_(False)).order_by(Response.id)
    ).all()
    given += db.session.execute(
        select(StaffScoring.round_id, StaffScoring.answers)
        .join(Round, StaffScoring.round_id == Round.id).join(Meeting, Round.meeting_id == Meeting.id)
        .where(*in_period, StaffScoring.superseded_at.is_(None)).order_by(StaffScoring.id)).all()
    for round_id, answers in given:
        for factor, score in ((answers or {}).get("scores") or {}).items():
            status = _number((score or {}).get("status")) if isinstance(score, dict) else None
            if status is not None:
                scores[(round_id, factor)].append(status)
    found = []
    for (round_id, factor), (final, unscored, dont_know) in sorted(finals.items()):
        status = _number(final)
        if status is None or unscored or dont_know or not scores.get((round_id, factor)):
            continue
        case_id, team_id, worker, kind, held_on, meeting_id = rounds[round_id]
        found.append(FactorFact(case_id, team_id, worker, kind, held_on, factor, status,
                                tuple(scores[(round_id, factor)]), registered.get(meeting_id)))
    return found


def goal_facts(span: Period, registered: dict[int, str]) -> dict[str, tuple]:
    """The Facts fields of the indicator and goal figures (G1–G3), every meeting before the span's end."""
    return {"indicators": tuple(_indicator_scores(span, registered)), "case_measures": tuple(_case_measures()),
            "goals": tuple(_goal_assessments(span, registered))}


def _case_measures() -> list[CaseMeasure]:
    """Every measure as it stands now (its newest version), as app/measures/services.py measures_for
    reads them, for all cases at once."""
    newest = (select(MeasureVersion.measure_id, func.max(MeasureVersion.number).label("number"))
              .group_by(MeasureVersion.measure_id).subquery())
    rows = db.session.execute(
        select(MeasureVersion.measure_id, Measure.case_id, MeasureVersion.kind, MeasureVersion.rung,
               MeasureVersion.provider, MeasureVersion.started_on, MeasureVersion.ended_on, MeasureVersion.end_reason)
        .join(Measure, Measure.id == MeasureVersion.measure_id)
        .join(newest, (newest.c.measure_id == MeasureVersion.measure_id) & (newest.c.number == MeasureVersion.number))
        .order_by(Measure.case_id, MeasureVersion.started_on, MeasureVersion.measure_id))
    return [CaseMeasure(*row) for row in rows]


def _indicator_scores(span: Period, registered: dict[int, str]) -> list[IndicatorFact]:
    """Each factor's final score in force in every indicator round before the span's end, on the
    1–5 forms (the ICF model's 0–4 dimensions and function level are another scale: not counted)."""
    forms = current_forms()
    rounds = {round_id: row for round_id, *row in db.session.execute(
        select(Round.id, Case.id, Case.team_id, Case.caseworker_id, Meeting.kind, Meeting.held_on, Meeting.id,
               IndicatorRound.form_id)
        .join(Meeting, Round.meeting_id == Meeting.id).join(Case, Meeting.case_id == Case.id)
        .join(IndicatorRound, IndicatorRound.round_id == Round.id)
        .where(Round.kind == "indicators", Meeting.held_on < span.end))
        if row[-1] in forms and not forms.get(row[-1]).is_icf}
    finals: dict[tuple[int, str], FinalScore] = {}
    for chunk in _chunks(sorted(rounds)):
        for final in db.session.scalars(select(FinalScore).where(FinalScore.round_id.in_(chunk),
                                                                 FinalScore.level.is_(None)).order_by(FinalScore.id)):
            finals[(final.round_id, final.factor)] = final
    found = []
    for (round_id, factor), final in sorted(finals.items()):
        case_id, team_id, worker, kind, held_on, meeting_id, _form = rounds[round_id]
        status = None if final.unscored else final.status_value
        found.append(IndicatorFact(case_id, team_id, worker, kind, held_on, round_id, factor,
                                   status if status == "dont_know" else _number(status), _number(final.goal),
                                   registered.get(meeting_id)))
    return found


def _goal_assessments(span: Period, registered: dict[int, str]) -> list[GoalFact]:
    """The case worker's attainment in force per goal and meeting (as app/attainment/services.py
    attainment_for reads it), and each provider's and school's in the status before the meeting (as
    provider_attainment_for), at meetings before the span's end, with the goal's life domain as assessed."""
    newer = aliased(GoalAttainment)
    found = [GoalFact(case_id, team_id, worker, kind, held_on, meeting_id, goal_id, domain, "caseworker", step,
                      registered.get(meeting_id))
             for case_id, team_id, worker, kind, held_on, meeting_id, goal_id, domain, step in db.session.execute(
                 select(Case.id, Case.team_id, Case.caseworker_id, Meeting.kind, Meeting.held_on, Meeting.id,
                        GoalAttainment.goal_id, GoalVersion.domain, GoalAttainment.attainment)
                 .join(Meeting, Meeting.id == GoalAttainment.meeting_id).join(Case, Case.id == Meeting.case_id)
                 .join(GoalVersion, (GoalVersion.goal_id == GoalAttainment.goal_id)
                       & (GoalVersion.number == GoalAttainment.goal_version))
                 .outerjoin(newer, newer.corrects_id == GoalAttainment.id)
                 .where(newer.id.is_(None), Meeting.held_on < span.end)
                 .order_by(Case.id, Meeting.held_on, Meeting.id, GoalAttainment.goal_id))]
    domains = {(goal_id, number): domain for goal_id, number, domain in
               db.session.execute(select(GoalVersion.goal_id, GoalVersion.number, GoalVersion.domain))}
    for case_id, team_id, worker, kind, held_on, meeting_id, answers in db.session.execute(
        select(Case.id, Case.team_id, Case.caseworker_id, Meeting.kind, Meeting.held_on, Meeting.id, Response.answers)
        .join(Invitation, Invitation.id == Response.invitation_id).join(Round, Round.id == Invitation.round_id)
        .join(Meeting, Meeting.id == Round.meeting_id).join(Case, Case.id == Meeting.case_id)
        .where(Round.kind == "status", Response.instrument_id == STATUS_FORM.id, Response.superseded_at.is_(None),
               Response.declined.is_(False), Meeting.held_on < span.end)
        .order_by(Case.id, Meeting.held_on, Meeting.id, Response.id)
    ):
        for entry in (answers or {}).get("goals", []):
            if isinstance(entry, dict) and entry.get("attainment") and entry.get("goal_id") is not None:
                found.append(GoalFact(case_id, team_id, worker, kind, held_on, meeting_id, entry["goal_id"],
                                      domains.get((entry["goal_id"], entry.get("version")), "other"), "provider",
                                      entry["attainment"], registered.get(meeting_id)))
    return found


def _on_time(done: date | None, due_on: date) -> str:
    return "missing" if done is None else "on_time" if done <= due_on else "late"


def _phone_calls(period: Period, registered: dict[int, str]) -> list[DueFact]:
    """One phone follow-up per parent at a start-up, follow-up or notification meeting, due 14 days
    after it (app/indicators/schedule.py), counted in the period it fell due; done = the parent reached."""
    reached = (select(PhoneFollowUp.meeting_id, PhoneFollowUp.person_id, func.min(PhoneFollowUp.recorded_at).label("at"))
               .where(PhoneFollowUp.reached.is_(True)).group_by(PhoneFollowUp.meeting_id, PhoneFollowUp.person_id)
               .subquery())
    days = timedelta(days=schedule.PHONE_FOLLOW_UP_DAYS)
    rows = db.session.execute(
        select(Case.id, Case.team_id, Case.caseworker_id, Meeting.kind, Meeting.held_on, reached.c.at, Meeting.id)
        .join(Meeting, Meeting.case_id == Case.id)
        .join(meeting_participant, meeting_participant.c.meeting_id == Meeting.id)
        .join(Person, Person.id == meeting_participant.c.person_id)
        .outerjoin(reached, (reached.c.meeting_id == Meeting.id) & (reached.c.person_id == Person.id))
        .where(Meeting.kind.in_(sorted(schedule.PHONE_FOLLOW_UP_KINDS)), Person.role.in_(PARENT_ROLES),
               Meeting.held_on >= period.start - days, Meeting.held_on < period.end - days)
    ).all()
    return [DueFact(case_id, team_id, worker, kind, held_on + days, "phone_follow_up",
                    _on_time(_local(at) if at else None, held_on + days), registered.get(meeting_id))
            for case_id, team_id, worker, kind, held_on, at, meeting_id in rows]


def _statuses(period: Period, registered: dict[int, str]) -> list[DueFact]:
    """Each provider's (or school's) status asked for with a due date in the period; done = answered."""
    answered = (select(Response.invitation_id, func.min(Response.submitted_at).label("at"))
                .where(Response.declined.is_(False)).group_by(Response.invitation_id).subquery())
    rows = db.session.execute(
        select(Case.id, Case.team_id, Case.caseworker_id, Meeting.kind, Round.due_on, answered.c.at, Meeting.id)
        .join(Meeting, Meeting.case_id == Case.id).join(Round, Round.meeting_id == Meeting.id)
        .join(Invitation, Invitation.round_id == Round.id)
        .outerjoin(answered, answered.c.invitation_id == Invitation.id)
        .where(Round.kind == "status", Round.due_on >= period.start, Round.due_on < period.end,
               Invitation.revoked_at.is_(None))
    ).all()
    return [DueFact(case_id, team_id, worker, kind, due_on, "provider_status",
                    _on_time(_local(at) if at else None, due_on), registered.get(meeting_id))
            for case_id, team_id, worker, kind, due_on, at, meeting_id in rows]


def _measurements(period: Period, registered: dict[int, str], today: date) -> list[DueFact]:
    """Each indicator measurement the case's rhythm scheduled in the period (the due list's
    reading, app/due/loaders.py, and its matching, schedule.coverage), while the case was open:
    on time (measured on or before the date, within its window), late (after it, within the
    window) or missing. A measured one counts under its meeting's method, a missing one as "other"."""
    rhythm = procedure().rhythm_months
    found = measured()
    cases = {case_id: (team_id, worker) for case_id, team_id, worker in db.session.execute(
        select(Case.id, Case.team_id, Case.caseworker_id).join(CaseIndicators, CaseIndicators.case_id == Case.id))}
    closed: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for case_id, closed_on, reopened_on in db.session.execute(
            select(CaseClosure.case_id, CaseClosure.closed_on, CaseClosure.reopened_on)
            .where(CaseClosure.closed_on.is_not(None))):
        closed[case_id].append((closed_on, reopened_on))
    rows = []
    for case_id, rhythm_of in sorted(found.items()):
        done = [entry for entry in rhythm_of.done if entry[0] <= today]
        meetings = {}
        for held_on, meeting_id, kind in done:
            meetings.setdefault(held_on, (meeting_id, kind))
        team_id, worker = cases[case_id]
        for scheduled, _opens, _closes, by in schedule.coverage(rhythm_of.intake_on, [d for d, _m, _k in done], rhythm):
            if scheduled >= period.end:
                break
            if scheduled < period.start or any(start <= scheduled and (end is None or scheduled < end)
                                               for start, end in closed[case_id]):
                continue
            meeting_id, kind = meetings[by] if by is not None else (None, "")
            rows.append(DueFact(case_id, team_id, worker, kind, scheduled, "measurement",
                                "missing" if by is None else "on_time" if by <= scheduled else "late",
                                registered.get(meeting_id) if meeting_id is not None else None))
    return rows


def _local(moment: datetime) -> date:
    return local_date(moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc))


def first_meeting() -> date | None:
    """The day of the first meeting with a feedback round: where releases can start."""
    return db.session.scalar(select(func.min(Meeting.held_on)).join(Round, Round.meeting_id == Meeting.id)
                             .where(Round.kind == "feedback"))


def teams() -> dict[int, str]:
    return dict(db.session.execute(select(Team.id, Team.name).order_by(Team.name)).all())


def _chunks(ids: list[int], size: int = 5000):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]
