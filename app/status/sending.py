"""Sending a round's personal link by e-mail or SMS through the outbox.

The message holds LINK; the outbox mints a fresh token when it delivers, so the link
printed or shown as a QR code before stops working.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.i18n import person_language
from app.invitations import messages
from app.invitations.models import Invitation, Round
from app.outbox import queue_email, queue_sms
from app.outbox.models import OutboxMessage


class SendError(Exception):
    """The link cannot be sent as asked; the message says why, for the case worker."""


def send(invitation: Invitation, channel: str) -> OutboxMessage:
    """Queue the invitation's link by e-mail or SMS, in the person's language where there is one."""
    person = invitation.person
    if invitation.round.is_locked:
        raise SendError(_("Runden er afsluttet. Der kan ikke sendes nye links."))
    if invitation.revoked_at is not None:
        raise SendError(_("Linket til %(name)s er tilbagekaldt. Lav et nyt link først.", name=person.first_name))
    address = person.email if channel == "email" else person.phone
    if not address:
        if channel == "email":
            raise SendError(_("%(name)s har ingen e-mailadresse. Tilføj den på personens side.", name=person.first_name))
        raise SendError(_("%(name)s har intet telefonnummer. Tilføj det på personens side.", name=person.first_name))
    with force_locale(person_language(person)):
        if channel == "email":
            subject, body = messages.email(invitation)
            message = queue_email(address, subject, body, invitation=invitation)
        else:
            message = queue_sms(address, messages.sms(invitation), invitation=invitation)
    audit.record("invitation.send", invitation.round.meeting.case_id, invitation_id=invitation.id, channel=channel)
    return message


def latest_messages(round_: Round) -> dict[int, OutboxMessage]:
    """Return each invitation's newest outbox message, by invitation id."""
    ids = [inv.id for inv in round_.invitations]
    if not ids:
        return {}
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.invitation_id.in_(ids)).order_by(OutboxMessage.id)
    ).all()
    return {m.invitation_id: m for m in rows}
