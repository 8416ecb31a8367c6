"""Staff accounts kept by an administrator: create, change, move, deactivate, reset a password, and
hand a leaver's cases to a colleague.

Every change is audited. A change that would leave no active administrator, an administrator
deactivating themselves, or a user name or e-mail address another account has, is refused with
a message (Refused) before anything is changed.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload

from app import audit
from app.auth import totp
from app.auth.access import get_by_id
from app.auth.models import CASE_ROLES, Team, User, UserRole
from app.cases.models import Case
from app.extensions import db
from app.stand_ins.models import StandIn
from app.timestamps import local_today, utcnow

# An account nobody has logged in to for this long is named on the access review.
UNUSED_AFTER = timedelta(days=90)


class Refused(Exception):
    """The change is refused; the message says why, in the user's language."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def all_users() -> list[User]:
    return list(db.session.scalars(
        select(User).options(selectinload(User.role_rows), joinedload(User.team)).order_by(User.active.desc(), User.name)))


def all_teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(Team.name)))


def user_or_none(user_id: int) -> User | None:
    return get_by_id(User, user_id, options=[selectinload(User.role_rows), joinedload(User.team)])


def _check_unique(username: str | None, email: str | None, user_id: int | None = None) -> None:
    others = select(User.id).where(User.id != user_id) if user_id else select(User.id)
    if username and db.session.scalar(others.where(func.lower(User.username) == username.lower())):
        raise Refused(_("Brugernavnet %(username)s er allerede i brug. Vælg et andet.", username=username), "username")
    if email and db.session.scalar(others.where(func.lower(User.email) == email.lower())):
        raise Refused(_("E-mailadressen %(email)s bruges allerede af en anden medarbejder.", email=email), "email")


def _other_active_admins(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(
        User.id != user.id, User.active, User.role_rows.any(UserRole.role == "admin")))


def _keep_an_admin(user: User) -> None:
    if user.has_role("admin") and user.active and _other_active_admins(user) == 0:
        raise Refused(_("%(name)s er den eneste administrator. Giv en anden rollen som administrator først.",
                        name=user.name), "roles")


def create(username: str, name: str, email: str | None, roles: set[str], team_id: int | None, password: str) -> User:
    _check_unique(username, email)
    user = User(username=username, name=name, email=email or None, roles=roles, team_id=team_id)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", None, user=user.id, roles=sorted(roles), team=team_id)
    return user


def change(user: User, name: str, email: str | None, roles: set[str], team_id: int | None) -> None:
    """Change the account's name, e-mail, roles and team; the audit entry names what changed.
    An account from the municipality's login keeps the name and e-mail that login gives it."""
    if user.from_idp:
        name, email = user.name, user.email
    _check_unique(None, email, user.id)
    if "admin" not in roles:
        _keep_an_admin(user)
    changed = [field for field, old, new in (("name", user.name, name), ("email", user.email, email or None))
               if old != new]
    detail = {"user": user.id, "changed": changed}
    if set(user.roles) != roles:
        detail |= {"roles_given": sorted(roles - user.roles), "roles_taken": sorted(user.roles - roles)}
    if user.team_id != team_id:
        detail |= {"team_from": user.team_id, "team_to": team_id}
    user.name, user.email, user.roles, user.team_id = name, email or None, roles, team_id
    audit.record("user.update", None, **detail)


def deactivate(user: User, by: User) -> None:
    if user.id == by.id:
        raise Refused(_("Du kan ikke lukke din egen konto. Bed en anden administrator om det."))
    if not user.active:
        return
    _keep_an_admin(user)
    user.deactivate()
    audit.record("user.deactivate", None, user=user.id)


def reset_password(user: User, password: str) -> None:
    user.set_password(password)  # ends the user's sessions
    audit.record("user.password", None, user=user.id)


def reset_totp(user: User) -> bool:
    """Forget the user's two-factor set-up (a lost phone); False if there was none."""
    if user.totp_secret is None:
        return False
    totp.reset(user)
    audit.record("user.totp_reset", None, user=user.id)
    return True


def cases_of(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(Case).where(Case.caseworker_id == user.id))


def colleagues(user: User) -> list[User]:
    """Who may take over the user's cases: the active case workers of the team that owns them."""
    teams = set(db.session.scalars(select(Case.team_id).where(Case.caseworker_id == user.id).distinct()))
    return list(db.session.scalars(
        select(User).where(User.id != user.id, User.active, User.team_id.in_(teams),
                           User.role_rows.any(UserRole.role.in_(CASE_ROLES))).order_by(User.name)))


def hand_over(user: User, colleague_id: int) -> int:
    """Give every case of the user to the colleague in one step; each case's history notes it."""
    colleague = next((c for c in colleagues(user) if c.id == colleague_id), None)
    if colleague is None:
        raise Refused(_("Vælg en aktiv rådgiver i det team, der har sagerne."), "colleague")
    case_ids = list(db.session.scalars(select(Case.id).where(Case.caseworker_id == user.id)))
    if any(team != colleague.team_id for team in db.session.scalars(
            select(Case.team_id).where(Case.id.in_(case_ids)).distinct())):
        raise Refused(_("Sagerne hører til flere teams. Flyt dem team for team."), "colleague")
    db.session.execute(update(Case).where(Case.id.in_(case_ids)).values(caseworker_id=colleague.id))
    for case_id in case_ids:
        audit.record("case.hand_over", case_id, user_from=user.id, user_to=colleague.id)
    audit.record("user.hand_over", None, user_from=user.id, user_to=colleague.id, cases=len(case_ids))
    return len(case_ids)


@dataclass(frozen=True)
class AccessRow:
    user: User
    sees_team: str | None
    last_login_at: datetime | None
    unused: bool


def access_review() -> list[AccessRow]:
    """Every active account: the team whose cases it sees, its last login, and whether it is unused."""
    since = utcnow() - UNUSED_AFTER
    rows = []
    for user in all_users():
        if not user.active:
            continue
        last = user.last_login_at
        rows.append(AccessRow(user, user.team.name if user.works_with_cases else None, last,
                              last is None or last < since))
    return rows


def stand_ins_in_force() -> list[StandIn]:
    """Every stand-in in force today: who sees an absent colleague's cases, until when."""
    today = local_today()
    return list(db.session.scalars(
        select(StandIn).options(joinedload(StandIn.absent), joinedload(StandIn.stand_in))
        .where(StandIn.in_force_on(today))
        .order_by(StandIn.ends_on, StandIn.id)))
