"""The lists page (/admin/lists, issue 14): each of the organisation's lists as rows an
administrator renames (Danish and English), adds to, and takes out of use or back in use.

The page posts one list at a time: its rows in order (code, Danish and English name, in use),
and one new row. A new row's code is typed, or made from its Danish name. `lists.save` keeps the
rules (no entry removed, unique codes, a Danish name) and audits the change; this module reads
the posted form into rows and says in Danish what is wrong, so nothing typed is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.settings import lists

LANGUAGES = ("da", "en")
# More rows than any list needs: a page posting more is not the administrator's.
MAX_ROWS = 300
CODE_PATTERN = re.compile(r"^[a-z0-9_]+$")
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe", "ä": "ae"})


@dataclass
class ListRow:
    """One row of a list as the page shows it (and as it was typed, when refused)."""

    code: str
    names: dict
    active: bool
    shipped_name: str = ""  # the wording Samstem ships, shown as a hint when the organisation has none


@dataclass
class ListView:
    name: str
    title: str
    purpose: str
    rows: list[ListRow]
    new: dict = field(default_factory=lambda: {"code": "", "da": "", "en": ""})
    error: str | None = None


def code_from(name: str) -> str:
    """A code made from a Danish name: lower case, a–z, digits and _, at most lists.CODE_LIMIT long."""
    text = name.strip().lower().translate(_DANISH)
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:lists.CODE_LIMIT].rstrip("_")


def view(name: str) -> ListView:
    """The list as stored (or shipped), for the page."""
    shipped = lists.LISTS[name]
    rows = [ListRow(e.code, {lang: e.labels.get(lang, "") for lang in LANGUAGES}, e.active,
                    str(shipped.entries[e.code]) if e.code in shipped.entries else "")
            for e in lists.entries(name, include_inactive=True)]
    return ListView(name, str(shipped.title), str(shipped.purpose), rows)


def views() -> list[ListView]:
    return [view(name) for name in lists.LISTS]


def _clean(text: str | None, limit: int) -> str:
    # NUL is never typed on purpose, and PostgreSQL cannot store it; a huge text is cut for showing again.
    return (text or "").replace("\x00", "").strip()[:limit * 4]


def save_from_form(name: str, form) -> tuple[ListView, bool]:
    """Read the posted list and save it. Returns the list as typed (with its error when refused)
    and whether it changed. Raises KeyError for a list that does not exist."""
    if name not in lists.LISTS:
        raise KeyError(name)
    posted = view(name)
    codes = form.getlist("code")[:MAX_ROWS + 1]
    shipped = {row.code: row.shipped_name for row in posted.rows}
    rows = [ListRow(_clean(code, lists.CODE_LIMIT),
                    {lang: _clean(form.get(f"{lang}-{i}"), lists.LABEL_LIMIT) for lang in LANGUAGES},
                    form.get(f"active-{i}") == "yes", shipped.get(code, ""))
            for i, code in enumerate(codes)]
    new = {key: _clean(form.get(f"new_{key}"), lists.LABEL_LIMIT) for key in ("code", "da", "en")}
    posted.rows, posted.new = rows, new
    if len(codes) > MAX_ROWS:
        posted.error = str(_l("Listen har for mange linjer."))
        return posted, False
    to_save = [{"code": r.code, "labels": dict(r.names), "active": r.active} for r in rows]
    if new["code"] or new["da"] or new["en"]:
        code = new["code"] or code_from(new["da"])
        if not new["da"]:
            posted.error = str(_l("Skriv et dansk navn til den nye linje."))
            return posted, False
        if not code or not CODE_PATTERN.match(code):
            posted.error = str(_l("Koden må kun have små bogstaver fra a til z, tal og _. Skriv en kode, eller lad "
                                  "feltet stå tomt, så laver Samstem den ud fra det danske navn."))
            return posted, False
        if code in {r.code for r in rows} and not new["code"]:
            code = _free(code, {r.code for r in rows})
        to_save.append({"code": code, "labels": {"da": new["da"], "en": new["en"]}, "active": True})
    try:
        changed = lists.save(name, to_save)
    except lists.ListError as error:
        posted.error = str(error)
        return posted, False
    return view(name), changed


def _free(code: str, taken: set[str]) -> str:
    """The code with a number after it that no row has yet: two entries may share a Danish name."""
    number = 2
    while f"{code[:lists.CODE_LIMIT - 4]}_{number}" in taken:
        number += 1
    return f"{code[:lists.CODE_LIMIT - 4]}_{number}"
