"""The indicator scale and the outcome of a factor between two rounds: pure functions.

INSTRUMENTS.md §4: "The scale is 1–5 with 1 best (the evaluation's recommendation over the
older 0–4 scale; old 0–4 data converts by adding 1)". §5: the ICF model's "separate overall
function level A–E, never computed from the five, mapped to 0–4 only for figures."

Nothing here knows about the database, Flask or translations: codes go out, and the UI maps
them (and the English developer messages of the exceptions) to Danish words.
"""

from __future__ import annotations

from typing import Any

# The 1–5 scale: 1 best (no problems) … 5 worst (massive problems). Lower is better.
BEST = 1
WORST = 5
SCALE = (1, 2, 3, 4, 5)
# The older 0–4 scale (ICF qualifiers: 0 none … 4 complete problems), converted by adding 1.
OLD_SCALE = (0, 1, 2, 3, 4)
# "ved ikke": may stand for a status or a goal; the same word as app.instruments.catalogue.DONT_KNOW.
DONT_KNOW = "dont_know"

# Goal kinds (GLOSSARY: fastholdelsesmål / progressionsmål).
IMPROVE = "improve"
MAINTAIN = "maintain"

# Outcome categories, in the order of the §4 table.
NO_PROBLEM = "no_problem"  # uproblematisk
IMPROVEMENT_GOAL_MET = "improvement_goal_met"  # progressionsmål opfyldt
PROGRESSION = "progression"  # progression
NO_PROGRESSION = "no_progression"  # ingen progression
HOLD_GOAL_MET = "hold_goal_met"  # fastholdelsesmål opfyldt
NEGATIVE_PROGRESSION = "negative_progression"  # negativ progression
NOT_FOLLOWED_UP = "not_followed_up"  # ikke fulgt op
# Not a row of the table: the status before or the goal is unknown and the table's answer
# depends on it. Said rather than guessed.
NOT_CLASSIFIABLE = "not_classifiable"

CATEGORIES = (
    NO_PROBLEM,
    IMPROVEMENT_GOAL_MET,
    PROGRESSION,
    NO_PROGRESSION,
    HOLD_GOAL_MET,
    NEGATIVE_PROGRESSION,
    NOT_FOLLOWED_UP,
    NOT_CLASSIFIABLE,
)

# INSTRUMENTS.md §5: the ICF model's overall function level.
FUNCTION_LEVELS = ("A", "B", "C", "D", "E")


class GoalWorseThanStatus(ValueError):
    """A goal worse (higher) than the status it is set against: neither holding nor improving.

    `code` is stable for the UI to translate; the message is for developers.
    """

    code = "goal_worse_than_status"

    def __init__(self, status: int, goal: int) -> None:
        self.status = status
        self.goal = goal
        super().__init__(
            f"goal {goal} is worse than status {status} (1 best, 5 worst): "
            "a goal must hold the status or improve on it"
        )


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _on_scale(value: Any, name: str) -> int:
    if not _is_whole(value) or value not in SCALE:
        raise ValueError(f"{name} must be a whole number 1–5 (1 best), not {value!r}")
    return value


def _known(value: Any, name: str) -> int | None:
    """None for no answer or "ved ikke"; the number if it is on the scale; ValueError otherwise."""
    if value is None or value == DONT_KNOW:
        return None
    return _on_scale(value, name)


def from_icf(value: int) -> int:
    """Convert a score on the old 0–4 scale to the 1–5 scale.

    §4: "old 0–4 data converts by adding 1". Both scales put the best first, so 0 → 1 … 4 → 5.
    Anything but a whole number 0–4 is refused.
    """
    if not _is_whole(value) or value not in OLD_SCALE:
        raise ValueError(f"an old-scale score must be a whole number 0–4, not {value!r}")
    return value + 1


def goal_kind(status: int, goal: int) -> str:
    """"improve" for a goal better (lower) than the status, "maintain" for a goal equal to it.

    GLOSSARY: fastholdelsesmål is `goal_kind = "maintain"`, progressionsmål `"improve"`.
    A goal worse than the status raises GoalWorseThanStatus; off-scale values raise ValueError.
    """
    status = _on_scale(status, "status")
    goal = _on_scale(goal, "goal")
    if goal > status:
        raise GoalWorseThanStatus(status, goal)
    return IMPROVE if goal < status else MAINTAIN


# How the cases the table leaves open are decided:
# - Invalid input raises before any row is looked at, even when s2 is missing: a number off
#   the 1–5 scale (or not a whole number) raises ValueError; a goal worse than the status
#   before (g > s1) raises GoalWorseThanStatus, even where a row would not need the goal.
# - None and "ved ikke" (DONT_KNOW) are both unknown. An unknown s2 is "no s2":
#   not_followed_up, whatever s1 and g are.
# - Overlapping rows: only "s1 = 1 and s2 = 1" overlaps another row ("g = s1 and s2 ≤ s1"
#   with g = 1); the table's order decides, so it is no_problem. The other rows cannot
#   overlap (with g ≤ s1 exactly one of them holds).
# - An unknown s1 or g: a category is given only when the table gives that category for
#   every goal a valid goal could be (g ≤ s1), so nothing is guessed. With s1 known and
#   g unknown that is s2 > s1 (negative_progression) and s1 = s2 = 1 (no_problem: the only
#   valid goal is 1); everything else, and every unknown s1, is not_classifiable.
def classify(s1: int | str | None, g: int | str | None, s2: int | str | None) -> str:
    """The outcome of one factor between two rounds, by the table in INSTRUMENTS.md §4.

    "Outcome per factor between two rounds (s1 status before, g goal, s2 status now; lower is
    better):

        | case                           | category                                      |
        | s1 = 1 and s2 = 1              | uproblematisk (no problem)                    |
        | g < s1 and s2 ≤ g              | progressionsmål opfyldt (improvement goal met)|
        | g < s1 and g < s2 < s1         | progression                                   |
        | g < s1 and s2 = s1             | ingen progression                             |
        | g = s1 (hold goal) and s2 ≤ s1 | fastholdelsesmål opfyldt (hold goal met)      |
        | s2 > s1                        | negativ progression                           |
        | no s2                          | ikke fulgt op (not followed up)"              |

    Returns no_problem, improvement_goal_met, progression, no_progression, hold_goal_met,
    negative_progression, not_followed_up or not_classifiable.
    """
    before = _known(s1, "status before (s1)")
    goal = _known(g, "goal (g)")
    now = _known(s2, "status now (s2)")
    if before is not None and goal is not None and goal > before:
        raise GoalWorseThanStatus(before, goal)
    if now is None:
        return NOT_FOLLOWED_UP
    if before is None:
        return NOT_CLASSIFIABLE
    if before == BEST and now == BEST:
        return NO_PROBLEM
    if now > before:
        # Before the goal rows only for an unknown goal; with a known goal no row above holds.
        return NEGATIVE_PROGRESSION
    if goal is None:
        return NOT_CLASSIFIABLE
    if goal < before:
        if now <= goal:
            return IMPROVEMENT_GOAL_MET
        if now < before:
            return PROGRESSION
        return NO_PROGRESSION
    return HOLD_GOAL_MET  # goal == before and now <= before


def function_level_figure(level: str) -> int:
    """A–E as 0–4, for figures only.

    §5: "A separate overall function level A–E, never computed from the five, mapped to 0–4
    only for figures." A → 0 … E → 4; only the capital letters A–E are accepted. There is
    deliberately no function from the five dimensions to a level.
    """
    if not isinstance(level, str) or level not in FUNCTION_LEVELS:
        raise ValueError(f"a function level must be one of A, B, C, D, E, not {level!r}")
    return FUNCTION_LEVELS.index(level)
