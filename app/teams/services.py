"""Teams: create, rename, and merge one into another (members and cases move; a team with cases
is never deleted, only emptied by a merge first). Every change is audited."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from app import audit
from app.auth.access import get_by_id
from app.auth.models import Team, User
from app.cases.models import Case
from app.extensions import db
from app.users.services import Refused


@dataclass(frozen=True)
class TeamRow:
    team: Team
    members: int
    cases: int


def overview() -> list[TeamRow]:
    members = dict(db.session.execute(select(User.team_id, func.count()).where(User.active).group_by(User.team_id)).all())
    cases = dict(db.session.execute(select(Case.team_id, func.count()).group_by(Case.team_id)).all())
    return [TeamRow(team, members.get(team.id, 0), cases.get(team.id, 0))
            for team in db.session.scalars(select(Team).options(joinedload(Team.department)).order_by(Team.name))]


def team_or_none(team_id: int) -> Team | None:
    return get_by_id(Team, team_id)


def _check_name(name: str, team_id: int | None = None) -> None:
    found = db.session.scalar(select(Team.id).where(func.lower(Team.name) == name.lower()))
    if found is not None and found != team_id:
        raise Refused(_("Der er allerede et team, der hedder %(name)s. Vælg et andet navn.", name=name), "name")


def create(name: str) -> Team:
    _check_name(name)
    team = Team(name=name)
    db.session.add(team)
    db.session.flush()
    audit.record("team.create", None, team=team.id, name=name)
    return team


def rename(team: Team, name: str) -> None:
    _check_name(name, team.id)
    audit.record("team.rename", None, team=team.id, name_from=team.name, name_to=name)
    team.name = name


def merge(team: Team, into_id: int) -> tuple[int, int]:
    """Move the team's members and cases to the other team, then remove the emptied team."""
    if into_id == team.id:
        raise Refused(_("Et team kan ikke slås sammen med sig selv. Vælg et andet team."), "into")
    into = get_by_id(Team, into_id)
    if into is None:
        raise Refused(_("Vælg det team, der skal overtage."), "into")
    members = db.session.execute(update(User).where(User.team_id == team.id).values(team_id=into.id)).rowcount
    cases = db.session.execute(update(Case).where(Case.team_id == team.id).values(team_id=into.id)).rowcount
    db.session.flush()
    # Never delete a team that still has cases: the update above has just moved them all.
    if db.session.scalar(select(func.count()).select_from(Case).where(Case.team_id == team.id)):
        raise Refused(_("Teamet har stadig sager og bliver ikke slettet."))
    audit.record("team.merge", None, team_from=team.id, team_to=into.id, name_from=team.name, members=members,
                 cases=cases)
    db.session.expire_all()
    db.session.delete(db.session.get(Team, team.id))
    return members, cases
