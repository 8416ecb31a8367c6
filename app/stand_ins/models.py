"""Stand-ins: a colleague who works an absent case worker's cases for a period (issue 13).

Whether a stand-in is in force is computed from its dates and from when it was ended early,
never kept as a flag: access ends by itself on the day after `ends_on`.
"""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.extensions import db
from app.privacy import NOT_PERSONAL, describe, personal
from app.timestamps import UTCDateTime, utcnow


class StandIn(db.Model):
    """The stand-in sees and works the absent case worker's cases from `starts_on` to `ends_on`
    (both days included, the organisation's dates), unless ended early (`ended_at`)."""

    __tablename__ = "stand_in"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="period"),
        CheckConstraint("absent_id <> stand_in_id", name="not_oneself"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    absent_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    stand_in_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    given_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    absent: Mapped[User] = relationship(foreign_keys=[absent_id])
    stand_in: Mapped[User] = relationship(foreign_keys=[stand_in_id])

    def in_force(self, today: date) -> bool:
        return self.ended_at is None and self.starts_on <= today <= self.ends_on

    @classmethod
    def in_force_on(cls, today: date):
        """The same rule as in_force, for a query: the one place the period is read."""
        return and_(cls.ended_at.is_(None), cls.starts_on <= today, cls.ends_on >= today)

    def over(self, today: date) -> bool:
        """Whether access has ended: ended early, or its last day has passed."""
        return self.ended_at is not None or self.ends_on < today


describe("stand_in", purpose=_l("Stedfortrædere: hvem der ser og arbejder med en fraværende rådgivers sager, "
                                "og i hvilken periode."),
         retention="staff", seen_by=("admin", "self"), columns={
    "id": NOT_PERSONAL, "absent_id": NOT_PERSONAL, "stand_in_id": NOT_PERSONAL, "given_by_id": NOT_PERSONAL,
    "ended_by_id": NOT_PERSONAL,
    "starts_on": personal(_l("Hvornår stedfortræderen begynder: det siger noget om rådgiverens fravær.")),
    "ends_on": personal(_l("Hvornår stedfortræderen holder op: det siger noget om rådgiverens fravær.")),
    "given_at": NOT_PERSONAL, "ended_at": NOT_PERSONAL,
})
