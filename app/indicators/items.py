"""An indicator form as items of the form engine: a factor block per factor (status, goal, text),
the overall function level of ICF forms, and on the matrix a final_factor block per factor.

Field names: "<factor>-status", "<factor>-goal", "<factor>-text", "function_level";
"final-<factor>-status", "-goal", "-rationale", "-note", and "final-function_level-level".
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Field, Form

from app.cases.forms import CPR_PATTERN
from app.indicators.catalogue import Factor, IndicatorForm
from app.indicators.classification import (
    DONT_KNOW,
    FUNCTION_LEVELS,
    GoalWorseThanStatus,
    goal_kind,
)
from app.instruments.blocks import (
    FORBIDDEN,
    GOAL_WORSE,
    MISSING,
    NEEDED,
    TOO_LONG,
    Block,
    Part,
    Problem,
)
from app.instruments.fields import build_block_form

TEXT_LIMIT = 1000
FINAL_TEXT_LIMIT = 4000
LEVEL_FIELD = "function_level"
FINAL_LEVEL_FIELD = f"final-{LEVEL_FIELD}-level"


def goal_allowed(status: int, goal: int) -> bool:
    """Tell whether a goal may go with a status: no worse (higher) than it, both on the scale."""
    try:
        goal_kind(status, goal)
    except (GoalWorseThanStatus, ValueError):
        return False
    return True


def _steps(form: IndicatorForm) -> tuple[tuple[str, str], ...]:
    return tuple((str(step), str(step)) for step in form.scale)


def factor_block(form: IndicatorForm, factor: Factor, lang: str, text_limit: int = TEXT_LIMIT) -> Block:
    """Return what one scorer answers about a factor: its status (or "Ved ikke"), a goal, a text."""
    guidance = form.guidance(factor, lang)
    status = tuple((str(step), f"{step}: {guidance[n]}") for n, step in enumerate(form.scale))
    goals = (*_steps(form), ("", _l("Intet forslag"))) if form.has_goals else ()
    text = Part("text", "prose", _l("Uddybning (valgfrit)"), limit=text_limit, rows=3, forbidden=CPR_PATTERN,
                subject=factor)
    return Block("factor", factor.key, factor, factor.title(lang), _l("Hvordan er det nu?"),
                 (*status, (DONT_KNOW, _l("Ved ikke"))), _l("Forslag til mål: hvor skal det være næste gang?"),
                 goals, (text,), goal_allowed=goal_allowed)


def level_part(form: IndicatorForm, lang: str) -> Part:
    """Return the overall function level of an ICF form, A–E or "Ved ikke"."""
    levels = tuple(zip(FUNCTION_LEVELS, form.levels(lang)))
    return Part(LEVEL_FIELD, "level", _l("Vurdér det samlede funktionsniveau for sig (det regnes ikke ud fra "
                                         "dimensionerne)."), (*levels, (DONT_KNOW, _l("Ved ikke"))), required=True)


def scoring_form_class(form: IndicatorForm, factors: Sequence[Factor], lang: str, base: type[Form] = Form,
                       text_limit: int = TEXT_LIMIT, level: bool = True) -> type[Form]:
    """Return one scorer's form: a factor block per factor they are asked, and the function
    level of ICF forms unless they are not asked it (`level`)."""
    items: list[Part | Block] = [factor_block(form, f, lang, text_limit) for f in factors]
    if form.is_icf and level:
        items.append(level_part(form, lang))
    return build_block_form(items, base, indicator_form=form)


def final_block(form: IndicatorForm, factor: Factor, lang: str, spread: bool) -> Block:
    """Return the case worker's final status, goal, rationale and family note for a factor.

    Where the scorers differ by 2 steps or more (`spread`, matrix.is_spread), a final status
    (a step or "Ved ikke") needs a rationale (issue 4); elsewhere the rationale is optional.
    """
    texts = tuple(Part(name, "prose", label, limit=FINAL_TEXT_LIMIT, rows=2, forbidden=CPR_PATTERN, subject=factor)
                  for name, label in (("rationale", _l("Begrundelse")), ("note", _l("Familiens afvigende syn (note)"))))
    goals = (("", _l("Intet mål")), *_steps(form)) if form.has_goals else ()
    return Block("final_factor", f"final-{factor.key}", factor, factor.title(lang), _l("Endelig status"),
                 (("", _l("Ikke sat")), *_steps(form), (DONT_KNOW, _l("Ved ikke"))), _l("Mål"), goals, texts,
                 goal_allowed=goal_allowed, needs_text=spread)


def finals_form_class(form: IndicatorForm, factors: Sequence[Factor], lang: str, spread: Collection[str] = (),
                      base: type[Form] = Form) -> type[Form]:
    """Return the matrix's form: a final_factor block per factor, the final function level of ICF forms."""
    items: list[Part | Block] = [final_block(form, f, lang, f.key in spread) for f in factors]
    if form.is_icf:
        levels = tuple((level, level) for level in FUNCTION_LEVELS)
        items.append(Part(FINAL_LEVEL_FIELD, "menu", _l("Endeligt funktionsniveau"),
                          (("", _l("Ikke sat")), *levels, (DONT_KNOW, _l("Ved ikke")))))
    return build_block_form(items, base, indicator_form=form)


def _step_or_none(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def scoring_answers(form: Form) -> dict:
    """Return a valid scoring as stored: {"scores": {factor: {status, goal, text}}, "function_level"}."""
    scores = {}
    for item in form.items:
        if isinstance(item, Block):
            block = form[item.key].form
            status = block.status.data
            goal = block.goal.data if "goal" in block else ""
            scores[item.key] = {"status": status if status == DONT_KNOW else _step_or_none(status),
                                "goal": _step_or_none(goal), "text": block.text.data}
    answers: dict = {"scores": scores}
    if form.indicator_form.is_icf and LEVEL_FIELD in form:
        answers[LEVEL_FIELD] = form[LEVEL_FIELD].data or None
    return answers


def has_text(answers: dict) -> bool:
    """Tell whether a scorer wrote anything about a factor (news for the case worker)."""
    return any(str(entry.get("text") or "").strip() for entry in answers.get("scores", {}).values())


def final_entries(form: Form) -> dict[str, dict]:
    """Return valid final scores as services.save_final_scores takes them, by factor."""
    entries: dict[str, dict] = {}
    for item in form.items:
        if isinstance(item, Block):
            block = form[item.key].form
            status = block.status.data
            entries[item.subject.key] = {
                "status": _step_or_none(status), "dont_know": status == DONT_KNOW,
                "goal": _step_or_none(block.goal.data) if "goal" in block else None, "level": None,
                "rationale": block.rationale.data, "family_note": block.note.data}
    level = form[FINAL_LEVEL_FIELD].data if form.indicator_form.is_icf else ""
    if level:
        entries[LEVEL_FIELD] = {"status": None, "dont_know": level == DONT_KNOW,
                                "level": level if level != DONT_KNOW else None, "goal": None,
                                "rationale": "", "family_note": ""}
    return entries


def problem_message(code: str, factor: Factor | None, lang: str, limit: int | None = None) -> str:
    """Say a scoring problem in words, naming the factor (and a text's length limit)."""
    name = factor.title(lang) if factor is not None else _("Samlet funktionsniveau")
    if code == MISSING:
        return _("Vælg en status for »%(factor)s«, eller vælg »Ved ikke«.", factor=name)
    if code == GOAL_WORSE:
        return _("Målet for »%(factor)s« kan ikke være dårligere end status. Vælg samme trin eller et bedre (lavere).",
                 factor=name)
    if code == TOO_LONG:
        return _("Teksten ved »%(factor)s« er for lang. Skriv højst %(max)s tegn.", factor=name, max=limit)
    if code == FORBIDDEN:
        return _("Skriv ikke CPR-numre i Samstem.")
    if code == NEEDED:
        return _("Skriv en begrundelse for den endelige status for »%(factor)s«. Dem, der har scoret, er 2 trin "
                 "eller mere fra hinanden.", factor=name)
    return _("Vælg en af mulighederne ved »%(factor)s«.", factor=name)


def wording(lang: str):
    """Return the function that words a problem of an indicator form in the language."""

    def word(field: Field, problem: Problem) -> str:
        return problem_message(problem.code, problem.subject, lang, problem.limit)

    return word
