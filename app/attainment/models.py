"""The case worker's goal attainment: one per action-plan goal and follow-up meeting.

Issue 14 item 4, on the outcome model's steps (INSTRUMENTS.md §5: helt / i høj grad / i nogen
grad / ikke opfyldt / ikke relevant / ikke fulgt op), beside the provider's view of the same
goal in the status asked for before the meeting. Kept as written, like the registrations: a
change is a correction, a new row that names the row it corrects; the earlier one stays in
the history. A partial unique index allows one first recording per goal and meeting, and a
unique `corrects_id` keeps the corrections in one line, so a double submit stores it once.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.append_only import refuse_updates
from app.extensions import db
from app.privacy import NOT_PERSONAL, describe, personal
from app.timestamps import UTCDateTime, utcnow

# The provider status's steps (app.status.items.ATTAINMENTS) and "ikke fulgt op" as its own value.
ATTAINMENT_STEPS = ("full", "high", "some", "none", "not_relevant", "not_followed_up")


class AttainmentIsFinal(Exception):
    """A stored attainment was about to change; a change is a correction, a new row."""


class GoalAttainment(db.Model):
    """How far the case worker finds a goal has come at a meeting."""

    __tablename__ = "goal_attainment"
    __table_args__ = (
        CheckConstraint(f"attainment IN {ATTAINMENT_STEPS}", name="attainment"),
        CheckConstraint("goal_version >= 1", name="goal_version"),
        Index("uq_goal_attainment_first", "goal_id", "meeting_id", unique=True,
              sqlite_where=text("corrects_id IS NULL"), postgresql_where=text("corrects_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    # The wording (GoalVersion.number) the goal had when it was assessed: its life domain is counted.
    goal_version: Mapped[int]
    attainment: Mapped[str] = mapped_column(String(20))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("goal_attainment.id"), unique=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    goal: Mapped["Goal"] = relationship()  # noqa: F821
    meeting: Mapped["Meeting"] = relationship()  # noqa: F821
    recorded_by: Mapped["User"] = relationship()  # noqa: F821
    corrects: Mapped["GoalAttainment | None"] = relationship(remote_side=[id], back_populates="corrected_by")
    corrected_by: Mapped["GoalAttainment | None"] = relationship(back_populates="corrects")

    @property
    def is_current(self) -> bool:
        return self.corrected_by is None


refuse_updates(GoalAttainment, AttainmentIsFinal, "record a correction instead")

# The record of processing (app.privacy): what each column holds, kept next to the models.
describe("goal_attainment", purpose=_l("Rådgiverens vurdering af, hvor langt hvert mål i barnets plan er nået ved et "
                                       "opfølgningsmøde."),
         retention="case", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "goal_id": NOT_PERSONAL, "meeting_id": NOT_PERSONAL, "goal_version": NOT_PERSONAL,
    "corrects_id": NOT_PERSONAL, "recorded_by_id": NOT_PERSONAL, "recorded_at": NOT_PERSONAL,
    "attainment": personal(_l("Hvor langt målet er nået, fx i nogen grad opfyldt, eller at det ikke blev fulgt op.")),
})
