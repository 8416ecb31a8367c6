"""The provider's status form as items of the form engine: a goal_status block per goal, then
the overall assessment, the 0–10 rating and whether it was gone through with the family.

INSTRUMENTS.md section 3: attainment per goal is required; the overall text and a whole 0-10
rating are required; "reviewed with the family" needs a date (not in the future), "not
reviewed" needs a reason. Free texts have length limits and hold no CPR numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Field, Form

from app.cases.forms import CPR_PATTERN
from app.i18n import current_language
from app.instruments.blocks import (
    FORBIDDEN,
    FUTURE,
    MALFORMED,
    TOO_LONG,
    Block,
    Part,
    Problem,
)
from app.instruments.fields import build_block_form
from app.instruments.readers import ADULT, lower_first, scale_ends
from app.labels import ATTAINMENT_LABELS

ATTAINMENTS = ("full", "high", "some", "none", "not_relevant")
# What the provider writes per goal, each optional, with its length limit.
GOAL_TEXTS = ("done", "works", "worries", "next", "observations")
GOAL_TEXT_LIMIT = 2000
OVERALL_LIMIT = 4000
COMMENTS_LIMIT = 2000
REASON_LIMIT = 1000
RATINGS = tuple(range(11))
GOAL_LABELS = {
    "done": _l("Hvad er der gjort for at nå målet?"),
    "works": _l("Hvad virker?"),
    "worries": _l("Hvad er du bekymret for?"),
    "next": _l("Hvad skal der til nu?"),
    "observations": _l("Iagttagelser"),
}


def _prose(name: str, label: Any, limit: int, **options: Any) -> Part:
    return Part(name, "prose", label, limit=limit, forbidden=CPR_PATTERN, **options)


def goal_block(goal: Any) -> Block:
    """Return the block a provider answers about one goal: fields goal_<id>_attainment, _done, …"""
    return Block(
        "goal_status", f"goal_{goal.goal_id}", goal, goal.text, _l("Hvor langt er I med målet?"),
        tuple((code, ATTAINMENT_LABELS[code]) for code in ATTAINMENTS),
        texts=tuple(_prose(key, GOAL_LABELS[key], GOAL_TEXT_LIMIT) for key in GOAL_TEXTS),
        separator="_",
    )


def _rating_label() -> str:
    """The rating's question, its two ends the adults' shared pair (issue 11 item 11)."""
    low, high = (lower_first(end) for end in scale_ends(ADULT, current_language()))
    return _("Giv et tal fra 0 til 10 for trivsel og udvikling: 0 er %(low)s, 10 er %(high)s.", low=low, high=high)


def status_items(goals: Sequence[Any], child: str, today: date) -> list[Part | Block]:
    """Return the form's items: a block per goal, then the overall assessment and the review."""
    yes, no = ("reviewed", "yes"), ("reviewed", "no")
    return [
        *(goal_block(goal) for goal in goals),
        _prose("overall", _l("Hvordan trives og udvikler %(child)s sig, alt i alt?", child=child), OVERALL_LIMIT,
               required=True),
        Part("rating", "pick", LazyString(_rating_label), tuple((str(n), n) for n in RATINGS), required=True),
        Part("reviewed", "pick", _l("Har du gennemgået statussen med familien?"),
             (("yes", _l("Ja")), ("no", _l("Nej"))), required=True),
        Part("reviewed_on", "day", _l("Hvornår gennemgik I den?"), required=True, when=yes,
             latest=today),
        _prose("family_comments", _l("Familiens kommentarer"), COMMENTS_LIMIT, when=yes),
        _prose("reason", _l("Hvorfor er den ikke gennemgået med familien?"), REASON_LIMIT, required=True, when=no,
               rows=3),
    ]


def status_form_class(goals: Sequence[Any], today: date, base: type[Form] = Form, child: str = "") -> type[Form]:
    """Return the status form for these goals, built by the form engine."""
    return build_block_form(status_items(goals, child, today), base, goals=tuple(goals))


def _missing(name: str) -> str:
    texts = {
        "attainment": _("Vælg, hvor langt I er med målet."),
        "overall": _("Skriv din samlede vurdering af barnets trivsel og udvikling."),
        "rating": _("Vælg et tal fra 0 til 10."),
        "reviewed": _("Svar på, om statussen er gennemgået med familien."),
        "reviewed_on": _("Skriv datoen, hvor I gennemgik statussen med familien."),
        "reason": _("Skriv, hvorfor statussen ikke er gennemgået med familien."),
    }
    return texts[name]


def word(field: Field, problem: Problem) -> str:
    """Say a problem of the status form in the provider's language."""
    if problem.code == TOO_LONG:
        return _("Højst %(max)s tegn. Du har skrevet %(count)s.", max=problem.limit, count=problem.count)
    if problem.code == FORBIDDEN:
        return _("Skriv ikke CPR-numre.")
    if problem.code == FUTURE:
        return _("Datoen kan ikke ligge i fremtiden.")
    if problem.code == MALFORMED and field.part.name == "reviewed_on":
        return _("Datoen ser ikke rigtig ud. Skriv den som dag, måned og år, fx 14-03-2026.")
    return _missing(field.part.name)


def answers_of(form: Form) -> dict:
    """Return what the provider said, as stored: each goal as it was asked, then the rest."""
    goals = []
    for goal in form.goals:
        block = form[f"goal_{goal.goal_id}"].form
        entry = {"goal_id": goal.goal_id, "version": goal.version, "text": goal.text,
                 "attainment": block.attainment.data}
        goals.append(entry | {key: block[key].data for key in GOAL_TEXTS})
    rating = form.rating.data
    answers: dict = {"goals": goals, "overall": form.overall.data,
                     "rating": int(rating) if rating.isdigit() and int(rating) in RATINGS else None,
                     "reviewed": form.reviewed.data}
    if form.reviewed.data == "yes":
        answers |= {"reviewed_on": form.reviewed_on.iso, "family_comments": form.family_comments.data}
    elif form.reviewed.data == "no":
        answers["reason"] = form.reason.data
    return answers
