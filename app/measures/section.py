"""The case page's measures: those running, those ended, and the rung the child stands on today."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.cases.models import Case
from app.cases.page import section
from app.i18n import current_language
from app.measures import services
from app.measures.ladder import current_ladder
from app.measures.models import MeasureVersion
from app.settings import lists


@dataclass(frozen=True)
class MeasureRow:
    id: int
    number: int  # the version in force
    kind: str  # names, in the reader's language
    rung: str
    rung_position: int | None  # None for a rung the ladder no longer has
    placement: bool
    provider: str | None
    started_on: date
    ended_on: date | None
    end_reason: str | None
    end_note: str | None
    times_changed: int


@dataclass
class MeasureSection:
    running: list[MeasureRow] = field(default_factory=list)
    ended: list[MeasureRow] = field(default_factory=list)  # newest end first
    rung_today: str | None = None  # the highest rung among the measures running today
    proposal: bool = False  # the ladder is still a proposal the organisation has not confirmed


def measure_row(version: MeasureVersion, times_changed: int) -> MeasureRow:
    """The measure as a page shows it, from its version in force."""
    ladder, lang = current_ladder(), current_language()
    kind, rung = ladder.kind(version.kind), ladder.rung(version.rung)
    return MeasureRow(
        version.measure_id, version.number, kind.name(lang) if kind else version.kind,
        rung.name(lang) if rung else version.rung, rung.position if rung else None, bool(rung and rung.placement),
        lists.label("provider", version.provider) or None, version.started_on, version.ended_on,
        lists.label("measure_end_reason", version.end_reason) or None, version.end_note, times_changed)


@section("measures")
def measure_section(case: Case, today: date) -> MeasureSection:
    """One query: every version of the case's measures."""
    lines: dict[int, list[MeasureVersion]] = {}
    for version in services.versions_on(case):
        lines.setdefault(version.measure_id, []).append(version)
    rows = [measure_row(line[-1], len(line) - 1) for line in lines.values()]
    running = [r for r in rows if r.ended_on is None or r.ended_on >= today]
    ended = [r for r in rows if r not in running]
    found = MeasureSection(
        running=sorted(running, key=lambda r: (-(r.rung_position or 0), r.started_on, r.id)),
        ended=sorted(ended, key=lambda r: (r.ended_on, r.id), reverse=True),
        proposal=services.is_proposal(),
    )
    on_today = [r for r in running if r.started_on <= today and r.rung_position is not None]
    if on_today:
        found.rung_today = max(on_today, key=lambda r: r.rung_position).rung
    return found
