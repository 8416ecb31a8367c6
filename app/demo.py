"""Demo data: Emma's case, as the first issue tells it."""

from datetime import date

from sqlalchemy import select

from app.auth.models import Team, User
from app.cases import services as cases
from app.extensions import db
from app.invitations import services as rounds
from app.invitations.links import respondent_url

PEOPLE = [
    ("mother", "Mette", "mor"),
    ("father", "Jonas", "far"),
    ("network", "Grete", "mormor"),
    ("provider", "Lise", "familiebehandler"),
]


def create_demo() -> list[tuple[str, str]]:
    """Create the demo; return (role, url) for every open invitation."""
    team = db.session.scalar(select(Team).where(Team.name == "Demo-team")) or Team(name="Demo-team")
    user = db.session.scalar(select(User).where(User.username == "demo"))
    if user is None:
        user = User(username="demo", name="Anne Rådgiver", role="caseworker", team=team)
        user.set_password("demo")
        db.session.add(user)
        db.session.flush()
    today = date.today()
    case = cases.create_case(user, "Emma", today.year - 9, "DEMO-1")
    for role, name, relation in PEOPLE:
        cases.save_person(case, None, {"role": role, "first_name": name, "relation": relation, "language": "da"})
    meeting = cases.record_meeting(case, "network_meeting", today, [p.id for p in case.people])
    choices = {pid: [i.id for i in found] for pid, found in rounds.proposal(meeting).items()}
    round_, issued = rounds.open_round(meeting, user, choices)
    db.session.commit()
    return [(inv.person.role, respondent_url(issued[inv.id])) for inv in round_.invitations]
