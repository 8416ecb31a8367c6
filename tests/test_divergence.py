"""Divergence: where voices differ on one item, read from the shipped files, never averaged."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from typing import Any

import pytest

from app.instruments.catalogue import DEFAULT_DIRECTORY, DONT_KNOW, Item, load_catalogue
from app.reconcile.divergence import Divergence, divergence

CATALOGUE = load_catalogue(DEFAULT_DIRECTORY, ("da", "en"))

VAS = CATALOGUE.get("fit-outcome").item("personal")  # a 0–10 line
SCALE = CATALOGUE.get("participation-adult").item("backs_plan")  # 1–5 agreement, with "ved ikke"
TEXT = CATALOGUE.get("participation-adult").item("comment")  # open question
VAS_1_5 = replace(VAS, divergence=1.5)  # another organisation's file: a tighter threshold
SCALE_3 = replace(SCALE, divergence=3.0)


def _found(spread: float, high: tuple[Any, ...], low: tuple[Any, ...], highest: float, lowest: float):
    """The expected result without its threshold, which the test reads from the item."""
    return spread, high, low, highest, lowest


def test_the_shipped_thresholds_are_the_defaults_the_rule_names() -> None:
    # Rule: "default: 3 points on a 0–10 line, 2 steps on a 5-point scale".
    assert (VAS.type, VAS.divergence) == ("vas", 3.0)
    assert (SCALE.type, SCALE.points, SCALE.divergence, SCALE.dont_know) == ("scale", 5, 2.0, True)
    assert (TEXT.type, TEXT.divergence) == ("longtext", None)


# Rule: "items where respondents differ by more than a threshold set in the instrument file
# (default: 3 points on a 0–10 line, 2 steps on a 5-point scale)" — strictly more; no answer
# and "ved ikke" are not numbers; nothing is averaged; only vas and scale items can diverge.
CASES = [
    pytest.param(VAS, {"a": 2.0, "b": 5.0}, None, id="vas-spread-exactly-3-not-flagged"),
    pytest.param(VAS, {"a": 2.0, "b": 5.1}, _found(3.1, ("b",), ("a",), 5.1, 2.0), id="vas-spread-3.1-flagged"),
    pytest.param(VAS, {"a": 4.3, "b": 7.3}, None, id="vas-4.3-vs-7.3-not-flagged"),
    pytest.param(VAS, {"a": 1.4, "b": 4.4}, None, id="float-trap-1.4-vs-4.4-floats-give-3.0000000000000004"),
    pytest.param(VAS, {"a": 8.3, "b": 5.3}, None, id="float-trap-5.3-vs-8.3-floats-give-3.000000000000001"),
    pytest.param(
        VAS, {"a": 4.3, "b": 7.4}, _found(3.1, ("b",), ("a",), 7.4, 4.3), id="spread-exact-3.1-not-3.1000000000000005"
    ),
    pytest.param(VAS, {"a": 0, "b": 10}, _found(10.0, ("b",), ("a",), 10.0, 0.0), id="vas-whole-numbers-0-and-10"),
    pytest.param(VAS, {"a": 9.0, "b": 2.0}, _found(7.0, ("a",), ("b",), 9.0, 2.0), id="high-first-in-input"),
    pytest.param(SCALE, {"a": "1", "b": "3"}, None, id="scale-1-vs-3-exactly-2-steps-not-flagged"),
    pytest.param(SCALE, {"a": "1", "b": "4"}, _found(3.0, ("b",), ("a",), 4.0, 1.0), id="scale-1-vs-4-flagged"),
    pytest.param(SCALE, {"a": "5", "b": "1"}, _found(4.0, ("a",), ("b",), 5.0, 1.0), id="scale-whole-range"),
    pytest.param(
        SCALE, {"a": "1", "b": DONT_KNOW, "c": "4"}, _found(3.0, ("c",), ("a",), 4.0, 1.0), id="scale-dont-know-ignored"
    ),
    pytest.param(SCALE, {"a": "1", "b": DONT_KNOW}, None, id="scale-dont-know-leaves-one-number"),
    pytest.param(VAS, {"a": 1.0, "b": None, "c": 9.0}, _found(8.0, ("c",), ("a",), 9.0, 1.0), id="vas-none-ignored"),
    pytest.param(VAS, {"a": None, "b": 9.0}, None, id="vas-none-leaves-one-number"),
    pytest.param(VAS, {"a": None, "b": None}, None, id="no-answers-at-all"),
    pytest.param(VAS, {"a": 9.0}, None, id="single-answer"),
    pytest.param(VAS, {}, None, id="no-voices"),
    pytest.param(
        VAS,
        {"a": "lots", "b": True, "c": 1.0, "d": 9.0, "e": ""},
        _found(8.0, ("d",), ("c",), 9.0, 1.0),
        id="not-a-number-ignored-true-is-not-1",
    ),
    pytest.param(
        VAS,
        {"a": 1.0, "b": 9.0, "c": 1.0, "d": 9.0, "e": 5.0},
        _found(8.0, ("b", "d"), ("a", "c"), 9.0, 1.0),
        id="ties-return-every-key-in-input-order",
    ),
    pytest.param(VAS, {"a": 5, "b": 5.0, "c": 0.5}, _found(4.5, ("a", "b"), ("c",), 5.0, 0.5), id="5-and-5.0-tie"),
    pytest.param(
        SCALE, {"x": "4", "y": "1", "z": "4", "w": "1"}, _found(3.0, ("x", "z"), ("y", "w"), 4.0, 1.0), id="scale-ties"
    ),
    pytest.param(VAS, {101: 2.0, 102: 8.0}, _found(6.0, (102,), (101,), 8.0, 2.0), id="invitation-ids-as-keys"),
    pytest.param(TEXT, {"a": "1", "b": "5"}, None, id="text-item-never-diverges"),
    pytest.param(VAS_1_5, {"a": 2.0, "b": 3.5}, None, id="file-threshold-1.5-exactly-not-flagged"),
    pytest.param(
        VAS_1_5, {"a": 2.0, "b": 3.6}, _found(1.6, ("b",), ("a",), 3.6, 2.0), id="file-threshold-1.5-flags-1.6"
    ),
    pytest.param(VAS_1_5, {"a": 2.0, "b": 5.0}, _found(3.0, ("b",), ("a",), 5.0, 2.0), id="file-threshold-1.5-flags-3"),
    pytest.param(SCALE_3, {"a": "1", "b": "4"}, None, id="file-threshold-3-steps-not-flagged"),
    pytest.param(
        SCALE_3, {"a": "1", "b": "5"}, _found(4.0, ("b",), ("a",), 5.0, 1.0), id="file-threshold-3-steps-flags-4"
    ),
    pytest.param(replace(VAS, divergence=None), {"a": 0.0, "b": 10.0}, None, id="no-threshold-no-divergence"),
]


@pytest.mark.parametrize(("item", "answers", "expected"), CASES)
def test_divergence(item: Item, answers: dict[Any, Any], expected: tuple[Any, ...] | None) -> None:
    found = divergence(item, answers)
    if expected is None:
        assert found is None
        return
    assert found is not None
    assert (found.spread, found.high, found.low, found.highest, found.lowest) == expected
    assert found.threshold == item.divergence


def test_the_float_traps_are_real() -> None:
    # Why the rule computes on Decimal: plain floats would flag these exactly-at-threshold pairs.
    assert 4.4 - 1.4 > 3.0
    assert 8.3 - 5.3 > 3.0
    assert 7.4 - 4.3 != 3.1


def test_divergence_holds_extremes_and_no_mean() -> None:
    # Rule: "Nothing is ever averaged: the result holds only the extremes and who holds them."
    found = divergence(VAS, {"a": 0, "b": 5, "c": 10})
    assert found == Divergence(spread=10.0, threshold=VAS.divergence, high=("c",), low=("a",), highest=10.0, lowest=0.0)
    names = {field.name for field in dataclasses.fields(Divergence)}
    assert names == {"spread", "threshold", "high", "low", "highest", "lowest"}
    assert not any(word in name for name in names for word in ("mean", "average", "avg", "median", "middle"))
    assert 5.0 not in dataclasses.astuple(found)


# Rule: nothing is averaged, so a voice between the extremes changes nothing in the result.
@pytest.mark.parametrize(
    "middle",
    [
        pytest.param(0.1, id="just-above-lowest"),
        pytest.param(5, id="the-mean"),
        pytest.param(9.9, id="just-below-highest"),
        pytest.param(DONT_KNOW, id="dont-know"),
        pytest.param(None, id="no-answer"),
    ],
)
def test_a_middle_voice_changes_nothing(middle: object) -> None:
    alone = divergence(VAS, {"a": 0, "c": 10})
    with_middle = divergence(VAS, {"a": 0, "b": middle, "c": 10})
    assert alone is not None
    assert with_middle == alone
    crowd = divergence(VAS, {"a": 0, **{f"m{n}": middle for n in range(10)}, "c": 10})
    assert crowd == alone
