"""Closing and re-opening a case (issue 12 item 14): the closure record and what closing does.

The case's closures (CaseClosure) are the one record of whether, since when and why it is
closed. Closing revokes the case's links still open (personal invitations and standing
observation links), so nobody answers about a closed case, and takes the case off the due list
(all but its decisions still to be filed in the case system, which the retention purge waits
for). Re-opening fills in the closing's second half; the revoked links stay revoked, and new
ones are made on purpose. A method registration with the outcome "closed" closes the case
through here and points to the closing. Every closing and re-opening is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import exists, select, update
from sqlalchemy.orm import contains_eager

from app import audit
from app.auth.models import User
from app.cases.models import Case, CaseClosure, Meeting
from app.extensions import db
from app.invitations import services as invitations
from app.invitations.models import Invitation, Round
from app.observations import services as observations
from app.observations.models import ObservationLink
from app.timestamps import local_today, utcnow

# The same closing or re-opening sent again this soon (a double click) is the same one.
REPEAT_WINDOW = timedelta(minutes=2)

# True for a case with a closing in force; usable in any query that selects Case.
IS_CLOSED = exists().where(CaseClosure.case_id == Case.id, CaseClosure.reopened_on.is_(None))


class ClosureError(Exception):
    """The case cannot be closed or re-opened as asked; the message says why, for the case worker."""


@dataclass(frozen=True)
class Closing:
    """What the case worker says when closing a case."""

    closed_on: date
    reason: str
    note: str | None = None
    meeting_id: int | None = None


@dataclass(frozen=True)
class Reopening:
    """What the case worker says when re-opening a case."""

    reopened_on: date
    reason: str
    note: str | None = None


def open_closure(case: Case) -> CaseClosure | None:
    """Return the case's closing in force, read from the database (not from a loaded list)."""
    return db.session.scalar(
        select(CaseClosure).where(CaseClosure.case_id == case.id, CaseClosure.reopened_on.is_(None))
    )


def _clean(note: str | None) -> str | None:
    # NUL is never typed on purpose, and PostgreSQL cannot store it.
    return (note or "").replace("\x00", "").strip() or None


def close_case(case: Case, user: User, closing: Closing) -> tuple[CaseClosure, bool]:
    """Close the case: record the closing, revoke its open links, audit it.

    Returns the closing in force and whether it is new: the same closing again (a double
    click) stores nothing. A case already closed otherwise raises ClosureError; two closings
    at the same instant meet the unique index of closings in force (IntegrityError).
    """
    note = _clean(closing.note)
    current = open_closure(case)
    if current is not None:
        if (current.closed_on, current.reason, current.note, current.meeting_id, current.closed_by_id) == (
                closing.closed_on, closing.reason, note, closing.meeting_id, user.id):
            return current, False
        raise ClosureError(_("Sagen er allerede lukket."))
    meeting = db.session.get(Meeting, closing.meeting_id) if closing.meeting_id else None
    if meeting is not None and (meeting.case_id != case.id or meeting.held_on > closing.closed_on):
        raise ClosureError(_("Sagen kan ikke være lukket efter et møde, der blev holdt senere (%(date)s).",
                             date=format_date(meeting.held_on, "d. MMMM yyyy")))
    closure = CaseClosure(case_id=case.id, closed_on=closing.closed_on, reason=closing.reason, note=note,
                          meeting_id=closing.meeting_id, closed_by=user, closed_at=utcnow())
    db.session.add(closure)
    db.session.flush()
    invitations_revoked, links_revoked = revoke_open_links(case)
    audit.record("case.close", case.id, closure_id=closure.id, reason=closing.reason,
                 invitations_revoked=invitations_revoked, observation_links_revoked=links_revoked)
    return closure, True


def revoke_open_links(case: Case) -> tuple[int, int]:
    """Revoke every link of the case that still works; return how many invitations and
    observation links were revoked. Each revocation is audited as when done by hand."""
    now = utcnow()
    open_invitations = db.session.scalars(
        select(Invitation).join(Invitation.round).join(Round.meeting)
        .where(Meeting.case_id == case.id, Invitation.revoked_at.is_(None), Invitation.expires_at > now)
        .options(contains_eager(Invitation.round).contains_eager(Round.meeting))
        .order_by(Invitation.id)
    ).all()
    for invitation in open_invitations:
        invitations.revoke(invitation)
    links = db.session.scalars(
        select(ObservationLink).where(ObservationLink.case_id == case.id, ObservationLink.revoked_at.is_(None))
        .order_by(ObservationLink.id)
    ).all()
    revoked = sum(1 for link in links if observations.revoke(link))
    return len(open_invitations), revoked


def _latest(case: Case) -> CaseClosure | None:
    return db.session.scalar(
        select(CaseClosure).where(CaseClosure.case_id == case.id).order_by(CaseClosure.id.desc()).limit(1)
    )


def _same_reopening(closure: CaseClosure | None, user: User, reopening: Reopening, note: str | None) -> bool:
    return (
        closure is not None and closure.reopened_at is not None
        and (closure.reopened_on, closure.reopen_reason, closure.reopen_note, closure.reopened_by_id)
        == (reopening.reopened_on, reopening.reason, note, user.id)
        and utcnow() - closure.reopened_at < REPEAT_WINDOW
    )


def reopen_case(case: Case, user: User, reopening: Reopening) -> tuple[CaseClosure, bool]:
    """Re-open the closed case: fill in its closing's re-opening, once, and audit it.

    Returns the closing and whether anything was stored (the same re-opening again within a
    short while, a double click, stores nothing). An open case raises ClosureError, as does a
    date before the closing. Two re-openings at the same instant: one fills it in, the other
    finds it filled in.
    """
    note = _clean(reopening.note)
    current = open_closure(case)
    if current is None:
        latest = _latest(case)
        if _same_reopening(latest, user, reopening, note):
            return latest, False
        raise ClosureError(_("Sagen er ikke lukket."))
    if current.closed_on is not None and reopening.reopened_on < current.closed_on:
        raise ClosureError(_("Sagen kan ikke genåbnes før den dag, den blev lukket (%(date)s).",
                             date=format_date(current.closed_on, "d. MMMM yyyy")))
    filled = db.session.execute(
        update(CaseClosure).where(CaseClosure.id == current.id, CaseClosure.reopened_on.is_(None))
        .values(reopened_on=reopening.reopened_on, reopen_reason=reopening.reason, reopen_note=note,
                reopened_by_id=user.id, reopened_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if filled.rowcount != 1:
        raise ClosureError(_("Sagen er lige blevet genåbnet af en anden."))
    db.session.refresh(current)
    audit.record("case.reopen", case.id, closure_id=current.id, reason=reopening.reason)
    return current, True


def close_after_method(meeting: Meeting, user: User) -> CaseClosure:
    """Return the closing a method registration with the outcome "closed" points to: the case's
    closing in force, or a new one, "closed without further measure" after this meeting, today."""
    current = open_closure(meeting.case)
    if current is not None:
        return current
    closure, _new = close_case(meeting.case, user, Closing(local_today(), "closed_no_measure", meeting_id=meeting.id))
    return closure


def closed_case_ids(case_ids) -> set[int]:
    """Return which of the cases are closed, in one statement."""
    if not case_ids:
        return set()
    return set(db.session.scalars(
        select(CaseClosure.case_id).where(CaseClosure.case_id.in_(list(case_ids)), CaseClosure.reopened_on.is_(None))
    ))
