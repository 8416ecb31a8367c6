"""Links handed out: each invitation's token kept sealed in the database while it may still be used.

The database finds a link by its token's hash. Beside it, while the link is handed out and
unopened, the token itself is kept sealed (app.sealing), so any staff browser with access to
the case shows the same QR code, prints the same sheet, and the outbox sends the same link.
The seal is destroyed (set to NULL) when the link is first opened (app.respond.services), revoked,
expires or its round is decided: here when such a link is looked at, and for all of them by
`flask outbox send` and `flask links unseal-expired`. No link is ever kept in a cookie.
"""

import logging
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import or_, select, update

from app import sealing
from app.extensions import db
from app.invitations.models import Invitation, Round
from app.timestamps import utcnow

log = logging.getLogger(__name__)


def seal(invitation: Invitation, token: str) -> None:
    """Keep the invitation's fresh token sealed until it is opened."""
    invitation.sealed_token = sealing.seal(token)


def destroy(invitation: Invitation) -> None:
    """Forget the sealed token: the link can no longer be shown or sent, only made anew."""
    invitation.sealed_token = None


def why_not(invitation: Invitation, now: datetime | None = None) -> str | None:
    """Return why the invitation's link can no longer be shown or sent (one of
    outbox.models.NOT_SENT_REASONS), or None while it is sealed, unopened and usable."""
    now = now or utcnow()
    status = invitation.status(now)
    if status in ("revoked", "answered", "declined", "expired", "opened"):
        return status
    if invitation.round.is_locked:
        return "locked"
    if invitation.sealed_token is None:
        return "lost"  # made before links were sealed
    return None


def token_of(invitation: Invitation, now: datetime | None = None) -> str | None:
    """Return the link's token while it is handed out and unopened; destroy a seal that is no longer needed."""
    reason = why_not(invitation, now)
    if reason is not None:
        if invitation.sealed_token is not None:
            destroy(invitation)
        return None
    token = sealing.unseal(invitation.sealed_token)
    if token is None:
        log.warning("invitation %s: no configured LINK_KEYS key opens its sealed link", invitation.id)
    return token


def tokens_of(invitations: Iterable[Invitation]) -> dict[int, str]:
    """Return the tokens that can still be shown, by invitation id."""
    now = utcnow()
    found = {invitation.id: token_of(invitation, now) for invitation in invitations}
    return {invitation_id: token for invitation_id, token in found.items() if token is not None}


def _unneeded(now: datetime):
    """The condition of a seal kept no longer: opened, revoked, expired, or the round decided."""
    decided = select(Round.id).where(Round.locked_at.is_not(None))
    return or_(Invitation.opened_at.is_not(None), Invitation.revoked_at.is_not(None),
               Invitation.expires_at <= now, Invitation.round_id.in_(decided))


def unseal_expired(now: datetime | None = None) -> int:
    """Destroy every seal no longer needed (an expiry nobody looked at, in particular); return how many."""
    result = db.session.execute(
        update(Invitation)
        .where(Invitation.sealed_token.is_not(None), _unneeded(now or utcnow()))
        .values(sealed_token=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:
        log.info("destroyed %s sealed link(s) no longer needed", result.rowcount)
    return result.rowcount


def reseal_all() -> tuple[int, int]:
    """Seal every kept token again with the newest key; return (resealed, not opened by any key)."""
    resealed = unreadable = 0
    for invitation in db.session.scalars(select(Invitation).where(Invitation.sealed_token.is_not(None))):
        again = sealing.reseal(invitation.sealed_token)
        if again is None:
            unreadable += 1
            continue
        invitation.sealed_token = again
        resealed += 1
    return resealed, unreadable
