"""Who reads a form, in whose words: the child (up to 12), the young person (13 or more) and the
adult each read words of their own (INSTRUMENTS.md; issue 11 items 4 and 5), and every line or
scale from bad to good ends in the one shared pair of its reader (issue 11 item 11).

A form file writes its plain texts for the readers its `wording` names. The child's and the
young person's own words sit in `child.` and `youth.` tables on the form, on an item or on a
named scale; the adult reads `intro_about` and each item's `about`. This module reads those
tables from a file's data, and says which of a reader's words a file lacks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

CHILD, YOUTH, ADULT = "child", "youth", "adult"
READERS = (CHILD, YOUTH, ADULT)
# The oldest child who reads the child's words; from 13 a child reads the young person's.
CHILD_MAX_AGE = 12
# The readers a file may word apart in tables of their own; the adult reads `about`.
OWN_TABLES = (CHILD, YOUTH)
# What a reader's table may replace: only words (and whether faces are shown), never a rule.
FORM_WORDS = frozenset({"title", "intro"})
ITEM_WORDS = frozenset({"text", "labels", "low", "high", "faces"})
READER_NAMES = {CHILD: "children up to 12", YOUTH: "young people of 13 or more", ADULT: "adults"}

# The one pair of ends of every line and scale from bad to good (issue 11 item 11): one for
# children, one for young people and adults. A new language needs its pairs here too.
SCALE_ENDS: dict[str, dict[str, tuple[str, str]]] = {
    CHILD: {"da": ("Rigtig skidt", "Rigtig godt"), "en": ("Really bad", "Really good"),
            "ar": ("سيئ جدًا", "جيد جدًا"), "uk": ("Дуже погано", "Дуже добре")},
    ADULT: {"da": ("Meget dårligt", "Meget godt"), "en": ("Very bad", "Very good"),
            "ar": ("سيئ للغاية", "جيد للغاية"), "uk": ("Дуже погано", "Дуже добре")},
}
ENDS_OF = {CHILD: CHILD, YOUTH: ADULT, ADULT: ADULT}
SHARED = "shared"
# Words that tell an end speaks of bad and good: such an end must be the shared pair.
GOOD_BAD_WORDS = {
    "da": ("godt", "god", "dårligt", "dårlig", "skidt", "glad", "ked af det", "trist"),
    "en": ("good", "bad", "happy", "sad"),
    "ar": ("جيد", "سيئ", "سعيد", "حزين"),
    "uk": ("добре", "добрий", "погано", "поганий", "радий", "сумний", "сумно"),
}


class WordingError(ValueError):
    """A reader's table in a form file is malformed; the message says where and what."""


def reader_of(role: str, child_age: int | None) -> str:
    """Return whose words a respondent reads: the child's up to 12, the young person's from 13,
    else the adult's. A child of unknown age reads the child's words, which everyone understands."""
    if role != CHILD:
        return ADULT
    return YOUTH if child_age is not None and child_age > CHILD_MAX_AGE else CHILD


def readers_of(audiences: Iterable[Any]) -> tuple[str, ...]:
    """Return the readers a form is sent to, by its audiences' roles and age bands."""
    found = set()
    for audience in audiences:
        if any(role != CHILD for role in audience.roles):
            found.add(ADULT)
        if CHILD in audience.roles:
            if (audience.min_age or 0) <= CHILD_MAX_AGE:
                found.add(CHILD)
            if audience.max_age is None or audience.max_age > CHILD_MAX_AGE:
                found.add(YOUTH)
    return tuple(r for r in READERS if r in found)


def scale_ends(reader: str, lang: str) -> tuple[str, str]:
    """Return the reader's shared ends (low, high) in the language, falling back to Danish."""
    pairs = SCALE_ENDS[ENDS_OF[reader]]
    return pairs.get(lang) or pairs["da"]


def lower_first(text: str) -> str:
    """Return the text with a small first letter, as an end reads inside a sentence."""
    return text[:1].lower() + text[1:]


def fill_ends(texts: Mapping[str, str], reader: str) -> dict[str, str]:
    """Put the reader's ends, in small letters, where a text says {low} and {high}."""
    filled = {}
    for lang, text in texts.items():
        low, high = (lower_first(end) for end in scale_ends(reader, lang))
        filled[lang] = text.replace("{low}", low).replace("{high}", high)
    return filled


def speaks_of_good_and_bad(end: str, lang: str) -> bool:
    """Tell whether an end written by hand speaks of bad or good (and must be the shared pair)."""
    words = GOOD_BAD_WORDS.get(lang, ())
    return any(re.search(rf"\b{re.escape(word)}\b", end.casefold()) for word in words)


# ---- a file's data as one reader reads it -------------------------------------------------------

def _own(table: dict, reader: str | None, allowed: frozenset[str], where: str) -> dict:
    """Return the table without readers' tables, with `reader`'s words in place of the plain ones."""
    plain = {key: value for key, value in table.items() if key not in OWN_TABLES}
    for name in OWN_TABLES:
        own = table.get(name)
        if own is None:
            continue
        if not isinstance(own, dict):
            raise WordingError(f"{where}'{name}' must be a table of the {name}'s words ({name}.text.da = \"…\")")
        unknown = sorted(set(own) - allowed)
        if unknown:
            raise WordingError(f"{where}'{name}.{unknown[0]}': only the words differ per reader "
                               f"({', '.join(f'{name}.{key}' for key in sorted(allowed))})")
        if name == reader:
            plain.update(own)
    return plain


def as_read_by(data: dict, reader: str | None) -> dict:
    """Return a form file's data as `reader` reads it (None: the plain words): each `child.` or
    `youth.` table on the form, an item or a named scale replaces the plain words for its reader."""
    worded = _own(data, reader, FORM_WORDS, "")
    scales = data.get("scales")
    if isinstance(scales, dict):
        worded["scales"] = {
            name: _own(scale, reader, ITEM_WORDS, f"[scales.{name}]: ") if isinstance(scale, dict) else scale
            for name, scale in scales.items()
        }
    items = data.get("items")
    if isinstance(items, list):
        worded["items"] = [
            _own(item, reader, ITEM_WORDS, f"item {item.get('key', '?')!r}: ") if isinstance(item, dict) else item
            for item in items
        ]
    return worded


def _scale_of(item: dict, scales: Any) -> dict:
    """Return the named scale an item uses ([scales.NAME]), or an empty table."""
    scale = scales.get(item.get("scale")) if isinstance(scales, dict) else None
    return scale if isinstance(scale, dict) else {}


def missing_words(data: dict, reader: str) -> tuple[str, ...]:
    """Return the words a form file lacks for a reader its plain words are not written for:
    the adult's `intro_about` and `about`, the child's (or young person's) intro, each item's
    text, and each scale's labels."""
    items = [item for item in data.get("items", []) if isinstance(item, dict)]
    if reader == ADULT:
        missing = [] if "intro_about" in data else ["intro_about"]
        return tuple(missing + [f"item '{item.get('key')}': about" for item in items if "about" not in item])
    missing = [] if "intro" in (data.get(reader) or {}) else [f"{reader}.intro"]
    scales = data.get("scales", {})
    for item in items:
        key = item.get("key")
        if "text" not in (item.get(reader) or {}):
            missing.append(f"item '{key}': {reader}.text")
        scale = _scale_of(item, scales)
        own_labels = "labels" in (item.get(reader) or {}) or "labels" in (scale.get(reader) or {})
        if ("labels" in item or "labels" in scale) and not own_labels:
            missing.append(f"item '{key}': {reader}.labels")
    return tuple(missing)


def wording_problems(where: str, wording: Sequence[str], readers: Sequence[str],
                     missing: Mapping[str, Sequence[str]]) -> list[str]:
    """Return one message per reader a form is sent to without words of their own."""
    if not wording:
        return [f"{where}: 'wording' is missing: say whom the plain texts are written for "
                f"(wording = [\"{CHILD}\"], [\"{YOUTH}\"] or [\"{ADULT}\"], or several)"]
    problems = []
    for reader in readers:
        if reader not in wording and missing.get(reader):
            problems.append(f"{where}: it is sent to {READER_NAMES[reader]}, but its texts are written for "
                            f"{' and '.join(READER_NAMES[r] for r in wording)}: no {', '.join(missing[reader])}")
    return problems
