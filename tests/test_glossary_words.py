"""Every Danish text a person can meet speaks today's law and Danish typography (issue 11, Tests).

The texts: the Babel catalogue's source strings, extracted from app/ and templates/ as
`make messages` does (pages, flash messages, labels, the PDFs and the plain text, and the
e-mails and SMS, whose words live in the round kinds, app/*/kinds.py, and
app/invitations/messages.py), and every Danish string in the form files in forms/. A failure
names the file (and line or key) and the text.
"""

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent

# The old law's words (Serviceloven) and today's (Barnets Lov, since 1 January 2024), as
# GLOSSARY.md marks them "formerly ...". Matched case-insensitively, also inside compounds
# ("Handleplansmøde", "foranstaltningen"). The one place this list is kept.
REPLACED_WORDS = {
    "handleplan": "barnets plan (ungeplan from 16), or \"målene\"",
    "foranstaltning": "indsats / støttende indsats",
    "efterværn": "ungestøtte",
    "sagsbehandler": "rådgiver (børne- og ungerådgiver)",
}
# The same old words as the English translation said them.
REPLACED_ENGLISH = {"action plan": "the child's plan", "aftercare": "support for young adults"}
# Danish quotes point inwards: »sådan«, never «sådan» (issue 11 item 12). Wrong: « opening a
# quote (at the start, after a space or a bracket), or » closing one (after a letter, before a
# space, a stop or the end).
WRONG_QUOTES = re.compile(r"(?:^|[\s(\[])«|(?<=\S)»(?=$|[\s.,;:!?)\]])")
# A range of numbers is written with an en dash: 0–10, 1–5, 18–22 (issue 11 item 12). Dates
# written with hyphens (14-03-2026) are no ranges.
HYPHEN_RANGE = re.compile(r"(?<![\d-])\d{1,2}-\d{1,2}(?![\d-])")
# Smaller slips of issue 11 item 12, as patterns (case-insensitive), with the better words.
SLIPS = [
    (r"der passer på,", "det tal, der passer bedst til"),
    (r"det rigtige for mig", "plain Danish, e.g. \"godt for mig\""),
    (r"blev du inddraget\?", "Blev du hørt og taget med på råd?"),
    (r"fik en reel plads", "blev taget alvorligt"),
    (r"give en score", "vurdere"),
    (r"denne runde er lukket", "Du kan ikke længere svare eller rette her."),
    (r"opringning|opfølgningsopkald", "\"Opfølgning pr. telefon\" for headings, \"opkald\" for one call"),
    (r"mødet %\(date\)s", "mødet den %(date)s"),
    (r"et kvarter|vent 15 minutter", "the configured wait, or \"lidt\""),
]
# Same keywords as `make messages` (Makefile): -k _l -k _plural:1,2.
KEYWORDS = DEFAULT_KEYWORDS | {"_l": None, "_plural": (1, 2)}


def catalogue_texts() -> Iterator[tuple[str, str]]:
    """Yield (where, text) for every source string of the Babel catalogue."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS):
        for text in (message if isinstance(message, tuple) else (message,)):
            if text:
                yield f"{filename}:{lineno}", text


def _danish(value, path: str) -> Iterator[tuple[str, str]]:
    """Yield (key path, text) for every string under a "da" key, however deep."""
    if isinstance(value, dict):
        for key, inner in value.items():
            where = f"{path}.{key}" if path else key
            if key == "da":
                for text in inner if isinstance(inner, list) else [inner]:
                    if isinstance(text, str):
                        yield where, text
            else:
                yield from _danish(inner, where)
    elif isinstance(value, list):
        for number, inner in enumerate(value, 1):
            yield from _danish(inner, f"{path}[{number}]")


def form_texts() -> Iterator[tuple[str, str]]:
    """Yield (where, text) for every Danish string in the form files."""
    for path in sorted((ROOT / "forms").rglob("*.toml")):
        with path.open("rb") as f:
            data = tomllib.load(f)
        for key, text in _danish(data, ""):
            yield f"{path.relative_to(ROOT)} ({key})", text


SOURCES = {"catalogue": catalogue_texts, "forms": form_texts}


@pytest.fixture(scope="module", params=sorted(SOURCES))
def texts(request) -> list[tuple[str, str]]:
    found = list(SOURCES[request.param]())
    assert len(found) > 50, f"{request.param}: found only {len(found)} texts; is the extraction broken?"
    return found


def test_no_word_of_the_old_law(texts):
    problems = [
        f"{where}: {text!r} says {word!r}; GLOSSARY.md: {today}"
        for where, text in texts
        for word, today in REPLACED_WORDS.items()
        if word in text.casefold()
    ]
    assert problems == [], "\n".join(problems)


def test_danish_quotes_point_inwards(texts):
    problems = [f"{where}: {text!r}: write »…«" for where, text in texts if WRONG_QUOTES.search(text)]
    assert problems == [], "\n".join(problems)


def test_ranges_take_an_en_dash(texts):
    problems = [f"{where}: {text!r}: write {match.group().replace('-', '–')}" for where, text in texts
                for match in HYPHEN_RANGE.finditer(text)]
    assert problems == [], "\n".join(problems)


def test_none_of_the_smaller_slips(texts):
    problems = [f"{where}: {text!r}: write {better}" for where, text in texts
                for pattern, better in SLIPS if re.search(pattern, text, re.IGNORECASE)]
    assert problems == [], "\n".join(problems)


def test_the_english_translation_follows_todays_law_too():
    with (ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalogue = read_po(f)
    problems = [f"translations/en: {message.id!r} -> {text!r}: write {today!r}"
                for message in catalogue if message.id
                for text in (message.string if isinstance(message.string, tuple) else (message.string,))
                for old, today in REPLACED_ENGLISH.items() if old in text.casefold()]
    assert problems == [], "\n".join(problems)
