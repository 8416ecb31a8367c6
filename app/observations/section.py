"""The case page's observation section: the newest observations, those waiting, the standing links."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import or_, select

from app.cases.models import Case
from app.cases.page import section
from app.extensions import db
from app.observations.models import Observation, ObservationLink

RECENT = 10


@dataclass(frozen=True)
class ObservationRow:
    kind: str
    first_name: str
    role: str
    submitted_at: datetime
    undecided: bool
    text: str
    goal_text: str | None
    language: str = "da"  # the language of the page it was written on


@dataclass(frozen=True)
class LinkRow:
    id: int
    first_name: str
    role: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None


@dataclass
class ObservationSection:
    recent: list[ObservationRow] = field(default_factory=list)
    waiting: int = 0  # observations no decision has taken a position on yet
    links: list[LinkRow] = field(default_factory=list)


def _row(observation: Observation) -> ObservationRow:
    person = observation.person
    return ObservationRow(observation.kind, person.first_name, person.role, observation.submitted_at,
                          observation.decided_at is None, observation.text, observation.goal_text,
                          observation.language)


@section("observations")
def observation_section(case: Case, today: date) -> ObservationSection:
    """Two queries: the links (with who made them), then the newest and the undecided observations."""
    links = db.session.scalars(
        select(ObservationLink).where(ObservationLink.case_id == case.id)
        .order_by(ObservationLink.id.desc())
    ).all()
    newest = (select(Observation.id).where(Observation.case_id == case.id)
              .order_by(Observation.submitted_at.desc(), Observation.id.desc()).limit(RECENT))
    observations = db.session.scalars(
        select(Observation).where(Observation.case_id == case.id,
                                  or_(Observation.decided_at.is_(None), Observation.id.in_(newest.scalar_subquery())))
        .order_by(Observation.submitted_at.desc(), Observation.id.desc())
    ).all()
    return ObservationSection(
        recent=[_row(o) for o in observations[:RECENT]],
        waiting=sum(1 for o in observations if o.decided_at is None),
        links=[LinkRow(link.id, link.person.first_name, link.person.role, link.created_at, link.created_by.name,
                       link.revoked_at) for link in links],
    )
