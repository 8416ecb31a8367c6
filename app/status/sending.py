"""Sending a round's personal link by e-mail or SMS through the outbox, and reminding.

The message holds LINK; when the outbox delivers it, it puts in the invitation's own link,
unsealed (app/invitations/issued.py): the same link that was shown as a QR code or printed.
A link no longer kept (opened, revoked, expired) is not sent; a new one is made only by
"Lav et nyt link". A reminder sends the same link again: by hand from the round page, or by
`flask outbox send` REMINDER_DAYS after the first message, to those who have not opened it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from app import audit
from app.extensions import db
from app.i18n import person_language
from app.invitations import issued, messages
from app.invitations.models import Invitation, Round
from app.labels import NOT_SENT_LABELS
from app.outbox import queue_email, queue_sms
from app.outbox.compose import link_context
from app.outbox.models import OutboxMessage
from app.settings import services as settings
from app.timestamps import utcnow

log = logging.getLogger(__name__)


class SendError(Exception):
    """The link cannot be sent as asked; the message says why, for the case worker."""


def _check(invitation: Invitation, channel: str) -> str:
    """Return the person's address for the channel; raise SendError when the link cannot go there."""
    person = invitation.person
    if invitation.round.is_locked:
        raise SendError(_("Runden er afsluttet. Der kan ikke sendes nye links."))
    if invitation.revoked_at is not None:
        raise SendError(_("Linket til %(name)s er tilbagekaldt. Lav et nyt link først.", name=person.first_name))
    reason = issued.why_not(invitation)
    if reason in ("answered", "declined"):
        raise SendError(str(NOT_SENT_LABELS[reason]) + ".")
    if reason is not None:
        raise SendError(_("%(why)s. Skal %(name)s have et link igen, så vælg »Lav et nyt link«. "
                          "Det gamle link holder så op med at virke.", why=NOT_SENT_LABELS[reason], name=person.first_name))
    address = person.email if channel == "email" else person.phone
    if not address:
        if channel == "email":
            raise SendError(_("%(name)s har ingen e-mailadresse. Tilføj den på personens side.", name=person.first_name))
        raise SendError(_("%(name)s har intet telefonnummer. Tilføj det på personens side.", name=person.first_name))
    return address


def send(invitation: Invitation, channel: str, *, reminder: bool = False) -> OutboxMessage:
    """Queue the invitation's own link by e-mail or SMS, in the person's language where there is one."""
    address = _check(invitation, channel)
    with force_locale(person_language(invitation.person, invitation.language)):
        if channel == "email":
            subject, body = messages.email(invitation)
            if reminder:
                subject = _("Påmindelse: %(subject)s", subject=subject)
            message = queue_email(address, subject, body, invitation=invitation)
        else:
            message = queue_sms(address, messages.sms(invitation), invitation=invitation)
    audit.record("invitation.send", invitation.round.meeting.case_id, invitation_id=invitation.id, channel=channel,
                 reminder=reminder)
    return message


def first_sent(invitation: Invitation) -> OutboxMessage | None:
    """Return the first message with the invitation's link that went out."""
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.invitation_id == invitation.id, OutboxMessage.sent_at.is_not(None))
        .order_by(OutboxMessage.sent_at, OutboxMessage.id).limit(1)
    ).first()


def remind(invitation: Invitation) -> OutboxMessage:
    """Send the same link again, the way it went the first time."""
    first = first_sent(invitation)
    if first is None:
        raise SendError(_("Linket til %(name)s er ikke sendt endnu. Send det først.", name=invitation.person.first_name))
    message = send(invitation, first.channel, reminder=True)
    invitation.reminded_at = utcnow()
    return message


def due_reminders(now: datetime | None = None) -> list[Invitation]:
    """Return the invitations whose link went out REMINDER_DAYS ago or more, still unopened and
    never reminded (by hand or by this); none when REMINDER_DAYS is 0."""
    days = int(settings.get("reminder_days") or 0)
    if days <= 0:
        return []
    now = now or utcnow()
    first = (select(OutboxMessage.invitation_id, func.min(OutboxMessage.sent_at).label("at"))
             .where(OutboxMessage.invitation_id.is_not(None), OutboxMessage.sent_at.is_not(None))
             .group_by(OutboxMessage.invitation_id).subquery())
    found = db.session.scalars(
        select(Invitation).join(first, first.c.invitation_id == Invitation.id).join(Round)
        .where(first.c.at <= now - timedelta(days=days), Invitation.reminded_at.is_(None),
               Invitation.sealed_token.is_not(None), Invitation.opened_at.is_(None),
               Invitation.revoked_at.is_(None), Invitation.expires_at > now, Round.locked_at.is_(None))
        .order_by(Invitation.id)
    )
    return [invitation for invitation in found if issued.why_not(invitation, now) is None]


def send_reminders(now: datetime | None = None) -> int:
    """Queue a reminder for every invitation due one (see due_reminders); return how many.

    Run by `flask outbox send`, which delivers them in the same run. Links need
    PUBLIC_BASE_URL from the command line (outbox.compose.link_context).
    """
    due = due_reminders(now)
    queued = 0
    with link_context(bool(due)):
        for invitation in due:
            try:
                remind(invitation)
            except SendError:
                # E.g. the address was removed since: nothing to send it to; tried again next run.
                log.info("invitation %s: no reminder sent", invitation.id)
            else:
                queued += 1
    return queued


def latest_messages(round_: Round) -> dict[int, OutboxMessage]:
    """Return each invitation's newest outbox message, by invitation id."""
    ids = [inv.id for inv in round_.invitations]
    if not ids:
        return {}
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.invitation_id.in_(ids)).order_by(OutboxMessage.id)
    ).all()
    return {m.invitation_id: m for m in rows}
