"""Load what the round, reconciliation and report pages show, in a few queries, before they render.

The templates then only read: each function here loads one kind of thing for the whole
page (a round's decisions, a case's latest decisions, the observations waiting), whatever
the number of meetings, rounds or answers.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.cases.models import Case
from app.extensions import db
from app.invitations.models import Round
from app.invitations.overview import RoundOverview
from app.observations.models import Observation
from app.reconcile.filing import TO_FILE
from app.reconcile.history import CaseHistory
from app.reconcile.models import Decision, DecisionFiling
from app.status.section import status_views

_DECISION_PARTS = (selectinload(Decision.observations), selectinload(Decision.corrected_by),
                   selectinload(Decision.follow_up_meeting),
                   selectinload(Decision.filing).joinedload(DecisionFiling.filed_by))


def load_case(case: Case) -> Case:
    """Load the case's people and case worker, which every one of these pages names."""
    case.people  # noqa: B018
    case.caseworker  # noqa: B018
    return case


def load_round(round_: Round) -> Round:
    """Load the round's decisions, with what _decisions.html shows of each, and its meeting's participants."""
    db.session.scalars(
        select(Round).where(Round.id == round_.id).options(selectinload(Round.decisions).options(*_DECISION_PARTS))
    ).all()
    round_.meeting.participants  # noqa: B018
    return round_


def latest_decisions(case: Case, limit: int = 5) -> list[Decision]:
    """Return the case's newest decisions, and any older one still to be filed in the case system
    (issue 12 item 15), with what _decisions.html shows of each."""
    newest = select(Decision.id).where(Decision.case_id == case.id).order_by(Decision.id.desc()).limit(limit)
    return list(db.session.scalars(
        select(Decision).where(Decision.case_id == case.id, or_(Decision.id.in_(newest), TO_FILE))
        .order_by(Decision.id.desc()).options(*_DECISION_PARTS)
    ))


def load_observations(case: Case, observations: Sequence[Observation]) -> list[Observation]:
    """Load who sent the observations (their links) and the goals they are about."""
    if not observations:
        return []
    case.goals  # noqa: B018
    return list(db.session.scalars(
        select(Observation).where(Observation.id.in_([o.id for o in observations]))
        .order_by(Observation.submitted_at, Observation.id).options(selectinload(Observation.link))
    ))


def shown_with(overviews: Sequence[RoundOverview], history: CaseHistory) -> dict:
    """Return what the shared round partials read besides the overviews: each status round's answers."""
    return {"status_views": status_views([o.round for o in overviews], history)}
