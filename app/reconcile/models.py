"""The case worker's decisions on new information: kept for good, corrected only by a newer one."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.append_only import refuse_updates
from app.extensions import db
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
refuse_updates(DecisionFiling, DecisionIsFinal, "a decision is filed once")
