"""Staff users and teams."""

from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.privacy import NOT_PERSONAL, describe, personal
from app.timestamps import UTCDateTime, utcnow

# A person may hold several (user_role). The analyst may take the pseudonymous extract of the figures.
ROLES = ("caseworker", "team_leader", "leader", "analyst", "admin")
# Roles that work with individual cases; the others see aggregates or settings only.
CASE_ROLES = ("caseworker", "team_leader")


class Department(db.Model):
    """A department above teams, if the organisation wants one (issue 13); the leader's figures group by it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)

    # passive_deletes="all": deleting a department never empties its teams' department; the foreign key refuses.
    teams: Mapped[list["Team"]] = relationship(back_populates="department", order_by="Team.name",
                                               passive_deletes="all")


class Team(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    # Optional. No ON DELETE: a department that still has teams cannot be deleted.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)

    members: Mapped[list["User"]] = relationship(back_populates="team")
    department: Mapped[Department | None] = relationship(back_populates="teams")


class UserRole(db.Model):
    """One role a user holds; a user holds one or more."""

    __tablename__ = "user_role"
    __table_args__ = (CheckConstraint(f"role IN {ROLES}", name="role"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class User(UserMixin, db.Model):
    __table_args__ = (Index("uq_user_oidc_subject", "oidc_subject", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    # Where Samstem tells a case worker that something new waits on a case (app.cases.news); optional.
    email: Mapped[str | None] = mapped_column(String(254))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # Raised to end every session of the user at once (app.auth.sessions): logout, a new
    # password, deactivation. A session remembers the number it began with.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # The identity provider's stable claim for the user (app.auth.oidc); set, the user's name and
    # e-mail come from the identity provider and are read-only in Samstem.
    oidc_subject: Mapped[str | None] = mapped_column(String(255))
    # The user's TOTP secret for two-factor login (app.auth.totp), sealed with SAMSTEM_LINK_KEY.
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    # The time step (30 seconds since 1970) of the last code that logged the user in: a code of that
    # step or an earlier one is refused, so a code seen over a shoulder cannot be used again
    # (app.auth.totp.claim sets it with a compare-and-set UPDATE).
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # Set at each login, for the access review (accounts unused for 90 days).
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    team: Mapped[Team | None] = relationship(back_populates="members")
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", order_by=UserRole.role)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(row.role for row in self.role_rows)

    @roles.setter
    def roles(self, wanted) -> None:
        wanted = set(wanted)
        unknown = wanted - set(ROLES)
        if unknown:
            raise ValueError(f"unknown roles: {sorted(unknown)}")
        self.role_rows = [row for row in self.role_rows if row.role in wanted] + [
            UserRole(role=role) for role in ROLES if role in wanted and role not in self.roles]

    def has_role(self, *roles: str) -> bool:
        """Whether the user holds any of these roles."""
        return not self.roles.isdisjoint(roles)

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def from_idp(self) -> bool:
        """Whether name and e-mail come from the identity provider (read-only in Samstem)."""
        return self.oidc_subject is not None

    @property
    def works_with_cases(self) -> bool:
        return self.has_role(*CASE_ROLES) and self.team_id is not None

    def set_password(self, password: str) -> None:
        """Store the password hashed; a changed password ends every session of the user."""
        if self.password_hash is not None:
            self.end_sessions()
        self.password_hash = generate_password_hash(password, current_app.config["PASSWORD_HASH_METHOD"])

    def deactivate(self) -> None:
        """Stop the user from logging in and end their sessions; their history stays."""
        self.active = False
        self.end_sessions()

    def end_sessions(self) -> None:
        self.session_version = (self.session_version or 1) + 1

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class Draft(db.Model):
    """What a user was typing on a page when their session ended (app.auth.drafts)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(400))
    fields: Mapped[list] = mapped_column(JSON)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# The record of processing (app.privacy): what each column holds, kept next to the models.
describe("team", purpose=_l("Organisationens teams: hvem der ser hvilke sager."), columns={
    "id": NOT_PERSONAL, "name": NOT_PERSONAL, "department_id": NOT_PERSONAL,
})
describe("department", purpose=_l("Organisationens afdelinger over teamene: ledelsens tal samles pr. afdeling."),
         columns={"id": NOT_PERSONAL, "name": NOT_PERSONAL})
describe("user", purpose=_l("Medarbejdernes konti: til at logge ind, og til at vise, hvem der har gjort hvad."),
         retention="staff", seen_by=("case_team", "admin"), columns={
    "id": NOT_PERSONAL,
    "username": personal(_l("Brugernavnet, medarbejderen logger ind med."), seen_by=("self", "admin")),
    "name": personal(_l("Medarbejderens navn: står ved det, de har skrevet og besluttet. Rådgiverens navn står "
                        "også på de sider, familien og netværket svarer på."),
                     seen_by=("case_team", "respondent", "admin")),
    "password_hash": personal(_l("Adgangskoden, kun som hash: den kan ikke læses tilbage."), seen_by=("nobody",)),
    "email": personal(_l("Medarbejderens e-mailadresse: hertil får rådgiveren besked om nyt på en sag."),
                      seen_by=("self", "admin")),
    "team_id": NOT_PERSONAL, "active": NOT_PERSONAL, "session_version": NOT_PERSONAL,
    "oidc_subject": personal(_l("Den faste nøgle, kommunens login kender medarbejderen ved: sådan findes kontoen, "
                                "når de logger ind. Navn og e-mail kommer så fra kommunens login."),
                             seen_by=("admin",)),
    "totp_secret": personal(_l("Nøglen til medarbejderens engangskoder (to-trins-login), krypteret: den kan kun "
                               "læses med nøglen, der opbevares uden for databasen."), seen_by=("nobody",)),
    "totp_last_step": personal(_l("Hvornår medarbejderens seneste engangskode blev brugt (i halve minutter): så den "
                                  "samme kode ikke kan bruges igen."), seen_by=("nobody",)),
    "last_login_at": personal(_l("Hvornår medarbejderen sidst loggede ind: så administratoren kan lukke konti, "
                                 "der ikke bruges."), seen_by=("admin",)),
})
describe("user_role", purpose=_l("Medarbejdernes roller: hvad hver medarbejder må i Samstem."), columns={
    "user_id": NOT_PERSONAL, "role": NOT_PERSONAL,
})
describe("draft", purpose=_l("Det, en medarbejder var ved at skrive, da de blev logget ud, så det ikke går tabt."),
         retention="draft", seen_by=("self",), columns={
    "id": NOT_PERSONAL, "user_id": NOT_PERSONAL, "path": NOT_PERSONAL, "saved_at": NOT_PERSONAL,
    "fields": personal(_l("Felterne, som medarbejderen skrev dem: alt, hvad en formular om en sag tager imod.")),
})
