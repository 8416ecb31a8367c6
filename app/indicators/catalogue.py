"""The indicator forms: one TOML file per form in forms/indicators/, read and checked.

Kept apart from the main catalogue (forms/*.toml): an indicator form is a list of factors
scored on one scale with step guidance (INSTRUMENTS.md §4), or the ICF model's dimensions
with an overall function level (§5), not a questionnaire of items.

A file holds: id, version, kind ("factors" or "icf"), draft, family_split (factors only),
title and intro per language, [steps] (the default guidance: one text per step, per
language), [levels] (icf only: the function levels A–E), and [[factors]] with key, title,
optional guidance (five texts per language, overriding [steps] for that factor) and, for
the family factor, [[factors.split]] parts (mother, father, siblings) used when the split
is on.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from flask import Flask, current_app

from app.indicators.classification import FUNCTION_LEVELS, OLD_SCALE, SCALE
from app.instruments.catalogue import (
    ID_PATTERN,
    KEY_PATTERN,
    SOURCE_LANGUAGE,
    Table,
    load_directory,
    pick_text,
    read_table,
    shown_path,
)

DEFAULT_DIRECTORY = Path(__file__).resolve().parents[2] / "forms" / "indicators"
KINDS = ("factors", "icf")
# The 1–5 scale (1 best) for factor forms; the ICF dimensions' 0–4 (0 best).
SCALES = {"factors": SCALE, "icf": OLD_SCALE}

Texts = Mapping[str, str]
Steps = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Factor:
    """One factor (or ICF dimension) scored on the form's scale."""

    key: str
    titles: Texts
    # Per language: one text per step of the scale; empty = the form's [steps].
    guidance_texts: Steps
    # Parts that replace the factor when the family split is on (mother, father, siblings).
    parts: tuple[Factor, ...] = ()

    def __hash__(self) -> int:
        return hash(self.key)

    def title(self, lang: str) -> str:
        return pick_text(self.titles, lang)


@dataclass(frozen=True)
class IndicatorForm:
    id: str
    version: int
    kind: str
    draft: bool
    family_split: bool
    titles: Texts
    intros: Texts
    step_texts: Steps
    level_texts: Steps
    all_factors: tuple[Factor, ...]
    path: Path

    def __hash__(self) -> int:
        return hash((self.id, self.version))

    # Like an instrument's, for the respondent's pages: listed first, about a minute a factor.
    priority = 0

    @property
    def minutes(self) -> int:
        return len(self.factors())

    def title(self, lang: str) -> str:
        return pick_text(self.titles, lang)

    def intro(self, lang: str) -> str:
        return pick_text(self.intros, lang)

    @property
    def is_icf(self) -> bool:
        return self.kind == "icf"

    @property
    def scale(self) -> tuple[int, ...]:
        """The values a status (and a goal) may take."""
        return SCALES[self.kind]

    @property
    def has_goals(self) -> bool:
        """Factor forms propose a goal per factor; the ICF dimensions do not."""
        return self.kind == "factors"

    def factors(self, split: bool = True) -> list[Factor]:
        """The factors as scored: the family factor split into its parts when the file and
        the organisation both want the split (`split` is the organisation's switch)."""
        use_split = split and self.family_split
        found: list[Factor] = []
        for factor in self.all_factors:
            found.extend(factor.parts if (use_split and factor.parts) else (factor,))
        return found

    def factor_keys(self) -> set[str]:
        """Every key a stored score may carry, split or not."""
        return {f.key for f in self.factors(True)} | {f.key for f in self.factors(False)}

    def factor(self, key: str) -> Factor | None:
        for factor in self.factors(True) + self.factors(False):
            if factor.key == key:
                return factor
        return None

    def guidance(self, factor: Factor, lang: str) -> tuple[str, ...]:
        """One text per step: the factor's own guidance, else the form's default wording."""
        return pick_text(factor.guidance_texts, lang) if factor.guidance_texts else pick_text(self.step_texts, lang)

    def levels(self, lang: str) -> tuple[str, ...]:
        return pick_text(self.level_texts, lang) if self.level_texts else ()


class IndicatorCatalogue:
    def __init__(self, forms: Sequence[IndicatorForm], languages: Sequence[str]) -> None:
        self._by_id = {f.id: f for f in forms}
        self.languages = tuple(languages)

    def get(self, form_id: str) -> IndicatorForm:
        return self._by_id[form_id]

    def all(self) -> list[IndicatorForm]:
        """Confirmed forms first, then drafts; by id within each."""
        return sorted(self._by_id.values(), key=lambda f: (f.draft, f.is_icf, f.id))

    def __contains__(self, form_id: object) -> bool:
        return form_id in self._by_id

    def __len__(self) -> int:
        return len(self._by_id)


def _step_lists(table: Table, key: str, count: int) -> Steps:
    """Read key.da = [...] lists of exactly `count` texts; Danish must be there."""
    raw = table.get(key, (dict,), f"a table of text lists per language ({key}.da = [...])")
    steps: dict[str, tuple[str, ...]] = {}
    for lang, values in raw.items():
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            raise table.fail(f"'{key}.{lang}' must be a list of texts")
        if len(values) != count:
            raise table.fail(f"'{key}.{lang}' has {len(values)} texts for the {count} steps of the scale")
        steps[lang] = tuple(v.strip() for v in values)
    if SOURCE_LANGUAGE not in steps:
        raise table.fail(f"'{key}' has no Danish texts ('{key}.{SOURCE_LANGUAGE}')")
    return MappingProxyType(steps)


def _factor(data: Any, where: str, steps: int, *, part: bool = False) -> Factor:
    table = Table(data, where, "each [[factors]] entry")
    key = table.string("key", KEY_PATTERN)
    table.where = f"{where}: factor '{key}'"
    titles = table.texts("title")
    guidance = _step_lists(table, "guidance", steps) if "guidance" in data else MappingProxyType({})
    parts: tuple[Factor, ...] = ()
    if not part and "split" in data:
        raw = table.tables("split", "[[factors.split]] parts")
        parts = tuple(_factor(p, f"{table.where}: part {n}", steps, part=True) for n, p in enumerate(raw, 1))
        # A part without guidance of its own reads the family factor's.
        parts = tuple(p if p.guidance_texts else Factor(p.key, p.titles, guidance) for p in parts)
    table.done()
    return Factor(key, titles, guidance, parts)


def load_form(path: Path) -> IndicatorForm:
    """Read and check one indicator form file; InstrumentError names the file and the problem."""
    table = read_table(path)
    where = table.where
    form_id = table.string("id", ID_PATTERN)
    kind = table.string("kind")
    if kind not in KINDS:
        raise table.fail(f"unknown kind {kind!r} (known: {', '.join(KINDS)})")
    steps = len(SCALES[kind])
    step_texts = _step_lists(table, "steps", steps)
    level_texts: Steps = MappingProxyType({})
    if kind == "icf":
        level_texts = _step_lists(table, "levels", len(FUNCTION_LEVELS))
    factors = tuple(_factor(f, where, steps) for f in table.tables("factors", "[[factors]]"))
    keys = [f.key for f in factors] + [p.key for f in factors for p in f.parts]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise table.fail(f"factor key {twice[0]!r} is used twice")
    if kind == "icf" and any(f.parts for f in factors):
        raise table.fail("the ICF dimensions are not split")
    family_split = table.boolean("family_split", False) if kind == "factors" else False
    if family_split and not any(f.parts for f in factors):
        raise table.fail("family_split = true needs a factor with [[factors.split]] parts")
    form = IndicatorForm(
        id=form_id,
        version=table.integer("version", minimum=1),
        kind=kind,
        draft=table.boolean("draft", False),
        family_split=family_split,
        titles=table.texts("title"),
        intros=table.texts("intro"),
        step_texts=step_texts,
        level_texts=level_texts,
        all_factors=factors,
        path=path,
    )
    table.done()
    return form


def load_indicator_forms(directory: Path, languages: Sequence[str]) -> IndicatorCatalogue:
    """Load every *.toml in the directory; raise InstrumentError on the first problem."""
    return IndicatorCatalogue(load_directory(directory, load_form, "indicator forms"), languages)


def _texts_of(form: IndicatorForm) -> Iterator[tuple[str, Mapping[str, Any]]]:
    yield "title", form.titles
    yield "intro", form.intros
    yield "steps", form.step_texts
    if form.level_texts:
        yield "levels", form.level_texts
    for factor in form.all_factors:
        for f in (factor, *factor.parts):
            yield f"factor '{f.key}': title", f.titles
            if f.guidance_texts:
                yield f"factor '{f.key}': guidance", f.guidance_texts


def check_languages(catalogue: IndicatorCatalogue) -> list[str]:
    """One message per text missing in one of the catalogue's languages."""
    problems = []
    for form in catalogue.all():
        where = shown_path(form.path)
        for what, texts in _texts_of(form):
            problems.extend(f"{where}: {what}: no '{lang}' text" for lang in catalogue.languages if lang not in texts)
    return problems


def configured_directory(app: Flask) -> Path:
    return Path(app.config.get("INDICATOR_FORMS_DIR") or DEFAULT_DIRECTORY)


def current_forms() -> IndicatorCatalogue:
    """The indicator forms the current app loaded at start-up."""
    return current_app.extensions["indicator_forms"]
