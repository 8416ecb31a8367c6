"""The audit log: every view of a case and every change, with who and when.

Append-only: a stored entry is never changed or deleted through the application (AuditIsFinal).
The one exception to come is the retention purge (issue 12 item 15), which runs inside
`purging()`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from flask import g, has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.append_only import refuse_changes
from app.extensions import db
from app.privacy import NOT_PERSONAL, describe, personal
from app.timestamps import UTCDateTime, utcnow

VIEW = "case.view"


class AuditEvent(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(60))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="SET NULL"), index=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    # The client's address as the app sees it (behind proxies: SAMSTEM_PROXY_HOPS).
    address: Mapped[str | None] = mapped_column(String(45))


def _address() -> str | None:
    return (request.remote_addr or "")[:45] or None if has_request_context() else None


class AuditIsFinal(Exception):
    """An audit entry was about to change or be deleted; the audit log is append-only."""


_purging: ContextVar[bool] = ContextVar("audit_purging", default=False)


@contextmanager
def purging() -> Iterator[None]:
    """Allow changing and deleting audit entries inside the block, flushed inside it.

    Only the retention purge may use it: it removes entries' personal details when their
    retention has passed. Nothing else changes the audit log.
    """
    token = _purging.set(True)
    try:
        yield
    finally:
        _purging.reset(token)


refuse_changes(AuditEvent, AuditIsFinal, "the audit log is append-only", unless=_purging.get)


def _user_id() -> int | None:
    return current_user.id if current_user and current_user.is_authenticated else None


def _caller() -> dict:
    """Name the API key a call of /api/v1 came with (app.api): its calls have no staff user."""
    name = g.get("api_key_name") if has_request_context() else None
    return {"api_key": name} if name else {}


def record(action: str, case_id: int | None = None, **detail) -> AuditEvent:
    """Add an audit event of a change for the current user; it commits or rolls back with the change."""
    detail.update(_caller())
    event = AuditEvent(action=action, case_id=case_id, user_id=_user_id(), detail=detail, address=_address())
    db.session.add(event)
    return event


def read(case_id: int, **detail) -> None:
    """Note that this request shows the case's personal data; one entry per case per request.

    The request boundary (app.boundary) writes it whether or not the request's changes are
    kept, so a refused form that showed the case is still audited.
    """
    if not has_request_context():
        return
    reads = g.setdefault("audit_reads", {})
    reads.setdefault(case_id, {}).update(detail)


def pending_reads() -> list[dict]:
    """Return (and forget) the reads this request noted, as rows of audit events."""
    reads = g.pop("audit_reads", {})
    user_id, address, caller = _user_id(), _address(), _caller()
    return [dict(action=VIEW, case_id=case_id, user_id=user_id, detail={**detail, **caller}, address=address)
            for case_id, detail in reads.items()]


def discard_reads() -> None:
    """Forget the reads noted so far: the response shows none of it (an error page)."""
    if has_request_context():
        g.pop("audit_reads", None)


# The record of processing (app.privacy): what each column holds, kept next to the model.
describe("audit_event", purpose=_l("Auditloggen: hvem der har set eller ændret hvad, og hvornår."),
         retention="audit", seen_by=("admin",), columns={
    "id": NOT_PERSONAL, "case_id": NOT_PERSONAL,
    "at": personal(_l("Hvornår det skete.")),
    "user_id": personal(_l("Hvilken medarbejder det var: loggen viser deres arbejde.")),
    "action": personal(_l("Hvad medarbejderen gjorde, fx så en sag.")),
    "detail": personal(_l("Hvad det gjaldt, fx hvilken person. Et forkert login nævner kontoen, aldrig det, "
                          "der blev skrevet.")),
    "address": personal(_l("Den netadresse, handlingen kom fra.")),
})
