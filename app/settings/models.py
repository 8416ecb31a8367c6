"""The organisation's settings: one row per setting an administrator changed, its value as JSON."""

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.privacy import NOT_PERSONAL, describe
from app.timestamps import UTCDateTime, utcnow


class Setting(db.Model):
    """A setting an administrator changed; a setting without a row has the configuration's value."""

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


describe("setting", purpose=_l("Organisationens indstillinger, tekster til dem, der svarer, og godkendte skemaer."),
         retention="setting", columns={
    "key": NOT_PERSONAL, "value": NOT_PERSONAL, "changed_at": NOT_PERSONAL, "changed_by_id": NOT_PERSONAL,
})
