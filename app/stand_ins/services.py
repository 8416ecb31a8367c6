"""Give an absent case worker a stand-in for a period, and end it early; both audited (issue 13).

An administrator gives stand-ins for anyone; a team leader for the case workers of their own
team. The stand-in is another active case worker (of any team): from the first to the last day
they see and work the absent one's cases (app.auth.access.stood_in_for decides it), and access
ends by itself after the last day.

Overlapping periods for the same absent case worker are refused: one colleague at a time
answers for the cases, so it is clear who acts on what arrives, and no more people than needed
see the children's data. A change of stand-in is made by ending the current one first.
"""

from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import audit
from app.auth.access import get_by_id
from app.auth.models import CASE_ROLES, User, UserRole
from app.extensions import db
from app.stand_ins.models import StandIn
from app.timestamps import utcnow
from app.users.services import Refused

# A stand-in is given for at most this long at a time; a longer absence is a hand-over.
LONGEST = timedelta(days=366)


def may_manage(by: User, absent: User) -> bool:
    """Whether `by` may give the absent case worker a stand-in, or end one."""
    if by.has_role("admin"):
        return True
    return by.has_role("team_leader") and by.team_id is not None and absent.team_id == by.team_id


def _case_workers():
    return (select(User).options(joinedload(User.team))
            .where(User.active, User.team_id.is_not(None), User.role_rows.any(UserRole.role.in_(CASE_ROLES)))
            .order_by(User.name))


def absentees(by: User) -> list[User]:
    """The case workers `by` may give a stand-in: everyone's for an administrator, the team's for a team leader."""
    query = _case_workers()
    if not by.has_role("admin"):
        query = query.where(User.team_id == by.team_id)
    return list(db.session.scalars(query))


def candidates() -> list[User]:
    """Who may stand in: every active case worker or team leader with a team."""
    return list(db.session.scalars(_case_workers()))


def not_over(by: User, today: date) -> list[StandIn]:
    """The stand-ins in force or still to come that `by` may see and end, soonest first."""
    query = (select(StandIn).options(joinedload(StandIn.absent).joinedload(User.team), joinedload(StandIn.stand_in))
             .where(StandIn.ended_at.is_(None), StandIn.ends_on >= today)
             .order_by(StandIn.starts_on, StandIn.id))
    return [found for found in db.session.scalars(query) if may_manage(by, found.absent)]


def stand_in_or_none(stand_in_id: int) -> StandIn | None:
    return get_by_id(StandIn, stand_in_id, options=[joinedload(StandIn.absent), joinedload(StandIn.stand_in)])


def long_day(day: date) -> str:
    return format_date(day, "d. MMM yyyy")


def _check(absent: User | None, stand_in: User | None, starts_on: date, ends_on: date, by: User,
           today: date) -> None:
    """Refuse what issue 13 names as bad input, with the field it concerns."""
    if absent is None or not absent.works_with_cases or not may_manage(by, absent):
        raise Refused(_("Vælg den rådgiver, der er fraværende."), "absent")
    if not absent.active:
        raise Refused(_("Kontoen for %(name)s er lukket. Giv sagerne videre til en kollega i stedet.",
                        name=absent.name), "absent")
    if stand_in is None:
        raise Refused(_("Vælg stedfortræderen."), "stand_in")
    if stand_in.id == absent.id:
        raise Refused(_("En rådgiver kan ikke være stedfortræder for sig selv. Vælg en kollega."), "stand_in")
    if not stand_in.active:
        raise Refused(_("Kontoen for %(name)s er lukket. Vælg en aktiv rådgiver.", name=stand_in.name), "stand_in")
    if not stand_in.works_with_cases:
        raise Refused(_("%(name)s arbejder ikke med sager. Vælg en rådgiver.", name=stand_in.name), "stand_in")
    if ends_on < starts_on:
        raise Refused(_("Den sidste dag ligger før den første. Ret datoerne."), "ends_on")
    if starts_on < today:
        raise Refused(_("Perioden kan tidligst begynde i dag."), "starts_on")
    if ends_on - starts_on >= LONGEST:
        raise Refused(_("En stedfortræder gives for højst et år ad gangen. Giv sagerne videre, hvis fraværet "
                        "varer længere."), "ends_on")


def _overlapping(absent: User, starts_on: date, ends_on: date) -> StandIn | None:
    return db.session.scalar(
        select(StandIn).options(joinedload(StandIn.stand_in))
        .where(StandIn.absent_id == absent.id, StandIn.ended_at.is_(None),
               StandIn.starts_on <= ends_on, StandIn.ends_on >= starts_on)
        .limit(1))


def give(absent_id: int | None, stand_in_id: int | None, starts_on: date, ends_on: date, by: User,
         today: date) -> StandIn:
    """Give the absent case worker a stand-in from the first to the last day (both included)."""
    absent = get_by_id(User, absent_id) if absent_id else None
    stand_in = get_by_id(User, stand_in_id) if stand_in_id else None
    _check(absent, stand_in, starts_on, ends_on, by, today)
    # Two people giving stand-ins for the same case worker at once: the second waits here for the
    # first, then sees its stand-in (PostgreSQL; SQLite runs one writer at a time anyway).
    db.session.execute(select(User.id).where(User.id == absent.id).with_for_update())
    other = _overlapping(absent, starts_on, ends_on)
    if other is not None:
        raise Refused(_("%(name)s har allerede %(other)s som stedfortræder %(start)s–%(end)s. Afslut den først, "
                        "eller vælg en anden periode.", name=absent.name, other=other.stand_in.name,
                        start=long_day(other.starts_on), end=long_day(other.ends_on)), "starts_on")
    found = StandIn(absent_id=absent.id, stand_in_id=stand_in.id, starts_on=starts_on, ends_on=ends_on,
                    given_by_id=by.id)
    db.session.add(found)
    db.session.flush()
    audit.record("stand_in.give", None, stand_in=found.id, user_absent=absent.id, user_stand_in=stand_in.id,
                 starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat())
    return found


def end(found: StandIn, by: User, today: date) -> bool:
    """End the stand-in now, before its last day; False if it was already over."""
    if not may_manage(by, found.absent):
        raise Refused(_("Du kan kun afslutte stedfortrædere i dit eget team."))
    if found.over(today):
        return False
    found.ended_at, found.ended_by_id = utcnow(), by.id
    db.session.flush()
    audit.record("stand_in.end", None, stand_in=found.id, user_absent=found.absent_id,
                 user_stand_in=found.stand_in_id)
    return True
