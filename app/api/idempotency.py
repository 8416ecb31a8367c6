"""The Idempotency-Key header on writes (the IETF httpapi draft's semantics), kept in the database.

The first call with a key inserts its row (key, API key, hash of method, path and body, state
"in flight") and commits it before doing the work: the unique constraint on (API key,
Idempotency-Key) decides which of two concurrent calls is first, on every worker and host, not
timing. The work then stores its reply in the row in the same transaction as the work, so a
reply is stored exactly when the work is. A retry finds the row: the same body gets the stored
reply, another body 422, and a call while the first is still in flight 409. A call that fails
removes its row, so the client may try again. Replies are sealed (app.sealing, like respondents'
links, which a round's reply holds) and expire after 24 hours.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from flask import Response, request
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app import sealing
from app.api.models import DONE, IN_FLIGHT, ApiKey, IdempotentRequest
from app.api.problems import Problem
from app.extensions import db
from app.timestamps import utcnow

HEADER = "Idempotency-Key"
KEEP = timedelta(hours=24)
# A first call still "in flight" after this long died with its worker (requests time out well before).
ABANDONED = timedelta(minutes=10)
KEY_LIMIT = 255


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode("utf-8", "replace"), request.get_data(cache=True)):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _stored(row: IdempotentRequest) -> Response:
    kept = json.loads(sealing.unseal(row.sealed_reply) or "null")
    if kept is None:  # no configured key opens it any more: as good as expired
        raise Problem("idempotency_in_flight", _("Svaret kan ikke længere hentes. Send kaldet med en ny nøgle."))
    reply = Response(kept["body"], status=kept["status"], mimetype=kept["mimetype"])
    reply.headers["Idempotent-Replayed"] = "true"
    return reply


def _seal(reply: Response) -> str:
    kept = {"status": reply.status_code, "mimetype": reply.mimetype, "body": reply.get_data(as_text=True)}
    return sealing.seal(json.dumps(kept, ensure_ascii=True))


def _forget(row_id: int) -> None:
    db.session.rollback()
    db.session.execute(delete(IdempotentRequest).where(IdempotentRequest.id == row_id))
    db.session.commit()


def _claim(key: ApiKey, given: str, fingerprint: str) -> IdempotentRequest | Response:
    """Return this call's fresh row, or the stored reply of the first call with the key; refuse the rest."""
    now = utcnow()
    # The key's expired replies go (so no sealed reply outlives its day by much), and this
    # Idempotency-Key's first call if it died in flight.
    db.session.execute(delete(IdempotentRequest).where(IdempotentRequest.api_key_id == key.id, (
        IdempotentRequest.expires_at <= now) | (
        (IdempotentRequest.idempotency_key == given) & (IdempotentRequest.state == IN_FLIGHT)
        & (IdempotentRequest.created_at <= now - ABANDONED))))
    row = IdempotentRequest(api_key_id=key.id, idempotency_key=given, body_hash=fingerprint, state=IN_FLIGHT,
                            created_at=now, expires_at=now + KEEP)
    db.session.add(row)
    try:
        db.session.commit()  # before the work: the unique constraint decides which call is first
    except IntegrityError:
        db.session.rollback()
        first = db.session.scalar(select(IdempotentRequest).where(
            IdempotentRequest.api_key_id == key.id, IdempotentRequest.idempotency_key == given))
        if first is None:  # the first call failed and let go of the key just now
            raise Problem("idempotency_in_flight") from None
        if first.body_hash != fingerprint:
            raise Problem("idempotency_key_reused") from None
        if first.state == IN_FLIGHT:
            raise Problem("idempotency_in_flight") from None
        return _stored(first)
    return row


def run(key: ApiKey, work: Callable[[], Response]) -> Response:
    """Do the write once per Idempotency-Key (or every time, without the header)."""
    given = request.headers.get(HEADER)
    if given is None:
        return work()
    given = given.strip()
    if not given or len(given) > KEY_LIMIT or not given.isascii() or not given.isprintable():
        raise Problem("validation_failed", _("Idempotency-Key skal være 1 til 255 synlige tegn."))
    claimed = _claim(key, given, _fingerprint())
    if isinstance(claimed, Response):
        return claimed
    row_id = claimed.id
    try:
        reply = work()
    except BaseException:
        _forget(row_id)
        raise
    if reply.status_code >= 400:
        _forget(row_id)
        return reply
    row = db.session.get(IdempotentRequest, row_id)
    row.state, row.status, row.sealed_reply = DONE, reply.status_code, _seal(reply)
    db.session.flush()  # committed by the request boundary with the work itself
    return reply
