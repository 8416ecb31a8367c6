"""Demo data: Emma's case, as the first issue tells it, with months of answers behind it."""

import random
from datetime import date, timedelta

from sqlalchemy import select

from app.auth.models import Team, User
from app.cases import background
from app.cases import services as cases
from app.cases.models import Case
from app.extensions import db
from app.indicators import services as indicators
from app.instruments import Instrument
from app.invitations import services as rounds
from app.invitations.links import respondent_url
from app.observations import services as observations
from app.reconcile import services as decisions
from app.registrations import services as registrations
from app.respond import services as respond
from app.status import services as status
from app.status import wishes

PEOPLE = [
    ("mother", "Mette", "mor"),
    ("father", "Jonas", "far"),
    ("network", "Grete", "mormor"),
    ("provider", "Lise", "familiebehandler"),
]
# The demo case's reference: how a second run knows the demo is already there.
DEMO_REF = "DEMO-1"
# How a printed link is named after its round's kind: "school-status", "father-wishes".
LINK_NAMES = {"status": "status", "see_happen": "wishes"}
# Demo addresses on a reserved domain: nothing can ever reach a real inbox.
EMAILS = {"provider": "lise@familiehuset.example", "school": "bente@skolen.example"}

GOALS = [
    {"text": "Emma kommer i skole hver dag og bliver der hele dagen.", "domain": "school", "kind": "improve",
     "responsible": "Mor, far og skolen", "documentation": "Skolefravær under 10 %"},
    {"text": "Emma sover i sin egen seng og er udhvilet om morgenen.", "domain": "health", "kind": "improve",
     "responsible": "Mor og far, med Lise", "documentation": "Forældrene fortæller det på opfølgningsmødet"},
    {"text": "Emma ser sin mormor hver uge, som hun gør nu.", "domain": "family", "kind": "maintain",
     "responsible": "Mormor og mor", "documentation": "Mormor fortæller det"},
]

# Final indicator status (1 best) at the intake and three months later, and the goal set at
# the intake (INSTRUMENTS.md section 4); the second round shows every classification.
INDICATORS = {
    "development": (3, 2, 3), "family_mother": (2, 2, 2), "family_father": (3, 2, 4), "family_siblings": (1, 1, 1),
    "school": (4, 3, 3), "health": (3, 2, 2), "leisure": (3, 2, 2), "self_reliance": (2, 2, 2),
    "attachment": (2, 1, 1), "crime": (1, 1, 1),
}


def create_demo() -> list[tuple[str, str]]:
    """Create the demo; return (role, url) for every open invitation."""
    team = db.session.scalar(select(Team).where(Team.name == "Demo-team")) or Team(name="Demo-team")
    user = db.session.scalar(select(User).where(User.username == "demo"))
    if user is None:
        user = User(username="demo", name="Anne Rådgiver", roles={"caseworker"}, team=team)
        user.set_password("demo")
        db.session.add(user)
        db.session.flush()
    today = date.today()
    case = cases.create_case(user, "Emma", today.year - 9, DEMO_REF)
    for role, name, relation in PEOPLE:
        cases.save_person(case, None, {"role": role, "first_name": name, "relation": relation, "language": "da",
                                       "email": EMAILS.get(role)})
    for goal in GOALS:
        cases.add_goal(case, user, goal)
    indicators.save_procedure(user, scorers=["caseworker", "provider", "parents"], together=False, rhythm_months=6,
                              default_form="indicators-child-family", family_split=True)
    indicators.save_case_settings(case, "indicators-child-family", today - timedelta(days=150))
    add_history(case, user, months=5, rng=random.Random(9))
    add_indicator_rounds(case, user)
    add_phone_follow_ups(case, user)
    add_observations(case, user)
    meeting = cases.record_meeting(case, "network_meeting", today, [p.id for p in case.people])
    choices = {pid: [i.id for i in found] for pid, found in rounds.proposal(meeting).items()}
    # Emma also gets the well-being ruler, which is offered but never ticked by itself.
    choices[case.child.id].append("wellbeing-ruler")
    round_, issued = rounds.open_round(meeting, user, choices)
    background.set_background(case, user, {"target_group": "vulnerable", "case_type": "ongoing_measure"})
    # A family group conference offered earlier, which the family said no to (FIGURES.md K2).
    registrations.register_without_meeting(case, user, {
        "status": "not_used", "occasion": "first", "method": "family_group_conference", "target_group": "vulnerable",
        "case_type": "ongoing_measure", "failure_reason": "family_declined", "outcome": "continues",
        "occurred_on": today - timedelta(days=120),
    })
    registrations.register_method(meeting, user, {
        "status": "held", "occasion": "first", "method": "network_meeting", "target_group": "vulnerable", "case_type": "ongoing_measure",
        "child_took_part": True, "parents_took_part": True, "network_count": 1, "professional_count": 2,
        "plan_coverage": 4, "outcome": "continues",
    })
    links = [(inv.person.role, respondent_url(issued[inv.id])) for inv in round_.invitations]
    links += add_status_and_wishes(case, user)
    db.session.commit()
    return links


def existing_demo() -> Case | None:
    """Return the demo case if `flask demo-data` already made it."""
    return db.session.scalar(
        select(Case).join(User, User.id == Case.caseworker_id)
        .where(User.username == "demo", Case.external_ref == DEMO_REF).order_by(Case.id).limit(1)
    )


def renew_open_links(case: Case) -> list[tuple[str, str]]:
    """Give every link on the case that can still be answered a fresh token (the old link stops
    working); return (name, url) for each, named and ordered as create_demo prints them."""
    links = []
    for meeting in sorted(case.meetings, key=lambda m: (m.held_on, m.id)):
        for round_ in sorted(meeting.rounds, key=lambda r: r.id):
            if round_.is_locked:
                continue
            for invitation in round_.invitations:
                if invitation.status() in ("waiting", "opened", "expired"):
                    role = invitation.person.role
                    name = role if round_.kind == "feedback" else f"{role}-{LINK_NAMES.get(round_.kind, round_.kind)}"
                    links.append((name, respondent_url(rounds.reissue(invitation))))
    return links


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


def add_indicator_rounds(case, user: User) -> None:
    """Score Emma's indicators at the intake meeting and three months later, and decide both."""
    today = date.today()
    meetings = sorted((m for m in case.meetings if m.held_on in (today - timedelta(days=150), today - timedelta(days=60))),
                      key=lambda m: m.held_on)
    for number, meeting in enumerate(meetings):
        round_, _ = indicators.start_round(meeting, user)
        scores = {key: values[0 if number == 0 else 2] for key, values in INDICATORS.items()}
        goals = {key: values[1] for key, values in INDICATORS.items()}
        info = indicators.indicator_round(round_)
        for invitation in round_.invitations:
            # The provider agrees with the final status; the mother sees health two steps worse now.
            asked = {f.key for f in indicators.asked_factors(info, invitation.person.role, indicators.child_age(meeting))}
            seen = {k: v for k, v in scores.items() if k in asked}
            if number == 1 and invitation.person.role == "mother":
                seen["health"] = min(5, seen["health"] + 2)
            answers = {"scores": {k: {"status": v, "goal": min(v, goals[k]), "text": ""} for k, v in seen.items()}}
            respond.submit_own(invitation, indicators.form_of(info), answers, "da")
        indicators.save_final_scores(round_, user, {
            key: {"status": scores[key], "goal": min(scores[key], goals[key]) if number == 0 else goals[key],
                  "rationale": "Samlet vurdering på mødet."}
            for key in INDICATORS
        })
        decisions.decide(case, [round_], user, outcome="no_adjustment", text="Planen følges.", follow_up_on=None)


def add_status_and_wishes(case, user: User) -> list[tuple[str, str]]:
    """Plan a follow-up meeting in two weeks: the provider's status is in, the school's is
    awaited; the family is asked what they want to see happen. Returns the open links."""
    today = date.today()
    school = cases.save_person(case, None, {"role": "school", "first_name": "Bente", "relation": "lærer",
                                            "language": "da", "email": EMAILS["school"]})
    asked = [p for p in case.people if p.role == "provider"] + [school]
    round_, issued = status.request_status(case, user, meeting=None, new_meeting_on=today + timedelta(days=14),
                                           due_on=today + timedelta(days=7), people=asked)
    goals = status.goals_at(round_)
    form = {status.goal_field(g, "attainment"): a for g, a in zip(goals, ("some", "high", "full"))}
    form[status.goal_field(goals[0], "works")] = "Morgenaftalen med skolen: Emma bliver hentet af Bente ved porten."
    form[status.goal_field(goals[1], "worries")] = "Hun vågner stadig nogle nætter og går ind til mor."
    form |= {"overall": "Emma er mere glad og tryg end i foråret. Fraværet er faldet.", "rating": "7",
             "reviewed": "yes", "reviewed_on": today.isoformat(), "family_comments": "Mor er enig. Far vil gerne tale om weekenderne."}
    answers, problems = status.validate(form, goals, today)
    assert not problems, problems
    provider = next(inv for inv in round_.invitations if inv.person.role == "provider")
    status.submit(provider, answers, "da")
    meeting = round_.meeting
    family = [p for p in case.people if p.role in ("child", "mother", "father")]
    meeting.participants.extend(p for p in family if p not in meeting.participants)
    # Emma is 9: children are asked for wishes from 10 (forms/see-happen.toml), so her parents are.
    askable = [p for p in family if not wishes.not_asked(meeting, [p])]
    wishes_round, wish_tokens = wishes.ask(meeting, user, askable, today)
    said = {"mother": ("At Emma sover hele natten.", "At vi har en rolig morgen.", "")}
    for invitation in wishes_round.invitations:
        if invitation.person.role in said:
            first, second, third = said[invitation.person.role]
            respond.submit(invitation, {"see-happen": {k: v for k, v in
                                                       zip(("first", "second", "third"), (first, second, third)) if v}},
                           "da")
    waiting = [inv for inv in round_.invitations if inv.person.role == "school"]
    return [(f"school-{LINK_NAMES['status']}", respondent_url(issued[inv.id])) for inv in waiting] + [
        (f"{inv.person.role}-{LINK_NAMES['see_happen']}", respondent_url(wish_tokens[inv.id]))
        for inv in wishes_round.invitations if inv.person.role == "father"
    ]


def add_phone_follow_ups(case, user: User) -> None:
    """Record the calls to both parents after each follow-up meeting, except the father's
    after the latest: he did not answer once, so that call is on the due list, overdue."""
    today = date.today()
    for meeting in case.meetings:
        for person in registrations.parents_at(meeting):
            if not registrations.takes_phone_follow_up(meeting, person):
                continue
            if meeting.held_on == today - timedelta(days=30) and person.role == "father":
                registrations.record_phone_follow_up(meeting, person, user, {"reached": False, "notes": "Tog ikke telefonen."})
            else:
                registrations.record_phone_follow_up(meeting, person, user, {
                    "reached": True, "started": "yes", "helps": 4, "notes": "Det går bedre med morgenerne."})


def add_observations(case, user: User) -> None:
    """Grete, Emma's grandmother, holds a standing link and has told two things not yet decided on."""
    grete = next(p for p in case.people if p.role == "network")
    link, _ = observations.create_link(case, grete, user)
    weekly = next(g for g in case.open_goals if g.current.domain == "family")
    observations.submit(link, "positive", "Emma var hos mig hele lørdagen og ville gerne blive til aftensmad.",
                        weekly, "da")
    observations.submit(link, "mixed", "Hun var glad, men sagde, at hun er træt om morgenen før skole.", None, "da")
