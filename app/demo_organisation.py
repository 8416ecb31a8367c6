"""Demo organisation: two teams' cases over six quarters, so every figure has something to draw.

Issue 14 item 7. Everything is made through the services, with a fixed seed, so a demo looks the
same each time; the past is made realistic by setting the stored timestamps to the meeting's day
afterwards (the services stamp "now"). Running it again adds nothing: the first case's reference
says the organisation is there.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select, update

from app.attainment import services as attainment
from app.attainment.models import GoalAttainment
from app.auth.models import Department, Team, User
from app.cases import background
from app.cases import closure as closures
from app.cases import services as cases
from app.cases.models import Case, CaseClosure
from app.demo import plausible_answers
from app.extensions import db
from app.figures import releases
from app.figures.facts import first_meeting, load_span
from app.figures.periods import Period, closed_since
from app.indicators import services as indicators
from app.indicators.models import DEFAULT_FORM, FinalScore, IndicatorRound
from app.invitations import services as rounds
from app.invitations.models import Invitation, Response, Round
from app.measures import services as measures
from app.measures.ladder import current_ladder
from app.measures.models import Measure, MeasureVersion
from app.reconcile import services as decisions
from app.reconcile.models import Decision
from app.registrations import services as registrations
from app.registrations.models import MethodRegistration, PhoneFollowUp
from app.respond import services as respond
from app.settings import lists
from app.settings import services as settings

SEED = 14
DEPARTMENT = "Børn og Unge"
CASES_PER_TEAM = 25
# How far back the cases start: six quarters.
HISTORY_DAYS = 540
# (username, name): the password is the username, as demo/demo.
TEAMS = {
    "Team Nord": {"leader": ("teamleder-nord", "Karen Teamleder"),
                  "workers": [("nord1", "Jens Rådgiver"), ("nord2", "Sofie Rådgiver"), ("nord3", "Ali Rådgiver")]},
    "Team Syd": {"leader": ("teamleder-syd", "Peter Teamleder"),
                 "workers": [("syd1", "Maria Rådgiver"), ("syd2", "Henrik Rådgiver"), ("syd3", "Fatima Rådgiver")]},
}
OTHERS = [("leder", "leder", "Birgitte Leder", "leader"), ("analytiker", "analytiker", "Ole Analytiker", "analyst")]
CHILDREN = ["Noah", "Ida", "William", "Freja", "Oscar", "Alma", "Lucas", "Clara", "Victor", "Agnes", "Emil", "Ella",
            "Malthe", "Karla", "Aksel", "Olivia", "Carl", "Sofia", "Alfred", "Josefine", "Elias", "Luna", "August"]
PARENTS = {"mother": ["Camilla", "Louise", "Maja", "Sara", "Nadia"], "father": ["Thomas", "Martin", "Kasper", "Ahmed", "Rasmus"]}
GOALS = [
    {"text": "Barnet kommer i skole eller dagtilbud hver dag.", "domain": "school", "kind": "improve",
     "responsible": "Forældrene og skolen", "documentation": "Fraværet falder"},
    {"text": "Familien har rolige morgener og aftener.", "domain": "family", "kind": "improve",
     "responsible": "Forældrene, med støtte", "documentation": "Forældrene fortæller det på mødet"},
]
# The rungs a case's measures climb or step down, one measure after the other (FIGURES.md K8–K9):
# together they stand on every rung, network placement included, moving both ways.
PATHS = [
    ["supportive"], ["preventive", "supportive"], ["supportive", "intensive"], ["intensive", "network_placement"],
    ["foster_care", "network_placement"], ["residential_care", "foster_care"], ["universal"],
    ["supportive", "foster_care", "supportive"], ["network_placement"], ["preventive"], [],
    ["intensive", "supportive"], ["universal", "preventive"],
]
# The organisation's providers (the list ships empty): measures are given by them in turn (FIGURES.md G1).
PROVIDERS = {"familiehuset": "Familiehuset", "ungecentret": "Ungecentret", "familieteamet": "Familieteamet",
             "plejefamilier": "Plejefamilierne"}
# The meetings where the indicators are scored (the case's rhythm decides which were due).
INDICATOR_KINDS = ("startup", "follow_up")
METHOD_OUTCOMES = ["measure", "network_role", "continues", "closed"]
FAILURE_REASONS = ["family_declined", "no_network", "network_declined", "no_coordinator", "too_urgent", "other"]
CLOSE_REASONS = ["measure_ended", "moved", "aged_out", "transferred", "other"]
# The share of placements in the network the demo's leadership aims at (FIGURES.md K9), in percent.
TARGET_NETWORK_SHARE = 40
END_REASONS = ["goal_met", "planned_end", "not_helping", "family_ended", "moved", "other"]


def _at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.utc)


def _user(username: str, password: str, name: str, roles: set[str], team: Team | None) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, name=name, roles=roles, team=team)
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
    return user


def _organisation() -> tuple[dict[str, list[User]], list[tuple[str, str, str]]]:
    """The department, its teams and their people; return the case workers by team and every account."""
    department = db.session.scalar(select(Department).where(Department.name == DEPARTMENT))
    if department is None:
        department = Department(name=DEPARTMENT)
        db.session.add(department)
        db.session.flush()
    accounts: list[tuple[str, str, str]] = []
    workers: dict[str, list[User]] = {}
    for team_name, people in TEAMS.items():
        team = db.session.scalar(select(Team).where(Team.name == team_name))
        if team is None:
            team = Team(name=team_name, department_id=department.id)
            db.session.add(team)
            db.session.flush()
        username, name = people["leader"]
        _user(username, username, name, {"team_leader"}, team)
        accounts.append(("team_leader", username, username))
        workers[team_name] = [_user(u, u, n, {"caseworker"}, team) for u, n in people["workers"]]
        accounts += [("caseworker", u, u) for u, _n in people["workers"]]
    for username, password, name, role in OTHERS:
        _user(username, password, name, {role}, None)
        accounts.append((role, username, password))
    if not any("admin" in u.roles for u in db.session.scalars(select(User))):
        _user("admin", "admin", "Administrator", {"admin"}, None)
        accounts.append(("admin", "admin", "admin"))
    return workers, accounts


def _codes(name: str) -> list[str]:
    """The list's codes in use, in the list's order, so the seed gives the same demo each time."""
    return [code for code, _label in lists.choices(name) if code in lists.codes(name)]


def _ref(team_name: str, number: int) -> str:
    return f"{team_name.split()[-1].upper()}-{number:02d}"


def create_organisation(today: date | None = None) -> list[tuple[str, str, str]]:
    """Create the demo organisation if it is not there; return (role, username, password) per account."""
    today = today or date.today()
    workers, accounts = _organisation()
    first = _ref(next(iter(TEAMS)), 1)
    if db.session.scalar(select(Case.id).where(Case.external_ref == first)) is not None:
        return accounts  # made before, and its figures released then
    if not lists.codes("provider"):
        lists.save("provider", [{"code": code, "labels": {"da": name}} for code, name in PROVIDERS.items()])
    rng = random.Random(SEED)
    number = 0
    for team_name, team_workers in workers.items():
        for i in range(CASES_PER_TEAM):
            _Case(rng, team_workers[i % len(team_workers)], _ref(team_name, i + 1), number, today).build()
            number += 1
    db.session.flush()
    if settings.get("target_network_share") is None:
        # The leadership's target K9 is drawn against; an administrator changes it on the settings page.
        settings.put("target_network_share", TARGET_NETWORK_SHARE)
    release_closed(today)
    return accounts


def release_closed(today: date) -> list[releases.Outcome]:
    """Release every closed quarter and half-year since the first meeting, as `flask figures release
    --all-closed` does. Months are left out: a month is released only where no cell is hidden,
    which a demo of fifty children never reaches, and trying them would double the run time."""
    first = first_meeting()
    periods = closed_since(first, today, ("quarter", "half")) if first is not None else []
    if not periods:
        return []
    read = load_span(Period(min(p.start for p in periods), max(p.end for p in periods), "span", "all"))
    outcomes = []
    for period in periods:
        try:
            outcomes.append(releases.release(period, today, read))
        except releases.Refused:
            continue
    return outcomes


class _Case:
    """One generated case: its people, background, meetings with answers, measures, methods, closings."""

    def __init__(self, rng: random.Random, worker: User, ref: str, number: int, today: date):
        self.rng, self.worker, self.ref, self.number, self.today = rng, worker, ref, number, today
        self.ladder = current_ladder()

    def build(self) -> None:
        rng, n = self.rng, self.number
        target_groups, case_types = _codes("target_group"), _codes("case_type")
        target_group = target_groups[n % len(target_groups)]
        age = rng.randint(18, 21) if target_group == "young_adults" else (
            rng.randint(0, 1) if target_group == "infants" else rng.randint(4, 17))
        start = self.today - timedelta(days=rng.randint(40, HISTORY_DAYS))
        case = self.case = cases.create_case(self.worker, rng.choice(CHILDREN), start.year - age, self.ref)
        for role, names in PARENTS.items():
            if role == "mother" or rng.random() < 0.75:
                cases.save_person(case, None, {"role": role, "first_name": rng.choice(names), "relation": role,
                                               "language": "da"})
        if rng.random() < 0.6:
            cases.save_person(case, None, {"role": "network", "first_name": "Inge", "relation": "mormor", "language": "da"})
        path = PATHS[n % len(PATHS)]
        if path:
            cases.save_person(case, None, {"role": "provider", "first_name": "Lars", "relation": "familiebehandler",
                                           "language": "da"})
        for goal in GOALS:
            cases.add_goal(case, self.worker, goal)
        indicators.save_case_settings(case, DEFAULT_FORM, start)
        self.statuses: dict[str, int] = {}
        background.set_background(case, self.worker, {"target_group": target_group,
                                                      "case_type": case_types[n % len(case_types)]})
        days = self._meeting_days(start)
        # Every third case has a network meeting or a family group conference as its second meeting.
        method_at = 1 if n % 3 == 0 and len(days) > 1 else None
        # Every fourth case closes after its last meeting (or earlier, when a method closed it);
        # every eighth opens again a month after its closing, and goes on.
        close_at = len(days) - 1 if n % 4 == 1 and len(days) > 1 else None
        reopen = n % 8 == 1
        # Each step of the path starts ten days after a meeting; steps beyond the last meeting 20 days apart.
        measure_days = [days[min(i, len(days) - 1)] + timedelta(days=10 + 20 * max(0, i - len(days) + 1))
                        for i in range(len(path))]
        running: Measure | None = None
        closed_until: date | None = None
        for index, day in enumerate(days):
            if closed_until is not None and day <= closed_until:
                continue  # closed: no meetings until it opens again
            kind = "startup" if index == 0 else "follow_up"
            if index == method_at:
                kind = "network_meeting" if n % 2 == 0 else "family_group_conference"
            meeting = self._meeting(kind, day, index)
            if index == method_at:
                self._method(meeting, n // 3)
            closing = closures.open_closure(case)
            if closing is None:
                following = days[index + 1] if index + 1 < len(days) else self.today
                for step, measure_day in enumerate(measure_days):
                    if day < measure_day <= following:
                        running = self._measure(running, path[step], measure_day)
                if index == close_at:
                    closed_on = min(day + timedelta(days=14), self.today)
                    closing, _new = closures.close_case(case, self.worker, closures.Closing(
                        closed_on, CLOSE_REASONS[n % len(CLOSE_REASONS)], meeting_id=meeting.id))
                    self._stamp(CaseClosure, CaseClosure.id == closing.id, closed_at=_at(closed_on))
            if closing is not None:
                if running is not None and running.current.ended_on is None:
                    self._end(running, max(closing.closed_on, running.current.started_on),
                              END_REASONS[n // 4 % len(END_REASONS)])
                closed_until = self.today
                if reopen:
                    reopen = False
                    closed_until = self._reopen(closing)
        if method_at is None and n % 3 == 1:
            self._method_not_used(days[0], n // 3)

    def _meeting_days(self, start: date) -> list[date]:
        days, day = [], start
        while day <= self.today - timedelta(days=3):
            days.append(day)
            day += timedelta(days=self.rng.randint(55, 100))
        return days

    def _meeting(self, kind: str, day: date, index: int):
        """Hold the meeting, ask everyone there for feedback, answer most of it, decide it, all on its day."""
        rng, case = self.rng, self.case
        meeting = cases.record_meeting(case, kind, day, [p.id for p in case.people])
        proposed = rounds.proposal(meeting)
        choices = {pid: [i.id for i in found] for pid, found in proposed.items() if found}
        if not choices:
            return meeting
        round_, _tokens = rounds.open_round(meeting, self.worker, choices)
        for invitation in round_.invitations:
            if rng.random() < 0.8 or invitation.person.role == "child":
                level = min(9.5, 3 + index * 1.2 + rng.uniform(-1.5, 1.5))
                answers = {i.id: plausible_answers(i, level, rng) for i in proposed[invitation.person_id]}
                respond.submit(invitation, answers, "da")
                self._stamp(Response, Response.invitation_id == invitation.id,
                            submitted_at=_at(min(day + timedelta(days=rng.randint(0, 5)), self.today), 15))
        past = day + timedelta(days=14) < self.today
        self._stamp(Invitation, Invitation.round_id == round_.id, issued_at=_at(day),
                    **({"expires_at": _at(day + timedelta(days=14))} if past else {}))
        self._stamp(Round, Round.id == round_.id, created_at=_at(day))
        if past:
            decisions.decide(case, [round_], self.worker, outcome=rng.choice(["no_adjustment", "action"]),
                             text="Planen følges.", follow_up_on=None)
            decided = _at(day + timedelta(days=10))
            self._stamp(Round, Round.id == round_.id, locked_at=decided)
            self._stamp(Decision, Decision.case_id == case.id, Decision.decided_at > decided, decided_at=decided)
        if kind in INDICATOR_KINDS:
            self._indicators(meeting)
        if index > 0 and attainment.takes_attainment(meeting):
            goals = attainment.goals_followed_up(meeting, [])
            steps = ["some", "high", "full", "none", "not_relevant", "not_followed_up"]
            attainment.record(meeting, self.worker, {g.id: steps[(index + g.id) % len(steps)] for g in goals}, self.today)
            self._stamp(GoalAttainment, GoalAttainment.meeting_id == meeting.id, recorded_at=_at(day, 16))
        for person in registrations.parents_at(meeting):
            if registrations.takes_phone_follow_up(meeting, person) and rng.random() < 0.85:
                registrations.record_phone_follow_up(meeting, person, self.worker, {
                    "reached": True, "started": "yes", "helps": rng.randint(2, 5), "notes": ""})
        self._stamp(PhoneFollowUp, PhoneFollowUp.meeting_id == meeting.id,
                    recorded_at=_at(min(day + timedelta(days=rng.randint(5, 12)), self.today)))
        return meeting

    def _indicators(self, meeting) -> None:
        """Score the indicators at the meeting (FIGURES.md G1, G2): the case worker's final status and goal
        per factor, most moving toward the goal, some back; now and then a factor left as "ved ikke" or
        unscored (G1's "ikke fulgt op")."""
        rng = self.rng
        form = indicators.current_forms().get(DEFAULT_FORM)
        split = indicators.procedure().family_split and form.family_split
        round_, _tokens = rounds.start_round(meeting, self.worker, "indicators", [])
        db.session.add(IndicatorRound(round_id=round_.id, form_id=form.id, form_version=form.version,
                                      family_split=split, together=True, scorers=["caseworker"]))
        entries, unscored = {}, []
        for factor in form.factors(split):
            before = self.statuses.get(factor.key)
            status = rng.randint(1, 5) if before is None else max(1, min(5, before + rng.choice((-2, -1, -1, 0, 0, 1))))
            if before is not None and rng.random() < 0.08:
                if rng.random() < 0.5:
                    entries[factor.key] = {"dont_know": True}
                else:
                    unscored.append(factor.key)
                continue
            self.statuses[factor.key] = status
            entries[factor.key] = {"status": status, "goal": max(1, status - rng.choice((0, 1, 1, 2)))}
        indicators.save_final_scores(round_, self.worker, entries)
        # Decided without a status for these, with the reason, as the decision gate records it.
        db.session.add_all(FinalScore(round_id=round_.id, factor=key, unscored=True, rationale="Ikke drøftet på mødet.",
                                      set_by_id=self.worker.id) for key in unscored)
        self._stamp(Round, Round.id == round_.id, created_at=_at(meeting.held_on))
        self._stamp(FinalScore, FinalScore.round_id == round_.id, set_at=_at(meeting.held_on, 14))

    def _method(self, meeting, turn: int) -> None:
        """Register the held method with each outcome in turn; "closed" closes the case after it."""
        outcome = METHOD_OUTCOMES[turn % len(METHOD_OUTCOMES)]
        if outcome == "closed":
            closures.close_case(self.case, self.worker,
                                closures.Closing(meeting.held_on, "closed_no_measure", meeting_id=meeting.id))
            self._stamp(CaseClosure, CaseClosure.case_id == self.case.id, closed_at=_at(meeting.held_on, 16))
        registrations.register_method(meeting, self.worker, {
            "status": "held", "occasion": "first" if turn % 3 else "follow_up", "method": meeting.kind,
            **self._background(), "child_took_part": self.rng.random() < 0.7, "parents_took_part": True,
            "network_count": self.rng.randint(1, 6), "professional_count": self.rng.randint(1, 3),
            "plan_coverage": self.rng.randint(2, 5), "outcome": outcome,
            "network_role": "Mormor henter i skolen to dage om ugen." if outcome == "network_role" else None,
        })
        self._stamp(MethodRegistration, MethodRegistration.meeting_id == meeting.id,
                    registered_at=_at(meeting.held_on, 17))

    def _method_not_used(self, day: date, turn: int) -> None:
        """A method offered and not used, or tried and failed, with each reason in turn (FIGURES.md K2)."""
        reason = FAILURE_REASONS[turn % len(FAILURE_REASONS)]
        registrations.register_without_meeting(self.case, self.worker, {
            "status": "not_used" if turn % 2 else "failed", "occasion": "first",
            "method": "family_group_conference" if turn % 2 else "network_meeting", **self._background(),
            "failure_reason": reason, "failure_note": "Forsøgt to gange." if reason == "other" else None,
            "outcome": "measure" if turn % 3 else "continues", "occurred_on": day + timedelta(days=5),
        })
        self._stamp(MethodRegistration, MethodRegistration.case_id == self.case.id,
                    MethodRegistration.meeting_id.is_(None), registered_at=_at(day + timedelta(days=5)))

    def _background(self) -> dict:
        now = background.current_background([self.case.id])[self.case.id]
        return {"target_group": now.target_group, "case_type": now.case_type}

    def _measure(self, running: Measure | None, rung: str, day: date) -> Measure:
        """Start a measure on the rung; the one running ends the day before, replaced by it."""
        if running is not None and running.current.ended_on is None:
            self._end(running, day - timedelta(days=1), "replaced")
        kinds = self.ladder.rung(rung).kinds
        providers = list(PROVIDERS)
        measure = measures.add_measure(self.case, self.worker, {"kind": kinds[self.number % len(kinds)].code,
                                                                "provider": providers[(self.number + day.day) % 4],
                                                                "started_on": day}, today=self.today)
        self._stamp(Measure, Measure.id == measure.id, created_at=_at(day))
        self._stamp(MeasureVersion, MeasureVersion.measure_id == measure.id, written_at=_at(day))
        return measure

    def _end(self, measure: Measure, day: date, reason: str) -> None:
        measures.end_measure(measure, self.worker, {"ended_on": day, "end_reason": reason,
                                                    "end_note": "Aftalt på mødet." if reason == "other" else None},
                             today=self.today)
        self._stamp(MeasureVersion, MeasureVersion.measure_id == measure.id, MeasureVersion.number > 1,
                    written_at=_at(day))

    def _reopen(self, closing: CaseClosure) -> date:
        """Open the case again a month after its closing, for each reason in turn, with a new
        start-up meeting; return the day it opened."""
        reasons = _codes("reopen_reason")
        day = min(closing.closed_on + timedelta(days=30), self.today)
        closures.reopen_case(self.case, self.worker, closures.Reopening(
            day, reasons[self.number // 8 % len(reasons)], "Ny henvendelse fra skolen."))
        self._stamp(CaseClosure, CaseClosure.id == closing.id, reopened_at=_at(day))
        if day + timedelta(days=3) <= self.today - timedelta(days=3):
            self._meeting("startup", day + timedelta(days=3), 0)
        return day + timedelta(days=3)

    @staticmethod
    def _stamp(model, *where, **values) -> None:
        """Set stored timestamps to the day things happened (the services stamp now); the rows
        are kept as written otherwise, so this goes around the ORM's guards on purpose."""
        db.session.flush()
        db.session.execute(update(model).where(*where).values(**values).execution_options(synchronize_session=False))
