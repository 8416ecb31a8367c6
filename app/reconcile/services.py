"""Deciding on new information: the decision is stored, the rounds are locked, a follow-up is planned."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from app import audit
from app.auth.models import User
from app.cases.models import Case, Meeting
from app.cases.services import record_meeting
from app.extensions import db
from app.indicators.services import decision_gate
from app.invitations.kinds import no_decision_kinds
from app.invitations.models import Round
from app.observations.models import Observation
from app.reconcile.models import Decision
from app.timestamps import utcnow

# The same decision posted again this soon (a double click) is the same decision.
REPEAT_WINDOW = timedelta(minutes=2)


class DecisionError(Exception):
    """The decision cannot be recorded as asked; the message says why, for the case worker."""


def repeated(
    rounds: list[Round], user: User, outcome: str, text: str, observations: list[Observation] = ()
) -> Decision | None:
    """Return the decision this one repeats, if the same was just recorded on the same rounds and observations."""
    first = rounds[0] if rounds else (observations[0] if observations else None)
    current = first.decision if first is not None else None
    if (
        current is not None
        and current.decided_by_id == user.id
        and current.outcome == outcome
        and current.text == text
        and {r.id for r in current.rounds} == {r.id for r in rounds}
        and {o.id for o in current.observations} == {o.id for o in observations}
        and utcnow() - current.decided_at < REPEAT_WINDOW
    ):
        return current
    return None


def _covered(case: Case, rounds: list[Round], observations: list[Observation],
             corrects: Decision | None) -> tuple[list[Round], list[Observation]]:
    """Return the rounds and observations the decision covers, or raise why it cannot cover them."""
    if corrects is not None:
        if corrects.case_id != case.id:
            raise DecisionError(_("Beslutningen hører ikke til denne sag."))
        if not corrects.is_current:
            raise DecisionError(_("Beslutningen er allerede rettet. Se den nyeste, og ret den, hvis det stadig er nødvendigt."))
        rounds, observations = list(corrects.rounds), list(corrects.observations)
    if not rounds and not observations:
        raise DecisionError(_("Der er ikke noget nyt at tage stilling til."))
    if any(r.meeting.case_id != case.id for r in rounds):
        raise DecisionError(_("Runden hører ikke til denne sag."))
    if any(r.kind in no_decision_kinds() for r in rounds):
        raise DecisionError(_("Ønsker før et møde er til dagsordenen. Der skal ikke tages stilling til dem."))
    if any(o.case_id != case.id for o in observations):
        raise DecisionError(_("Observationen hører ikke til denne sag."))
    return rounds, observations


def _lock(rounds: list[Round], observations: list[Observation], now) -> None:
    """Lock the rounds and mark the observations decided, each in one conditional statement,
    so two case workers closing at once cannot both succeed."""
    for round_ in rounds:
        locked = db.session.execute(
            update(Round).where(Round.id == round_.id, Round.locked_at.is_(None)).values(locked_at=now)
        )
        if locked.rowcount != 1:
            raise DecisionError(_("Runden er allerede lukket med en beslutning. Vil du ændre den, så ret beslutningen."))
    for observation in observations:
        taken = db.session.execute(
            update(Observation)
            .where(Observation.id == observation.id, Observation.decided_at.is_(None))
            .values(decided_at=now)
        )
        if taken.rowcount != 1:
            raise DecisionError(_("Der er allerede taget stilling til observationen. Vil du ændre det, så ret beslutningen."))
    for round_ in rounds:
        db.session.refresh(round_, ["locked_at"])
    for observation in observations:
        db.session.refresh(observation, ["decided_at"])


def planned_follow_ups(case: Case, today: date) -> list[Meeting]:
    """Return the case's follow-up meetings from today on, soonest first: the decision form
    offers them, and a decision's follow-up on one of their dates is that meeting."""
    return list(db.session.scalars(
        select(Meeting).where(Meeting.case_id == case.id, Meeting.kind == "follow_up", Meeting.held_on >= today)
        .order_by(Meeting.held_on, Meeting.id)
    ))


def _follow_up_meeting(case: Case, on: date, people: set[int]) -> Meeting:
    """Return the follow-up meeting already planned on that day, or plan one with these people:
    a decision never plans a second follow-up meeting on the same day (issue 10, item 6)."""
    planned = db.session.scalar(
        select(Meeting).where(Meeting.case_id == case.id, Meeting.kind == "follow_up", Meeting.held_on == on)
        .order_by(Meeting.id).limit(1)
    )
    return planned or record_meeting(case, "follow_up", on, sorted(people))


def decide(
    case: Case,
    rounds: list[Round],
    user: User,
    *,
    outcome: str,
    text: str,
    follow_up_on: date | None,
    corrects: Decision | None = None,
    unscored_reason: str = "",
    observations: list[Observation] = (),
) -> Decision:
    """Record a decision on the rounds and observations and lock them; a correction replaces
    the decision in force and covers the same rounds and observations."""
    rounds, observations = _covered(case, list(rounds), list(observations), corrects)
    now = utcnow()
    if corrects is None:
        # An indicator round with factors lacking a final status needs a reason (INSTRUMENTS.md §4).
        problem = decision_gate(rounds, user, unscored_reason)
        if problem is not None:
            raise DecisionError(problem)
        _lock(rounds, observations, now)
    meeting = None
    if follow_up_on is not None:
        people = {p.id for r in rounds for p in r.meeting.participants} | {o.link.person_id for o in observations}
        meeting = _follow_up_meeting(case, follow_up_on, people)
    decision = Decision(
        case_id=case.id, outcome=outcome, text=text, follow_up_needed=follow_up_on is not None,
        follow_up_meeting=meeting, corrects=corrects, decided_by=user, decided_at=now,
        rounds=rounds, observations=observations,
    )
    db.session.add(decision)
    db.session.flush()
    audit.record(
        "decision.create", case.id, decision_id=decision.id, rounds=[r.id for r in rounds],
        observations=[o.id for o in observations], corrects=corrects.id if corrects else None,
        follow_up_meeting=meeting.id if meeting else None,
    )
    return decision
