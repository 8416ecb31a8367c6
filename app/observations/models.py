"""Standing observation links and the observations sent through them."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.privacy import NOT_PERSONAL, describe, personal
from app.timestamps import UTCDateTime, utcnow

OBSERVATION_KINDS = ("positive", "negative", "mixed")
OBSERVATION_TEXT_LIMIT = 4000


class ObservationLink(db.Model):
    """A person's standing link for reporting observations; no expiry, only revocation.

    The token itself is never stored: it is shown once, when the link is made.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The language the person chose on the link's page; later visits speak it (not the session's).
    language: Mapped[str | None] = mapped_column(String(8))

    case: Mapped["Case"] = relationship()  # noqa: F821
    person: Mapped["Person"] = relationship()  # noqa: F821
    created_by: Mapped["User"] = relationship()  # noqa: F821

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class Observation(db.Model):
    """One observation as it was sent; it waits for the case worker's decision (flow E)."""

    __table_args__ = (
        CheckConstraint(f"kind IN {OBSERVATION_KINDS}", name="kind"),
        # One rendered form, sent twice (a double tap, a retry), is one observation (issue 12 item 2).
        Index("uq_observation_submission", "submission_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("observation_link.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    # The goal it concerns, and the wording (version number) the person saw.
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goal.id", ondelete="SET NULL"))
    goal_version: Mapped[int | None]
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    language: Mapped[str] = mapped_column(String(8))
    # Set when a decision takes a position on it, like a round's locked_at.
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The id of the rendered form it was sent from (app.forms.SubmissionField); none for older ones.
    submission_id: Mapped[str | None] = mapped_column(String(64))

    link: Mapped[ObservationLink] = relationship()
    goal: Mapped["Goal | None"] = relationship()  # noqa: F821
    decisions: Mapped[list["Decision"]] = relationship(  # noqa: F821
        secondary="decision_observation", order_by="Decision.id", viewonly=True
    )

    @property
    def person(self) -> "Person":  # noqa: F821
        return self.link.person

    @property
    def goal_text(self) -> str | None:
        """Return the goal's wording as it stood when they wrote (they chose it by its life domain)."""
        if self.goal is None:
            return None
        seen = next((v for v in self.goal.versions if v.number == self.goal_version), None)
        return (seen or self.goal.current).text

    @property
    def decision(self) -> "Decision | None":  # noqa: F821
        return next((d for d in reversed(self.decisions) if d.is_current), None)


# The record of processing (app.privacy): what each column holds, kept next to the models.
describe("observation_link", purpose=_l("En persons faste link til at fortælle om barnets hverdag. Selve linket "
                                        "gemmes aldrig."),
         retention="case", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "case_id": NOT_PERSONAL, "person_id": NOT_PERSONAL, "created_by_id": NOT_PERSONAL,
    "created_at": NOT_PERSONAL, "revoked_at": NOT_PERSONAL,
    "token_hash": personal(_l("Et hash af linket: til at kende linket, når det bliver åbnet."), seen_by=("nobody",)),
    "language": personal(_l("Det sprog, personen valgte på linkets sider.")),
})
describe("observation", purpose=_l("Observationer fra netværket, som de blev sendt, og om rådgiveren har taget "
                                   "stilling til dem."),
         retention="case", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "case_id": NOT_PERSONAL, "link_id": NOT_PERSONAL, "goal_id": NOT_PERSONAL,
    "goal_version": NOT_PERSONAL, "decided_at": NOT_PERSONAL, "submission_id": NOT_PERSONAL,
    "kind": personal(_l("Om observationen er god, bekymrende eller begge dele.")),
    "text": personal(_l("Observationen med personens egne ord: kan rumme alt om barnets hverdag.")),
    "language": personal(_l("Det sprog, personen skrev på.")),
    "submitted_at": personal(_l("Hvornår personen sendte den.")),
})
