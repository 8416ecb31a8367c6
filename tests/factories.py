"""Build test data through the same services the app uses; hand back ids, not objects."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import Flask
from flask_login import login_user

from app.auth.models import Department, Team, User
from app.cases import services as cases
from app.cases.models import Case
from app.demo import PEOPLE as EMMA_PEOPLE
from app.extensions import db
from app.invitations import services as rounds
from app.invitations.models import Invitation
from app.respond import services as respond

PASSWORD = "correct horse battery"

# The forms of Emma's default round, by role: the case worker's own choice at her network meeting,
# FIT outcome and session for Emma and her parents, participation for the grandmother and the
# provider. The proposal itself puts participation first at a network meeting (issue 10 item 18,
# tested in test_instrument_proposal.py and test_rounds.py); the tests answering this round are
# about answering, reconciling and reporting, whatever the proposal ticks. open_round=False, or
# emma(forms=None) for a round of exactly what the proposal ticks.
EMMA_ROUND: dict[str, list[str]] = {
    "child": ["fit-outcome-child", "fit-session-child"],
    "mother": ["fit-outcome-child", "fit-session"],
    "father": ["fit-outcome-child", "fit-session"],
    "network": ["participation-network"],
    "provider": ["participation-adult"],
}


@dataclass
class CaseIds:
    case: int
    people: dict[str, int] = field(default_factory=dict)
    meeting: int | None = None
    round: int | None = None
    goal: int | None = None
    invitations: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)


class Factory:
    def __init__(self, app: Flask):
        self.app = app

    def team(self, name: str = "Team Nord") -> int:
        with self.app.app_context():
            team = Team(name=name)
            db.session.add(team)
            db.session.commit()
            return team.id

    def user(self, username: str = "anne", role: str | tuple[str, ...] = "caseworker", team: int | None = None,
             name: str = "Anne Rådgiver", email: str | None = None) -> int:
        """A staff user; `role` is one role or a tuple of several."""
        with self.app.app_context():
            user = User(username=username, name=name, roles={role} if isinstance(role, str) else set(role),
                        team_id=team, email=email)
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.commit()
            return user.id

    def emma(self, user_id: int, *, child_age: int = 9, kind: str = "network_meeting",
             open_round: bool = True, exempt: str | None = None,
             forms: dict[str, list[str]] | None = EMMA_ROUND, extra: dict[str, list[str]] | None = None) -> CaseIds:
        """Emma's case: five people, a meeting today, and (by default) an open round of `forms`
        by role (None: what the proposal ticks), with the forms in `extra` (by role) besides."""
        with self.app.test_request_context():
            user = db.session.get(User, user_id)
            login_user(user)
            today = date.today()
            case = cases.create_case(user, "Emma", today.year - child_age, "Sag-Ø-17")
            ids = CaseIds(case=case.id, people={"child": case.child.id})
            if exempt:
                case.child.fit_exemption = exempt
            for role, name, relation in EMMA_PEOPLE:
                person = cases.save_person(case, None, {"role": role, "first_name": name, "relation": relation, "language": "da"})
                ids.people[role] = person.id
            meeting = cases.record_meeting(case, kind, today, [p.id for p in case.people])
            ids.meeting = meeting.id
            if open_round:
                choices = {pid: [i.id for i in found] for pid, found in rounds.proposal(meeting).items()}
                if forms is not None:
                    choices = {person.id: list(forms.get(person.role, [])) for person in case.people}
                for person in case.people:
                    if extra and person.role in extra:
                        choices[person.id] = choices.get(person.id, []) + extra[person.role]
                round_, issued = rounds.open_round(meeting, user, choices)
                ids.round = round_.id
                for invitation in round_.invitations:
                    ids.invitations[invitation.person.role] = invitation.id
                    ids.tokens[invitation.person.role] = issued[invitation.id]
            db.session.commit()
            return ids

    def goal(self, case_id: int, text: str = "Emma kommer i skole hver dag.", **fields: str) -> int:
        """Add a goal to the case as its case worker, through the service."""
        with self.app.test_request_context():
            case = db.session.get(Case, case_id)
            login_user(case.caseworker)
            data = {"text": text, "domain": "school", "kind": "improve"} | fields
            goal = cases.add_goal(case, case.caseworker, data)
            db.session.commit()
            return goal.id

    def method_offered(self, case_id: int, **fields) -> int:
        """Register a family group conference offered and not used, with no meeting (issue 14 item 3)."""
        from app.registrations import services as registrations

        with self.app.test_request_context():
            case = db.session.get(Case, case_id)
            login_user(case.caseworker)
            data = {"status": "not_used", "occasion": "first", "method": "family_group_conference",
                    "target_group": "vulnerable", "case_type": "notification", "failure_reason": "family_declined",
                    "outcome": "continues", "occurred_on": date.today() - timedelta(days=7)} | fields
            registration, _stored = registrations.register_without_meeting(case, case.caseworker, data)
            db.session.commit()
            return registration.id

    def answer(self, invitation_id: int, answers: dict[str, dict] | None = None, *, declined: bool = False) -> None:
        """Answer (or decline) an invitation's forms as the respondent would."""
        with self.app.test_request_context():
            invitation = db.session.get(Invitation, invitation_id)
            if declined:
                respond.decline(invitation, "da")
            else:
                respond.submit(invitation, answers or {}, "da")
            db.session.commit()

    def earlier_round(self, ids: CaseIds, held_on: date, answers: dict[str, dict[str, dict]],
                      kind: str = "follow_up", forms: dict[str, list[str]] | None = None) -> int:
        """Add a meeting on an earlier date with a round in which these roles answered. The round
        asks what the proposal ticks, or, for the roles in `forms`, the forms the case worker chose."""
        with self.app.test_request_context():
            case = db.session.get(Case, ids.case)
            login_user(case.caseworker)
            meeting = cases.record_meeting(case, kind, held_on, [p.id for p in case.people])
            choices = {pid: [i.id for i in found] for pid, found in rounds.proposal(meeting).items()}
            choices |= {p.id: list(forms[p.role]) for p in case.people if p.role in (forms or {})}
            round_, _ = rounds.open_round(meeting, case.caseworker, choices)
            for invitation in round_.invitations:
                if invitation.person.role in answers:
                    respond.submit(invitation, answers[invitation.person.role], "da")
            db.session.commit()
            return round_.id

    # --- resultatdokumentation (indicator rounds) --------------------------------------------

    def indicator_case(self, user_id: int, *, form: str = "indicators-child-family", intake: date | None = None,
                       child_age: int = 9, **procedure) -> CaseIds:
        """Emma's case with an indicator form chosen; the procedure saved if settings are given."""
        from datetime import timedelta

        from app.indicators import services as indicators

        ids = self.emma(user_id, open_round=False, child_age=child_age)
        with self.app.test_request_context():
            user = db.session.get(User, user_id)
            login_user(user)
            if procedure:
                settings = {"scorers": ["caseworker", "provider", "parents"], "together": False,
                            "rhythm_months": 6, "default_form": form, "family_split": True} | procedure
                indicators.save_procedure(user, **settings)
            case = db.session.get(Case, ids.case)
            indicators.save_case_settings(case, form, intake or date.today() - timedelta(days=1))
            db.session.commit()
        return ids

    def indicator_round(self, ids: CaseIds, held_on: date | None = None) -> int:
        """Start an indicator round on a meeting held on `held_on` (default: Emma's meeting)."""
        from app.cases.models import Meeting
        from app.indicators import services as indicators

        with self.app.test_request_context():
            case = db.session.get(Case, ids.case)
            login_user(case.caseworker)
            if held_on is None:
                meeting = db.session.get(Meeting, ids.meeting)
            else:
                meeting = cases.record_meeting(case, "follow_up", held_on, [p.id for p in case.people])
            round_, issued = indicators.start_round(meeting, case.caseworker)
            db.session.commit()
            ids.round = round_.id
            ids.invitations, ids.tokens = {}, {}
            for invitation in round_.invitations:
                ids.invitations[invitation.person.role] = invitation.id
                ids.tokens[invitation.person.role] = issued[invitation.id]
            return round_.id

    def final_scores(self, round_id: int, entries: dict[str, dict]) -> None:
        """Set final scores as the case worker: {factor: {"status": 3, "goal": 2}}."""
        from app.indicators import services as indicators
        from app.invitations.models import Round

        with self.app.test_request_context():
            round_ = db.session.get(Round, round_id)
            login_user(round_.meeting.case.caseworker)
            indicators.save_final_scores(round_, round_.meeting.case.caseworker, entries)
            db.session.commit()

    def decide_round(self, round_id: int, reason: str = "", text: str = "Planen virker.") -> int:
        """Decide on the round (no adjustment) as the case worker, through the service; return the decision's id."""
        from app.invitations.models import Round
        from app.reconcile import services as reconcile

        with self.app.test_request_context():
            round_ = db.session.get(Round, round_id)
            case = round_.meeting.case
            login_user(case.caseworker)
            decision = reconcile.decide(case, [round_], case.caseworker, outcome="no_adjustment", text=text,
                                        follow_up_on=None, unscored_reason=reason)
            db.session.commit()
            return decision.id

    # ---- Provider status and wishes before a meeting (issue 4, flows B and C) ----

    def school(self, case_id: int, name: str = "Bente", email: str | None = "bente@skole.dk") -> int:
        """Add the child's school to the case."""
        with self.app.test_request_context():
            case = db.session.get(Case, case_id)
            person = cases.save_person(case, None, {"role": "school", "first_name": name, "relation": "lærer",
                                                    "email": email, "language": "da"})
            db.session.commit()
            return person.id

    def status_request(self, ids: CaseIds, *, roles: tuple[str, ...] = ("provider",), due_in: int = 7,
                       meeting_in: int = 14) -> tuple[int, dict[str, str], dict[str, int]]:
        """Ask the case's provider (and school) for a status before a new follow-up meeting.

        Gives each asked person an e-mail address first; returns the round id, tokens and
        invitation ids by role.
        """
        from datetime import timedelta

        from app.status import services as status

        with self.app.test_request_context():
            case = db.session.get(Case, ids.case)
            login_user(case.caseworker)
            people = [p for p in case.people if p.role in roles]
            for person in people:
                person.email = person.email or f"{person.first_name.lower()}@udfoerer.dk"
            round_, issued = status.request_status(
                case, case.caseworker, meeting=None, new_meeting_on=date.today() + timedelta(days=meeting_in),
                due_on=date.today() + timedelta(days=due_in), people=people)
            db.session.commit()
            tokens = {inv.person.role: issued[inv.id] for inv in round_.invitations}
            invitations = {inv.person.role: inv.id for inv in round_.invitations}
            return round_.id, tokens, invitations


    def observation_link(self, case_id: int, person_id: int) -> tuple[int, str]:
        """Give a person of the case a standing observation link; return its id and raw token."""
        from app.observations import services as observations

        with self.app.test_request_context():
            case = db.session.get(Case, case_id)
            login_user(case.caseworker)
            person = next(p for p in case.people if p.id == person_id)
            link, token = observations.create_link(case, person, case.caseworker)
            db.session.commit()
            return link.id, token

    def observation(self, token: str, kind: str = "positive", text: str = "Emma lo hele vejen hjem.",
                    goal_id: int | None = None) -> int:
        """Send an observation through a standing link, as the network member would."""
        from app.cases.models import Goal
        from app.observations import services as observations

        with self.app.test_request_context():
            link = observations.find_link(token)
            goal = db.session.get(Goal, goal_id) if goal_id else None
            observation = observations.submit(link, kind, text, goal, "da")
            db.session.commit()
            return observation.id

    # ---- Measures on the intervention ladder (issue 14 item 2) ----

    def measure(self, case_id: int, kind: str = "family_treatment", started_on: date | None = None, **data) -> int:
        """Add a measure to the case as its case worker, through the service; return its id."""
        from datetime import timedelta

        from app.measures import services as measures

        with self.app.test_request_context():
            case = db.session.get(Case, case_id)
            login_user(case.caseworker)
            values = {"kind": kind, "started_on": started_on or date.today() - timedelta(days=30)} | data
            measure = measures.add_measure(case, case.caseworker, values)
            db.session.commit()
            return measure.id


def vas(*values: float, keys: tuple[str, ...] = ("me", "family", "school", "everything")) -> dict[str, float]:
    """Four VAS answers, by default to the child outcome form's items."""
    return dict(zip(keys, values, strict=True))


SESSION_KEYS = ("heard", "topics", "approach", "overall")
SESSION_CHILD_KEYS = ("listened", "mattered", "liked", "overall")


def proposed_forms(html: str) -> dict[int, list[str]]:
    """Return the forms ticked per person id on the proposal page."""
    checked: dict[int, list[str]] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        if "checked" in tag and 'name="person_' in tag:
            person = int(re.search(r'name="person_(\d+)"', tag).group(1))
            checked.setdefault(person, []).append(re.search(r'value="([^"]+)"', tag).group(1))
    return checked


def selected_option(html: str, name: str) -> str | None:
    """The value of the chosen option in the select `name` on a page."""
    select_html = html.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    found = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select_html)
    return next((g for g in found.groups() if g is not None), None) if found else None


def login(client, username: str = "anne", password: str = PASSWORD):
    return client.post("/login", data={"username": username, "password": password})



def demo_case(app: Flask) -> dict:
    """Build `flask demo-data`'s case (app/demo.py): Emma with goals, decided and open feedback
    rounds with answers, indicator rounds with scorings, a status round with a status, wishes,
    observations through a standing link, phone follow-ups and a method registration.

    Returns the ids a walk over the staff pages needs; the case worker logs in as demo/demo.
    """
    from sqlalchemy import select

    from app.demo import create_demo
    from app.observations.models import ObservationLink
    from app.reconcile.models import Decision
    from app.registrations.models import MethodRegistration

    with app.test_request_context():
        create_demo()
        case = db.session.scalar(select(Case).where(Case.external_ref == "DEMO-1"))
        rounds = [r for m in case.meetings for r in m.rounds]
        feedback = sorted((r for r in rounds if r.kind == "feedback"), key=lambda r: r.id)
        link = db.session.scalar(select(ObservationLink).where(ObservationLink.case_id == case.id))
        decision = db.session.scalar(select(Decision).where(Decision.case_id == case.id).order_by(Decision.id))
        # The demo's team in a department (issue 13), so the walk opens a department's page.
        department = Department(name="Børn og Unge")
        db.session.add(department)
        db.session.flush()
        db.session.get(Team, case.team_id).department_id = department.id
        db.session.commit()
        measure = _demo_measures(case)
        return {
            "case_id": [case.id],
            "person_id": [p.id for p in case.people if p.role in ("mother", "provider")],
            "meeting_id": sorted({r.meeting_id for r in rounds}),
            "round_id": sorted({feedback[-1].id, feedback[-2].id} | {r.id for r in rounds if r.kind != "feedback"}),
            "invitation_id": [feedback[-1].invitations[0].id],
            "goal_id": [case.goals[0].id],
            "link_id": [link.id],
            "decision_id": [decision.id],
            "user_id": [case.caseworker_id],
            "team_id": [case.team_id],
            "department_id": [department.id],
            "form_id": ["fit-outcome-child", "indicators-under-3"],
            "registration_id": sorted(r.id for r in db.session.scalars(
                select(MethodRegistration).where(MethodRegistration.case_id == case.id))),
            "measure_id": [measure],
        }


def _demo_measures(case: Case) -> int:
    """Give the demo case a measure that ended and one that runs (until the demo data has measures of
    its own); return the running one's id."""
    from datetime import timedelta

    from app.measures import services as measures

    login_user(case.caseworker)
    today = date.today()
    measures.add_measure(case, case.caseworker, {
        "kind": "family_treatment", "started_on": today - timedelta(days=400), "ended_on": today - timedelta(days=100),
        "end_reason": "replaced", "end_note": "Netværket tog over."})
    running = measures.add_measure(case, case.caseworker, {
        "kind": "network_foster_family", "started_on": today - timedelta(days=99)})
    db.session.commit()
    return running.id


def no_script_but_ours(html: str) -> bool:
    """Tell whether a respondent page's only script is static/respond.js: no inline script, nothing
    from elsewhere. The page works without it (it only draws the lines and sends on a weak connection)."""
    ours = re.findall(r'<script src="/static/respond\.js\?v=[0-9a-f]{12}" defer></script>', html)
    return html.count("<script") == len(ours)
