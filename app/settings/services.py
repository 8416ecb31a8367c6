"""The organisation's settings: `get(key)` gives the administrator's value, or the configuration's.

A setting nobody changed has no row, so Samstem works unconfigured on its environment
variables (app/config.py); once an administrator saves the settings page, the row wins. All
rows are read at most once per request (or command) and kept on `g`; a save updates that copy.
Each process also keeps them for SETTINGS_CACHE_SECONDS (30 by default), so a change made on
one host or worker reaches the others within that time, and the process that saved it at once.

Besides the named settings below, the same table keeps the texts respondents read
("text.<name>", app/respond/notices.py) and the form catalogue's choices ("forms.approved",
"forms.inactive"); `stored(key)` reads those, with no configuration behind them.
"""

from __future__ import annotations

from time import monotonic
from typing import Any

from flask import current_app, g
from flask_login import current_user
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.settings.models import Setting
from app.timestamps import utcnow

# Each setting and the configuration value it falls back to.
SETTINGS = {
    "organisation_name": "ORGANISATION_NAME",
    "token_days": "TOKEN_DAYS",
    "reminder_days": "REMINDER_DAYS",
    "retention_days": "RETENTION_DAYS",
    "audit_retention_days": "AUDIT_RETENTION_DAYS",
    "min_group_count": "MIN_GROUP_COUNT",
    "min_group_mean": "MIN_GROUP_MEAN",
    "round_to_five": "ROUND_TO_FIVE",
    "pilot_mode": "PILOT_MODE",
    "target_network_share": "TARGET_NETWORK_SHARE",
    # Issue 14 item 1: the child's gender is recorded only when the organisation wants it for figures.
    "record_gender": "RECORD_GENDER",
}
# The fewest children a published figure may rest on, whatever the organisation sets
# (FIGURES.md "Disclosure rules" 2: Statistics Denmark's floor).
GROUP_FLOOR = 3
_CACHE = "settings_cache"
_NUMBERS = {"token_days", "reminder_days", "retention_days", "audit_retention_days", "min_group_count",
            "min_group_mean", "target_network_share"}


def _rows() -> dict[str, Any]:
    """The stored settings, the same for the whole request; read from the database at most once
    per CACHE_SECONDS per process, so a respondent's page stays within its query budget."""
    if "settings" not in g:
        loaded_at, rows = current_app.extensions.get(_CACHE, (None, None))
        if rows is None or monotonic() - loaded_at > current_app.config.get("SETTINGS_CACHE_SECONDS", 30):
            # Read in the middle of building rows (a link's expiry): flushing them half-built would fail.
            with db.session.no_autoflush:
                rows = {row.key: row.value for row in db.session.scalars(select(Setting))}
            current_app.extensions[_CACHE] = (monotonic(), rows)
        g.settings = dict(rows)
    return g.settings


def forget() -> None:
    """Drop this process's copy: the next request reads the settings from the database."""
    current_app.extensions.pop(_CACHE, None)
    g.pop("settings", None)


def _configured(key: str) -> Any:
    value = current_app.config.get(SETTINGS[key])
    if key in _NUMBERS and isinstance(value, str):
        text = value.strip()
        return int(text) if text.isdigit() else (None if not text else value)
    return value


def get(key: str) -> Any:
    """Return the setting: the administrator's value, or the configuration's."""
    if key not in SETTINGS:
        raise KeyError(key)
    rows = _rows()
    if key in rows:
        return rows[key]
    return _configured(key)


def stored(key: str, default: Any = None) -> Any:
    """Return a stored value without a configuration behind it (texts, the form catalogue)."""
    return _rows().get(key, default)


def put(key: str, value: Any) -> None:
    """Store one value, noting who changed it and when; the caller audits the change."""
    row = db.session.get(Setting, key)
    if row is None:
        row = Setting(key=key)
        db.session.add(row)
    row.value, row.changed_at = value, utcnow()
    row.changed_by_id = current_user.id if current_user.is_authenticated else None
    _rows()[key] = value
    db.session.flush()
    # The change may yet be rolled back: this process reads the database again next time.
    current_app.extensions.pop(_CACHE, None)


def save(values: dict[str, Any]) -> dict[str, list]:
    """Store the settings page's values; audit what changed (old and new). Returns the changes."""
    changed = {key: [get(key), value] for key, value in values.items() if get(key) != value}
    for key, (_old, new) in changed.items():
        put(key, new)
    if changed:
        audit.record("settings.save", None, changed=changed)
    return changed
