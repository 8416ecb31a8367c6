"""FIT signals from a series of totals: every threshold is read from the instrument file.

INSTRUMENTS.md §1: "the signals in words and colours (grey no data yet, green, orange,
red) follow the conventions FIT software users already know."
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.instruments.catalogue import NUMERIC_TYPES, Instrument
from app.instruments.scoring import cutoff_for
from app.reconcile.divergence import number

GREY, GREEN, ORANGE, RED = "grey", "green", "orange", "red"
# From no data to the most urgent: the level a set of signals shows is its most urgent one.
LEVELS = (GREY, GREEN, ORANGE, RED)


@dataclass(frozen=True)
class Signal:
    """One rule's verdict, with the number it looked at and the threshold it used."""

    code: str
    level: str  # grey | green | orange | red
    value: float | None = None  # the number the rule looked at (a total, a change, an item's answer, a drop)
    reference: float | None = None  # the threshold it was compared with
    item_key: str | None = None  # for a single-item signal


@dataclass(frozen=True)
class Measurement:
    """One complete FIT response of one respondent, oldest first in a series."""

    total: float
    answers: Mapping[str, Any]
    child_age: int | None  # the child's age at that meeting (picks the cut-off band)


def _exact(value: float) -> Decimal:
    return Decimal(str(value))


def _difference(later: float, earlier: float) -> float:
    # On the totals' own digits, one decimal: 32.3 - 31.3 is 1.0, not 0.9999999999999964.
    return float((_exact(later) - _exact(earlier)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _below(value: float, cutoff: float) -> bool:
    return _exact(value) < _exact(cutoff)


def outcome_signals(instrument: Instrument, series: Sequence[Measurement]) -> list[Signal]:
    """Return [cut-off signal, trend signal] for an outcome series, oldest first.

    §1: "Below the cut-off the person reports distress in the clinical range."
    "A change from the first score of at least this size is reliable improvement or
    reliable deterioration; reliable improvement ending above the cut-off is 'recovered'."
    "With one outcome score there is no trend yet: say so rather than draw one."
    """
    if not series:
        return [Signal("no_data", GREY)]
    first, latest = series[0], series[-1]
    cutoff = cutoff_for(instrument, latest.child_age)
    if cutoff is None:
        signals = [Signal("no_cutoff", GREY)]
    elif _below(latest.total, cutoff):
        signals = [Signal("below_cutoff", ORANGE, value=latest.total, reference=cutoff)]
    else:
        signals = [Signal("above_cutoff", GREEN, value=latest.total, reference=cutoff)]
    reliable = instrument.scoring.reliable_change if instrument.scoring else None
    if reliable is None:
        # Without a reliable change in the file there is no trend to draw, now or later.
        return signals
    if len(series) == 1:
        return [*signals, Signal("no_trend_yet", GREY)]
    change = _difference(latest.total, first.total)
    if _exact(change) >= _exact(reliable):
        first_cutoff = cutoff_for(instrument, first.child_age)
        # Recovered: started in the clinical range and ended at or above the (age's) cut-off.
        crossed = (
            first_cutoff is not None
            and cutoff is not None
            and _below(first.total, first_cutoff)
            and not _below(latest.total, cutoff)
        )
        code = "recovered" if crossed else "reliable_improvement"
        signals.append(Signal(code, GREEN, value=change, reference=reliable))
    elif _exact(change) <= -_exact(reliable):
        signals.append(Signal("reliable_deterioration", RED, value=change, reference=reliable))
    else:
        signals.append(Signal("no_reliable_change", GREY, value=change, reference=reliable))
    return signals


def session_signals(instrument: Instrument, series: Sequence[Measurement]) -> list[Signal]:
    """Return every session signal for the latest response, or session_ok when none fires.

    §1: "a total below 36, any single item below 9, or a fall of 1 point or more since
    the last session is a signal to talk about the collaboration" (36, 9 and 1 are the
    file's cut-off, item_cutoff and fall).
    """
    if not series:
        return [Signal("no_data", GREY)]
    latest = series[-1]
    scoring = instrument.scoring
    signals: list[Signal] = []
    cutoff = cutoff_for(instrument, latest.child_age)
    if cutoff is not None and _below(latest.total, cutoff):
        signals.append(Signal("session_below_cutoff", ORANGE, value=latest.total, reference=cutoff))
    if scoring is not None and scoring.item_cutoff is not None:
        for item in instrument.items:
            answer = number(latest.answers.get(item.key)) if item.type in NUMERIC_TYPES else None
            if answer is not None and answer < _exact(scoring.item_cutoff):
                low = Signal("session_item_low", ORANGE, float(answer), scoring.item_cutoff, item.key)
                signals.append(low)
    if scoring is not None and scoring.fall is not None and len(series) >= 2:
        drop = _difference(series[-2].total, latest.total)
        if _exact(drop) >= _exact(scoring.fall):
            signals.append(Signal("session_fall", ORANGE, value=drop, reference=scoring.fall))
    return signals or [Signal("session_ok", GREEN)]


def fit_signals(instrument: Instrument, series: Sequence[Measurement]) -> list[Signal]:
    """Return the signals the file's [scoring] signals key asks for.

    §1: forms for children under 6 are "dialogue only: never scored" — they get not_scored.
    """
    if not instrument.scored or instrument.scoring is None:
        return [Signal("not_scored", GREY)]
    if instrument.scoring.signals == "outcome":
        return outcome_signals(instrument, series)
    if instrument.scoring.signals == "session":
        return session_signals(instrument, series)
    return []


def signal_level(instrument: Instrument, series: Sequence[Measurement]) -> str | None:
    """Return the most urgent level of the FIT signals for the latest measurement of the series,
    or None for a form without FIT signals (issue 14 item 5: stored with the answer, so figure F2
    counts session ratings with a signal from a column)."""
    signals = fit_signals(instrument, series) if instrument.is_fit else []
    return max((s.level for s in signals), key=LEVELS.index) if signals else None
