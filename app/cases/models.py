"""Cases, the people around the child, meetings, and the action plan's goals."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    inspect,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.append_only import refuse_updates
from app.extensions import db
from app.privacy import NOT_PERSONAL, describe, personal
from app.timestamps import UTCDateTime, utcnow

PERSON_ROLES = ("child", "mother", "father", "carer", "network", "provider", "school")
PARENT_ROLES = ("mother", "father", "carer")
MEETING_KINDS = (
    "network_meeting",
    "family_group_conference",
    "startup",
    "follow_up",
    "action_plan",
    "notification",
    "informal",
    "fit_session",
)
# The life domains of the indicator forms and the ICF model (INSTRUMENTS.md sections 4-5).
GOAL_DOMAINS = ("development", "family", "school", "health", "leisure", "everyday", "other")
GOAL_KINDS = ("improve", "maintain")
GOAL_TEXT_LIMIT = 2000
GOAL_FIELD_LIMIT = 300
# Why a case was closed (issue 12 item 14; GLOSSARY "afsluttet uden yderligere indsats").
# "not_recorded" is never chosen: it marks a closing Samstem only learned of from a re-opening
# recorded before cases could be closed here (the migration that made closures).
CLOSE_REASONS = ("closed_no_measure", "measure_ended", "moved", "aged_out", "transferred", "other", "not_recorded")
CHOSEN_CLOSE_REASONS = CLOSE_REASONS[:-1]
# Why a closed case was opened again (FIGURES.md K6) is a code from the organisation's list
# "reopen_reason" (app.settings.lists): no CHECK, the organisation edits the list (issue 14 item 3).
CLOSURE_NOTE_LIMIT = 2000
# The child's gender, recorded only when the organisation wants it for figures (issue 14 item 1).
GENDERS = ("girl", "boy", "other")

meeting_participant = Table(
    "meeting_participant",
    db.metadata,
    Column("meeting_id", ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
)


class CaseIsClosed(Exception):
    """New links were about to be made for a closed case; the case must be re-opened first."""

    def __init__(self, case_id: int):
        super().__init__(case_id)
        self.case_id = case_id


class Case(db.Model):
    """A child-welfare case about one child; pseudonymous, never a CPR number."""

    __table_args__ = (
        CheckConstraint("child_birth_year BETWEEN 1990 AND 2100", name="birth_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    caseworker_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    # The municipality's own case number, if it wants one here.
    external_ref: Mapped[str | None] = mapped_column(String(40))
    child_birth_year: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped["Team"] = relationship()  # noqa: F821
    caseworker: Mapped["User"] = relationship()  # noqa: F821
    people: Mapped[list["Person"]] = relationship(
        back_populates="case", order_by="Person.id", cascade="all, delete-orphan"
    )
    meetings: Mapped[list["Meeting"]] = relationship(
        back_populates="case",
        order_by="(Meeting.held_on.desc(), Meeting.id.desc())",
        cascade="all, delete-orphan",
    )
    goals: Mapped[list["Goal"]] = relationship(back_populates="case", order_by="Goal.id", cascade="all, delete-orphan")
    # Every closing and re-opening, oldest first; whether the case is closed is read here only.
    closures: Mapped[list["CaseClosure"]] = relationship(
        back_populates="case", order_by="CaseClosure.id", cascade="all, delete-orphan"
    )

    # The case's background, every version, oldest first; the newest is in force.
    backgrounds: Mapped[list["CaseBackground"]] = relationship(
        back_populates="case", order_by="CaseBackground.id", cascade="all, delete-orphan"
    )

    @property
    def open_closure(self) -> "CaseClosure | None":
        """Return the closing in force (not re-opened), or None when the case is open."""
        return next((c for c in self.closures if c.is_open), None)

    def refuse_if_closed(self) -> None:
        """Raise CaseIsClosed when the case is closed: nobody is asked about a closed case."""
        if self.open_closure is not None:
            raise CaseIsClosed(self.id)

    @property
    def open_goals(self) -> list["Goal"]:
        return [goal for goal in self.goals if not goal.is_closed]

    @property
    def closed_goals(self) -> list["Goal"]:
        return [goal for goal in self.goals if goal.is_closed]

    @property
    def child(self) -> "Person | None":
        return next((p for p in self.people if p.role == "child"), None)

    def child_age(self, on: date) -> int:
        """Return the child's age in whole years as far as the birth year tells."""
        return on.year - self.child_birth_year


class Person(db.Model):
    """Someone around the child who may be asked for feedback."""

    __table_args__ = (CheckConstraint(f"role IN {PERSON_ROLES}", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    first_name: Mapped[str] = mapped_column(String(80))
    # In words, as the family says it: "mormor", "fodboldtræner".
    relation: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(30))
    language: Mapped[str] = mapped_column(String(8), default="da")
    # A professional reason for not giving this person FIT forms; None = not exempt.
    fit_exemption: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="people")

    @property
    def fit_exempt(self) -> bool:
        return bool(self.fit_exemption)


class Meeting(db.Model):
    __table_args__ = (CheckConstraint(f"kind IN {MEETING_KINDS}", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    held_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="meetings")
    participants: Mapped[list[Person]] = relationship(
        secondary=meeting_participant, order_by="Person.id"
    )
    rounds: Mapped[list["Round"]] = relationship(  # noqa: F821
        back_populates="meeting", order_by="Round.id", cascade="all, delete-orphan"
    )


class Goal(db.Model):
    """A goal in the case's action plan; its wording lives in versions, newest last."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    # Set when the goal is taken out of the plan; its history stays.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship(back_populates="goals")
    created_by: Mapped["User"] = relationship()  # noqa: F821
    versions: Mapped[list["GoalVersion"]] = relationship(
        back_populates="goal", order_by="GoalVersion.number", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def current(self) -> "GoalVersion":
        """Return the newest wording."""
        return self.versions[-1]

    @property
    def times_changed(self) -> int:
        return len(self.versions) - 1

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class GoalVersionIsFinal(Exception):
    """A stored wording of a goal was about to change; rewording adds a new version."""


class GoalVersion(db.Model):
    """One wording of a goal, in the family's own words, with who wrote it and when."""

    __table_args__ = (
        UniqueConstraint("goal_id", "number"),
        CheckConstraint("number >= 1", name="number"),
        CheckConstraint(f"domain IN {GOAL_DOMAINS}", name="domain"),
        CheckConstraint(f"kind IN {GOAL_KINDS}", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: the unique (goal_id, number) serves lookups by goal.
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"))
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    domain: Mapped[str] = mapped_column(String(20))
    # Who is responsible, in words: "Lise, familiebehandler", "Mor og far".
    responsible: Mapped[str | None] = mapped_column(String(GOAL_FIELD_LIMIT))
    # How achievement will be documented: "skolefravær under 10 %".
    documentation: Mapped[str | None] = mapped_column(String(GOAL_FIELD_LIMIT))
    kind: Mapped[str] = mapped_column(String(10))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    written_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))

    goal: Mapped[Goal] = relationship(back_populates="versions")
    written_by: Mapped["User"] = relationship(lazy="selectin")  # noqa: F821


refuse_updates(GoalVersion, GoalVersionIsFinal, "reword the goal instead")


class ClosureIsFinal(Exception):
    """A stored closing was about to change; only its re-opening may be added, once."""


class CaseClosure(db.Model):
    """One closing of a case, with its re-opening when that comes: the one record of whether,
    since when and why a case is closed (issue 12 item 14). The method registration's outcome
    points here, the due list and the retention purge read it, and the figures count from it.

    A closing is kept as written; re-opening fills in its second half once. A partial unique
    index allows one closing in force per case, so two clicks on "Luk sagen" close it once.
    """

    __tablename__ = "case_closure"
    __table_args__ = (
        CheckConstraint(f"reason IN {CLOSE_REASONS}", name="reason"),
        CheckConstraint("closed_on IS NOT NULL OR reason = 'not_recorded'", name="closed_on"),
        CheckConstraint("(reopened_on IS NULL AND reopen_reason IS NULL) OR "
                        "(reopened_on IS NOT NULL AND reopen_reason IS NOT NULL)", name="reopened"),
        Index("uq_case_closure_open", "case_id", unique=True,
              sqlite_where=text("reopened_on IS NULL"), postgresql_where=text("reopened_on IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    # None only for a closing the migration found no date for ("not_recorded").
    closed_on: Mapped[date | None]
    reason: Mapped[str] = mapped_column(String(30))
    # The network meeting or family group conference a case was closed without further measure after.
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The re-opening, written once: active_history loads the stored value before a change, so
    # the guard below knows whether there was one.
    reopened_on: Mapped[date | None] = mapped_column(active_history=True)
    # A code from the list "reopen_reason" (app.settings.lists), with the note beside it.
    reopen_reason: Mapped[str | None] = mapped_column(String(40), active_history=True)
    reopen_note: Mapped[str | None] = mapped_column(Text, active_history=True)
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), active_history=True)
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime, active_history=True)
    # When the retention purge anonymised the case's data after this closing (app.retention).
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship(back_populates="closures")
    meeting: Mapped[Meeting | None] = relationship()
    closed_by: Mapped["User | None"] = relationship(foreign_keys=[closed_by_id])  # noqa: F821
    reopened_by: Mapped["User | None"] = relationship(foreign_keys=[reopened_by_id])  # noqa: F821

    @property
    def is_open(self) -> bool:
        """True while this closing is in force: the case is closed."""
        return self.reopened_on is None


class BackgroundIsFinal(Exception):
    """A stored version of a case's background was about to change; a change adds a new version."""


class CaseBackground(db.Model):
    """One version of the case's background: target group and case type (codes from the
    organisation's lists), and the child's gender when the organisation records it (issue 14
    item 1). Kept as written, like a goal's wording: the newest version is in force, and the
    figures read the version in force at a date (app.cases.background)."""

    __tablename__ = "case_background"
    __table_args__ = (CheckConstraint(f"gender IS NULL OR gender IN {GENDERS}", name="gender"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    # Codes from the lists "target_group" and "case_type"; no CHECK, the organisation edits the lists.
    target_group: Mapped[str] = mapped_column(String(40))
    case_type: Mapped[str] = mapped_column(String(40))
    gender: Mapped[str | None] = mapped_column(String(10))
    written_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="backgrounds")
    written_by: Mapped["User"] = relationship()  # noqa: F821


refuse_updates(CaseBackground, BackgroundIsFinal, "record a new version of the background instead")


# What may be written into a stored closing: its re-opening, once.
_REOPENING = frozenset({"reopened_on", "reopen_reason", "reopen_note", "reopened_by_id", "reopened_at"})


@event.listens_for(CaseClosure, "before_update")
def _keep_closure_as_written(mapper, connection, target) -> None:
    state = inspect(target)
    for column in state.mapper.column_attrs:
        history = state.attrs[column.key].history
        if not history.has_changes():
            continue
        if column.key in _REOPENING and all(value is None for value in history.deleted):
            continue
        raise ClosureIsFinal(f"CaseClosure {target.id} is final; close the case again instead")


# The record of processing (app.privacy): what each column holds, kept next to the models.
describe("case", purpose=_l("Sagen om ét barn. Den er pseudonym: aldrig et CPR-nummer."),
         retention="case", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "team_id": NOT_PERSONAL, "caseworker_id": NOT_PERSONAL, "created_at": NOT_PERSONAL,
    "external_ref": personal(_l("Kommunens eget sagsnummer, hvis den vil bruge det: forbinder sagen med "
                                "fagsystemet.")),
    "child_birth_year": personal(_l("Barnets fødselsår: til at foreslå skemaer, der passer til barnets alder.")),
})
describe("person", purpose=_l("Personerne omkring barnet, som kan blive spurgt: barnet selv, forældre, netværk, "
                              "udfører og skole."),
         retention="case", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "case_id": NOT_PERSONAL,
    "role": personal(_l("Personens plads omkring barnet, fx mor eller skole: til at foreslå de rigtige skemaer.")),
    "first_name": personal(_l("Fornavnet: så rådgiveren ved, hvem der svarer. Barnets fornavn står også på de "
                              "sider, familien og netværket svarer på."), seen_by=("case_team", "respondent")),
    "relation": personal(_l("Relationen til barnet med familiens egne ord, fx mormor.")),
    "email": personal(_l("E-mailadressen: til at sende personen sit link.")),
    "phone": personal(_l("Telefonnummeret: til at sende personen sit link som sms og til at ringe og følge op.")),
    "language": personal(_l("Det sprog, personen vil svare på.")),
    "fit_exemption": personal(_l("Rådgiverens faglige grund til ikke at give personen FIT-skemaer.")),
})
describe("meeting", purpose=_l("Møderne i sagen: hvornår, og hvilken slags."),
         retention="case", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "case_id": NOT_PERSONAL, "created_at": NOT_PERSONAL,
    "kind": personal(_l("Mødets art, fx familierådslagning: siger noget om sagen og styrer, hvilke skemaer der "
                        "foreslås.")),
    "held_on": personal(_l("Mødets dato.")),
})
describe("meeting_participant", purpose=_l("Hvem der var med til hvilket møde."),
         retention="case", seen_by=("case_team",), columns={
    "meeting_id": NOT_PERSONAL,
    "person_id": personal(_l("At personen var med til mødet.")),
})
describe("goal", purpose=_l("Målene i barnets plan; ordlyden står i goal_version."),
         retention="case", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "case_id": NOT_PERSONAL, "created_at": NOT_PERSONAL, "created_by_id": NOT_PERSONAL,
    "closed_at": NOT_PERSONAL,
})
describe("goal_version", purpose=_l("Målenes ordlyd, hver version for sig, med hvem der skrev den, og hvornår."),
         retention="case", seen_by=("case_team", "respondent"), columns={
    "id": NOT_PERSONAL, "goal_id": NOT_PERSONAL, "number": NOT_PERSONAL, "kind": NOT_PERSONAL,
    "written_at": NOT_PERSONAL, "written_by_id": NOT_PERSONAL,
    "text": personal(_l("Målet med familiens egne ord: kan sige noget om helbred og familieforhold.")),
    "domain": personal(_l("Det område af barnets liv, målet handler om, fx sundhed.")),
    "responsible": personal(_l("Hvem der har ansvaret, med navn eller rolle.")),
    "documentation": personal(_l("Hvordan det vises, at målet er nået.")),
})
describe("case_background", purpose=_l("Sagens baggrund: målgruppe, sagstype og, hvis organisationen vil det, "
                                       "barnets køn. Hver ændring gemmes som en ny udgave. Bruges til tallene."),
         retention="case", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "case_id": NOT_PERSONAL, "written_by_id": NOT_PERSONAL, "written_at": NOT_PERSONAL,
    "target_group": personal(_l("Målgruppen, barnet hører til, fx børn med handicap.")),
    "case_type": personal(_l("Sagens type, fx underretning.")),
    "gender": personal(_l("Barnets køn, kun hvis organisationen har valgt at registrere det.")),
})
describe("case_closure", purpose=_l("Hvornår og hvorfor en sag blev lukket, og genåbnet: det ene sted, sagens lukning "
                                    "står, og som tallene tæller fra."),
         retention="case", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "case_id": NOT_PERSONAL, "meeting_id": NOT_PERSONAL, "closed_by_id": NOT_PERSONAL,
    "closed_at": NOT_PERSONAL, "reopened_by_id": NOT_PERSONAL, "reopened_at": NOT_PERSONAL, "purged_at": NOT_PERSONAL,
    "closed_on": personal(_l("Datoen, sagen blev lukket.")),
    "reason": personal(_l("Hvorfor sagen blev lukket, fx uden yderligere indsats efter en familierådslagning.")),
    "note": personal(_l("Rådgiverens note om lukningen, med egne ord.")),
    "reopened_on": personal(_l("Datoen, sagen blev åbnet igen.")),
    "reopen_reason": personal(_l("Hvorfor sagen blev åbnet igen.")),
    "reopen_note": personal(_l("Rådgiverens note om genåbningen, med egne ord.")),
})
