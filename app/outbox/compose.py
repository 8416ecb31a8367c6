"""The text a message goes out with: the personal link put in at delivery time.

The stored body of a message about an invitation holds LINK. Only here, just before
sending, is the invitation's sealed token unsealed (app/invitations/issued.py) and the link
put into the text: the same link that was shown as a QR code or printed, so a sheet never
stops working because a message was sent, and a retry or a reminder sends that link again.
That text lives in memory only: it is never written back. A link no longer sealed (opened,
revoked, expired, answered, its round decided) is not sent: the message is given up with the
reason, which the round page shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, has_request_context

from app.invitations import issued
from app.invitations.links import respondent_url, sms_url
from app.outbox.models import LINK, OutboxMessage
from app.outbox.senders import OutboxError
from app.timestamps import utcnow

# What the reasons (outbox.models.NOT_SENT_REASONS) say in the last error, for `flask outbox status`.
NOT_SENT = {
    "revoked": "not sent: the invitation was revoked, so its link must not go out",
    "answered": "not sent: the invitation was already answered, so there is nothing to ask for",
    "declined": "not sent: the invitation was already declined, so there is nothing to ask for",
    "locked": "not sent: the round is locked (decided), so the form can no longer be answered",
    "expired": "not sent: the invitation has expired; make a new link to send one",
    "opened": "not sent: the link was already opened, so it is no longer kept; make a new link to send one",
    "lost": "not sent: the link is no longer kept (made before links were sealed, or sealed with a key "
            "no longer in LINK_KEYS); make a new link to send one",
}


class Undeliverable(Exception):
    """This message must never go out; it is given up with this reason (a NOT_SENT_REASONS code)."""

    def __init__(self, reason: str) -> None:
        super().__init__(NOT_SENT[reason])
        self.reason = reason


@dataclass(frozen=True)
class Text:
    """What goes out; ``token`` is the raw token in it, kept only to hide it from errors."""

    subject: str | None
    body: str
    token: str | None = None


def compose(message: OutboxMessage) -> Text:
    """Return the message's text, with the invitation's own link if it is about one."""
    invitation = message.invitation
    if invitation is None:
        return Text(message.subject, message.body)
    # Never ask for what was already given (issue 10, item 3), never send a link that stopped working.
    reason = issued.why_not(invitation, utcnow())
    token = issued.token_of(invitation) if reason is None else None
    if token is None:
        raise Undeliverable(reason or "lost")
    # An SMS carries the short form of the same link (issue 18 item 4): 22 characters after the host.
    url = sms_url(token) if message.channel == "sms" else respondent_url(token)
    return Text(message.subject, message.body.replace(LINK, url), token)


@contextmanager
def link_context(needed: bool) -> Iterator[None]:
    """Make respondent_url work outside a request: a request context at PUBLIC_BASE_URL.

    A web request already has one. From the command line PUBLIC_BASE_URL must be set,
    or links would point nowhere; without it the delivery stops before sending anything.
    """
    if not needed or has_request_context():
        yield
        return
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        raise OutboxError(
            "PUBLIC_BASE_URL must be set when sending from the command line: messages with a "
            "personal link are waiting, and the link needs the address respondents reach, "
            "e.g. https://samstem.kommune.dk"
        )
    # Only scheme and host: respondent_url puts PUBLIC_BASE_URL (with any path) in front itself.
    parts = urlsplit(base)
    if not (parts.scheme and parts.netloc):
        raise OutboxError(f"PUBLIC_BASE_URL must be a full address such as https://samstem.kommune.dk, not {base!r}")
    with current_app.test_request_context(base_url=f"{parts.scheme}://{parts.netloc}"):
        yield
