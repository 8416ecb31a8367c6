"""The organisation's lists: the choices cases, measures and registrations are recorded with, and
the figures group by (target groups, case types, providers, reasons).

Each list ships with a default (LISTS below, in Danish, translated through Babel). An
administrator may rename an entry, add entries and take entries out of use; once the list is
saved it is stored whole as the setting "list.<name>":

    [{"code": "vulnerable", "labels": {"da": "…", "en": "…"}, "active": true}, …]

A code is what the database stores, so it never changes and is never removed: an entry taken out
of use can no longer be chosen, but rows recorded with it keep their name. An entry's label falls
back to the shipped wording (in the reader's language) and then to the Danish one.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app import audit
from app.labels import CASE_TYPE_LABELS, REOPEN_REASON_LABELS, TARGET_GROUP_LABELS
from app.settings import services as settings

SOURCE_LANGUAGE = "da"
CODE_LIMIT = 40
LABEL_LIMIT = 120


@dataclass(frozen=True)
class ShippedList:
    """A list as Samstem ships it: its title, what it is for, and its entries (code → label)."""

    title: object
    purpose: object
    entries: dict


LISTS: dict[str, ShippedList] = {
    "target_group": ShippedList(_l("Målgrupper"), _l("Hvilken gruppe barnet hører til. Tallene kan deles op efter den."),
                                TARGET_GROUP_LABELS),
    "case_type": ShippedList(_l("Sagstyper"), _l("Hvilken slags sag det er. Tallene kan deles op efter den."),
                             CASE_TYPE_LABELS),
    "reopen_reason": ShippedList(_l("Grunde til at genåbne en sag"),
                                 _l("Hvorfor en lukket sag blev åbnet igen."), REOPEN_REASON_LABELS),
    "provider": ShippedList(_l("Udførere"), _l("Dem, der leverer indsatserne, fx en familiebehandler eller et "
                                               "opholdssted. Tallene kan deles op efter dem."), {}),
    "method_failure_reason": ShippedList(
        _l("Grunde til at en familierådslagning eller et netværksmøde ikke blev til noget"),
        _l("Når metoden blev tilbudt, men ikke brugt, eller blev forsøgt, men ikke lykkedes."), {
            "family_declined": _l("Familien sagde nej tak"),
            "no_network": _l("Der var ikke noget netværk at samle"),
            "network_declined": _l("Netværket ville ikke være med"),
            "no_coordinator": _l("Der var ingen koordinator"),
            "too_urgent": _l("Sagen hastede for meget"),
            "other": _l("Anden grund"),
        }),
    "measure_end_reason": ShippedList(_l("Grunde til at en indsats sluttede"), _l("Hvorfor en indsats sluttede."), {
        "goal_met": _l("Målet er nået"),
        "planned_end": _l("Indsatsen sluttede som planlagt"),
        "not_helping": _l("Indsatsen hjalp ikke nok"),
        "family_ended": _l("Familien stoppede indsatsen"),
        "moved": _l("Familien er flyttet"),
        "replaced": _l("En anden indsats tog over"),
        "other": _l("Anden grund"),
    }),
}


@dataclass(frozen=True)
class Entry:
    """One entry of a list, as a page shows it."""

    code: str
    label: str
    active: bool
    shipped: bool  # the entry comes with Samstem (its wording may still be the organisation's)
    labels: dict  # the organisation's own wording per language


def _language() -> str:
    locale = get_locale()
    return locale.language if locale else SOURCE_LANGUAGE


def _stored(name: str) -> list[dict] | None:
    return settings.stored(f"list.{name}")


def _label(name: str, code: str, labels: dict) -> str:
    lang = _language()
    shipped = LISTS[name].entries.get(code)
    if labels.get(lang):
        return labels[lang]
    if shipped is not None and not labels.get(SOURCE_LANGUAGE):
        return str(shipped)
    return labels.get(SOURCE_LANGUAGE) or (str(shipped) if shipped is not None else code)


def entries(name: str, *, include_inactive: bool = False) -> list[Entry]:
    """The list's entries in the organisation's order; only those in use unless asked."""
    if name not in LISTS:
        raise KeyError(name)
    stored = _stored(name)
    if stored is None:
        stored = [{"code": code, "labels": {}, "active": True} for code in LISTS[name].entries]
    result = []
    for row in stored:
        labels = dict(row.get("labels") or {})
        entry = Entry(row["code"], _label(name, row["code"], labels), bool(row.get("active", True)),
                      row["code"] in LISTS[name].entries, labels)
        if entry.active or include_inactive:
            result.append(entry)
    return result


def choices(name: str, *, keep: str | None = None) -> list[tuple[str, str]]:
    """(code, label) pairs for a select field: the entries in use, and `keep` (the value already
    recorded) even when it has since been taken out of use, so editing a record never loses it."""
    return [(entry.code, entry.label) for entry in entries(name, include_inactive=True)
            if entry.active or entry.code == keep]


def codes(name: str) -> set[str]:
    """The codes that may be chosen now."""
    return {entry.code for entry in entries(name)}


def known(name: str, code: str) -> bool:
    """Whether the code was ever in the list (in use or not): a stored row may hold it."""
    return any(entry.code == code for entry in entries(name, include_inactive=True))


def names(name: str) -> dict[str, str]:
    """Every code ever in the list (in use or not) and its name in the reader's language: for a
    page that shows stored rows, built before the template renders."""
    return {entry.code: entry.label for entry in entries(name, include_inactive=True)}


def label(name: str, code: str | None) -> str:
    """The entry's name in the reader's language; a code never in the list is shown as it is."""
    if code is None:
        return ""
    return names(name).get(code, code)


class ListError(ValueError):
    """A list an administrator tried to save breaks a rule; the message says which."""


def save(name: str, rows: list[dict]) -> bool:
    """Store the whole list; returns whether it changed. Every code stored before must still be
    there (an entry is taken out of use, never removed); codes are unique; every entry has a
    Danish name. The change is audited with the list before and after."""
    if name not in LISTS:
        raise KeyError(name)
    before = [{"code": e.code, "labels": e.labels, "active": e.active} for e in entries(name, include_inactive=True)]
    seen: set[str] = set()
    for row in rows:
        code = row.get("code") or ""
        if not code or len(code) > CODE_LIMIT:
            raise ListError(_l("Hver linje skal have en kode på højst %(limit)s tegn.", limit=CODE_LIMIT))
        if code in seen:
            raise ListError(_l("Koden %(code)s står to gange.", code=code))
        seen.add(code)
        labels = row.get("labels") or {}
        if not (labels.get(SOURCE_LANGUAGE) or code in LISTS[name].entries):
            raise ListError(_l("Skriv et dansk navn til %(code)s.", code=code))
        if any(len(text or "") > LABEL_LIMIT for text in labels.values()):
            raise ListError(_l("Et navn må højst være %(limit)s tegn.", limit=LABEL_LIMIT))
    missing = {row["code"] for row in before} - seen
    if missing:
        raise ListError(_l("En linje kan tages ud af brug, men ikke slettes: %(codes)s.",
                           codes=", ".join(sorted(missing))))
    after = [{"code": row["code"], "labels": {k: v for k, v in (row.get("labels") or {}).items() if v},
              "active": bool(row.get("active", True))} for row in rows]
    if after == before:
        return False
    settings.put(f"list.{name}", after)
    audit.record("lists.save", None, list=name, before=before, after=after)
    return True
