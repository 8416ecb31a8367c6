"""Feedback rounds, the personal invitations in them, and the responses."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.cases.models import PERSON_ROLES
from app.extensions import db
from app.privacy import NOT_PERSONAL, describe, personal
from app.timestamps import UTCDateTime, local_date, local_today, utcnow

# What a round collects. feedback: forms after a meeting; status: the provider's (or
# school's) status before a follow-up meeting; see_happen: three wishes before a meeting;
# indicators: an indicator scoring round.
ROUND_KINDS = ("feedback", "status", "see_happen", "indicators")
# How an answer came in when not on the respondent's own device (issue 18 item 2): typed by the
# respondent on the case worker's tablet in hand-over mode, or typed in by the case worker from paper.
ANSWERED_WITH = ("help", "paper")


class Round(db.Model):
    """One collection of answers about a meeting: feedback after it, or input before it."""

    __table_args__ = (CheckConstraint(f"kind IN {ROUND_KINDS}", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="feedback", server_default="feedback")
    # When answers are due (status requests); an answer after it is accepted and marked late.
    due_on: Mapped[date | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the case worker has decided on the round; answers can no longer change.
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    meeting: Mapped["Meeting"] = relationship(back_populates="rounds")  # noqa: F821
    invitations: Mapped[list["Invitation"]] = relationship(
        back_populates="round", order_by="Invitation.id", cascade="all, delete-orphan"
    )
    # Written through Decision.rounds; a correction is a newer decision, never an edit.
    decisions: Mapped[list["Decision"]] = relationship(  # noqa: F821
        secondary="decision_round", order_by="Decision.id", viewonly=True
    )

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def decision(self) -> "Decision | None":  # noqa: F821
        """Return the decision in force: the newest, which corrects any before it."""
        return next((d for d in reversed(self.decisions) if d.is_current), None)


class Invitation(db.Model):
    """One person's personal link in a round: found by its token's hash; the token itself is kept
    only sealed (app/invitations/issued.py), while the link is handed out and unopened."""

    __table_args__ = (
        UniqueConstraint("round_id", "person_id"),
        CheckConstraint(f"respondent_role IN {PERSON_ROLES}", name="respondent_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    # Ordered instrument ids, as shown on the respondent's page.
    instrument_ids: Mapped[list[str]] = mapped_column(JSON)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The token encrypted with LINK_KEYS (app.sealing), so any staff browser can show and send the
    # same link; NULL once the link is opened, revoked, expired or its round decided.
    sealed_token: Mapped[str | None] = mapped_column(Text)
    # When the same link was last sent again as a reminder (by hand or by `flask outbox send`).
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The person's role when asked (issue 14 item 5): figures count by it, and a later edit of
    # Person.role does not rewrite it. role_filled_later: copied from the person by the
    # migration that made the column, for invitations made before it.
    respondent_role: Mapped[str] = mapped_column(String(20))
    role_filled_later: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The language the person chose on the link's pages (app.respond.pages.choose_language): every
    # later page of this link speaks it. Kept here, not in the session: a tablet may be shared.
    language: Mapped[str | None] = mapped_column(String(8))

    round: Mapped[Round] = relationship(back_populates="invitations")
    person: Mapped["Person"] = relationship()  # noqa: F821
    responses: Mapped[list["Response"]] = relationship(
        back_populates="invitation", order_by="Response.id", cascade="all, delete-orphan"
    )

    @property
    def current_responses(self) -> list["Response"]:
        return [r for r in self.responses if r.superseded_at is None]

    def status(self, now: datetime | None = None) -> str:
        """Derive the status from the facts: answered beats expiry, revocation beats all."""
        now = now or utcnow()
        current = self.current_responses
        if self.revoked_at is not None:
            return "revoked"
        if current and all(r.declined for r in current):
            return "declined"
        if current:
            return "answered"
        if now >= self.expires_at:
            return "expired"
        if self.opened_at is not None:
            return "opened"
        return "waiting"

    def usable(self, now: datetime | None = None) -> bool:
        """Tell whether the link may still be used to answer."""
        now = now or utcnow()
        return self.revoked_at is None and now < self.expires_at


class Response(db.Model):
    """One answer to one instrument; a newer answer supersedes, never overwrites."""

    __table_args__ = (
        # One current response per invitation and instrument.
        Index(
            "uq_response_current",
            "invitation_id",
            "instrument_id",
            unique=True,
            sqlite_where=text("superseded_at IS NULL"),
            postgresql_where=text("superseded_at IS NULL"),
        ),
        # One rendered form, sent twice (a double tap, a retry), is stored once (issue 12 item 4).
        Index("uq_response_submission", "submission_id", "instrument_id", unique=True),
        CheckConstraint(f"respondent_role IN {PERSON_ROLES}", name="respondent_role"),
        CheckConstraint("signal_level IN ('grey', 'green', 'orange', 'red')", name="signal_level"),
        CheckConstraint(f"answered_with IN {ANSWERED_WITH}", name="answered_with"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), index=True
    )
    instrument_id: Mapped[str] = mapped_column(String(80))
    instrument_version: Mapped[int]
    # Item key -> value, as the instrument defines it.
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    declined: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str] = mapped_column(String(8))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The id of the rendered form it was sent from (app.forms.SubmissionField); none for older answers.
    submission_id: Mapped[str | None] = mapped_column(String(64))
    # Stable facts for counting (issue 14 item 5), written when the answer is saved: the
    # respondent's role and relation as they were then (a later edit of the person does not
    # rewrite them), and the form's total (a sum, FIT) or mean (participation) as
    # app.instruments.scoring scored it; both None for a declined or unscored form or one with
    # an item left out. role_filled_later: the role and relation were copied from the person
    # by the migration that made the columns, for answers given before it.
    respondent_role: Mapped[str] = mapped_column(String(20))
    respondent_relation: Mapped[str | None] = mapped_column(String(120))
    role_filled_later: Mapped[bool] = mapped_column(default=False, server_default=false())
    score_total: Mapped[float | None] = mapped_column(Float)
    score_mean: Mapped[float | None] = mapped_column(Float)
    # The most urgent FIT signal of the answer when it was saved (grey, green, orange, red;
    # app.reconcile.signals), read against the person's earlier answers in meeting order: figure F2
    # counts session ratings with a signal. None for a form without FIT signals or without a total.
    signal_level: Mapped[str | None] = mapped_column(String(10))
    # None: on the respondent's own device; "help": on the case worker's device in hand-over mode;
    # "paper": typed in by the case worker from a paper form dated paper_dated (app.handover).
    answered_with: Mapped[str | None] = mapped_column(String(10))
    paper_dated: Mapped[date | None]

    invitation: Mapped[Invitation] = relationship(back_populates="responses")

    def dated(self, held_on: date) -> date:
        """Return the day "last time" names for this answer given for a meeting on `held_on`:
        the meeting's day once it has been held, else the day the answer came (a status is
        given before its meeting), so it is never a day still to come (issue 10, item 6)."""
        return held_on if held_on <= local_today() else local_date(self.submitted_at)


@event.listens_for(Invitation, "before_insert")
def _invited_as(mapper, connection, target: Invitation) -> None:
    """Keep the person's role as it is when they are asked, whoever made the invitation."""
    if target.respondent_role is None and target.person is not None:
        target.respondent_role = target.person.role


@event.listens_for(Response, "before_insert")
def _answered_as(mapper, connection, target: Response) -> None:
    """Keep the respondent's role and relation as they are when the answer is saved, for a
    response made as an object (app.respond.services writes them itself)."""
    if target.respondent_role is None and target.invitation is not None:
        target.respondent_role = target.invitation.person.role
        target.respondent_relation = target.invitation.person.relation


# The record of processing (app.privacy): what each column holds, kept next to the models.
describe("round", purpose=_l("En indsamling af svar om et møde: feedback efter mødet, eller input før det."),
         retention="case", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "meeting_id": NOT_PERSONAL, "kind": NOT_PERSONAL, "due_on": NOT_PERSONAL,
    "created_by_id": NOT_PERSONAL, "created_at": NOT_PERSONAL, "locked_at": NOT_PERSONAL,
})
describe("invitation", purpose=_l("Hver persons personlige link i en runde. Selve linket gemmes kun krypteret, og kun "
                                  "til det er åbnet, lukket eller udløbet."),
         retention="case", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "round_id": NOT_PERSONAL, "person_id": NOT_PERSONAL, "expires_at": NOT_PERSONAL,
    "revoked_at": NOT_PERSONAL, "reminded_at": NOT_PERSONAL, "role_filled_later": NOT_PERSONAL,
    "respondent_role": personal(_l("Personens plads omkring barnet, da personen blev spurgt, fx mor eller skole: "
                                   "til at tælle, hvem der blev spurgt, også hvis personens rolle senere rettes.")),
    "sealed_token": personal(_l("Linket, krypteret med en nøgle uden for databasen: så mødeskærmen, arket og "
                                "beskeden viser det samme link. Slettes, når linket åbnes, lukkes eller udløber."),
                             seen_by=("case_team",)),
    "instrument_ids": personal(_l("De skemaer, personen blev bedt om at udfylde.")),
    "token_hash": personal(_l("Et hash af linket: til at kende linket, når det bliver åbnet."), seen_by=("nobody",)),
    "issued_at": personal(_l("Hvornår personen fik linket.")),
    "opened_at": personal(_l("Hvornår personen åbnede linket.")),
    "language": personal(_l("Det sprog, personen valgte på linkets sider.")),
})
describe("response", purpose=_l("Svarene fra barnet, familien, netværket og udføreren. Et nyere svar gælder; det "
                                "ældre bevares i historikken."),
         retention="case", seen_by=("case_team", "respondent"), columns={
    "id": NOT_PERSONAL, "invitation_id": NOT_PERSONAL, "instrument_id": NOT_PERSONAL,
    "instrument_version": NOT_PERSONAL, "superseded_at": NOT_PERSONAL, "submission_id": NOT_PERSONAL,
    "role_filled_later": NOT_PERSONAL,
    "respondent_role": personal(_l("Personens plads omkring barnet, da personen svarede, fx mor eller skole: til "
                                   "at tælle svarene, også hvis personens rolle senere rettes.")),
    "respondent_relation": personal(_l("Relationen til barnet med familiens egne ord, da personen svarede, fx "
                                       "mormor.")),
    "score_total": personal(_l("Skemaets samlede score, regnet ud, da svaret blev gemt: kan sige noget om, "
                               "hvordan personen har det.")),
    "score_mean": personal(_l("Gennemsnittet af svarene på skemaets spørgsmål, regnet ud, da svaret blev gemt.")),
    "signal_level": personal(_l("Om svaret gav et signal at tale om (grå, grøn, orange, rød), regnet ud, da svaret "
                                "blev gemt.")),
    "answers": personal(_l("Svarene på skemaets spørgsmål: kan sige noget om helbred og familieforhold, og kan "
                           "rumme fri tekst.")),
    "declined": personal(_l("At personen ikke ville svare.")),
    "language": personal(_l("Det sprog, personen svarede på.")),
    "submitted_at": personal(_l("Hvornår personen svarede.")),
    "answered_with": personal(_l("Om personen svarede på rådgiverens enhed med hjælp, eller om svaret er "
                                 "skrevet af fra et papirskema.")),
    "paper_dated": personal(_l("Datoen på papirskemaet, når svaret er skrevet af fra papir.")),
})
