"""The form engine's block item types (app/instruments/blocks.py): a goal's status, an indicator
factor, its final score, and the parts they are made of. Pure: no app, no request."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.instruments import Block, Part, build_block_form, read
from app.instruments.blocks import (
    FORBIDDEN,
    FUTURE,
    GOAL_WORSE,
    MALFORMED,
    MISSING,
    NEEDED,
    TOO_LONG,
    problems,
)
from app.instruments.catalogue import BLOCK_TYPES
from app.instruments.fields import FIELD_FACTORIES

STEPS = tuple((str(n), str(n)) for n in range(1, 6))
DIGITS = re.compile(r"\d{6}-\d{4}")


def _no_worse(status: int, goal: int) -> bool:
    return goal <= status


def _items() -> list[Part | Block]:
    texts = (Part("text", "prose", limit=20, forbidden=DIGITS, subject="health"),)
    return [
        Block("goal_status", "goal_7", "goal 7", choices=(("full", "Helt"), ("none", "Ikke")),
              texts=(Part("works", "prose", limit=10),), separator="_"),
        Block("factor", "health", "health", choices=(*STEPS, ("dont_know", "Ved ikke")),
              goal_choices=(*STEPS, ("", "Intet forslag")), texts=texts, goal_allowed=_no_worse),
        Block("final_factor", "final-school", "school", choices=(("", "Ikke sat"), *STEPS, ("dont_know", "Ved ikke")),
              goal_choices=(("", "Intet mål"), *STEPS), goal_allowed=_no_worse, needs_text=True,
              texts=(Part("rationale", "prose", limit=10), Part("note", "prose", limit=10))),
        Part("level", "level", choices=(("A", "A"), ("dont_know", "Ved ikke")), required=True),
        Part("seen", "pick", choices=(("yes", "Ja"), ("no", "Nej")), required=True),
        Part("seen_on", "day", required=True, when=("seen", "yes"), latest=date(2026, 3, 10)),
    ]


GOOD = {"goal_7_attainment": "full", "health-status": "3", "health-goal": "2", "level": "A", "seen": "no"}


@pytest.mark.parametrize(("changes", "field", "code"), [
    ({}, None, None),
    ({"goal_7_attainment": ""}, "goal_7_attainment", MISSING),
    ({"goal_7_attainment": "maybe"}, "goal_7_attainment", MALFORMED),
    ({"goal_7_works": "x" * 11}, "goal_7_works", TOO_LONG),
    ({"goal_7_works": " x\r\nx " * 2}, None, None),  # CRLF counts as one character, the ends are trimmed
    ({"health-status": ""}, "health-status", MISSING),
    ({"health-status": "99999999999999999999"}, "health-status", MALFORMED),
    ({"health-status": "dont_know", "health-goal": "5"}, None, None),  # no status step: any goal
    ({"health-status": "2", "health-goal": "4"}, "health-goal", GOAL_WORSE),
    ({"health-goal": "0"}, "health-goal", MALFORMED),
    ({"health-text": "cpr 010203-1234"}, "health-text", FORBIDDEN),
    ({"final-school-goal": "2"}, "final-school-goal", MISSING),  # a final goal needs a final status
    ({"final-school-status": "3"}, "final-school-rationale", NEEDED),
    ({"final-school-status": "3", "final-school-rationale": "Lægen."}, None, None),
    ({"final-school-status": "9"}, "final-school-status", MALFORMED),  # reported alone, no rationale asked
    ({"level": "Z"}, "level", MALFORMED),
    ({"seen": "yes"}, "seen_on", MISSING),
    ({"seen": "yes", "seen_on": "2026-02-30"}, "seen_on", MALFORMED),
    ({"seen": "yes", "seen_on": "2026-03-11"}, "seen_on", FUTURE),
    ({"seen": "no", "seen_on": "nonsense"}, None, None),  # asked only while "seen" is yes
])
def test_each_block_type_checks_its_fields(changes, field, code):
    form = read(build_block_form(_items()), GOOD | changes)
    found = {name: problem.code for name, problem in problems(form).items()}
    assert found == ({field: code} if field else {})


def test_what_was_typed_comes_back_cleaned_and_under_the_posted_names():
    form = read(build_block_form(_items()), GOOD | {"health-text": " Sover\r\ndårligt.\x00 ", "health-status": "tre"})
    assert form["health"]["text"].data == "Sover\ndårligt."
    assert form["health"]["status"].data == "tre"
    assert form["health"]["status"].name == "health-status" and form["goal_7"]["attainment"].name == "goal_7_attainment"


def test_a_prose_part_states_its_limit_on_the_field():
    form = read(build_block_form(_items()), GOOD)
    assert form["health"]["text"].render_kw == {"rows": 4, "maxlength": 20}


def test_every_block_type_is_in_the_one_registry():
    assert BLOCK_TYPES <= set(FIELD_FACTORIES)
