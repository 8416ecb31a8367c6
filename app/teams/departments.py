"""Departments above teams, if the organisation wants them (issue 13): create, rename, move a team
between departments, delete an empty one. A department that has teams is never deleted. Every
change is audited. The leader's figures group by department and team through department_of.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.auth.access import get_by_id
from app.auth.models import Department, Team
from app.extensions import db
from app.users.services import Refused


@dataclass(frozen=True)
class DepartmentRef:
    id: int
    name: str


def department_of(team_ids: Iterable[int]) -> dict[int, DepartmentRef | None]:
    """Return each team's department (None: the team has none, or there is no such team), in one query."""
    wanted = set(team_ids)
    found: dict[int, DepartmentRef | None] = dict.fromkeys(wanted)
    if wanted:
        for team_id, department_id, name in db.session.execute(
                select(Team.id, Department.id, Department.name).join(Team.department).where(Team.id.in_(wanted))):
            found[team_id] = DepartmentRef(department_id, name)
    return found


def all_departments() -> list[Department]:
    return list(db.session.scalars(select(Department).order_by(Department.name)))


def department_or_none(department_id: int) -> Department | None:
    return get_by_id(Department, department_id)


def _check_name(name: str, department_id: int | None = None) -> None:
    found = db.session.scalar(select(Department.id).where(func.lower(Department.name) == name.lower()))
    if found is not None and found != department_id:
        raise Refused(_("Der er allerede en afdeling, der hedder %(name)s. Vælg et andet navn.", name=name), "name")


def create(name: str) -> Department:
    _check_name(name)
    department = Department(name=name)
    db.session.add(department)
    db.session.flush()
    audit.record("department.create", None, department=department.id, name=name)
    return department


def rename(department: Department, name: str) -> None:
    _check_name(name, department.id)
    if name == department.name:
        return
    audit.record("department.rename", None, department=department.id, name_from=department.name, name_to=name)
    department.name = name


def teams_in(department: Department) -> int:
    return db.session.scalar(select(func.count()).select_from(Team).where(Team.department_id == department.id))


def delete(department: Department) -> None:
    """Remove a department without teams; one with teams is refused (move its teams first)."""
    refusal = Refused(_("Afdelingen %(name)s har teams og bliver ikke slettet. Flyt teamene til en anden afdeling "
                        "først.", name=department.name))
    if teams_in(department):
        raise refusal
    audit.record("department.delete", None, department=department.id, name=department.name)
    try:
        with db.session.begin_nested():  # a team moved in meanwhile: the foreign key refuses the delete
            db.session.delete(department)
    except IntegrityError as error:
        raise refusal from error


def move(team: Team, department_id: int | None) -> None:
    """Put the team in the department (None: in none)."""
    if department_id is not None and get_by_id(Department, department_id) is None:
        raise Refused(_("Vælg en af afdelingerne."), "department")
    if team.department_id == department_id:
        return
    audit.record("team.move", None, team=team.id, department_from=team.department_id, department_to=department_id)
    team.department_id = department_id
    db.session.flush()
