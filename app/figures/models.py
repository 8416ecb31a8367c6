"""Releases of figures for closed periods, and the organisation's comments on them.

A release is kept as written: a late answer makes a new version of the period's release, never
an edit (FIGURES.md rule 5), so yesterday's figure can always be shown as it was published.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.append_only import refuse_updates
from app.extensions import db
from app.privacy import NOT_PERSONAL, describe, personal
from app.timestamps import UTCDateTime, utcnow

COMMENT_LIMIT = 2000


class ReleaseIsFinal(Exception):
    """A stored release or comment was about to change; a change is a new version or a new comment."""


class FigureRelease(db.Model):
    """One version of the figures of one closed period for one scope (the organisation), as published.

    `tables` holds the protected tables only (what pages may show), never a raw count; `changes`
    says per figure how many published counts changed since the previous version (never which case).
    """

    __tablename__ = "figure_release"
    __table_args__ = (
        UniqueConstraint("period", "scope", "version"),
        CheckConstraint("version >= 1", name="version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(10), index=True)
    scope: Mapped[str] = mapped_column(String(40))
    version: Mapped[int]
    # The disclosure rules the release was protected with (k_count, k_stat, rounding, members).
    rules: Mapped[dict] = mapped_column(JSON)
    # The distinct children the whole release rests on.
    children: Mapped[int]
    tables: Mapped[list] = mapped_column(JSON)
    # Which filter values may be chosen on the page, and why not.
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FigureComment(db.Model):
    """The organisation's comment on one figure for one period: a team leader's on the team's
    figures, a leader's on the organisation's. Kept as written; the newest is in force."""

    __tablename__ = "figure_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    figure: Mapped[str] = mapped_column(String(10))
    period: Mapped[str] = mapped_column(String(10))
    # "organisation", or "team:<id>" for a team's own figures.
    scope: Mapped[str] = mapped_column(String(40), index=True)
    text: Mapped[str] = mapped_column(Text)
    written_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    written_by: Mapped["User"] = relationship()  # noqa: F821


refuse_updates(FigureRelease, ReleaseIsFinal, "make a new version instead")
refuse_updates(FigureComment, ReleaseIsFinal, "write a new comment instead")

# The record of processing (app.privacy): what each column holds, kept next to the models.
describe("figure_release", purpose=_l("De offentliggjorte tal for en afsluttet periode: kun tal, der hviler på nok "
                                      "børn til, at ingen familie kan genkendes."),
         retention="setting", columns={
    "id": NOT_PERSONAL, "period": NOT_PERSONAL, "scope": NOT_PERSONAL, "version": NOT_PERSONAL,
    "rules": NOT_PERSONAL, "children": NOT_PERSONAL, "tables": NOT_PERSONAL, "filters": NOT_PERSONAL,
    "changes": NOT_PERSONAL, "created_at": NOT_PERSONAL,
})
describe("figure_comment", purpose=_l("Organisationens kommentar til et tal for en periode, med hvem der skrev den, "
                                      "og hvornår."),
         retention="setting", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "figure": NOT_PERSONAL, "period": NOT_PERSONAL, "scope": NOT_PERSONAL,
    "written_by_id": NOT_PERSONAL, "written_at": NOT_PERSONAL,
    "text": personal(_l("Kommentaren med lederens egne ord: handler om tallene, ikke om enkelte familier.")),
})
