"""Indicator classification: pure functions, one table per rule of INSTRUMENTS.md §4 and §5."""

from __future__ import annotations

import itertools

import pytest

from app.indicators.classification import (
    BEST,
    CATEGORIES,
    DONT_KNOW,
    FUNCTION_LEVELS,
    HOLD_GOAL_MET,
    IMPROVE,
    IMPROVEMENT_GOAL_MET,
    MAINTAIN,
    NEGATIVE_PROGRESSION,
    NO_PROBLEM,
    NO_PROGRESSION,
    NOT_CLASSIFIABLE,
    NOT_FOLLOWED_UP,
    PROGRESSION,
    SCALE,
    WORST,
    GoalWorseThanStatus,
    classify,
    from_icf,
    function_level_figure,
    goal_kind,
)
from app.instruments import catalogue


def test_the_scale_and_the_codes() -> None:
    # INSTRUMENTS.md §4: "The scale is 1–5 with 1 best"; "ved ikke" is the catalogue's word.
    assert (BEST, WORST, SCALE) == (1, 5, (1, 2, 3, 4, 5))
    assert DONT_KNOW == catalogue.DONT_KNOW == "dont_know"
    assert CATEGORIES == (
        "no_problem",
        "improvement_goal_met",
        "progression",
        "no_progression",
        "hold_goal_met",
        "negative_progression",
        "not_followed_up",
        "not_classifiable",
    )


# INSTRUMENTS.md §4: "old 0–4 data converts by adding 1".
@pytest.mark.parametrize(
    ("old", "new"),
    [pytest.param(old, old + 1, id=f"{old}-becomes-{old + 1}") for old in range(5)],
)
def test_from_icf(old: int, new: int) -> None:
    assert from_icf(old) == new


# §4: the old scale is 0–4; anything else is refused rather than converted.
@pytest.mark.parametrize(
    "value",
    [
        pytest.param(-1, id="minus-1"),
        pytest.param(5, id="5-is-already-off-the-old-scale"),
        pytest.param(2.0, id="float-2.0"),
        pytest.param("2", id="text-2"),
        pytest.param(True, id="bool"),
        pytest.param(None, id="none"),
        pytest.param(DONT_KNOW, id="dont-know"),
    ],
)
def test_from_icf_refuses(value: object) -> None:
    with pytest.raises(ValueError, match="0–4"):
        from_icf(value)  # type: ignore[arg-type]


# GLOSSARY: fastholdelsesmål is goal_kind = "maintain" (the goal is the status),
# progressionsmål is "improve" (the goal is better, i.e. lower, than the status).
GOAL_KIND_CASES = [
    pytest.param(3, 2, IMPROVE, id="3-to-2-improve"),
    pytest.param(5, 1, IMPROVE, id="5-to-1-improve"),
    pytest.param(2, 1, IMPROVE, id="2-to-1-improve-by-one-step"),
    pytest.param(3, 3, MAINTAIN, id="3-hold-3"),
    pytest.param(1, 1, MAINTAIN, id="1-hold-1"),
    pytest.param(5, 5, MAINTAIN, id="5-hold-5"),
]


@pytest.mark.parametrize(("status", "goal", "kind"), GOAL_KIND_CASES)
def test_goal_kind(status: int, goal: int, kind: str) -> None:
    assert goal_kind(status, goal) == kind


# Issue 4, bad input: "a goal score worse than the status … clear messages": a goal higher
# than the status is neither holding nor improving.
@pytest.mark.parametrize(
    ("status", "goal"),
    [
        pytest.param(2, 3, id="one-step-worse"),
        pytest.param(1, 5, id="best-status-worst-goal"),
        pytest.param(4, 5, id="4-to-5"),
    ],
)
def test_goal_worse_than_status(status: int, goal: int) -> None:
    with pytest.raises(GoalWorseThanStatus) as raised:
        goal_kind(status, goal)
    assert isinstance(raised.value, ValueError)
    assert (raised.value.status, raised.value.goal, raised.value.code) == (status, goal, "goal_worse_than_status")
    assert str(raised.value) == (
        f"goal {goal} is worse than status {status} (1 best, 5 worst): a goal must hold the status or improve on it"
    )


# §4: "The scale is 1–5"; a status or goal off it, or "ved ikke", has no goal kind.
@pytest.mark.parametrize(
    ("status", "goal"),
    [
        pytest.param(0, 0, id="0-is-the-old-scale"),
        pytest.param(6, 5, id="status-6"),
        pytest.param(3, 0, id="goal-0"),
        pytest.param(3, None, id="goal-none"),
        pytest.param(DONT_KNOW, 2, id="status-dont-know"),
        pytest.param(3.0, 2, id="float-status"),
        pytest.param(True, True, id="bools"),
    ],
)
def test_goal_kind_refuses_off_scale(status: object, goal: object) -> None:
    with pytest.raises(ValueError, match="1–5") as raised:
        goal_kind(status, goal)  # type: ignore[arg-type]
    assert not isinstance(raised.value, GoalWorseThanStatus)


# INSTRUMENTS.md §4, outcome per factor between two rounds (s1 status before, g goal,
# s2 status now; lower is better), row by row in the table's order:
#   s1 = 1 and s2 = 1               → uproblematisk (no problem)
#   g < s1 and s2 ≤ g               → progressionsmål opfyldt (improvement goal met)
#   g < s1 and g < s2 < s1          → progression
#   g < s1 and s2 = s1              → ingen progression
#   g = s1 (hold goal) and s2 ≤ s1  → fastholdelsesmål opfyldt (hold goal met)
#   s2 > s1                         → negativ progression
#   no s2                           → ikke fulgt op (not followed up)
TABLE_CASES = [
    # s1 = 1 and s2 = 1
    pytest.param(1, 1, 1, NO_PROBLEM, id="row1-1-1-1-also-a-met-hold-goal-but-the-first-row-wins"),
    pytest.param(1, DONT_KNOW, 1, NO_PROBLEM, id="row1-goal-dont-know-the-only-valid-goal-is-1"),
    pytest.param(1, None, 1, NO_PROBLEM, id="row1-no-goal"),
    # g < s1 and s2 ≤ g
    pytest.param(3, 2, 2, IMPROVEMENT_GOAL_MET, id="row2-s2-equals-g"),
    pytest.param(3, 2, 1, IMPROVEMENT_GOAL_MET, id="row2-s2-better-than-g"),
    pytest.param(5, 1, 1, IMPROVEMENT_GOAL_MET, id="row2-5-to-1-all-the-way"),
    pytest.param(2, 1, 1, IMPROVEMENT_GOAL_MET, id="row2-ends-at-1-but-s1-was-2-so-not-row1"),
    pytest.param(5, 4, 4, IMPROVEMENT_GOAL_MET, id="row2-one-step-goal-met-exactly"),
    # g < s1 and g < s2 < s1
    pytest.param(5, 2, 3, PROGRESSION, id="row3-s2-one-above-g"),
    pytest.param(5, 1, 4, PROGRESSION, id="row3-s2-one-below-s1"),
    pytest.param(3, 1, 2, PROGRESSION, id="row3-the-only-step-between"),
    pytest.param(4, 2, 3, PROGRESSION, id="row3-halfway"),
    # g < s1 and s2 = s1
    pytest.param(3, 2, 3, NO_PROGRESSION, id="row4-s2-equals-s1"),
    pytest.param(5, 1, 5, NO_PROGRESSION, id="row4-stays-at-5"),
    pytest.param(2, 1, 2, NO_PROGRESSION, id="row4-stays-at-2"),
    # g = s1 (hold goal) and s2 ≤ s1
    pytest.param(3, 3, 3, HOLD_GOAL_MET, id="row5-s2-equals-s1"),
    pytest.param(3, 3, 2, HOLD_GOAL_MET, id="row5-hold-goal-and-s2-better-than-s1"),
    pytest.param(5, 5, 1, HOLD_GOAL_MET, id="row5-hold-goal-and-much-better-is-still-hold-goal-met"),
    pytest.param(5, 5, 5, HOLD_GOAL_MET, id="row5-hold-at-5"),
    pytest.param(2, 2, 1, HOLD_GOAL_MET, id="row5-ends-at-1-but-s1-was-2-so-not-row1"),
    # s2 > s1
    pytest.param(1, 1, 2, NEGATIVE_PROGRESSION, id="row6-from-1-one-step"),
    pytest.param(3, 2, 4, NEGATIVE_PROGRESSION, id="row6-improvement-goal"),
    pytest.param(3, 3, 4, NEGATIVE_PROGRESSION, id="row6-hold-goal"),
    pytest.param(4, 1, 5, NEGATIVE_PROGRESSION, id="row6-to-5"),
    pytest.param(3, DONT_KNOW, 4, NEGATIVE_PROGRESSION, id="row6-goal-dont-know-worse-for-every-goal"),
    pytest.param(1, None, 5, NEGATIVE_PROGRESSION, id="row6-no-goal"),
    # no s2
    pytest.param(3, 2, None, NOT_FOLLOWED_UP, id="row7-no-s2"),
    pytest.param(3, 2, DONT_KNOW, NOT_FOLLOWED_UP, id="row7-s2-dont-know"),
    pytest.param(1, 1, None, NOT_FOLLOWED_UP, id="row7-not-no-problem-without-s2"),
    pytest.param(None, None, None, NOT_FOLLOWED_UP, id="row7-nothing-known"),
    pytest.param(DONT_KNOW, 2, DONT_KNOW, NOT_FOLLOWED_UP, id="row7-no-s2-is-read-before-an-unknown-s1"),
]


@pytest.mark.parametrize(("s1", "g", "s2", "category"), TABLE_CASES)
def test_classify_table(s1: object, g: object, s2: object, category: str) -> None:
    assert classify(s1, g, s2) == category


# Not in the table: an unknown s1 or g ("ved ikke" or none) gives a category only where the
# table gives the same one for every valid goal (g ≤ s1); otherwise it is said, not guessed.
NOT_CLASSIFIABLE_CASES = [
    pytest.param(None, 2, 3, id="s1-none"),
    pytest.param(DONT_KNOW, 1, 1, id="s1-dont-know-even-at-1-1"),
    pytest.param(None, None, 5, id="s1-and-g-none"),
    pytest.param(3, None, 3, id="g-none-s2-equals-s1-hold-met-or-no-progression"),
    pytest.param(3, DONT_KNOW, 2, id="g-dont-know-s2-better-goal-met-progression-or-hold"),
    pytest.param(2, None, 1, id="g-none-ends-at-1-from-2"),
]


@pytest.mark.parametrize(("s1", "g", "s2"), NOT_CLASSIFIABLE_CASES)
def test_classify_not_classifiable(s1: object, g: object, s2: object) -> None:
    assert classify(s1, g, s2) == NOT_CLASSIFIABLE


# Issue 4, bad input: "a goal score worse than the status …": refused before any row is
# read, even where the row would not need the goal (s1 = s2 = 1, s2 > s1, no s2).
@pytest.mark.parametrize(
    ("s1", "g", "s2"),
    [
        pytest.param(2, 3, 2, id="goal-one-step-worse"),
        pytest.param(1, 2, 1, id="even-where-row1-would-say-no-problem"),
        pytest.param(3, 5, None, id="even-without-s2"),
        pytest.param(3, 4, 5, id="even-where-row6-would-say-negative"),
    ],
)
def test_classify_goal_worse_than_status(s1: int, g: int, s2: object) -> None:
    with pytest.raises(GoalWorseThanStatus):
        classify(s1, g, s2)


# §4: "The scale is 1–5"; the old 0–4 data goes through from_icf first. Off the scale is
# refused (ValueError, not GoalWorseThanStatus), whichever of the three it is.
@pytest.mark.parametrize(
    ("s1", "g", "s2", "which"),
    [
        pytest.param(0, 0, 0, "status before", id="old-scale-0s"),
        pytest.param(6, 1, 1, "status before", id="s1-6"),
        pytest.param(3, 0, 1, "goal", id="g-0"),
        pytest.param(3, 2, 0, "status now", id="s2-0"),
        pytest.param(3, 2, 6, "status now", id="s2-6"),
        pytest.param(3.0, 2, 2, "status before", id="s1-float"),
        pytest.param("3", 2, 2, "status before", id="s1-text"),
        pytest.param(True, 1, 1, "status before", id="s1-bool"),
        pytest.param(3, 2, "ved ikke", "status now", id="danish-words-are-not-the-code"),
        pytest.param(3, 2, "", "status now", id="empty-text-is-not-no-answer"),
    ],
)
def test_classify_refuses_off_scale(s1: object, g: object, s2: object, which: str) -> None:
    with pytest.raises(ValueError, match=which) as raised:
        classify(s1, g, s2)
    assert not isinstance(raised.value, GoalWorseThanStatus)


# The §4 rows, written as the table writes them, in its order: whatever the rows say
# for every valid combination (1 ≤ g ≤ s1, s2 on the scale), classify says too — and
# exactly one row holds except where row 1 and row 5 both do (s1 = g = s2 = 1).
ROWS = [
    (NO_PROBLEM, lambda s1, g, s2: s1 == 1 and s2 == 1),
    (IMPROVEMENT_GOAL_MET, lambda s1, g, s2: g < s1 and s2 <= g),
    (PROGRESSION, lambda s1, g, s2: g < s1 and g < s2 < s1),
    (NO_PROGRESSION, lambda s1, g, s2: g < s1 and s2 == s1),
    (HOLD_GOAL_MET, lambda s1, g, s2: g == s1 and s2 <= s1),
    (NEGATIVE_PROGRESSION, lambda s1, g, s2: s2 > s1),
]
VALID = [(s1, g, s2) for s1, g, s2 in itertools.product(SCALE, SCALE, SCALE) if g <= s1]


def test_classify_agrees_with_the_table_everywhere() -> None:
    for s1, g, s2 in VALID:
        holding = [category for category, row in ROWS if row(s1, g, s2)]
        assert len(holding) == (2 if (s1, g, s2) == (1, 1, 1) else 1), (s1, g, s2, holding)
        assert classify(s1, g, s2) == holding[0], (s1, g, s2)
    assert len(VALID) == 75


# §4's table with an unknown goal: only where every valid goal gives one category.
def test_classify_with_unknown_goal_only_where_every_goal_agrees() -> None:
    for s1, s2 in itertools.product(SCALE, SCALE):
        every_goal = {classify(s1, g, s2) for g in range(1, s1 + 1)}
        expected = every_goal.pop() if len(every_goal) == 1 else NOT_CLASSIFIABLE
        assert classify(s1, None, s2) == classify(s1, DONT_KNOW, s2) == expected, (s1, s2)


# INSTRUMENTS.md §5: "A separate overall function level A–E, never computed from the five,
# mapped to 0–4 only for figures."
@pytest.mark.parametrize(
    ("level", "figure"),
    [pytest.param(level, figure, id=f"{level}-is-{figure}") for figure, level in enumerate("ABCDE")],
)
def test_function_level_figure(level: str, figure: int) -> None:
    assert function_level_figure(level) == figure


@pytest.mark.parametrize(
    "level",
    [
        pytest.param("a", id="lower-case"),
        pytest.param("F", id="F"),
        pytest.param("", id="empty"),
        pytest.param("AB", id="two-letters"),
        pytest.param(None, id="none"),
        pytest.param(0, id="a-figure-is-not-a-level"),
        pytest.param(DONT_KNOW, id="dont-know"),
    ],
)
def test_function_level_figure_refuses(level: object) -> None:
    with pytest.raises(ValueError, match="A, B, C, D, E"):
        function_level_figure(level)  # type: ignore[arg-type]


def test_function_levels() -> None:
    # §5: "A–E".
    assert FUNCTION_LEVELS == ("A", "B", "C", "D", "E")
