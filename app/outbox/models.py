"""The outbox: every e-mail and SMS is a row here before it is delivered.

A message about an invitation holds the placeholder ``{link}`` in its body, never a
link: a link carries a raw token, which the database keeps only as a hash and, while the
link is handed out and unopened, sealed. The link is put in at delivery time, unsealed:
the same link that was shown or printed. It is never written back.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.privacy import NOT_PERSONAL, describe, personal
from app.timestamps import UTCDateTime, utcnow

CHANNELS = ("email", "sms")
# Why a message about an invitation was not sent (given up at once); labels.NOT_SENT_LABELS words them.
NOT_SENT_REASONS = ("revoked", "answered", "declined", "locked", "expired", "opened", "lost")
# Where the respondent's personal link goes in a message about an invitation.
LINK = "{link}"


class OutboxMessage(db.Model):
    """One e-mail or SMS, waiting, sent, or given up."""

    __table_args__ = (
        CheckConstraint(f"channel IN {CHANNELS}", name="channel"),
        CheckConstraint(f"not_sent_reason IN {NOT_SENT_REASONS}", name="not_sent_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))
    # An e-mail address or a phone number.
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str | None] = mapped_column(String(200))
    # The text as written; a message about an invitation holds LINK, never the link.
    body: Mapped[str] = mapped_column(Text)
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    # What kind of message this is, where the outbox must tell them apart: e.g. "news" (app.cases.news),
    # sent at most once an hour per case and recipient.
    topic: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    # The latest failure, tokens hidden; kept when a later attempt succeeds.
    last_error: Mapped[str | None] = mapped_column(Text)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when delivery stopped for good: too many attempts, or a link that must not go out.
    given_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set with given_up_at when the link must not go out: one of NOT_SENT_REASONS.
    not_sent_reason: Mapped[str | None] = mapped_column(String(10))

    invitation: Mapped["Invitation | None"] = relationship()  # noqa: F821

    @property
    def status(self) -> str:
        """One of: sent, given_up, failed (will be retried), waiting (not tried yet)."""
        if self.sent_at is not None:
            return "sent"
        if self.given_up_at is not None:
            return "given_up"
        return "failed" if self.attempts else "waiting"


# The record of processing (app.privacy): what each column holds, kept next to the model.
describe("outbox_message", purpose=_l("E-mails og sms'er med personers links, før og efter de er sendt. Linket står "
                                      "der aldrig."),
         retention="case", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "channel": NOT_PERSONAL, "invitation_id": NOT_PERSONAL, "case_id": NOT_PERSONAL,
    "created_at": NOT_PERSONAL, "attempts": NOT_PERSONAL, "last_attempt_at": NOT_PERSONAL, "sent_at": NOT_PERSONAL,
    "given_up_at": NOT_PERSONAL, "topic": NOT_PERSONAL,
    "not_sent_reason": NOT_PERSONAL,
    "recipient": personal(_l("Modtagerens e-mailadresse eller telefonnummer.")),
    "subject": personal(_l("Emnet: kan nævne barnets fornavn.")),
    "body": personal(_l("Beskeden: kan nævne barnets og rådgiverens navne.")),
    "last_error": personal(_l("Den seneste fejl ved afsendelsen: kan nævne modtagerens adresse."),
                           seen_by=("nobody",)),
})
