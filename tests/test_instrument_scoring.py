"""Scores and cut-offs: pure functions over the shipped instruments, no database, no request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.instruments import Catalogue, Score, cutoff_for, load_catalogue, score

FORMS = Path(__file__).resolve().parents[1] / "forms"
CATALOGUE: Catalogue = load_catalogue(FORMS, ["da", "en"])

OUTCOME = ("personal", "relations", "school_work", "overall")
SESSION = ("heard", "topics", "approach", "overall")
ADULT = ("heard_respected", "contributed", "childs_view", "plan_realistic", "backs_plan", "own_part")


def _answers(keys: tuple[str, ...], *values: Any) -> dict[str, Any]:
    return dict(zip(keys, values))


# (rule, instrument, answers, expected score)
CASES: list[tuple[str, str, dict[str, Any], Score]] = [
    (
        "§1: total = sum of the four items, one decimal",
        "fit-outcome",
        _answers(OUTCOME, 7.3, 5.0, 6.1, 8.0),
        Score(total=26.4, mean=None, answered=4, dont_know=0, complete=True),
    ),
    (
        "§1: 9.9 four times is 39.6, with no float noise",
        "fit-session",
        _answers(SESSION, 9.9, 9.9, 9.9, 9.9),
        Score(total=39.6, mean=None, answered=4, dont_know=0, complete=True),
    ),
    (
        "§1: one decimal; naive float addition would give 30.800000000000004",
        "fit-outcome",
        _answers(OUTCOME, 9.9, 9.9, 9.9, 1.1),
        Score(total=30.8, mean=None, answered=4, dont_know=0, complete=True),
    ),
    (
        "§1: totals run 0–40",
        "fit-session",
        _answers(SESSION, 10.0, 10.0, 10.0, 10.0),
        Score(total=40.0, mean=None, answered=4, dont_know=0, complete=True),
    ),
    (
        "§1: the bottom of the scale is a score, not a missing answer",
        "fit-outcome-child",
        _answers(("me", "family", "school", "everything"), 0.0, 0.0, 0.0, 0.0),
        Score(total=0.0, mean=None, answered=4, dont_know=0, complete=True),
    ),
    (
        "Brief: a missing item leaves no total, and the response incomplete",
        "fit-outcome",
        _answers(OUTCOME, 7.3, 5.0, 6.1),
        Score(total=None, mean=None, answered=3, dont_know=0, complete=False),
    ),
    (
        "Brief: an empty answer counts as missing",
        "fit-session-child",
        {"listened": 8.0, "mattered": 7.0, "liked": None, "overall": 9.0},
        Score(total=None, mean=None, answered=3, dont_know=0, complete=False),
    ),
    (
        "§1: the young forms are dialogue only, never scored",
        "fit-outcome-young",
        {"feeling": 5},
        Score(total=None, mean=None, answered=1, dont_know=0, complete=True),
    ),
    (
        "§1: the young session form is dialogue only, never scored",
        "fit-session-young",
        {"today": 1},
        Score(total=None, mean=None, answered=1, dont_know=0, complete=True),
    ),
    (
        "§2: mean of answered items; 'ved ikke' counted apart, the optional open question not needed",
        "participation-adult",
        _answers(ADULT, 5, 4, "dont_know", 3, 4, "dont_know"),
        Score(total=None, mean=4.0, answered=6, dont_know=2, complete=True),
    ),
    (
        "§2: a mean over three answers keeps two decimals",
        "participation-follow-up",
        {"still_backs": 5, "network_helped": 4, "plan_helped": 4, "comment": "Det går bedre."},
        Score(total=None, mean=4.33, answered=4, dont_know=0, complete=True),
    ),
    (
        "§2: only 'ved ikke' gives no mean, yet the response is complete",
        "participation-follow-up",
        {"still_backs": "dont_know", "network_helped": "dont_know", "plan_helped": "dont_know"},
        Score(total=None, mean=None, answered=3, dont_know=3, complete=True),
    ),
    (
        "§2: an unanswered required item makes the response incomplete; the mean uses what is there",
        "participation-child",
        {"listened": 2, "said_what_mattered": 3},
        Score(total=None, mean=2.5, answered=2, dont_know=0, complete=False),
    ),
    (
        "Brief: no answers at all",
        "participation-network",
        {},
        Score(total=None, mean=None, answered=0, dont_know=0, complete=False),
    ),
]


@pytest.mark.parametrize(("rule", "instrument_id", "answers", "expected"), CASES, ids=[c[0] for c in CASES])
def test_score(rule: str, instrument_id: str, answers: dict[str, Any], expected: Score) -> None:
    """INSTRUMENTS.md §1–2 scoring rules, one case per rule."""
    assert score(CATALOGUE.get(instrument_id), answers) == expected, rule


def test_score_ignores_answers_to_unknown_items() -> None:
    """Brief: score is pure over the instrument's own items; stray keys change nothing."""
    answers = _answers(SESSION, 9.0, 9.0, 9.0, 9.0)
    assert score(CATALOGUE.get("fit-session"), {**answers, "stray": 10.0}) == score(
        CATALOGUE.get("fit-session"), answers
    )


CUTOFFS: list[tuple[str, str, int | None, float | None]] = [
    ("§1: 25 for adults (a case's child aged 18+)", "fit-outcome", 18, 25.0),
    ("§1: 25 for adults, at any higher age", "fit-outcome", 22, 25.0),
    ("§1: 28 for youth 13–17 (unconfirmed, configurable)", "fit-outcome", 13, 28.0),
    ("§1: 28 for youth 13–17, upper bound included", "fit-outcome", 17, 28.0),
    ("Decision: parents of a child 0–5 answer fit-outcome, but no cut-off is documented", "fit-outcome", 4, None),
    ("Brief: an unknown age matches no age band", "fit-outcome", None, None),
    ("§1: 32 for children 6–12", "fit-outcome-child", 6, 32.0),
    ("§1: 32 for children 6–12, upper bound included", "fit-outcome-child", 12, 32.0),
    ("§1: outside 6–12 the child form has no cut-off", "fit-outcome-child", 13, None),
    ("§1: the session cut-off is 36 at every age", "fit-session", 15, 36.0),
    ("§1: the session cut-off needs no age", "fit-session", None, 36.0),
    ("§1: the child session cut-off is 36", "fit-session-child", 9, 36.0),
    ("§1: young forms are never scored, so have no cut-off", "fit-outcome-young", 4, None),
    ("§2: participation has no clinical cut-off", "participation-adult", 9, None),
]


@pytest.mark.parametrize(("rule", "instrument_id", "age", "expected"), CUTOFFS, ids=[c[0] for c in CUTOFFS])
def test_cutoff_for(rule: str, instrument_id: str, age: int | None, expected: float | None) -> None:
    """INSTRUMENTS.md §1: clinical cut-offs by the child's age band, read from the file."""
    assert cutoff_for(CATALOGUE.get(instrument_id), age) == expected, rule
