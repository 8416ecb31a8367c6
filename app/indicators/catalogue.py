"""The indicator forms: one TOML file per form in forms/indicators/, read and checked.

Kept apart from the main catalogue (forms/*.toml): an indicator form is a list of factors
scored on one scale with step guidance (INSTRUMENTS.md §4), or the ICF model's dimensions
with an overall function level (§5), not a questionnaire of items.

A file holds: id, version, kind ("factors" or "icf"), draft, family_split (factors only),
title and intro per language, [steps] (the default guidance: one text per step, per
language), [respondent_steps] (the same steps in the words of the child, the parents and
the network), [levels] (icf only: the function levels A–E, with level_asked: the roles
asked the level), and [[factors]] with key, title, asked, optional min_age, optional
guidance (five texts per language, overriding [steps] for that factor), optional
child_title and about_title, and, for the family factor, [[factors.split]] parts (mother,
father, siblings) used when the split is on; a part may say whose relation it is about.

Who is asked what (issue 11 item 1): `asked` lists the roles asked a factor ("caseworker",
the people's roles of cases.models.PERSON_ROLES, and "parents" for mother, father and
carer, as in the procedure); a part asks what its family factor asks unless it says
otherwise. `min_age` is the youngest child asked it: no child under YOUNGEST_CHILD is
asked anything until a child version of the forms exists. `about` ("mother", "father")
names whose relation to the child a part is about: that person is not asked it. The
staff roles (the case worker, the provider, the school) read [steps] and `title`; the
others read [respondent_steps], the child `child_title` ("du"), the adults `about_title`
with {child} for the child's first name.

Languages (issue 18 item 1): what the child, the parents and the network read exists in every
respondent language (Config.RESPONDENT_LANGUAGES: da, en, ar, uk); what only staff read, in
the staff languages (Config.LANGUAGES). `translator_check` lists the languages whose texts are
a first translation, the organisation's to have checked by a translator.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from flask import Flask, current_app

from app.indicators.classification import FUNCTION_LEVELS, OLD_SCALE, SCALE
from app.instruments.catalogue import (
    DEFAULT_STAFF_LANGUAGES,
    ID_PATTERN,
    KEY_PATTERN,
    ROLES,
    SOURCE_LANGUAGE,
    Table,
    load_directory,
    pick_text,
    read_table,
    shown_path,
    translator_check,
)

DEFAULT_DIRECTORY = Path(__file__).resolve().parents[2] / "forms" / "indicators"
KINDS = ("factors", "icf")
# The 1–5 scale (1 best) for factor forms; the ICF dimensions' 0–4 (0 best).
SCALES = {"factors": SCALE, "icf": OLD_SCALE}

# Who may be asked (issue 11 item 1): the staff read the forms' own words; the others
# (the child, the parents, the network) read the respondent wording.
STAFF_ROLES = frozenset({"caseworker", "provider", "school"})
RESPONDENT_ROLES = frozenset(ROLES - STAFF_ROLES)
ASKABLE = STAFF_ROLES | RESPONDENT_ROLES
# The procedure's word for every mother, father and other carer (indicators.models.SCORERS).
PARENTS = {"parents": ("mother", "father", "carer")}
# Whose relation to the child a family part may be about.
ABOUT = ("mother", "father")
# No indicator form goes to a child under 12 until a child version exists (issue 11 item 1).
YOUNGEST_CHILD = 12
CHILD_PLACEHOLDER = "{child}"

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
    # The roles asked it; the youngest child asked it; whose relation to the child it is about.
    asked: frozenset[str] = ASKABLE
    min_age: int | None = None
    about: str | None = None
    # The title as the child reads it ("du"), and as an adult reads it about the child.
    child_titles: Texts = field(default_factory=lambda: MappingProxyType({}))
    about_titles: Texts = field(default_factory=lambda: MappingProxyType({}))

    def __hash__(self) -> int:
        return hash(self.key)

    def title(self, lang: str) -> str:
        return pick_text(self.titles, lang)

    def asks(self, role: str, child_age: int | None) -> bool:
        """Tell whether someone of this role is asked the factor, the child at this age.

        Issue 11 item 1: only the roles the file lists; never the person the factor is
        about (the mother is not asked about her own relation to the child); the child
        from min_age, and never under YOUNGEST_CHILD (or at an unknown age)."""
        if role not in self.asked or role == self.about:
            return False
        if role == "child":
            return child_age is not None and child_age >= max(YOUNGEST_CHILD, self.min_age or 0)
        return True

    def worded_for(self, role: str, child_name: str, steps: Steps) -> Factor:
        """The factor as someone of this role reads it: the staff its own words; the child
        its child title, the other respondents the title about the child, both with the
        respondent wording of the steps."""
        if role in STAFF_ROLES:
            return self
        if role == "child":
            titles = self.child_titles
        else:
            titles = {lang: text.replace(CHILD_PLACEHOLDER, child_name) for lang, text in self.about_titles.items()}
        return replace(self, titles=MappingProxyType(dict(titles or self.titles)),
                       guidance_texts=steps or self.guidance_texts)


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
    # The steps in the respondents' words (issue 11 item 1); empty = the form's [steps].
    respondent_step_texts: Steps = field(default_factory=lambda: MappingProxyType({}))
    # Who is asked the overall function level (ICF forms).
    level_asked: frozenset[str] = STAFF_ROLES
    # The languages whose texts are a first translation, the organisation's to have checked
    # by a translator (`translator_check = ["ar", "uk"]`, issue 18 item 1).
    translator_check: tuple[str, ...] = ()

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

    def asked_factors(self, split: bool, role: str, child_age: int | None, child_name: str = "") -> list[Factor]:
        """The factors someone of this role is asked about a child of this age, in their words."""
        return [f.worded_for(role, child_name, self.respondent_step_texts)
                for f in self.factors(split) if f.asks(role, child_age)]

    def asks_level(self, role: str) -> bool:
        """Tell whether someone of this role is asked the overall function level (ICF forms)."""
        return self.is_icf and role in self.level_asked

    @property
    def asks_respondents(self) -> bool:
        """True when a factor is asked of the child, the parents or the network."""
        return any(f.asked & RESPONDENT_ROLES for f in self.factors(True) + self.factors(False))

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
    def __init__(self, forms: Sequence[IndicatorForm], languages: Sequence[str],
                 staff_languages: Sequence[str] | None = None) -> None:
        self._by_id = {f.id: f for f in forms}
        # What the child, the parents and the network read is in every respondent language;
        # what only staff read (the form's own words, the guidance) in the staff languages.
        self.languages = tuple(languages)
        self.staff_languages = tuple(staff_languages if staff_languages is not None else
                                     [lang for lang in languages if lang in DEFAULT_STAFF_LANGUAGES])

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


def _roles(table: Table, key: str) -> frozenset[str]:
    """Read a list of roles ("parents" standing for mother, father and carer); refuse unknown ones."""
    raw = table.tables(key, "roles")
    unknown = sorted({repr(r) for r in raw if r not in ASKABLE and r not in PARENTS})
    if unknown:
        known = ", ".join(sorted(ASKABLE | set(PARENTS)))
        raise table.fail(f"'{key}' has unknown role {', '.join(unknown)} (known: {known})")
    return frozenset(role for r in raw for role in PARENTS.get(r, (r,)))


def _asking(table: Table, inherited: Factor | None) -> dict[str, Any]:
    """Read who is asked the factor: asked, min_age, about (a part's), each checked."""
    asked = _roles(table, "asked") if inherited is None or "asked" in table.data else inherited.asked
    min_age = table.integer("min_age", inherited.min_age if inherited else None, 0)
    if "min_age" in table.data and "child" not in asked:
        raise table.fail("'min_age' is the youngest child asked it, but 'asked' does not list \"child\"")
    if "min_age" in table.data and min_age < YOUNGEST_CHILD:
        raise table.fail(f"'min_age' {min_age} is below {YOUNGEST_CHILD}: there is no child version of the "
                         "indicator forms for younger children yet")
    about = table.get("about", (str,), "text", None) if inherited is not None else None
    if about is not None and about not in ABOUT:
        raise table.fail(f"'about' must be one of {', '.join(ABOUT)}, not {about!r}")
    return {"asked": asked, "min_age": min_age, "about": about,
            "child_titles": table.optional_texts("child_title"), "about_titles": table.optional_texts("about_title")}


def _factor(data: Any, where: str, steps: int, *, family: Factor | None = None) -> Factor:
    """Read a factor, or (with its family factor) a part of the family split."""
    table = Table(data, where, "each [[factors]] entry")
    key = table.string("key", KEY_PATTERN)
    table.where = f"{where}: factor '{key}'"
    titles = table.texts("title")
    guidance = _step_lists(table, "guidance", steps) if "guidance" in data else MappingProxyType({})
    factor = Factor(key, titles, guidance, **_asking(table, family))
    if family is None and "split" in data:
        raw = table.tables("split", "[[factors.split]] parts")
        parts = tuple(_factor(p, f"{table.where}: part {n}", steps, family=factor) for n, p in enumerate(raw, 1))
        # A part without guidance of its own reads the family factor's.
        parts = tuple(p if p.guidance_texts else replace(p, guidance_texts=guidance) for p in parts)
        factor = replace(factor, parts=parts)
    table.done()
    return factor


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
    level_asked = STAFF_ROLES
    if kind == "icf":
        level_texts = _step_lists(table, "levels", len(FUNCTION_LEVELS))
        level_asked = _roles(table, "level_asked")
    respondent_steps = (_step_lists(table, "respondent_steps", steps) if "respondent_steps" in table.data
                        else MappingProxyType({}))
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
        respondent_step_texts=respondent_steps,
        level_asked=level_asked,
        translator_check=translator_check(table),
    )
    table.done()
    return form


def load_indicator_forms(directory: Path, languages: Sequence[str],
                         staff_languages: Sequence[str] | None = None) -> IndicatorCatalogue:
    """Load every *.toml in the directory; raise InstrumentError on the first problem."""
    return IndicatorCatalogue(load_directory(directory, load_form, "indicator forms"), languages, staff_languages)


def _texts_of(form: IndicatorForm) -> Iterator[tuple[str, Mapping[str, Any], bool]]:
    """Every text of the form, and whether a respondent (the child, a parent, the network)
    reads it: their own titles and steps, or the form's own where it has none for them."""
    factors = [f for factor in form.all_factors for f in (factor, *factor.parts)]
    asked = {role for f in factors for role in f.asked & RESPONDENT_ROLES}
    yield "title", form.titles, False
    yield "intro", form.intros, False
    yield "steps", form.step_texts, bool(asked) and not form.respondent_step_texts
    if form.respondent_step_texts:
        yield "respondent_steps", form.respondent_step_texts, True
    if form.level_texts:
        yield "levels", form.level_texts, bool(form.level_asked & RESPONDENT_ROLES)
    for f in factors:
        child, others = "child" in f.asked, bool(f.asked & RESPONDENT_ROLES - {"child"})
        yield (f"factor '{f.key}': title", f.titles,
               (child and not f.child_titles) or (others and not f.about_titles))
        for what, texts, read in (("child_title", f.child_titles, child), ("about_title", f.about_titles, others)):
            if texts:
                yield f"factor '{f.key}': {what}", texts, read
        if f.guidance_texts:
            yield f"factor '{f.key}': guidance", f.guidance_texts, False


def check_languages(catalogue: IndicatorCatalogue) -> list[str]:
    """One message per text missing in one of its languages: a respondent's text in every
    respondent language, a text only staff read in the staff languages (issue 18 item 1)."""
    problems = []
    for form in catalogue.all():
        where = shown_path(form.path)
        for what, texts, respondent in _texts_of(form):
            languages = catalogue.languages if respondent else catalogue.staff_languages
            problems.extend(f"{where}: {what}: no '{lang}' text" for lang in languages if lang not in texts)
    return problems


def check_respondent_wording(catalogue: IndicatorCatalogue) -> list[str]:
    """One message per form asked of the child, the parents or the network without the steps
    in their words (issue 11 item 1)."""
    return [f"{shown_path(form.path)}: asked of {', '.join(sorted(_respondents_of(form)))}, but has no "
            "'respondent_steps' (the steps in their words)"
            for form in catalogue.all() if form.asks_respondents and not form.respondent_step_texts]


def _respondents_of(form: IndicatorForm) -> set[str]:
    return {role for f in form.factors(True) + form.factors(False) for role in f.asked & RESPONDENT_ROLES}


def check_forms(catalogue: IndicatorCatalogue) -> list[str]:
    """Every problem `flask instruments validate` reports in the indicator forms."""
    return check_languages(catalogue) + check_respondent_wording(catalogue)


def configured_directory(app: Flask) -> Path:
    return Path(app.config.get("INDICATOR_FORMS_DIR") or DEFAULT_DIRECTORY)


def current_forms() -> IndicatorCatalogue:
    """The indicator forms the current app loaded at start-up."""
    return current_app.extensions["indicator_forms"]
