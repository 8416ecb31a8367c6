"""A case's measures (indsatser) on the intervention ladder, each with its versions.

A measure is kept like a goal's wording: every change (a correction, or ending it) is a new
version, numbered from 1, and the stored versions never change, so the history says what was
recorded, by whom and when. The newest version is the measure as it stands. The kind and the
rung are the ladder file's codes and the provider and end reason the organisation's lists'
codes: the organisation edits those, so the database checks no list (app.measures.services
checks new input against them). What never depends on a list is checked here: an end not before
the start, and an end always with its reason.
"""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.append_only import refuse_updates
from app.extensions import db
from app.privacy import NOT_PERSONAL, describe, personal
from app.timestamps import UTCDateTime, utcnow

CODE_LIMIT = 40
END_NOTE_LIMIT = 2000


class Measure(db.Model):
    """One measure on a case, from its start to its end; what it is lives in its versions, newest last."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))

    versions: Mapped[list["MeasureVersion"]] = relationship(
        back_populates="measure", order_by="MeasureVersion.number", cascade="all, delete-orphan"
    )

    @property
    def current(self) -> "MeasureVersion":
        return self.versions[-1]


class MeasureIsFinal(Exception):
    """A stored version of a measure was about to change; a change is a new version."""


class MeasureVersion(db.Model):
    """The measure as recorded at one time: kind and rung, provider, start, and its end with why."""

    __tablename__ = "measure_version"
    __table_args__ = (
        UniqueConstraint("measure_id", "number"),
        CheckConstraint("number >= 1", name="number"),
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="dates"),
        CheckConstraint("(ended_on IS NULL AND end_reason IS NULL) OR (ended_on IS NOT NULL AND end_reason IS NOT NULL)",
                        name="end_reason"),
        CheckConstraint("end_note IS NULL OR ended_on IS NOT NULL", name="end_note"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: the unique (measure_id, number) serves lookups by measure.
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"))
    number: Mapped[int]
    # The ladder's codes: the kind, and the rung it sat on when recorded (stored, so a later
    # ladder moving the kind does not move history).
    kind: Mapped[str] = mapped_column(String(CODE_LIMIT))
    rung: Mapped[str] = mapped_column(String(CODE_LIMIT))
    # The code of the organisation's list "provider"; None while the list is empty.
    provider: Mapped[str | None] = mapped_column(String(CODE_LIMIT))
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
    # The code of the list "measure_end_reason", with the case worker's own words beside it.
    end_reason: Mapped[str | None] = mapped_column(String(CODE_LIMIT))
    end_note: Mapped[str | None] = mapped_column(Text)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    written_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))

    measure: Mapped[Measure] = relationship(back_populates="versions")
    written_by: Mapped["User"] = relationship()  # noqa: F821


refuse_updates(MeasureVersion, MeasureIsFinal, "record a new version instead")

# The record of processing (app.privacy): what each column holds, kept next to the models.
describe("measure", purpose=_l("Indsatserne i en sag: hvornår hver blev registreret, og af hvem. Hvad indsatsen er, "
                               "står i measure_version."),
         retention="case", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "case_id": NOT_PERSONAL, "created_at": NOT_PERSONAL, "created_by_id": NOT_PERSONAL,
})
describe("measure_version", purpose=_l("Sagens indsatser på indsatstrappen, hver ændring for sig: til sagens overblik "
                                       "og til tallene om, hvor børnene står på trappen."),
         retention="case", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "measure_id": NOT_PERSONAL, "number": NOT_PERSONAL, "written_at": NOT_PERSONAL,
    "written_by_id": NOT_PERSONAL,
    "kind": personal(_l("Hvilken indsats barnet får, fx familiebehandling eller anbringelse i plejefamilie.")),
    "rung": personal(_l("Hvor på indsatstrappen indsatsen ligger.")),
    "provider": personal(_l("Hvem der leverer indsatsen.")),
    "started_on": personal(_l("Datoen, indsatsen begyndte.")),
    "ended_on": personal(_l("Datoen, indsatsen sluttede.")),
    "end_reason": personal(_l("Hvorfor indsatsen sluttede.")),
    "end_note": personal(_l("Rådgiverens egne ord om, hvorfor indsatsen sluttede.")),
})
