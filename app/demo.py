"""Demo data: Emma's case, as the first issue tells it, with months of answers behind it."""

import random
from datetime import date, timedelta

from sqlalchemy import select

from app.auth.models import Team, User
from app.cases import services as cases
from app.extensions import db
from app.invitations import services as rounds
from app.instruments import Instrument
from app.invitations.links import respondent_url
from app.reconcile import services as decisions
from app.respond import services as respond

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
    add_history(case, user, months=5, rng=random.Random(9))
    meeting = cases.record_meeting(case, "network_meeting", today, [p.id for p in case.people])
    choices = {pid: [i.id for i in found] for pid, found in rounds.proposal(meeting).items()}
    round_, issued = rounds.open_round(meeting, user, choices)
    db.session.commit()
    return [(inv.person.role, respondent_url(issued[inv.id])) for inv in round_.invitations]


COMMENTS = ["Det går lidt bedre i skolen.", "Vi har haft en svær uge.", "Godt møde, tak.", "Emma sover bedre nu."]


def plausible_answers(instrument: Instrument, level: float, rng: random.Random) -> dict:
    """Answer every item of the form near a level of 0–10, as a real respondent might."""
    answers: dict = {}
    for item in instrument.items:
        if item.type == "vas":
            answers[item.key] = round(min(10.0, max(0.0, level + rng.uniform(-1.5, 1.5))), 1)
        elif item.type == "scale":
            answers[item.key] = min(item.points, max(1, round(level / 10 * item.points + rng.uniform(-1, 1))))
        elif item.type in ("text", "longtext") and rng.random() < 0.3:
            answers[item.key] = rng.choice(COMMENTS)
        elif item.type == "choice":
            answers[item.key] = item.values[0]
        elif item.type == "yesno":
            answers[item.key] = True
    return answers


def add_history(case, user: User, months: int, rng: random.Random) -> None:
    """Add a decided follow-up meeting a month apart for each of the past months, everyone answering."""
    levels = {person.id: rng.uniform(3, 6) for person in case.people}
    today = date.today()
    for month in range(months, 0, -1):
        meeting = cases.record_meeting(case, "follow_up", today - timedelta(days=30 * month), [p.id for p in case.people])
        proposed = rounds.proposal(meeting)
        round_, _ = rounds.open_round(meeting, user, {pid: [i.id for i in found] for pid, found in proposed.items()})
        for invitation in round_.invitations:
            level = levels[invitation.person_id] = min(9.5, levels[invitation.person_id] + rng.uniform(-0.5, 1.0))
            answers = {i.id: plausible_answers(i, level, rng) for i in proposed[invitation.person_id]}
            respond.submit(invitation, answers, invitation.person.language)
        decisions.decide(case, [round_], user, outcome="no_adjustment", text="Planen følges.", follow_up_on=None)
