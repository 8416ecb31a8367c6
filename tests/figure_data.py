"""A small organisation for the figures' tests: teams, case workers, and cases whose parents were
asked after a meeting in a closed period, written straight into the product's tables."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from secrets import token_hex

from app.auth.models import Team, User
from app.cases.models import Case, Meeting, Person
from app.extensions import db
from app.invitations.models import Invitation, Response, Round
from tests.factories import PASSWORD

# Every item of the adults' participation form, agreeing.
AGREE = {"heard_respected": "5", "contributed": "4", "childs_view": "5", "plan_realistic": "4", "backs_plan": "5",
         "own_part": "4"}


def last_years_quarter() -> tuple[str, date]:
    """A closed quarter, whatever day the tests run: the first quarter of last year, and a day in it."""
    year = date.today().year - 1
    return f"{year}-Q1", date(year, 2, 10)


@dataclass
class Org:
    teams: dict[str, int] = field(default_factory=dict)
    workers: dict[str, list[int]] = field(default_factory=dict)
    cases: dict[str, list[int]] = field(default_factory=dict)
    invitations: dict[int, int] = field(default_factory=dict)  # case id -> the mother's invitation


def organisation(app, sizes: dict[str, tuple[int, int]], held_on: date, answered: bool = True,
                 kind: str = "network_meeting") -> Org:
    """Teams named in `sizes` with (case workers, cases) each; each case's mother asked after one meeting.

    Case workers log in as <team>-<n> (lower case, spaces removed) with the factories' password.
    """
    org = Org()
    with app.app_context():
        for team_name, (workers, cases) in sizes.items():
            team = Team(name=team_name)
            db.session.add(team)
            db.session.flush()
            org.teams[team_name] = team.id
            users = []
            for n in range(workers):
                user = User(username=f"{team_name.lower().replace(' ', '')}-{n}", name=f"Rådgiver {n}",
                            roles={"caseworker"}, team_id=team.id)
                user.set_password(PASSWORD)
                db.session.add(user)
                users.append(user)
            db.session.flush()
            org.workers[team_name] = [u.id for u in users]
            org.cases[team_name] = []
            for n in range(cases):
                worker = users[n % workers]
                case = Case(team_id=team.id, caseworker_id=worker.id, child_birth_year=held_on.year - 9)
                child, mother = Person(role="child", first_name="Barn"), Person(role="mother", first_name="Mor")
                case.people += [child, mother]
                meeting = Meeting(case=case, kind=kind, held_on=held_on)
                round_ = Round(meeting=meeting, kind="feedback", created_by_id=worker.id)
                issued = datetime.combine(held_on, datetime.min.time(), timezone.utc)
                invitation = Invitation(round=round_, person=mother, instrument_ids=["participation-adult"],
                                        token_hash=token_hex(32), issued_at=issued,
                                        expires_at=issued + timedelta(days=14))
                db.session.add_all([case, meeting, round_, invitation])
                if answered:
                    db.session.add(answer(invitation, issued))
                db.session.flush()
                org.cases[team_name].append(case.id)
                org.invitations[case.id] = invitation.id
        db.session.commit()
    return org


def answer(invitation: Invitation, at: datetime, answers: dict | None = None) -> Response:
    return Response(invitation=invitation, instrument_id="participation-adult", instrument_version=2,
                    answers=AGREE if answers is None else answers, declined=False, language="da",
                    submitted_at=at + timedelta(days=1), submission_id=token_hex(16))


def answer_late(app, invitation_id: int) -> None:
    """The mother answers after the period has closed (a late answer)."""
    with app.app_context():
        invitation = db.session.get(Invitation, invitation_id)
        db.session.add(answer(invitation, datetime.now(timezone.utc)))
        db.session.commit()
