"""The Samstem user an identity provider's checked claims stand for.

A user is found by the stable claim SAMSTEM_OIDC_USER_CLAIM (default "sub"), kept on the user
as oidc_subject. A user not yet linked whose user name equals the claim is linked at first
login: so the first administrator, made with `flask create-user`, gets in when password login
is off. An unknown user is created only when SAMSTEM_OIDC_GROUP_MAP gives one of their groups a
role and a team; otherwise they are refused, as is a deactivated user. Name and e-mail are
copied from the claims at every login: they belong to the identity provider (User.from_idp).
"""

import hashlib

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import Team, User
from app.extensions import db

# Why a user is refused, as the login page says it.
WHY = {
    "no_claim": _l("Kommunens login sendte ikke det, Samstem kender dig ved. Bed en administrator om hjælp."),
    "unknown": _l("Du har ikke adgang til Samstem. Bed en administrator om at give dig adgang."),
    "no_team": _l("Din gruppe i kommunens login hører til et team, som ikke findes i Samstem. "
                  "Bed en administrator om hjælp."),
    "inactive": _l("Din adgang til Samstem er lukket. Bed en administrator om hjælp, hvis det er en fejl."),
}
# An unusable password hash: a user made from the identity provider has no password in Samstem.
NO_PASSWORD = "!idp"


class Refused(Exception):
    def __init__(self, reason: str, user_id: int | None = None):
        super().__init__(reason)
        self.reason, self.user_id = reason, user_id


def _subject(claims: dict) -> str:
    value = claims.get(current_app.config["OIDC_USER_CLAIM"])
    if not isinstance(value, str | int) or not str(value).strip():
        raise Refused("no_claim")
    return str(value).strip()[:255]


def user_for(claims: dict) -> User:
    """Return the user the claims stand for (created or linked if need be); raise Refused."""
    subject = _subject(claims)
    user = db.session.scalar(select(User).where(User.oidc_subject == subject))
    if user is None:
        user = db.session.scalar(select(User).where(User.username == subject, User.oidc_subject.is_(None)))
    if user is not None and not user.active:
        raise Refused("inactive", user.id)
    if user is None:
        user = _create(subject, claims)
    user.oidc_subject = subject
    _copy_profile(user, claims)
    db.session.flush()
    return user


def _mapped(claims: dict) -> dict[str, str] | None:
    """The role and team the first of the user's groups in the group map gives, if any."""
    groups = claims.get(current_app.config["OIDC_GROUPS_CLAIM"]) or []
    if isinstance(groups, str):
        groups = [groups]
    group_map = current_app.config["OIDC_GROUP_MAP"]
    return next((group_map[g] for g in groups if isinstance(g, str) and g in group_map), None)


def _create(subject: str, claims: dict) -> User:
    target = _mapped(claims)
    if target is None:
        raise Refused("unknown")
    team = db.session.scalar(select(Team).where(Team.name == target["team"].strip()))
    if team is None:
        current_app.logger.warning("SAMSTEM_OIDC_GROUP_MAP names the team %r, which does not exist", target["team"])
        raise Refused("no_team")
    user = User(username=_username(subject), name=subject[:120], roles={target["role"]}, team=team,
                password_hash=NO_PASSWORD)
    db.session.add(user)
    return user


def _username(subject: str) -> str:
    if len(subject) <= 80 and db.session.scalar(select(User.id).where(User.username == subject)) is None:
        return subject
    return "idp-" + hashlib.sha256(subject.encode()).hexdigest()[:16]


def _copy_profile(user: User, claims: dict) -> None:
    """Name and e-mail as the identity provider has them (read-only in Samstem)."""
    name = claims.get("name")
    if isinstance(name, str) and name.strip():
        user.name = name.strip()[:120]
    email = claims.get("email")
    if isinstance(email, str) and 0 < len(email.strip()) <= 254 and "@" in email:
        user.email = email.strip()
