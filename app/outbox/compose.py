"""The text a message goes out with: a fresh personal link put in at delivery time.

The stored body of a message about an invitation holds LINK. Only here, just before
sending, is the invitation re-issued (a fresh token, its hash stored, the link that
was handed out before stops working) and the link put into the text. That text lives
in memory only: it is never written back, and a retry mints yet another token.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, has_request_context

from app.invitations.links import respondent_url
from app.invitations.services import reissue
from app.outbox.models import LINK, OutboxMessage
from app.outbox.senders import OutboxError
from app.timestamps import utcnow


class Undeliverable(Exception):
    """This message must never go out; it is given up with this reason."""


@dataclass(frozen=True)
class Text:
    """What goes out; ``token`` is the raw token in it, kept only to hide it from errors."""

    subject: str | None
    body: str
    token: str | None = None


def compose(message: OutboxMessage) -> Text:
    """Return the message's text, with a fresh link if it is about an invitation."""
    invitation = message.invitation
    if invitation is None:
        return Text(message.subject, message.body)
    # Checked before re-issuing: re-issuing would lift a revocation and renew the expiry.
    if invitation.revoked_at is not None:
        raise Undeliverable("not sent: the invitation was revoked, so its link must not go out")
    # Never ask for what was already given (issue 10, item 3): an answer or a refusal is in.
    answered = invitation.status()
    if answered in ("answered", "declined"):
        raise Undeliverable(f"not sent: the invitation was already {answered}, so there is nothing to ask for")
    if invitation.round.is_locked:
        raise Undeliverable("not sent: the round is locked (decided), so the form can no longer be answered")
    if not invitation.usable(utcnow()):
        raise Undeliverable("not sent: the invitation has expired; re-issue it to send a new link")
    token = reissue(invitation)
    return Text(message.subject, message.body.replace(LINK, respondent_url(token)), token)


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
