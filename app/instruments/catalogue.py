"""The instrument catalogue: one TOML file per instrument in forms/, read and checked."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from flask import Flask, current_app
from wtforms import Form

from app.i18n import decimal1
from app.instruments.readers import (
    ADULT,
    ENDS_OF,
    READERS,
    SCALE_ENDS,
    SHARED,
    WordingError,
    as_read_by,
    fill_ends,
    missing_words,
    reader_of,
    readers_of,
    scale_ends,
    speaks_of_good_and_bad,
    wording_problems,
)

SOURCE_LANGUAGE = "da"
# The languages a respondent may read (Config.RESPONDENT_LANGUAGES), and those staff pages are
# in (Config.LANGUAGES): a form's staff_label exists in the staff languages only.
DEFAULT_LANGUAGES = ("da", "en", "ar", "uk")
DEFAULT_STAFF_LANGUAGES = ("da", "en")
DEFAULT_DIRECTORY = Path(__file__).resolve().parents[2] / "forms"
DONT_KNOW = "dont_know"

ROLES = frozenset({"child", "mother", "father", "carer", "network", "provider", "school"})
MEETING_KINDS = frozenset(
    {"network_meeting", "family_group_conference", "startup", "follow_up", "action_plan", "notification", "informal",
     "fit_session"}
)
# The network-involving methods' meetings (DESIGN.md flow G): a form file's `method_meeting`
# tells the case's first such meeting from one that follows an earlier one (issue 10 item 18).
METHOD_MEETING_KINDS = ("network_meeting", "family_group_conference")
METHOD_MEETINGS = ("first", "follow_up")
# The key of `priority` that holds for every meeting kind not named, also kinds added later.
DEFAULT_PRIORITY = "default"
# What a file in forms/ may ask; an area's pages also ask blocks and their parts (blocks.py).
QUESTION_TYPES = frozenset({"vas", "scale", "choice", "yesno", "text", "longtext"})
BLOCK_TYPES = frozenset({"goal_status", "factor", "final_factor", "pick", "menu", "level", "prose", "day"})
ITEM_TYPES = QUESTION_TYPES | BLOCK_TYPES
NUMERIC_TYPES = frozenset({"vas", "scale"})
SCORING_METHODS = frozenset({"sum", "mean"})
# Which FIT signal rules read the thresholds: outcome (cut-off, reliable change) or session.
SIGNAL_RULES = frozenset({"outcome", "session"})
DEFAULT_DIVERGENCE = {"vas": 3.0, "scale": 2.0}
DEFAULT_MAX_LENGTH = {"text": 200, "longtext": 4000}
# Colours a VAS line's bands may have (a traffic light); the page also names each band in words.
BAND_COLOURS = frozenset({"red", "yellow", "green"})
VAS_MIN, VAS_MAX = 0, 10

# Respondent-facing words that belong to no instrument; a new language needs them here too.
WORDS: dict[str, dict[str, str]] = {
    "da": {"yes": "Ja", "no": "Nej", DONT_KNOW: "Ved ikke"},
    "en": {"yes": "Yes", "no": "No", DONT_KNOW: "Don't know"},
    "ar": {"yes": "نعم", "no": "لا", DONT_KNOW: "لا أعرف"},
    "uk": {"yes": "Так", "no": "Ні", DONT_KNOW: "Не знаю"},
}

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_-]*$")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
# Names a form already uses for itself; a field of that name would break the form.
_RESERVED = frozenset(dir(Form)) | {"csrf_token", "instrument", "instruments", "lang"}

T = TypeVar("T")
Texts = Mapping[str, str]
Labels = Mapping[str, tuple[str, ...]]


class InstrumentError(Exception):
    """An instrument file is missing, unreadable or invalid; the message names file and problem."""


def word(key: str, lang: str) -> str:
    """Return a fixed respondent-facing word in the language, falling back to Danish."""
    return WORDS.get(lang, WORDS[SOURCE_LANGUAGE])[key]


def pick_text(texts: Mapping[str, Any], lang: str) -> Any:
    """Return the text in the language, falling back to Danish (the source language)."""
    return texts.get(lang) or texts[SOURCE_LANGUAGE]


_MISSING: Any = object()


def _in_band(age: int | None, low: int | None, high: int | None) -> bool:
    if age is None:
        # An unknown age must not guess a band: only a band without bounds fits.
        return low is None and high is None
    return (low is None or age >= low) and (high is None or age <= high)


@dataclass(frozen=True)
class Audience:
    """Respondent roles an instrument fits, for a child's age within inclusive bounds."""

    roles: tuple[str, ...]
    min_age: int | None = None
    max_age: int | None = None

    def matches(self, role: str, child_age: int | None) -> bool:
        """Tell whether a respondent of this role, about a child of this age, is meant."""
        return role in self.roles and _in_band(child_age, self.min_age, self.max_age)


@dataclass(frozen=True)
class Cutoff:
    """A clinical cut-off for totals, valid for a band of the child's age (inclusive)."""

    value: float
    min_age: int | None = None
    max_age: int | None = None

    def matches(self, child_age: int | None) -> bool:
        """Tell whether the band covers the age; an unknown age fits only an unbounded band."""
        return _in_band(child_age, self.min_age, self.max_age)


@dataclass(frozen=True)
class Scoring:
    """How answers become numbers, and the thresholds read by signals."""

    method: str
    higher_is_better: bool
    cutoffs: tuple[Cutoff, ...] = ()
    reliable_change: float | None = None
    item_cutoff: float | None = None
    fall: float | None = None
    # "outcome", "session" or None: which FIT signal rules apply to the totals.
    signals: str | None = None
    # What the number is called ("Trivsel"); empty = a one-item form's title, else "Total" or "Gennemsnit".
    names: Texts = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Band:
    """A stretch of a VAS line, whole numbers from `low` to `high` (both included), in a colour.

    A value with a decimal belongs to the band its whole part is in: 3.9 is in 0-3.
    """

    low: int
    high: int
    colour: str
    label_texts: Texts

    def __hash__(self) -> int:
        return hash((self.low, self.high, self.colour))

    def label(self, lang: str) -> str:
        return pick_text(self.label_texts, lang)

    @property
    def width(self) -> int:
        """How many whole numbers the band spans: its share of the line."""
        return self.high - self.low + 1

    def holds(self, value: float) -> bool:
        return self.low <= value < self.high + 1


@dataclass(frozen=True)
class Item:
    """One question of an instrument."""

    key: str
    type: str
    required: bool
    texts: Texts
    # The question as an adult answering about the child reads it; empty = same as text.
    about_texts: Texts
    # Per language: scale point labels, choice option labels, or the VAS (low, high) anchors.
    label_texts: Labels
    values: tuple[str, ...] = ()
    points: int | None = None
    faces: bool = False
    dont_know: bool = False
    max_length: int | None = None
    divergence: float | None = None
    # A VAS line's coloured bands, covering it from 0 to 10 in order; empty = a plain line.
    bands: tuple[Band, ...] = ()
    # True: `ends = "shared"`, the line or scale ends in its reader's shared pair (readers.py).
    shared_ends: bool = False

    # Text mappings are not hashable; the key and type identify an item within its instrument.
    def __hash__(self) -> int:
        return hash((self.key, self.type))

    def text(self, lang: str, about_child: bool = False) -> str:
        """Return the question in the language, worded for someone answering about the child if asked."""
        return pick_text(self.about_texts or self.texts, lang) if about_child else pick_text(self.texts, lang)

    def labels(self, lang: str) -> tuple[str, ...]:
        """Return the point, option or anchor labels in the language, falling back to Danish."""
        return pick_text(self.label_texts, lang) if self.label_texts else ()

    @property
    def value_range(self) -> tuple[int, int] | None:
        """The lowest and highest number an answer can be: 0-10 on a line, 1-points on a scale."""
        if self.type == "vas":
            return (VAS_MIN, VAS_MAX)
        if self.type == "scale" and self.points:
            return (1, self.points)
        return None

    def band(self, value: float | None) -> Band | None:
        """Return the band a VAS value lies in, or None (no bands, or no value)."""
        if value is None or value == DONT_KNOW:
            return None
        return next((b for b in self.bands if b.holds(float(value))), None)

    def display(self, value: Any, lang: str) -> str:
        """Return a stored answer as a reader sees it: "7.3", "4 · Enig", "Ja"."""
        if value is None:
            return ""
        if value == DONT_KNOW:
            return word(DONT_KNOW, lang)
        if self.type == "vas":
            # Danish writes 7,3; the language decides the decimal mark.
            number = decimal1(float(value), lang)
            band = self.band(value)
            return f"{number} · {band.label(lang)}" if band else number
        if self.type == "yesno":
            return word("yes" if value else "no", lang)
        if self.type in ("scale", "choice") and str(value) in self.values:
            label = self.labels(lang)[self.values.index(str(value))]
            return f"{value} · {label}" if self.type == "scale" else label
        return str(value)


@dataclass(frozen=True)
class Instrument:
    """One questionnaire, as its file in forms/ defines it."""

    id: str
    version: int
    group: str
    priority: int
    minutes: int
    scored: bool
    titles: Texts
    intros: Texts
    intros_about: Texts
    audiences: tuple[Audience, ...]
    meeting_kinds: tuple[str, ...] | None
    items: tuple[Item, ...]
    scoring: Scoring | None
    path: Path
    # False: offered to every fitting participant, but not ticked in the proposal.
    proposed: bool = True
    # The place in a proposal per meeting kind where it differs from `priority`; None = not proposed there.
    priorities: Mapping[str, int | None] = field(default_factory=lambda: MappingProxyType({}))
    # "first" or "follow_up": at a network meeting or family group conference, proposed only at
    # the case's first one, or only at one that follows an earlier one. None: at both.
    method_meeting: str | None = None
    # How staff pages name the form, telling it from others of the same title; empty = the title.
    staff_labels: Texts = field(default_factory=lambda: MappingProxyType({}))
    # The readers the file's plain texts are written for ("child", "youth", "adult"); empty: not said.
    wording: tuple[str, ...] = ()
    # The earlier versions whose answers mean what this version's do: one series in the figures.
    same_series_as: tuple[int, ...] = ()
    # Whose wording it is and on what terms (`licence`): shown as the FHIR Questionnaire's
    # copyright (app/fhir); empty: the file says nothing.
    licences: Texts = field(default_factory=lambda: MappingProxyType({}))
    # Whose words and shared ends this object holds; `variants` holds the form as each other
    # reader it is sent to reads it, `missing_words` what the file lacks for each (readers.py).
    reader: str = ADULT
    variants: Mapping[str, Instrument] = field(default_factory=lambda: MappingProxyType({}))
    missing_words: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    # The languages whose texts in this file are the organisation's to have checked by a
    # translator before they are used (`translator_check = ["ar", "uk"]`, issue 18 item 1).
    translator_check: tuple[str, ...] = ()

    # Text mappings are not hashable; id and version identify an instrument.
    def __hash__(self) -> int:
        return hash((self.id, self.version))

    def title(self, lang: str) -> str:
        """Return the title in the language, falling back to Danish."""
        return pick_text(self.titles, lang)

    def staff_label(self, lang: str) -> str:
        """Return the name a case worker sees, e.g. "Hvordan har du det? — FIT udbytte, børneudgave 6–12 år"."""
        return pick_text(self.staff_labels, lang) if self.staff_labels else self.title(lang)

    def priority_at(self, meeting_kind: str) -> int | None:
        """Return the form's place in a proposal at this kind of meeting (lower first); None: not proposed there."""
        return self.priorities.get(meeting_kind, self.priority)

    def intro(self, lang: str, about_child: bool = False) -> str:
        """Return the one-line introduction, worded for someone answering about the child if asked."""
        return pick_text(self.intros_about or self.intros, lang) if about_child else pick_text(self.intros, lang)

    @property
    def readers(self) -> tuple[str, ...]:
        """The readers the form is sent to, by its audiences: "child", "youth", "adult"."""
        return readers_of(self.audiences)

    def for_reader(self, reader: str) -> Instrument:
        """Return the form in the words (and with the shared ends) of this reader."""
        return self if reader == self.reader else self.variants.get(reader, self)

    def for_respondent(self, role: str, child_age: int | None) -> Instrument:
        """Return the form as a respondent of this role reads it, about a child of this age
        (issue 11 items 4 and 5: a child of 9 and a young person of 16 read different words)."""
        return self.for_reader(reader_of(role, child_age))

    def one_series(self) -> tuple[int, ...]:
        """The versions whose answers the figures count as one series with this version's."""
        return tuple(sorted({*self.same_series_as, self.version}))

    @property
    def is_fit(self) -> bool:
        """Tell whether the instrument is a FIT form, which an exemption removes."""
        return self.group == "fit"

    @property
    def scored_items(self) -> tuple[Item, ...]:
        """The items its score is made of: its lines and scales."""
        return tuple(item for item in self.items if item.type in NUMERIC_TYPES)

    def score_range(self) -> tuple[int, int] | None:
        """The lowest and highest score: the items' ranges added up (a sum) or spanned (a mean)."""
        ranges = [item.value_range for item in self.scored_items if item.value_range]
        if self.scoring is None or not ranges:
            return None
        if self.scoring.method == "sum":
            return (sum(low for low, _ in ranges), sum(high for _, high in ranges))
        return (min(low for low, _ in ranges), max(high for _, high in ranges))

    def score_name(self, lang: str) -> str | None:
        """What its score is called: the name in [scoring], else a one-item form's title; None
        for a total or mean of several items, which the reader's words name."""
        if self.scoring is not None and self.scoring.names:
            return pick_text(self.scoring.names, lang)
        if len(self.scored_items) == 1:
            return self.title(lang)
        return None

    def item(self, key: str) -> Item:
        """Return the item with this key; KeyError if there is none."""
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    def fits(self, role: str, child_age: int | None, meeting_kind: str) -> bool:
        """Tell whether the instrument is meant for this respondent at this kind of meeting."""
        if self.meeting_kinds is not None and meeting_kind not in self.meeting_kinds:
            return False
        return any(a.matches(role, child_age) for a in self.audiences)


class Catalogue:
    """Every loaded instrument, by id."""

    def __init__(self, instruments: Sequence[Instrument], languages: Sequence[str],
                 staff_languages: Sequence[str] | None = None) -> None:
        self._by_id = {i.id: i for i in instruments}
        # What respondents read every text in; staff labels exist in the staff languages.
        self.languages = tuple(languages)
        self.staff_languages = tuple(staff_languages if staff_languages is not None else
                                     [lang for lang in languages if lang in DEFAULT_STAFF_LANGUAGES])

    def get(self, instrument_id: str) -> Instrument:
        """Return the instrument with this id; KeyError if unknown."""
        return self._by_id[instrument_id]

    def all(self) -> list[Instrument]:
        """Return every instrument, in page order: priority, then id."""
        return sorted(self._by_id.values(), key=lambda i: (i.priority, i.id))

    def __contains__(self, instrument_id: object) -> bool:
        return instrument_id in self._by_id

    def __len__(self) -> int:
        return len(self._by_id)


def shown_path(path: Path) -> str:
    """Return the path as a message shows it: relative to the working directory where it can."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class Table:
    """A TOML table being read: typed getters, errors that say where, leftovers refused."""

    def __init__(self, data: Any, where: str, what: str = "this") -> None:
        if not isinstance(data, dict):
            raise InstrumentError(f"{where}: {what} must be a table")
        self.data = data
        self.where = where
        self.used: set[str] = set()

    def fail(self, problem: str) -> InstrumentError:
        return InstrumentError(f"{self.where}: {problem}")

    def get(self, key: str, kinds: tuple[type, ...], kind_name: str, default: Any = _MISSING) -> Any:
        self.used.add(key)
        if key not in self.data:
            if default is _MISSING:
                raise self.fail(f"'{key}' is missing")
            return default
        value = self.data[key]
        # TOML booleans are Python ints; a number must never be read from true/false.
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise self.fail(f"'{key}' must be {kind_name}, not {value!r}")
        return value

    def string(self, key: str, pattern: re.Pattern[str] | None = None) -> str:
        value = self.get(key, (str,), "text")
        if pattern is not None and not pattern.match(value):
            raise self.fail(f"'{key}' {value!r} may hold only lower-case letters, digits, '-' and '_'")
        return value

    def integer(self, key: str, default: Any = _MISSING, minimum: int | None = None) -> Any:
        value = self.get(key, (int,), "a whole number", default)
        if key in self.data and minimum is not None and value < minimum:
            raise self.fail(f"'{key}' must be at least {minimum}")
        return value

    def number(self, key: str, default: Any = _MISSING) -> Any:
        value = self.get(key, (int, float), "a number", default)
        if key not in self.data:
            return value
        if value < 0:
            raise self.fail(f"'{key}' must not be negative")
        return float(value)

    def boolean(self, key: str, default: Any = _MISSING) -> Any:
        return self.get(key, (bool,), "true or false", default)

    def tables(self, key: str, what: str, default: Any = _MISSING) -> list[Any]:
        value = self.get(key, (list,), f"a list of {what}", default)
        if key in self.data and not value:
            raise self.fail(f"'{key}' must not be empty")
        return value

    def texts(self, key: str) -> Texts:
        """Read a per-language text table; Danish, the source language, must be there."""
        raw = self.get(key, (dict,), f'a table of texts per language ({key}.da = "…")')
        for lang, text in raw.items():
            if not isinstance(text, str):
                raise self.fail(f"'{key}.{lang}' must be text")
        if not raw.get(SOURCE_LANGUAGE, "").strip():
            raise self.fail(f"'{key}' has no Danish text ('{key}.{SOURCE_LANGUAGE}')")
        return MappingProxyType({lang: text.strip() for lang, text in raw.items() if text.strip()})

    def optional_texts(self, key: str) -> Texts:
        """Read a per-language text table that may be left out (empty when it is)."""
        return self.texts(key) if key in self.data else MappingProxyType({})

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.fail(f"unknown setting {', '.join(repr(k) for k in unknown)}")


def _age_bounds(table: Table) -> tuple[int | None, int | None]:
    low, high = table.integer("min_age", None, 0), table.integer("max_age", None, 0)
    if low is not None and high is not None and low > high:
        raise table.fail(f"min_age {low} is above max_age {high}")
    return low, high


def _label_lists(table: Table, count: int, what: str = "") -> Labels:
    """Read labels.da = [...] lists, one label per point; Danish must be complete."""
    raw = table.get("labels", (dict,), "a table of label lists per language (labels.da = [...])")
    labels: dict[str, tuple[str, ...]] = {}
    for lang, values in raw.items():
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            raise table.fail(f"'labels.{lang}' must be a list of texts")
        if len(values) != count:
            raise table.fail(f"'labels.{lang}' has {len(values)} labels for {what or f'{count} points'}")
        labels[lang] = tuple(v.strip() for v in values)
    if SOURCE_LANGUAGE not in labels:
        raise table.fail(f"'labels' has no Danish labels ('labels.{SOURCE_LANGUAGE}')")
    return MappingProxyType(labels)


def _options(table: Table) -> tuple[tuple[str, ...], Labels]:
    values: list[str] = []
    per_option: list[Texts] = []
    for number, data in enumerate(table.tables("options", "[[items.options]] tables"), 1):
        option = Table(data, f"{table.where}: option {number}", "an option")
        value = option.string("value", KEY_PATTERN)
        if value in values or value == DONT_KNOW:
            raise option.fail(f"value {value!r} is used twice or reserved")
        values.append(value)
        per_option.append(option.texts("label"))
        option.done()
    # Keep only languages every option has; check_languages reports the rest.
    shared = set.intersection(*(set(t) for t in per_option))
    return tuple(values), MappingProxyType({lang: tuple(t[lang] for t in per_option) for lang in shared})


def _with_named_scale(data: Any, where: str, scales: Mapping[str, Any]) -> Any:
    """Fill in settings from the [scales.NAME] an item names; the item's own settings win."""
    if not isinstance(data, dict) or "scale" not in data:
        return data
    name = data["scale"]
    if not isinstance(scales.get(name), dict):
        raise InstrumentError(f"{where}: item {data.get('key', '?')!r}: no [scales.{name}] table")
    return {**scales[name], **{k: v for k, v in data.items() if k != "scale"}}


def _item(data: Any, where: str, reader: str = ADULT) -> Item:
    """Read one [[items]] entry as `reader` reads it: shared ends are the reader's pair."""
    table = Table(data, where, "each [[items]] entry")
    key = table.string("key", KEY_PATTERN)
    table.where = f"{where}: item '{key}'"
    if key in _RESERVED:
        raise table.fail("this key is reserved; choose another")
    kind = table.string("type")
    if kind not in QUESTION_TYPES:
        raise table.fail(f"unknown item type {kind!r} (known: {', '.join(sorted(QUESTION_TYPES))})")
    fields: dict[str, Any] = {"key": key, "type": kind, "required": table.boolean("required", True)}
    fields["texts"] = table.texts("text")
    fields["about_texts"] = table.optional_texts("about")
    fields["label_texts"] = MappingProxyType({})
    fields["shared_ends"] = shared = _shared_ends(table, kind)
    if kind == "vas":
        fields["label_texts"] = _vas_ends(table, reader) if shared else _vas_anchors(table)
        if "bands" in data:
            fields["bands"] = _bands(table)
    elif "bands" in data:
        raise table.fail("'bands' belong on a vas item only")
    elif kind == "scale":
        fields.update(_scale(table, reader, shared))
    elif kind == "choice":
        fields["values"], fields["label_texts"] = _options(table)
    elif kind in DEFAULT_MAX_LENGTH:
        fields["max_length"] = table.integer("max_length", DEFAULT_MAX_LENGTH[kind], 1)
    if kind in NUMERIC_TYPES:
        fields["faces"] = table.boolean("faces", False)
        fields["divergence"] = table.number("divergence", DEFAULT_DIVERGENCE[kind])
    table.done()
    return Item(**fields)


def _shared_ends(table: Table, kind: str) -> bool:
    """Read `ends = "shared"`: the line or scale runs from bad to good, and ends in the shared pair."""
    ends = table.get("ends", (str,), "text", None)
    if ends is None:
        return False
    if ends != SHARED:
        raise table.fail(f"'ends' may only be \"{SHARED}\": the one pair of ends of a line or scale from bad "
                         "to good (app/instruments/readers.py)")
    if kind not in NUMERIC_TYPES:
        raise table.fail("'ends' belong on a vas or scale item")
    return True


def _vas_anchors(table: Table) -> Labels:
    low, high = table.texts("low"), table.texts("high")
    return MappingProxyType({lang: (low[lang], high[lang]) for lang in set(low) & set(high)})


def _vas_ends(table: Table, reader: str) -> Labels:
    """The shared pair of the reader as a line's anchors; the file writes none of its own."""
    if "low" in table.data or "high" in table.data:
        raise table.fail(f"a line with ends = \"{SHARED}\" takes the shared pair: leave out 'low' and 'high'")
    return MappingProxyType({lang: scale_ends(reader, lang) for lang in SCALE_ENDS[ENDS_OF[reader]]})


def _scale(table: Table, reader: str, shared: bool) -> dict[str, Any]:
    """Read a scale's points and labels; with shared ends the file lists only the labels between them."""
    if "points" not in table.data:
        raise table.fail("scale needs 'points'")
    points = table.integer("points", minimum=3 if shared else 2)
    between = f"the {points - 2} points between the shared ends"
    labels = _label_lists(table, points - 2, between) if shared else _label_lists(table, points)
    if shared:
        labels = MappingProxyType({lang: (scale_ends(reader, lang)[0], *between, scale_ends(reader, lang)[1])
                                   for lang, between in labels.items()})
    return {"points": points, "values": tuple(str(n) for n in range(1, points + 1)), "label_texts": labels,
            "dont_know": table.boolean("dont_know", False)}


def _bands(table: Table) -> tuple[Band, ...]:
    """Read [[items.bands]]: whole-number stretches that cover the line 0-10 in order, no gap, no overlap."""
    bands = []
    for number, data in enumerate(table.tables("bands", "[[items.bands]] tables"), 1):
        band = Table(data, f"{table.where}: band {number}", "each [[items.bands]] entry")
        low, high = band.integer("from", minimum=VAS_MIN), band.integer("to", minimum=VAS_MIN)
        colour = band.string("colour")
        if colour not in BAND_COLOURS:
            raise band.fail(f"unknown colour {colour!r} (known: {', '.join(sorted(BAND_COLOURS))})")
        if low > high or high > VAS_MAX:
            raise band.fail(f"from {low} to {high} is not a stretch of the line {VAS_MIN}-{VAS_MAX}")
        expected = bands[-1].high + 1 if bands else VAS_MIN
        if low != expected:
            raise band.fail(f"starts at {low}, but must start at {expected}: bands cover the line in order, "
                            "with no gap and no overlap")
        bands.append(Band(low, high, colour, band.texts("label")))
        band.done()
    if bands[-1].high != VAS_MAX:
        raise table.fail(f"the last band ends at {bands[-1].high}, but the bands must cover the line up to {VAS_MAX}")
    return tuple(bands)


def _audience(data: Any, where: str) -> Audience:
    table = Table(data, where, "each [[audiences]] entry")
    roles = table.tables("roles", "roles")
    unknown = sorted(set(map(str, roles)) - ROLES)
    if unknown:
        raise table.fail(f"unknown role {', '.join(map(repr, unknown))} (known: {', '.join(sorted(ROLES))})")
    low, high = _age_bounds(table)
    table.done()
    return Audience(tuple(roles), low, high)


def _cutoff(data: Any, where: str) -> Cutoff:
    band = Table(data, where, "each [[scoring.cutoffs]] entry")
    value = band.number("value")
    low, high = _age_bounds(band)
    band.done()
    return Cutoff(value, low, high)


def _scoring(data: Any, where: str, items: tuple[Item, ...], scored: bool) -> Scoring | None:
    table = Table(data, where, "[scoring]")
    method = table.string("method")
    if method == "none":
        table.done()
        return None
    if method not in SCORING_METHODS:
        raise table.fail(f"unknown method {method!r} (known: none, {', '.join(sorted(SCORING_METHODS))})")
    if not scored:
        raise table.fail("an instrument with scored = false cannot have a scoring method")
    if not any(i.type in NUMERIC_TYPES for i in items):
        raise table.fail(f"method {method!r} needs at least one vas or scale item")
    raw_cutoffs = table.get("cutoffs", (list,), "a list of [[scoring.cutoffs]]", [])
    signals = table.get("signals", (str,), "text", None)
    if signals is not None and signals not in SIGNAL_RULES:
        raise table.fail(f"unknown signals {signals!r} (known: {', '.join(sorted(SIGNAL_RULES))})")
    if signals is not None and method != "sum":
        raise table.fail("signals need method = \"sum\": they read the total")
    scoring = Scoring(
        method=method,
        higher_is_better=table.boolean("higher_is_better"),
        cutoffs=tuple(_cutoff(c, f"{where}: cut-off {n}") for n, c in enumerate(raw_cutoffs, 1)),
        reliable_change=table.number("reliable_change", None),
        item_cutoff=table.number("item_cutoff", None),
        fall=table.number("fall", None),
        signals=signals,
        names=table.optional_texts("name"),
    )
    table.done()
    return scoring


def _meeting_kinds(table: Table) -> tuple[str, ...] | None:
    kinds = table.get("meeting_kinds", (list,), "a list of meeting kinds", None)
    if kinds is None:
        return None
    unknown = sorted(set(map(str, kinds)) - MEETING_KINDS)
    if unknown:
        raise table.fail(
            f"unknown meeting kind {', '.join(map(repr, unknown))} (known: {', '.join(sorted(MEETING_KINDS))})"
        )
    return tuple(kinds)


def _priorities(table: Table) -> tuple[int, Mapping[str, int | None]]:
    """Read `priority`: one whole number for every meeting kind, or per kind with a default
    (priority.default = 30, priority.network_meeting = 5); false = not proposed at that kind."""
    raw = table.get("priority", (int, dict), "a whole number, or whole numbers per meeting kind (priority.default = 30)")
    if not isinstance(raw, dict):
        return raw, MappingProxyType({})
    known = ", ".join([DEFAULT_PRIORITY, *sorted(MEETING_KINDS)])
    unknown = sorted(set(raw) - MEETING_KINDS - {DEFAULT_PRIORITY})
    if unknown:
        raise table.fail(f"'priority' names unknown meeting kind {', '.join(map(repr, unknown))} (known: {known})")
    if DEFAULT_PRIORITY not in raw:
        raise table.fail(f"'priority' needs 'priority.{DEFAULT_PRIORITY}': the place at every meeting kind not named")
    default = raw[DEFAULT_PRIORITY]
    if not _whole(default):
        raise table.fail(f"'priority.{DEFAULT_PRIORITY}' must be a whole number, not {default!r}")
    per_kind: dict[str, int | None] = {}
    for kind, value in raw.items():
        if kind != DEFAULT_PRIORITY and not (value is False or _whole(value)):
            raise table.fail(f"'priority.{kind}' must be a whole number, or false (not proposed there), not {value!r}")
        per_kind[kind] = None if value is False else value
    del per_kind[DEFAULT_PRIORITY]
    return default, MappingProxyType(per_kind)


def _whole(value: Any) -> bool:
    """Tell whether a TOML value is a whole number (TOML booleans are Python ints, and are not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _method_meeting(table: Table) -> str | None:
    value = table.get("method_meeting", (str,), "text", None)
    if value is not None and value not in METHOD_MEETINGS:
        raise table.fail(f"unknown method_meeting {value!r} (known: {', '.join(METHOD_MEETINGS)})")
    return value


def read_table(path: Path) -> Table:
    """Read a TOML file as a table whose errors name the file; InstrumentError if it cannot be read."""
    where = shown_path(path)
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except tomllib.TOMLDecodeError as error:
        raise InstrumentError(f"{where}: not valid TOML: {error}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise InstrumentError(f"{where}: cannot be read: {error}") from error
    return Table(data, where)


def load_instrument(path: Path) -> Instrument:
    """Read and check one instrument file, and the form as each reader it is sent to reads it."""
    table = read_table(path)
    where, data = table.where, table.data
    base_reader = _wording(Table(data, where))[:1] or (ADULT,)
    base = _instrument(_as_read_by(data, base_reader[0], where), where, path, base_reader[0])
    variants = {reader: _instrument(_as_read_by(data, reader, where), where, path, reader)
                for reader in base.readers if reader != base.reader}
    missing = {reader: missing_words(data, reader) for reader in base.readers}
    return replace(base, variants=MappingProxyType(variants), missing_words=MappingProxyType(missing))


def _as_read_by(data: dict, reader: str | None, where: str) -> dict:
    try:
        return as_read_by(data, reader)
    except WordingError as error:
        raise InstrumentError(f"{where}: {error}") from error


def _instrument(data: dict, where: str, path: Path, reader: str) -> Instrument:
    """Read one file's data, worded for one reader: its words, and its reader's ends."""
    table = Table(data, where)
    instrument_id = table.string("id", ID_PATTERN)
    if instrument_id in _RESERVED:
        raise table.fail(f"id {instrument_id!r} is reserved; choose another")
    scored = table.boolean("scored", True)
    scales = table.get("scales", (dict,), "a table of named scales ([scales.NAME])", {})
    raw_items = table.tables("items", "[[items]]")
    items = tuple(_item(_with_named_scale(raw, where, scales), where, reader) for raw in raw_items)
    keys = [i.key for i in items]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise table.fail(f"item key {twice[0]!r} is used twice")
    raw_scoring = table.get("scoring", (dict,), "a table", None)
    raw_audiences = table.tables("audiences", "[[audiences]]")
    priority, priorities = _priorities(table)
    version = table.integer("version", minimum=1)
    instrument = Instrument(
        id=instrument_id,
        version=version,
        group=table.string("group", ID_PATTERN),
        priority=priority,
        priorities=priorities,
        minutes=table.integer("minutes", minimum=1),
        scored=scored,
        titles=table.texts("title"),
        intros=MappingProxyType(fill_ends(table.texts("intro"), reader)),
        intros_about=MappingProxyType(fill_ends(table.optional_texts("intro_about"), ADULT)),
        audiences=tuple(_audience(a, f"{where}: audience {n}") for n, a in enumerate(raw_audiences, 1)),
        meeting_kinds=_meeting_kinds(table),
        items=items,
        scoring=None if raw_scoring is None else _scoring(raw_scoring, f"{where}: [scoring]", items, scored),
        path=path,
        proposed=table.boolean("proposed", True),
        method_meeting=_method_meeting(table),
        staff_labels=table.optional_texts("staff_label"),
        wording=_wording(table),
        same_series_as=_same_series(table, version),
        licences=table.optional_texts("licence"),
        reader=reader,
        translator_check=translator_check(table),
    )
    table.done()
    return instrument


def translator_check(table: Table) -> tuple[str, ...]:
    """Read `translator_check`: the languages whose texts in the file are a first translation,
    the organisation's to have checked by a translator (never Danish, the source)."""
    languages = table.get("translator_check", (list,), 'a list of languages (translator_check = ["ar", "uk"])', [])
    wrong = [lang for lang in languages if not isinstance(lang, str) or lang not in DEFAULT_LANGUAGES
             or lang == SOURCE_LANGUAGE]
    if wrong:
        raise table.fail(f"'translator_check' may list only {', '.join(DEFAULT_LANGUAGES[1:])}, not {wrong[0]!r}")
    return tuple(languages)


def _wording(table: Table) -> tuple[str, ...]:
    """Read `wording`: the readers the plain texts are written for (the validator needs it)."""
    wording = table.get("wording", (list,), "a list of readers", [])
    unknown = sorted({str(w) for w in wording} - set(READERS))
    if unknown or not all(isinstance(w, str) for w in wording):
        raise table.fail(f"unknown reader {', '.join(map(repr, unknown))} in 'wording' (known: {', '.join(READERS)})")
    return tuple(r for r in READERS if r in wording)


def _same_series(table: Table, version: int) -> tuple[int, ...]:
    """Read `same_series_as`: the earlier versions whose answers mean what this version's do."""
    if version > 1 and "same_series_as" not in table.data:
        raise table.fail(f"version {version} needs 'same_series_as': the earlier versions whose items mean "
                         "the same, counted as one series in the figures (an empty list starts a new series)")
    earlier = table.get("same_series_as", (list,), "a list of earlier versions", [])
    if not all(_whole(v) and 1 <= v < version for v in earlier):
        raise table.fail(f"'same_series_as' may list only earlier versions, 1 to {version - 1}, not {earlier!r}")
    return tuple(sorted(set(earlier)))


def load_directory(directory: Path, load: Callable[[Path], T], what: str) -> list[T]:
    """Load every *.toml file in the directory with `load`; raise InstrumentError on the first
    problem, also when two files use the same id. `what` names the files in messages."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InstrumentError(f"{shown_path(directory)}: no such directory of {what}")
    paths = sorted(directory.glob("*.toml"))
    if not paths:
        raise InstrumentError(f"{shown_path(directory)}: no {what} (*.toml)")
    seen: dict[str, T] = {}
    for path in paths:
        loaded = _loaded(load, path)
        if loaded.id in seen:
            other = shown_path(seen[loaded.id].path)
            raise InstrumentError(f"{shown_path(path)}: id '{loaded.id}' is already used by {other}")
        seen[loaded.id] = loaded
    return list(seen.values())


# What each file gave, by its path and the hash of its bytes: every app (a worker, a test) reads the
# same unchanged files, and what they give is frozen, so it is read and checked once per process.
_LOADED: dict[tuple[str, str, bytes], Any] = {}
_KEPT = 256


def _loaded(load: Callable[[Path], T], path: Path) -> T:
    try:
        content = path.read_bytes()
    except OSError:
        return load(path)  # says what is wrong with the file
    key = (f"{load.__module__}.{load.__qualname__}", str(path.resolve()), hashlib.sha256(content).digest())
    if key not in _LOADED:
        if len(_LOADED) >= _KEPT:
            _LOADED.clear()
        _LOADED[key] = load(path)
    return _LOADED[key]


def load_catalogue(directory: Path, languages: Sequence[str],
                   staff_languages: Sequence[str] | None = None) -> Catalogue:
    """Load every *.toml file in the directory; raise InstrumentError on the first problem.
    `languages` are the respondents' (every text), `staff_languages` the staff pages' (staff labels)."""
    instruments = load_directory(directory, load_instrument, "instrument files")
    catalogue = Catalogue(instruments, languages, staff_languages)
    _check_staff_labels(instruments, catalogue.staff_languages)
    return catalogue


def _check_staff_labels(instruments: Sequence[Instrument], languages: Sequence[str]) -> None:
    """Refuse two forms a case worker would see under the same name (issue 10 item 9)."""
    for lang in languages:
        seen: dict[str, Instrument] = {}
        for instrument in instruments:
            label = instrument.staff_label(lang)
            other = seen.setdefault(label.casefold(), instrument)
            if other is not instrument:
                raise InstrumentError(
                    f"{shown_path(instrument.path)}: staff pages would show it as {label!r} ({lang}), like "
                    f"{shown_path(other.path)}: give one of them a staff_label that tells them apart"
                )


def _texts_of(instrument: Instrument) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every respondent text of the form as one reader reads it (not the staff label)."""
    yield "title", instrument.titles
    yield "intro", instrument.intros
    if instrument.scoring is not None and instrument.scoring.names:
        yield "scoring: name", instrument.scoring.names
    if instrument.intros_about:
        yield "intro_about", instrument.intros_about
    for item in instrument.items:
        yield f"item '{item.key}': text", item.texts
        if item.about_texts:
            yield f"item '{item.key}': about", item.about_texts
        if item.label_texts:
            yield f"item '{item.key}': labels", item.label_texts
        for number, band in enumerate(item.bands, 1):
            yield f"item '{item.key}': band {number}: label", band.label_texts


def check_languages(catalogue: Catalogue) -> list[str]:
    """Return one message per text missing in one of the catalogue's languages."""
    problems = [
        f"app/instruments/catalogue.py: WORDS has no '{lang}'" for lang in catalogue.languages if lang not in WORDS
    ]
    problems += [f"app/instruments/readers.py: SCALE_ENDS['{pair}'] has no '{lang}'"
                 for pair, ends in SCALE_ENDS.items() for lang in catalogue.languages if lang not in ends]
    for instrument in catalogue.all():
        where = shown_path(instrument.path)
        if instrument.staff_labels:
            problems.extend(f"{where}: staff_label: no '{lang}' text" for lang in catalogue.staff_languages
                            if lang not in instrument.staff_labels)
        seen: set[tuple] = set()
        # The child's and the young person's own words (readers.py) are texts too.
        for form in (instrument, *instrument.variants.values()):
            whose = "" if form is instrument else f" ({form.reader}'s words)"
            for what, texts in _texts_of(form):
                shown = (what, tuple(sorted(texts.items())))
                if shown in seen:
                    continue  # the same words as another reader's: reported once
                seen.add(shown)
                problems.extend(f"{where}: {what}{whose}: no '{lang}' text"
                                for lang in catalogue.languages if lang not in texts)
    return problems


def check_wording(catalogue: Catalogue) -> list[str]:
    """Return one message per reader a form is sent to without words of their own (by its
    audiences' roles and ages), and one per line or scale whose ends, written by hand, speak of
    bad and good instead of being the one shared pair (issue 11 items 4, 5 and 11)."""
    problems = []
    for instrument in catalogue.all():
        where = shown_path(instrument.path)
        problems += wording_problems(where, instrument.wording, instrument.readers, instrument.missing_words)
        problems += _hand_written_ends(instrument, where)
    return problems


def _hand_written_ends(instrument: Instrument, where: str) -> list[str]:
    found: dict[str, str] = {}
    for form in (instrument, *instrument.variants.values()):
        for item in form.items:
            if item.type not in NUMERIC_TYPES or item.shared_ends or item.key in found:
                continue
            for lang, labels in sorted(item.label_texts.items()):
                if labels and any(speaks_of_good_and_bad(end, lang) for end in (labels[0], labels[-1])):
                    found[item.key] = (f"{where}: item '{item.key}': its ends {labels[0]!r} … {labels[-1]!r} speak "
                                       f"of bad and good: write ends = \"{SHARED}\" to use the one shared pair")
                    break
    return list(found.values())


def configured_directory(app: Flask) -> Path:
    """Return the directory the app reads instruments from."""
    return Path(app.config.get("INSTRUMENTS_DIR") or DEFAULT_DIRECTORY)


def configured_languages(app: Flask) -> Sequence[str]:
    """Return the languages every respondent text must exist in (Config.RESPONDENT_LANGUAGES)."""
    return app.config.get("RESPONDENT_LANGUAGES") or DEFAULT_LANGUAGES


def configured_staff_languages(app: Flask) -> Sequence[str]:
    """Return the languages of the staff pages (Config.LANGUAGES): a staff label's."""
    return app.config.get("LANGUAGES") or DEFAULT_STAFF_LANGUAGES


def current_catalogue() -> Catalogue:
    """Return the catalogue the current app loaded at start-up."""
    return current_app.extensions["instruments"]
