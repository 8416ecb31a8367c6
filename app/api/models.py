"""API keys and the stored replies of idempotent writes."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.privacy import NOT_PERSONAL, describe, personal
from app.timestamps import UTCDateTime, utcnow

SCOPES = ("read", "write")
# The states of an idempotent write: the first call is running, or its reply is stored.
IN_FLIGHT, DONE = "in_flight", "done"


class ApiKey(db.Model):
    """A connected system's key: only the hash of its secret is kept; scoped to read and/or write
    and to some teams' cases."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # A subset of SCOPES, and the ids of the teams whose cases the key reaches.
    scopes: Mapped[list] = mapped_column(JSON, default=list)
    team_ids: Mapped[list] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped["User"] = relationship()  # noqa: F821

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def allows(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    def reaches(self, team_id: int) -> bool:
        return team_id in (self.team_ids or [])


class IdempotentRequest(db.Model):
    """One Idempotency-Key of one API key: the first call's body hash, whether it is still running,
    and its reply (sealed: it may hold respondents' links) until it expires."""

    __table_args__ = (UniqueConstraint("api_key_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    api_key_id: Mapped[int] = mapped_column(ForeignKey("api_key.id", ondelete="CASCADE"))
    idempotency_key: Mapped[str] = mapped_column(String(255))
    # The method, path and body of the first call, hashed: another body with the same key is refused.
    body_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(10), default=IN_FLIGHT)
    status: Mapped[int | None] = mapped_column(Integer)
    sealed_reply: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


describe("api_key", purpose=_l("Nøgler til de fagsystemer, der er koblet til Samstem: navn, rettigheder og "
                               "hvornår nøglen sidst blev brugt. Selve nøglen gemmes aldrig, kun et fingeraftryk."),
         retention="setting", seen_by=("admin",), columns={
    "id": NOT_PERSONAL, "name": NOT_PERSONAL, "secret_hash": NOT_PERSONAL, "scopes": NOT_PERSONAL,
    "team_ids": NOT_PERSONAL, "created_at": NOT_PERSONAL, "revoked_at": NOT_PERSONAL, "last_used_at": NOT_PERSONAL,
    "created_by_id": personal(_l("Hvilken administrator der lavede nøglen.")),
})
describe("idempotent_request", purpose=_l("Svaret på et kald fra et fagsystem, gemt i 24 timer, så et kald, der "
                                          "sendes igen, får samme svar og intet sker to gange."),
         retention="setting", seen_by=("nobody",), columns={
    "id": NOT_PERSONAL, "api_key_id": NOT_PERSONAL, "idempotency_key": NOT_PERSONAL, "body_hash": NOT_PERSONAL,
    "state": NOT_PERSONAL, "status": NOT_PERSONAL, "created_at": NOT_PERSONAL, "expires_at": NOT_PERSONAL,
    "sealed_reply": personal(_l("Svaret til fagsystemet, forseglet: det kan rumme personers links og navne. "
                                "Slettes efter 24 timer.")),
})
