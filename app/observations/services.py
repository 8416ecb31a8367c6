"""Standing observation links: make, find by token, revoke; observations: store, list undecided."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload

from app import audit, tokens
from app.auth.models import User
from app.cases import news
from app.cases.models import Case, Goal, Person
from app.extensions import db
from app.observations.models import Observation, ObservationLink
from app.timestamps import utcnow

log = logging.getLogger(__name__)

# Roles that may hold a standing link: the adults around the child, never the child.
LINK_ROLES = ("network", "mother", "father", "carer", "provider", "school")
# The same observation sent again this soon (a double click) is the same observation.
REPEAT_WINDOW = timedelta(minutes=2)


class LinkRevoked(Exception):
    """The link was revoked (perhaps while the observation was on its way); nothing was stored."""

    def __init__(self, link: ObservationLink) -> None:
        self.link = link


class LinkError(ValueError):
    """The link cannot be made as asked; the message says why, for the case worker."""


def may_hold_link(person: Person) -> bool:
    return person.role in LINK_ROLES


def create_link(case: Case, person: Person, user: User) -> tuple[ObservationLink, str]:
    """Make a standing link for a person of the case; return it and the raw token (never stored).

    A person holds one working link: an earlier one still working is revoked, so a link
    shown on a screen nobody saw (a double click, a closed tab) never stays open.
    """
    case.refuse_if_closed()
    if person.case_id != case.id or not may_hold_link(person):
        raise LinkError("person")
    for earlier in db.session.scalars(
        select(ObservationLink).where(ObservationLink.person_id == person.id, ObservationLink.revoked_at.is_(None))
    ):
        revoke(earlier)
    token = tokens.new_token()
    link = ObservationLink(case_id=case.id, person=person, token_hash=tokens.hash_token(token), created_by=user)
    db.session.add(link)
    db.session.flush()
    audit.record("observation_link.create", case.id, link_id=link.id, person_id=person.id)
    return link, token


def revoke(link: ObservationLink) -> bool:
    """Stop the link from working; return False when it was already revoked."""
    if link.revoked_at is not None:
        return False
    link.revoked_at = utcnow()
    audit.record("observation_link.revoke", link.case_id, link_id=link.id)
    return True


def find_link(token: str) -> ObservationLink | None:
    """Return the link a token opens, revoked or not; None for an unknown or malformed token."""
    if not tokens.is_well_formed(token):
        return None
    # What the page shows in two statements: the person, the case with its people and case
    # worker; then the goals to choose from, with their wording.
    case = joinedload(ObservationLink.case)
    return db.session.execute(
        select(ObservationLink)
        .where(ObservationLink.token_hash == tokens.hash_token(token))
        .options(joinedload(ObservationLink.person), case.joinedload(Case.people), case.joinedload(Case.caseworker),
                 case.selectinload(Case.goals).joinedload(Goal.versions))
    ).unique().scalar_one_or_none()


def _hold(link: ObservationLink) -> None:
    """Serialise writes through this link and check it still works, inside the writing transaction.

    An observation belongs to no round, so no decision can lock it out; what can stop it is
    the link's revocation. The no-op UPDATE locks the link's row (PostgreSQL) or takes the
    database's write lock (SQLite), so a revocation either committed first and is seen here,
    or waits; and a double tap's second request waits and then finds the first's observation.
    """
    held = db.session.execute(
        update(ObservationLink)
        .where(ObservationLink.id == link.id, ObservationLink.revoked_at.is_(None))
        .values(revoked_at=None)
        .execution_options(synchronize_session=False)
    )
    if held.rowcount != 1:
        raise LinkRevoked(link)


def submit(link: ObservationLink, kind: str, text: str, goal: Goal | None, lang: str,
           submission: str | None = None) -> Observation:
    """Store an observation, once per submission (one rendered form, app.forms.SubmissionField);
    the same one sent twice in a row (a double click) is stored once too.

    A new observation is news for the case worker (app.cases.news).
    """
    _hold(link)
    text, goal_id = text.strip(), goal.id if goal is not None else None
    latest = db.session.scalar(
        select(Observation).where(Observation.link_id == link.id).order_by(Observation.id.desc()).limit(1)
    )
    if latest is not None and _same(latest, kind, text, goal_id) and utcnow() - latest.submitted_at < REPEAT_WINDOW:
        return latest
    values = {"case_id": link.case_id, "link_id": link.id, "kind": kind, "text": text, "goal_id": goal_id,
              "goal_version": goal.current.number if goal is not None else None, "language": lang,
              "submitted_at": utcnow(), "submission_id": submission}
    observation = _insert_once(values)
    if observation is None:
        # This form was stored before: the same observation again, or changed on a page the browser kept.
        earlier = db.session.scalar(select(Observation).where(Observation.submission_id == submission))
        if earlier is not None and _same(earlier, kind, text, goal_id):
            return earlier
        observation = _insert_once(values | {"submission_id": None})
    log.info("observation link %s: observation sent", link.id)
    news.tell_caseworker(link.case)
    return observation


def _same(observation: Observation, kind: str, text: str, goal_id: int | None) -> bool:
    return (observation.kind, observation.text, observation.goal_id) == (kind, text, goal_id)


def _insert_once(values: dict) -> Observation | None:
    """Insert the observation unless its submission id is stored already (then return None).

    The database's unique index decides, in the INSERT itself (ON CONFLICT DO NOTHING): two
    requests carrying one submission can never both store it, whatever reached them first.
    """
    dialect = db.session.get_bind().dialect.name
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Observation)
    statement = statement.values(values).on_conflict_do_nothing(index_elements=["submission_id"])
    return db.session.scalar(statement.returning(Observation))


def undecided_observations(case: Case) -> list[Observation]:
    """Return the case's observations no decision has taken a position on yet, oldest first."""
    return list(
        db.session.scalars(
            select(Observation)
            .where(Observation.case_id == case.id, Observation.decided_at.is_(None))
            .order_by(Observation.submitted_at, Observation.id)
        )
    )
