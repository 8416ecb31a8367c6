"""The audit log: every view of a case and every change, with who and when."""

from datetime import datetime

from flask_login import current_user
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timestamps import UTCDateTime, utcnow


class AuditEvent(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(60))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="SET NULL"), index=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


def record(action: str, case_id: int | None = None, **detail) -> AuditEvent:
    """Add an audit event for the current user; the request commits it."""
    user_id = current_user.id if current_user and current_user.is_authenticated else None
    event = AuditEvent(action=action, case_id=case_id, user_id=user_id, detail=detail)
    db.session.add(event)
    return event
