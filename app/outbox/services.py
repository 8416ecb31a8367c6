"""Queue e-mail and SMS in the outbox, and deliver what waits.

Queueing only adds a row: the caller's transaction commits it together with whatever
the message is about, so nothing is lost when the mail server is down. ``deliver``
(``flask outbox send``, run by a scheduler every minute) tries each unsent message,
oldest first, and commits after each one, so one failure never loses another's state.

A message is *given up* (``given_up_at`` set, ``last_error`` says why, never tried
again) when it has failed ``OUTBOX_MAX_ATTEMPTS`` times, or at once when the link it
carries is no longer sealed: its invitation was opened, revoked, answered, declined, has
expired or its round was locked before it went out (``not_sent_reason`` says which, for the
round page). A message never makes a new link: it sends the one that was shown or printed.
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.invitations.models import Invitation
from app.outbox.compose import Text, Undeliverable, compose, link_context
from app.outbox.models import LINK, OutboxMessage
from app.outbox.senders import email_sender, has_token, mask, redact, sms_sender
from app.timestamps import utcnow

log = logging.getLogger(__name__)

_PENDING = (OutboxMessage.sent_at.is_(None), OutboxMessage.given_up_at.is_(None))


@dataclass
class Delivery:
    """What one run of ``deliver`` did."""

    sent: int = 0
    failed: int = 0  # will be tried again
    given_up: int = 0


def queue_email(recipient: str, subject: str, body: str, *, invitation: Invitation | None = None,
                case_id: int | None = None) -> OutboxMessage:
    """Add an e-mail to the outbox; a message about an invitation writes LINK where the link goes."""
    if not subject.strip():
        raise ValueError("an e-mail needs a subject")
    return _queue("email", recipient, subject, body, invitation, case_id)


def queue_email_once(recipient: str, subject: str, body: str, *, case_id: int, topic: str,
                     within: timedelta) -> OutboxMessage | None:
    """Add an e-mail about a case unless one of the same topic about that case was queued for the
    same recipient within `within` (and not given up); return None when it was not added.

    The look and the adding happen in the caller's transaction as one step. On PostgreSQL a
    transaction-scoped advisory lock on (topic, case) makes a second request about the same case
    wait until the first has committed; its look then sees the first one's message. On SQLite
    the writing request already holds the database's write lock.
    """
    recipient = recipient.strip()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(func.pg_advisory_xact_lock(zlib.crc32(f"{topic}:{case_id}".encode()))))
    recent = db.session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.topic == topic, OutboxMessage.case_id == case_id, OutboxMessage.recipient == recipient,
            OutboxMessage.created_at >= utcnow() - within, OutboxMessage.given_up_at.is_(None),
        ).limit(1)
    )
    if recent is not None:
        return None
    message = queue_email(recipient, subject, body, case_id=case_id)
    message.topic = topic
    return message


def queue_sms(recipient: str, body: str, *, invitation: Invitation | None = None,
              case_id: int | None = None) -> OutboxMessage:
    """Add an SMS to the outbox; a message about an invitation writes LINK where the link goes."""
    return _queue("sms", recipient, None, body, invitation, case_id)


def _queue(channel: str, recipient: str, subject: str | None, body: str,
           invitation: Invitation | None, case_id: int | None) -> OutboxMessage:
    recipient = recipient.strip()
    if not recipient or len(recipient) > 254:
        raise ValueError("a message needs a recipient of at most 254 characters")
    if subject and len(subject) > 200:
        raise ValueError("an e-mail subject has at most 200 characters")
    if has_token(body) or (subject and has_token(subject)):
        raise ValueError(f"the text holds a personal token; write {LINK} and pass the invitation instead")
    if (invitation is not None) != (LINK in body):
        raise ValueError(f"a message about an invitation, and only such a message, has {LINK} in its body")
    if subject and LINK in subject:
        raise ValueError(f"{LINK} belongs in the body, not the subject")
    if invitation is not None and case_id is None:
        case_id = invitation.round.meeting.case_id
    message = OutboxMessage(channel=channel, recipient=recipient, subject=subject, body=body,
                            invitation=invitation, case_id=case_id, attempts=0)
    db.session.add(message)
    return message


def deliver(limit: int = 100) -> Delivery:
    """Try up to `limit` unsent messages, oldest first; commit after each one.

    Raises OutboxError, before anything is sent, when the configuration cannot work:
    a bad SMS_SENDER or SMTP setting, or links to send without PUBLIC_BASE_URL.
    It commits the session, so call it with no other unfinished work in it.
    """
    rows = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.channel, OutboxMessage.invitation_id)
        .where(*_PENDING)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
        .limit(limit)
    ).all()
    delivery = Delivery()
    if not rows:
        return delivery
    config = current_app.config
    makers = {"email": email_sender, "sms": sms_sender}
    senders = {channel: makers[channel](config) for channel in {row.channel for row in rows}}
    max_attempts = int(config.get("OUTBOX_MAX_ATTEMPTS") or 10)
    with link_context(any(row.invitation_id for row in rows)):
        for row in rows:
            outcome = _deliver_one(row.id, senders, max_attempts)
            if outcome:
                setattr(delivery, outcome, getattr(delivery, outcome) + 1)
    return delivery


def _claim(message_id: int) -> OutboxMessage | None:
    """Lock the message if it still waits; None if it went, or another run holds it (PostgreSQL)."""
    return db.session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.id == message_id, *_PENDING)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )


def _send(sender, message: OutboxMessage, text: Text) -> None:
    if message.channel == "email":
        sender.send(message.recipient, text.subject, text.body)
    else:
        sender.send(message.recipient, text.body)


def _deliver_one(message_id: int, senders: dict, max_attempts: int) -> str | None:
    """Try one message; return "sent", "failed", "given_up", or None if it was not ours to try."""
    message = _claim(message_id)
    if message is None:
        return None
    channel, to, attempt = message.channel, mask(message.recipient), message.attempts + 1
    text: Text | None = None
    reason = None
    try:
        text = compose(message)
        _send(senders[channel], message, text)
    except Undeliverable as refused:
        error, give_up, reason = str(refused), True, refused.reason
    except Exception as failure:  # noqa: BLE001 - whatever a sender raises fails this message only
        error, give_up = f"{type(failure).__name__}: {failure}", attempt >= max_attempts
        if give_up:
            error = f"given up after {attempt} attempts; the last error: {error}"
        log.warning("outbox message %s not sent (%s to %s), attempt %s: %s",
                    message_id, channel, to, attempt, type(failure).__name__)
    else:
        message.attempts = attempt
        message.last_attempt_at = message.sent_at = utcnow()
        db.session.commit()
        log.info("outbox message %s sent (%s to %s)", message_id, channel, to)
        return "sent"
    if text is not None and text.token:
        error = error.replace(text.token, "[token]")
    db.session.rollback()
    return _record_failure(message_id, attempt, redact(error), give_up, reason)


def _record_failure(message_id: int, attempt: int, error: str, give_up: bool, reason: str | None) -> str | None:
    message = _claim(message_id)
    if message is None:
        return None
    now = utcnow()
    message.attempts = attempt
    message.last_attempt_at = now
    message.last_error = error
    if give_up:
        message.given_up_at = now
        message.not_sent_reason = reason
        # The reason stays in the database (flask outbox status): errors may quote the text.
        log.warning("outbox message %s given up after %s attempt(s)", message_id, attempt)
    db.session.commit()
    return "given_up" if give_up else "failed"


@dataclass
class Status:
    """The outbox at a glance, for ``flask outbox status``."""

    waiting: int = 0
    sent: int = 0
    given_up: int = 0
    failed: int = 0
    failing: list[OutboxMessage] = field(default_factory=list)
    recently_given_up: list[OutboxMessage] = field(default_factory=list)


def status(show: int = 20) -> Status:
    """Count messages by state; list the oldest failing and the latest given up."""
    failing = (*_PENDING, OutboxMessage.attempts > 0)
    given_up = OutboxMessage.given_up_at.is_not(None)
    result = Status(
        waiting=_count(*_PENDING, OutboxMessage.attempts == 0),
        sent=_count(OutboxMessage.sent_at.is_not(None)),
        given_up=_count(given_up),
        failed=_count(*failing),
    )
    result.failing = list(db.session.scalars(
        select(OutboxMessage).where(*failing).order_by(OutboxMessage.id).limit(show)
    ))
    result.recently_given_up = list(db.session.scalars(
        select(OutboxMessage).where(given_up)
        .order_by(OutboxMessage.given_up_at.desc(), OutboxMessage.id.desc()).limit(show)
    ))
    return result


def _count(*conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(*conditions))
