"""FIT signals: pure functions over the shipped instruments; every threshold comes from the file."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.instruments.catalogue import (
    DEFAULT_DIRECTORY,
    DONT_KNOW,
    Cutoff,
    Instrument,
    load_catalogue,
)
from app.instruments.scoring import score
from app.reconcile.signals import (
    GREEN,
    GREY,
    ORANGE,
    RED,
    Measurement,
    Signal,
    fit_signals,
    outcome_signals,
    session_signals,
)

CATALOGUE = load_catalogue(DEFAULT_DIRECTORY, ("da", "en"))


def _instrument(instrument_id: str) -> Instrument:
    return CATALOGUE.get(instrument_id)


def _rescored(instrument_id: str, **thresholds: object) -> Instrument:
    """A shipped instrument with other thresholds, as another organisation's file might set them."""
    instrument = _instrument(instrument_id)
    assert instrument.scoring is not None
    return replace(instrument, scoring=replace(instrument.scoring, **thresholds))


# fit-outcome-child's band (6–12) followed by fit-outcome's bands (13–17, 18+), as one file:
# the cut-offs a child meets who turns 13 during the case.
CHILD_TO_YOUTH = _rescored(
    "fit-outcome-child",
    cutoffs=_instrument("fit-outcome-child").scoring.cutoffs + _instrument("fit-outcome").scoring.cutoffs,
)
OUTCOME_RC_7 = _rescored("fit-outcome-child", reliable_change=7.0)
OUTCOME_NO_RC = _rescored("fit-outcome-child", reliable_change=None)
OUTCOME_CUTOFF_20 = _rescored("fit-outcome-child", cutoffs=(Cutoff(20.0, 6, 12),))
SESSION_NO_ITEM_CUTOFF = _rescored("fit-session", item_cutoff=None)
SESSION_OTHER = _rescored("fit-session", cutoffs=(Cutoff(30.0),), item_cutoff=7.0, fall=3.0)
SESSION_NO_FALL = _rescored("fit-session", fall=None)


def _series(instrument: Instrument | str, *points: tuple[float, int | None]) -> tuple[Instrument, list[Measurement]]:
    """Outcome series from (total, child's age) pairs, oldest first; the totals are what the rules read."""
    found = _instrument(instrument) if isinstance(instrument, str) else instrument
    return found, [Measurement(total=total, answers={}, child_age=age) for total, age in points]


def _response(instrument: Instrument, *values: object, age: int | None = 15) -> Measurement:
    """One session response: the item answers in item order, totalled as score() totals them."""
    answers = dict(zip((item.key for item in instrument.items), values))
    total = score(instrument, answers).total
    return Measurement(total=total if total is not None else 0.0, answers=answers, child_age=age)


def _sessions(instrument: Instrument | str, *responses: tuple[object, ...], age: int | None = 15):
    found = _instrument(instrument) if isinstance(instrument, str) else instrument
    return found, [_response(found, *values, age=age) for values in responses]


def above(total: float, cutoff: float) -> Signal:
    return Signal("above_cutoff", GREEN, value=total, reference=cutoff)


def below(total: float, cutoff: float) -> Signal:
    return Signal("below_cutoff", ORANGE, value=total, reference=cutoff)


def trend(code: str, change: float, reliable: float = 5.0) -> Signal:
    level = {"recovered": GREEN, "reliable_improvement": GREEN, "reliable_deterioration": RED}.get(code, GREY)
    return Signal(code, level, value=change, reference=reliable)


NO_DATA = Signal("no_data", GREY)
NO_CUTOFF = Signal("no_cutoff", GREY)
NO_TREND_YET = Signal("no_trend_yet", GREY)
SESSION_OK = Signal("session_ok", GREEN)
NOT_SCORED = Signal("not_scored", GREY)


def session_below(total: float, cutoff: float = 36.0) -> Signal:
    return Signal("session_below_cutoff", ORANGE, value=total, reference=cutoff)


def item_low(key: str, answer: float, cutoff: float = 9.0) -> Signal:
    return Signal("session_item_low", ORANGE, value=answer, reference=cutoff, item_key=key)


def fall(drop: float, threshold: float = 1.0) -> Signal:
    return Signal("session_fall", ORANGE, value=drop, reference=threshold)


def test_the_shipped_thresholds_are_the_ones_these_tables_assume() -> None:
    # INSTRUMENTS.md §1: "outcome clinical cut-off: 25 for adults, 32 for children 6–12 … 28 for
    # youth 13–17"; "reliable change on the outcome total: 5 points"; "a total below 36, any single
    # item below 9, or a fall of 1 point or more". If a file changes, this says why the tables fail.
    outcome, child = _instrument("fit-outcome").scoring, _instrument("fit-outcome-child").scoring
    session = _instrument("fit-session").scoring
    assert {(c.min_age, c.max_age, c.value) for c in outcome.cutoffs} == {(18, None, 25.0), (13, 17, 28.0)}
    assert [(c.min_age, c.max_age, c.value) for c in child.cutoffs] == [(6, 12, 32.0)]
    assert outcome.reliable_change == child.reliable_change == 5.0
    assert [(c.min_age, c.max_age, c.value) for c in session.cutoffs] == [(None, None, 36.0)]
    assert (session.item_cutoff, session.fall) == (9.0, 1.0)
    assert (outcome.signals, child.signals, session.signals) == ("outcome", "outcome", "session")
    assert _instrument("fit-session-child").scoring.signals == "session"


# INSTRUMENTS.md §1: "Below the cut-off the person reports distress in the clinical range";
# "outcome clinical cut-off: 25 for adults, 32 for children 6–12 …; 28 for youth 13–17";
# "with one outcome score there is no trend yet: say so rather than draw one";
# the signals use "grey no data yet".
CUTOFF_CASES = [
    pytest.param(_series("fit-outcome"), [NO_DATA], id="empty-series-is-no-data-and-nothing-else"),
    pytest.param(
        _series("fit-outcome-child", (32.0, 9)),
        [above(32.0, 32.0), NO_TREND_YET],
        id="child-exactly-at-32-is-not-below",
    ),
    pytest.param(_series("fit-outcome-child", (31.9, 9)), [below(31.9, 32.0), NO_TREND_YET], id="child-0.1-under-32"),
    pytest.param(
        _series("fit-outcome-child", (31.9, 6)), [below(31.9, 32.0), NO_TREND_YET], id="child-band-lower-bound-6"
    ),
    pytest.param(
        _series("fit-outcome-child", (32.0, 12)), [above(32.0, 32.0), NO_TREND_YET], id="child-band-upper-bound-12"
    ),
    pytest.param(_series("fit-outcome", (28.0, 15)), [above(28.0, 28.0), NO_TREND_YET], id="youth-exactly-at-28"),
    pytest.param(_series("fit-outcome", (27.9, 13)), [below(27.9, 28.0), NO_TREND_YET], id="youth-0.1-under-28"),
    pytest.param(_series("fit-outcome", (27.9, 17)), [below(27.9, 28.0), NO_TREND_YET], id="youth-band-upper-bound-17"),
    pytest.param(_series("fit-outcome", (25.0, 18)), [above(25.0, 25.0), NO_TREND_YET], id="adult-exactly-at-25"),
    pytest.param(_series("fit-outcome", (24.9, 18)), [below(24.9, 25.0), NO_TREND_YET], id="adult-0.1-under-25"),
    pytest.param(
        _series("fit-outcome", (26.0, 18)),
        [above(26.0, 25.0), NO_TREND_YET],
        id="adult-26-above-25-though-below-youth-28",
    ),
    pytest.param(_series("fit-outcome", (10.0, 4)), [NO_CUTOFF, NO_TREND_YET], id="age-4-on-fit-outcome-has-no-band"),
    pytest.param(
        _series("fit-outcome-child", (10.0, 13)), [NO_CUTOFF, NO_TREND_YET], id="age-13-on-child-form-has-no-band"
    ),
    pytest.param(_series("fit-outcome", (10.0, None)), [NO_CUTOFF, NO_TREND_YET], id="unknown-age-guesses-no-band"),
    pytest.param(_series(OUTCOME_CUTOFF_20, (20.0, 9)), [above(20.0, 20.0), NO_TREND_YET], id="file-cutoff-20-at"),
    pytest.param(_series(OUTCOME_CUTOFF_20, (19.9, 9)), [below(19.9, 20.0), NO_TREND_YET], id="file-cutoff-20-under"),
    pytest.param(_series(OUTCOME_CUTOFF_20, (25.0, 9)), [above(25.0, 20.0), NO_TREND_YET], id="file-cutoff-20-not-32"),
]


@pytest.mark.parametrize(("case", "expected"), CUTOFF_CASES)
def test_outcome_cutoff(case: tuple[Instrument, list[Measurement]], expected: list[Signal]) -> None:
    assert outcome_signals(*case) == expected


# INSTRUMENTS.md §1: "reliable change on the outcome total: 5 points … A change from the first
# score of at least this size is reliable improvement or reliable deterioration; reliable
# improvement ending above the cut-off is 'recovered'." Recovered = starting below the cut-off
# for the child's age then, ending at or above the cut-off for the child's age now.
TREND_CASES = [
    pytest.param(
        _series("fit-outcome-child", (33.0, 8), (38.0, 9)),
        [above(38.0, 32.0), trend("reliable_improvement", 5.0)],
        id="plus-exactly-5.0-starting-above-is-improvement-not-recovered",
    ),
    pytest.param(
        _series("fit-outcome-child", (33.0, 8), (37.9, 9)),
        [above(37.9, 32.0), trend("no_reliable_change", 4.9)],
        id="plus-4.9-is-no-reliable-change",
    ),
    pytest.param(
        _series("fit-outcome-child", (38.0, 8), (33.0, 9)),
        [above(33.0, 32.0), trend("reliable_deterioration", -5.0)],
        id="minus-exactly-5.0-is-deterioration",
    ),
    pytest.param(
        _series("fit-outcome-child", (38.0, 8), (33.1, 9)),
        [above(33.1, 32.0), trend("no_reliable_change", -4.9)],
        id="minus-4.9-is-no-reliable-change",
    ),
    pytest.param(
        _series("fit-outcome-child", (30.0, 8), (30.0, 9)),
        [below(30.0, 32.0), trend("no_reliable_change", 0.0)],
        id="no-change",
    ),
    pytest.param(
        _series("fit-outcome-child", (27.3, 8), (32.3, 9)),
        [above(32.3, 32.0), trend("recovered", 5.0)],
        id="float-trap-27.3-to-32.3-is-exactly-plus-5-and-recovered",
    ),
    pytest.param(
        _series("fit-outcome-child", (36.3, 8), (31.3, 9)),
        [below(31.3, 32.0), trend("reliable_deterioration", -5.0)],
        id="float-trap-36.3-to-31.3-is-exactly-minus-5",
    ),
    pytest.param(
        _series("fit-outcome-child", (27.0, 8), (32.0, 9)),
        [above(32.0, 32.0), trend("recovered", 5.0)],
        id="recovered-ending-exactly-at-the-cutoff",
    ),
    pytest.param(
        _series("fit-outcome-child", (26.9, 8), (31.9, 9)),
        [below(31.9, 32.0), trend("reliable_improvement", 5.0)],
        id="improvement-ending-0.1-under-the-cutoff-is-not-recovered",
    ),
    pytest.param(
        _series("fit-outcome-child", (32.0, 8), (37.0, 9)),
        [above(37.0, 32.0), trend("reliable_improvement", 5.0)],
        id="starting-exactly-at-the-cutoff-is-not-starting-below",
    ),
    pytest.param(
        _series("fit-outcome-child", (20.0, 8), (35.0, 9), (25.0, 10)),
        [below(25.0, 32.0), trend("reliable_improvement", 5.0)],
        id="change-is-from-the-first-score-not-the-previous",
    ),
    pytest.param(
        _series("fit-outcome-child", (20.0, 8), (10.0, 9), (24.9, 10)),
        [below(24.9, 32.0), trend("no_reliable_change", 4.9)],
        id="middle-scores-do-not-count",
    ),
    pytest.param(
        _series("fit-outcome", (25.0, 17), (30.0, 18)),
        [above(30.0, 25.0), trend("recovered", 5.0)],
        id="age-band-17-to-18-first-judged-by-28-latest-by-25",
    ),
    pytest.param(
        _series("fit-outcome", (25.0, 18), (30.0, 19)),
        [above(30.0, 25.0), trend("reliable_improvement", 5.0)],
        id="same-scores-both-adult-is-improvement",
    ),
    pytest.param(
        _series("fit-outcome", (20.0, 17), (26.0, 18)),
        [above(26.0, 25.0), trend("recovered", 6.0)],
        id="youth-to-adult-ending-above-25-but-below-28-is-recovered",
    ),
    pytest.param(
        _series(CHILD_TO_YOUTH, (29.0, 12), (34.0, 13)),
        [above(34.0, 28.0), trend("recovered", 5.0)],
        id="child-12-cutoff-32-to-youth-13-cutoff-28-is-recovered",
    ),
    pytest.param(
        _series(CHILD_TO_YOUTH, (32.0, 12), (37.0, 13)),
        [above(37.0, 28.0), trend("reliable_improvement", 5.0)],
        id="child-12-at-32-to-youth-13-is-improvement",
    ),
    pytest.param(
        _series("fit-outcome-child", (20.0, 12), (30.0, 13)),
        [NO_CUTOFF, trend("reliable_improvement", 10.0)],
        id="latest-age-without-band-cannot-be-recovered",
    ),
    pytest.param(
        _series("fit-outcome", (15.0, 5), (30.0, 13)),
        [above(30.0, 28.0), trend("reliable_improvement", 15.0)],
        id="first-age-without-band-cannot-be-recovered",
    ),
    pytest.param(
        _series(OUTCOME_RC_7, (33.0, 8), (38.0, 9)),
        [above(38.0, 32.0), trend("no_reliable_change", 5.0, 7.0)],
        id="file-reliable-change-7-plus-5-is-not-reliable",
    ),
    pytest.param(
        _series(OUTCOME_RC_7, (33.0, 8), (40.0, 9)),
        [above(40.0, 32.0), trend("reliable_improvement", 7.0, 7.0)],
        id="file-reliable-change-7-plus-7",
    ),
    pytest.param(
        _series(OUTCOME_RC_7, (25.0, 8), (32.0, 9)),
        [above(32.0, 32.0), trend("recovered", 7.0, 7.0)],
        id="file-reliable-change-7-recovered",
    ),
    pytest.param(
        _series(OUTCOME_RC_7, (38.0, 8), (31.1, 9)),
        [below(31.1, 32.0), trend("no_reliable_change", -6.9, 7.0)],
        id="file-reliable-change-7-minus-6.9",
    ),
    pytest.param(
        _series(OUTCOME_RC_7, (38.0, 8), (31.0, 9)),
        [below(31.0, 32.0), trend("reliable_deterioration", -7.0, 7.0)],
        id="file-reliable-change-7-minus-7",
    ),
    pytest.param(
        _series(OUTCOME_CUTOFF_20, (15.0, 8), (20.0, 9)),
        [above(20.0, 20.0), trend("recovered", 5.0)],
        id="file-cutoff-20-recovered-at-20",
    ),
    pytest.param(
        _series(OUTCOME_NO_RC, (20.0, 8)), [below(20.0, 32.0)], id="no-reliable-change-in-file-no-trend-yet-either"
    ),
    pytest.param(
        _series(OUTCOME_NO_RC, (20.0, 8), (30.0, 9)),
        [below(30.0, 32.0)],
        id="no-reliable-change-in-file-no-trend-signal",
    ),
]


@pytest.mark.parametrize(("case", "expected"), TREND_CASES)
def test_outcome_trend(case: tuple[Instrument, list[Measurement]], expected: list[Signal]) -> None:
    assert outcome_signals(*case) == expected


# INSTRUMENTS.md §1: "session: a total below 36, any single item below 9, or a fall of 1 point
# or more since the last session is a signal to talk about the collaboration."
# (Four lines of at least 9 add up to at least 36, so on the shipped file a total below 36
# always comes with a low line; SESSION_NO_ITEM_CUTOFF checks the total rule on its own.)
SESSION_CASES = [
    pytest.param(_sessions("fit-session"), [Signal("no_data", GREY)], id="empty-series-is-no-data"),
    pytest.param(
        _sessions("fit-session", (10, 10, 10, 10)), [SESSION_OK], id="first-session-all-fine-no-fall-possible"
    ),
    pytest.param(
        _sessions("fit-session", (9.0, 9.0, 9.0, 9.0)), [SESSION_OK], id="total-exactly-36-and-items-exactly-9"
    ),
    pytest.param(
        _sessions("fit-session", (9.0, 9.0, 9.0, 8.9)),
        [session_below(35.9), item_low("overall", 8.9)],
        id="total-35.9-and-item-8.9",
    ),
    pytest.param(_sessions(SESSION_NO_ITEM_CUTOFF, (9.0, 9.0, 9.0, 8.9)), [session_below(35.9)], id="total-35.9-alone"),
    pytest.param(_sessions(SESSION_NO_ITEM_CUTOFF, (9.0, 9.0, 9.0, 9.0)), [SESSION_OK], id="total-36.0-alone"),
    pytest.param(_sessions("fit-session", (10, 10, 10, 8.9)), [item_low("overall", 8.9)], id="one-item-8.9"),
    pytest.param(_sessions("fit-session", (10, 10, 10, 9.0)), [SESSION_OK], id="one-item-exactly-9.0"),
    pytest.param(
        _sessions("fit-session", (8.5, 10, 10, 8.0)),
        [item_low("heard", 8.5), item_low("overall", 8.0)],
        id="two-items-low-in-item-order",
    ),
    pytest.param(
        _sessions("fit-session", (10, 9.3, 9.0, 9.0), (9.3, 9.0, 9.0, 9.0)),
        [fall(1.0)],
        id="fall-exactly-1.0-from-37.3-to-36.3",
    ),
    pytest.param(
        _sessions("fit-session", (10, 9.2, 9.0, 9.0), (9.3, 9.0, 9.0, 9.0)),
        [SESSION_OK],
        id="fall-0.9-from-37.2-to-36.3",
    ),
    pytest.param(
        _sessions("fit-session", (9.0, 9.0, 9.0, 9.0), (10, 10, 10, 10)),
        [SESSION_OK],
        id="a-rise-is-no-fall",
    ),
    pytest.param(
        _sessions("fit-session", (10, 10, 10, 10), (10, 9.0, 9.0, 9.0), (9.5, 9.0, 9.0, 9.0)),
        [SESSION_OK],
        id="fall-is-since-the-last-session-not-the-first",
    ),
    pytest.param(
        _sessions("fit-session", (10, 10, 10, 10), (8.5, 9.0, 10, 8.0)),
        [session_below(35.5), item_low("heard", 8.5), item_low("overall", 8.0), fall(4.5)],
        id="several-signals-at-once-in-rule-order",
    ),
    pytest.param(
        _sessions("fit-session", (10, 10, 9.3, 3.0), (10, 10, 9.3, 2.0)),
        [session_below(31.3), item_low("overall", 2.0), fall(1.0)],
        id="float-trap-32.3-to-31.3-is-a-fall-of-exactly-1",
    ),
    pytest.param(
        _sessions("fit-session", (10, 10, 10, 10), (10, 10, 10, 10), age=None),
        [SESSION_OK],
        id="unknown-age-still-meets-the-unbounded-cutoff",
    ),
    pytest.param(
        _sessions("fit-session", (9.0, 9.0, 9.0, 8.9), age=None),
        [session_below(35.9), item_low("overall", 8.9)],
        id="unknown-age-below-the-unbounded-cutoff",
    ),
    pytest.param(
        _sessions("fit-session-child", (10, 10, 10, 10), (9.0, 8.9, 9.0, 9.0), age=8),
        [session_below(35.9), item_low("mattered", 8.9), fall(4.1)],
        id="child-session-form-same-rules",
    ),
    pytest.param(
        _sessions("fit-session-child", (9.5, 9.5, 9.5, 9.5), age=8),
        [SESSION_OK],
        id="child-session-form-all-fine",
    ),
    pytest.param(
        _sessions(SESSION_OTHER, (10, 10, 10, 10), (9.0, 9.0, 7.0, 9.0)),
        [fall(6.0, 3.0)],
        id="file-thresholds-30-7-3-items-at-7-and-total-34-are-fine",
    ),
    pytest.param(
        _sessions(SESSION_OTHER, (9.0, 9.0, 9.0, 8.0), (8.0, 8.0, 6.9, 7.0)),
        [session_below(29.9, 30.0), item_low("approach", 6.9, 7.0), fall(5.1, 3.0)],
        id="file-thresholds-30-7-3-all-fire",
    ),
    pytest.param(
        _sessions(SESSION_OTHER, (9.0, 9.0, 9.0, 8.0), (9.0, 8.0, 7.1, 8.0)),
        [SESSION_OK],
        id="file-thresholds-30-7-3-fall-2.9",
    ),
    pytest.param(
        _sessions(SESSION_NO_FALL, (10, 10, 10, 10), (9.0, 9.0, 9.0, 9.0)),
        [SESSION_OK],
        id="no-fall-in-file-no-fall-signal",
    ),
]


@pytest.mark.parametrize(("case", "expected"), SESSION_CASES)
def test_session(case: tuple[Instrument, list[Measurement]], expected: list[Signal]) -> None:
    assert session_signals(*case) == expected


# Brief: the item rule reads "each numeric item … whose answer is a number"; no answer or
# "ved ikke" is not a low line.
@pytest.mark.parametrize(
    "answer",
    [pytest.param(None, id="no-answer"), pytest.param(DONT_KNOW, id="dont-know"), pytest.param("", id="empty-text")],
)
def test_session_item_without_a_number_is_not_low(answer: object) -> None:
    latest = Measurement(
        total=36.0, answers={"heard": answer, "topics": 10, "approach": 10, "overall": 10}, child_age=15
    )
    assert session_signals(_instrument("fit-session"), [latest]) == [SESSION_OK]


# INSTRUMENTS.md §1: fit-outcome-young / fit-session-young are "dialogue only: never scored,
# never in statistics"; the brief: `[scoring] signals = "outcome" | "session"` picks the rules.
ONE_OUTCOME = [Measurement(total=20.0, answers={}, child_age=15)]
DISPATCH_CASES = [
    pytest.param(_instrument("fit-outcome-young"), ONE_OUTCOME, [NOT_SCORED], id="young-outcome-not-scored"),
    pytest.param(_instrument("fit-session-young"), ONE_OUTCOME, [NOT_SCORED], id="young-session-not-scored"),
    pytest.param(_instrument("fit-outcome-young"), [], [NOT_SCORED], id="young-outcome-not-scored-even-empty"),
    pytest.param(replace(_instrument("fit-outcome"), scored=False), ONE_OUTCOME, [NOT_SCORED], id="scored-false-wins"),
    pytest.param(replace(_instrument("fit-outcome"), scoring=None), ONE_OUTCOME, [NOT_SCORED], id="no-scoring-table"),
    pytest.param(_instrument("fit-outcome"), ONE_OUTCOME, [below(20.0, 28.0), NO_TREND_YET], id="outcome-rules"),
    pytest.param(_instrument("fit-outcome"), [], [NO_DATA], id="outcome-rules-empty"),
    pytest.param(_instrument("fit-session"), ONE_OUTCOME, [session_below(20.0)], id="session-rules"),
    pytest.param(
        _rescored("fit-outcome", signals="session"), ONE_OUTCOME, [session_below(20.0, 28.0)], id="reads-the-key"
    ),
    pytest.param(_rescored("fit-session", signals=None), ONE_OUTCOME, [], id="no-signals-key-no-signals"),
    pytest.param(_instrument("participation-adult"), ONE_OUTCOME, [], id="participation-has-no-fit-signals"),
]


@pytest.mark.parametrize(("instrument", "series", "expected"), DISPATCH_CASES)
def test_fit_signals_dispatch(instrument: Instrument, series: list[Measurement], expected: list[Signal]) -> None:
    assert fit_signals(instrument, series) == expected


@pytest.mark.parametrize(
    ("instrument_id", "rules"),
    [
        pytest.param("fit-outcome", outcome_signals, id="fit-outcome"),
        pytest.param("fit-outcome-child", outcome_signals, id="fit-outcome-child"),
        pytest.param("fit-session", session_signals, id="fit-session"),
        pytest.param("fit-session-child", session_signals, id="fit-session-child"),
    ],
)
def test_fit_signals_is_the_files_rule_set(instrument_id: str, rules) -> None:
    # Brief: "scoring.signals == 'outcome' → outcome_signals; 'session' → session_signals".
    instrument = _instrument(instrument_id)
    series = [Measurement(30.0, {}, 10), Measurement(36.5, {}, 11)]
    assert fit_signals(instrument, series) == rules(instrument, series)
