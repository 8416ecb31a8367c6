"""The case's background (issue 14 item 1): target group, case type and, when the organisation
records it, the child's gender. Each change adds a version; the newest is in force, and the
figures read the version in force at a date, for many cases in one query."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from app import audit
from app.auth.models import User
from app.cases.models import GENDERS, Case, CaseBackground
from app.extensions import db
from app.settings import lists
from app.settings import services as settings
from app.timestamps import utcnow

FIELDS = ("target_group", "case_type", "gender")


class BackgroundError(ValueError):
    """The background cannot be saved as asked; the message says why, for the case worker."""


def records_gender() -> bool:
    """Whether the organisation records the child's gender (the setting record_gender; off by default)."""
    return bool(settings.get("record_gender"))


def history(case: Case) -> list[CaseBackground]:
    """Every version of the case's background, newest first, with who wrote it."""
    return list(db.session.scalars(
        select(CaseBackground).where(CaseBackground.case_id == case.id).order_by(CaseBackground.id.desc())
    ))


def _in_force(case_ids: Iterable[int], when: datetime | None) -> dict[int, CaseBackground]:
    ids = list(set(case_ids))
    if not ids:
        return {}
    latest = select(func.max(CaseBackground.id)).where(CaseBackground.case_id.in_(ids))
    if when is not None:
        latest = latest.where(CaseBackground.written_at <= when)
    latest = latest.group_by(CaseBackground.case_id)
    rows = db.session.scalars(select(CaseBackground).where(CaseBackground.id.in_(latest.scalar_subquery())))
    return {row.case_id: row for row in rows}


def current_background(case_ids: Iterable[int]) -> dict[int, CaseBackground]:
    """The background in force per case id, in one query; a case with none is left out."""
    return _in_force(case_ids, None)


def background_at(case_ids: Iterable[int], when: datetime) -> dict[int, CaseBackground]:
    """The background in force at `when` (UTC) per case id, in one query; a case with none then is left out."""
    return _in_force(case_ids, when)


def _clean(data: dict, current: CaseBackground | None) -> dict:
    """The values to store: codes in use now (or the one stored, kept when correcting)."""
    values = {}
    for name in ("target_group", "case_type"):
        code = (data.get(name) or "").strip()
        kept = current is not None and getattr(current, name) == code
        if code not in lists.codes(name) and not kept:
            raise BackgroundError(_("Vælg en af mulighederne."))
        values[name] = code
    gender = (data.get("gender") or "").strip() or None
    if not records_gender():
        # The organisation does not record it: the version in force keeps what was recorded before, if anything.
        gender = current.gender if current is not None else None
    elif gender is not None and gender not in GENDERS:
        raise BackgroundError(_("Vælg en af mulighederne."))
    values["gender"] = gender
    return values


def set_background(case: Case, user: User, data: dict) -> tuple[CaseBackground, bool]:
    """Record the case's background as a new version; returns the version in force and whether
    it is new (the same background again stores nothing). Audited with what changed."""
    current = current_background([case.id]).get(case.id)
    values = _clean(data, current)
    if current is not None and all(getattr(current, key) == values[key] for key in FIELDS):
        return current, False
    row = CaseBackground(case_id=case.id, written_by=user, written_at=utcnow(), **values)
    db.session.add(row)
    db.session.flush()
    changed = [key for key in FIELDS if current is None or getattr(current, key) != values[key]]
    audit.record("case.background", case.id, background_id=row.id, changed=changed)
    return row, True
