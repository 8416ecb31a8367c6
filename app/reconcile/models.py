"""The case worker's decisions on new information: kept for good, corrected only by a newer one."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.append_only import refuse_updates
from app.extensions import db
from app.privacy import NOT_PERSONAL, describe, personal
from app.timestamps import UTCDateTime, utcnow

OUTCOMES = ("action", "no_adjustment")

# The rounds a decision takes a position on: one, or every round that was new on the case.
decision_round = Table(
    "decision_round",
    db.metadata,
    Column("decision_id", ForeignKey("decision.id", ondelete="CASCADE"), primary_key=True),
    Column("round_id", ForeignKey("round.id", ondelete="CASCADE"), primary_key=True),
)
# The observations from the network a decision takes a position on (DESIGN.md D).
decision_observation = Table(
    "decision_observation",
    db.metadata,
    Column("decision_id", ForeignKey("decision.id", ondelete="CASCADE"), primary_key=True),
    Column("observation_id", ForeignKey("observation.id", ondelete="CASCADE"), primary_key=True),
)


class DecisionIsFinal(Exception):
    """A stored decision was about to change; decisions are corrected by a new one."""


class Decision(db.Model):
    """"Gives rise to action: which" or "no adjustment: why", with who and when."""

    __table_args__ = (CheckConstraint(f"outcome IN {OUTCOMES}", name="outcome"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    # Which action, or why no adjustment: the case worker's own words.
    text: Mapped[str] = mapped_column(Text)
    follow_up_needed: Mapped[bool]
    follow_up_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"))
    # The earlier decision this one corrects; the earlier one stays as it was.
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"), unique=True)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    rounds: Mapped[list["Round"]] = relationship(secondary=decision_round, order_by="Round.id")  # noqa: F821
    observations: Mapped[list["Observation"]] = relationship(  # noqa: F821
        secondary=decision_observation, order_by="Observation.id"
    )
    decided_by: Mapped["User"] = relationship()  # noqa: F821
    follow_up_meeting: Mapped["Meeting | None"] = relationship()  # noqa: F821
    corrects: Mapped["Decision | None"] = relationship(remote_side=[id], back_populates="corrected_by")
    corrected_by: Mapped["Decision | None"] = relationship(back_populates="corrects")
    filing: Mapped["DecisionFiling | None"] = relationship(back_populates="decision")

    @property
    def is_current(self) -> bool:
        return self.corrected_by is None


class DecisionFiling(db.Model):
    """"Journaliseret i fagsystemet": the case worker has filed the decision in the municipality's
    case system (DESIGN.md section 3). The retention purge never touches a case whose decisions in
    force are not filed. Kept as written; one per decision."""

    __tablename__ = "decision_filing"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id", ondelete="CASCADE"), unique=True)
    filed_on: Mapped[date]
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decision: Mapped[Decision] = relationship(back_populates="filing")
    filed_by: Mapped["User"] = relationship()  # noqa: F821


refuse_updates(Decision, DecisionIsFinal, "record a correction instead")


# The record of processing (app.privacy): what each column holds, kept next to the models.
describe("decision", purpose=_l("Rådgiverens beslutninger om nye svar og observationer. En rettelse er en ny "
                                "beslutning."),
         retention="case", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "case_id": NOT_PERSONAL, "follow_up_meeting_id": NOT_PERSONAL, "corrects_id": NOT_PERSONAL,
    "decided_by_id": NOT_PERSONAL, "decided_at": NOT_PERSONAL,
    "outcome": personal(_l("Om de nye oplysninger giver anledning til handling.")),
    "text": personal(_l("Hvilken handling, eller hvorfor ingen justering, med rådgiverens egne ord.")),
    "follow_up_needed": personal(_l("Om der skal følges op på et møde.")),
})
describe("decision_round", purpose=_l("Hvilke runder en beslutning tager stilling til."),
         retention="case", seen_by=("case_team",), columns={
    "decision_id": NOT_PERSONAL, "round_id": NOT_PERSONAL,
})
describe("decision_observation", purpose=_l("Hvilke observationer en beslutning tager stilling til."),
         retention="case", seen_by=("case_team",), columns={
    "decision_id": NOT_PERSONAL, "observation_id": NOT_PERSONAL,
})

refuse_updates(DecisionFiling, DecisionIsFinal, "a decision is filed once")
describe("decision_filing", purpose=_l("At en beslutning er journaliseret i fagsystemet: hvornår, og af hvem."),
         retention="case", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "decision_id": NOT_PERSONAL, "filed_by_id": NOT_PERSONAL, "recorded_at": NOT_PERSONAL,
    "filed_on": NOT_PERSONAL,
})
