"""API keys: made by an administrator and shown once, stored only as the hash of their secret,
found by that hash, revoked for good, their last use recorded.

The secret is 256 random bits (url-safe base64) after the prefix "samstem_", so a secret pasted
into the wrong place is recognisable. It is never logged and never stored: the request log and
the audit log name the key by its name.
"""

import hashlib
import secrets
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import audit
from app.api.models import SCOPES, ApiKey
from app.auth.models import Team, User
from app.extensions import db
from app.timestamps import utcnow

PREFIX = "samstem_"
NAME_LIMIT = 80
# Last use is written at most this often per key, so reading does not write on every call.
LAST_USE_EVERY_SECONDS = 60


class KeyRefused(ValueError):
    """The key cannot be made as asked; the message says why, for the administrator."""


@dataclass(frozen=True)
class NewKey:
    key: ApiKey
    secret: str  # shown once, never again


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def all_keys() -> list[ApiKey]:
    return list(db.session.scalars(select(ApiKey).options(selectinload(ApiKey.created_by))
                                   .order_by(ApiKey.revoked_at.is_not(None), ApiKey.name)))


def teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(Team.name)))


def create(name: str, scopes: set[str], team_ids: set[int], user: User) -> NewKey:
    """Make a key for a connected system; return it with its secret, to be shown once."""
    name = " ".join((name or "").split())
    if not name or len(name) > NAME_LIMIT:
        raise KeyRefused(_("Skriv et navn på højst %(limit)s tegn, fx fagsystemets navn.", limit=NAME_LIMIT))
    if db.session.scalar(select(ApiKey.id).where(ApiKey.name == name)) is not None:
        raise KeyRefused(_("Der er allerede en nøgle med det navn. Vælg et andet."))
    if not scopes or not scopes <= set(SCOPES):
        raise KeyRefused(_("Vælg, om nøglen må læse, skrive eller begge dele."))
    known = {team.id for team in teams()}
    if not team_ids or not team_ids <= known:
        raise KeyRefused(_("Vælg mindst ét team, hvis sager nøglen må nå."))
    secret = PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(name=name, secret_hash=hash_secret(secret), scopes=sorted(scopes), team_ids=sorted(team_ids),
                 created_by_id=user.id, created_at=utcnow())
    db.session.add(key)
    db.session.flush()
    audit.record("api_key.create", None, api_key=key.name, scopes=key.scopes, teams=key.team_ids)
    return NewKey(key, secret)


def revoke(key: ApiKey) -> bool:
    """Stop the key from working, for good; return False when it already was."""
    if key.revoked_at is not None:
        return False
    key.revoked_at = utcnow()
    db.session.flush()
    audit.record("api_key.revoke", None, api_key=key.name)
    return True


def key_or_none(key_id: int) -> ApiKey | None:
    return db.session.get(ApiKey, key_id) if 0 < key_id < 2**31 else None


def bearer_secret(header: str | None) -> str | None:
    """Return the secret of an `Authorization: Bearer <secret>` header, or None."""
    scheme, _space, secret = (header or "").strip().partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret or len(secret) > 200:
        return None
    return secret


def authenticate(header: str | None) -> ApiKey | None:
    """Return the key in force that the header names, recording its use; None for a wrong,
    missing or revoked key."""
    secret = bearer_secret(header)
    if secret is None:
        return None
    key = db.session.scalar(select(ApiKey).where(ApiKey.secret_hash == hash_secret(secret)))
    if key is None or key.revoked_at is not None:
        return None
    now = utcnow()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() >= LAST_USE_EVERY_SECONDS:
        key.last_used_at = now
    return key
