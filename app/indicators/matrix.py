"""The indicator matrix: factors × scorers, the spread between scorers, and the final scores.

The spread rule (DESIGN.md E: "divergence made visible, never averaged away"; issue 4:
"the spread marked when scorers differ by 2 or more steps"): a factor is marked when the
highest and the lowest known status of its scorers are SPREAD_STEPS (2) or more steps
apart. "Ved ikke" and missing statuses take no part; fewer than two known statuses is no
spread. Nothing is averaged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.indicators import services
from app.indicators.catalogue import Factor, IndicatorForm
from app.indicators.models import PARENT_ROLES, FinalScore, IndicatorRound
from app.indicators.scoring import LEVEL_FIELD
from app.invitations.models import Invitation, Response, Round

SPREAD_STEPS = 2
# Whose differing view is kept beside the final score: the family's.
FAMILY_ROLES = frozenset({*PARENT_ROLES, "child"})


def spread(statuses: Sequence[Any]) -> int | None:
    """Steps between the highest and lowest known status; None with fewer than two known."""
    known = [s for s in statuses if isinstance(s, int) and not isinstance(s, bool)]
    if len(known) < 2:
        return None
    return max(known) - min(known)


def is_spread(statuses: Sequence[Any]) -> bool:
    """True when known statuses differ by SPREAD_STEPS or more (see the module docstring)."""
    found = spread(statuses)
    return found is not None and found >= SPREAD_STEPS


@dataclass
class Column:
    """One scorer: a person with a personal link, or the case worker (alone or jointly)."""

    name: str
    role: str  # a Person role, or "caseworker"
    answers: dict | None  # None = not answered (yet)
    status_word: str = ""
    took_part: list[str] = field(default_factory=list)
    # The scorings on this link that a newer one replaced, oldest first, and when the current one came.
    earlier: list[Response] = field(default_factory=list)
    sent_at: datetime | None = None
    # The keys (factors, and the ICF function level) this scorer was asked; None = every one.
    asked: frozenset[str] | None = None

    @property
    def is_family(self) -> bool:
        return self.role in FAMILY_ROLES

    @property
    def changed(self) -> bool:
        """Whether the current scoring (or refusal) replaced an earlier one on the same link."""
        return self.sent_at is not None and bool(self.earlier)

    @property
    def declined(self) -> bool:
        return self.sent_at is not None and self.answers is None

    def earlier_scores(self, key: str) -> list[tuple[datetime, dict, bool]]:
        """The factor's earlier scores on this link that differ from the current one, oldest
        first: (when sent, the score, whether the scorer declined then)."""
        found = []
        for response in self.earlier:
            was = {} if response.declined else ((response.answers or {}).get("scores") or {}).get(key) or {}
            if (response.declined, was) != (self.declined, self.score(key)):
                found.append((response.submitted_at, was, response.declined))
        return found

    def was_asked(self, key: str) -> bool:
        """False where the scorer was not asked the factor: the matrix says "ikke spurgt"
        (issue 11 item 1), and their scoring is complete without it."""
        return self.asked is None or key in self.asked

    def score(self, key: str) -> dict:
        return ((self.answers or {}).get("scores") or {}).get(key) or {}

    @property
    def level(self) -> str | None:
        return (self.answers or {}).get(LEVEL_FIELD)


@dataclass
class Row:
    factor: Factor
    cells: list[dict]
    spread: bool
    final: FinalScore | None
    category: str | None
    # Family members whose status differs from the final status: (column, their status).
    differing: list[tuple[Column, Any]] = field(default_factory=list)


@dataclass
class Matrix:
    round: Round
    info: IndicatorRound
    form: IndicatorForm | None
    columns: list[Column]
    rows: list[Row]
    level_final: FinalScore | None
    unscored: list[str]


def asked_keys(info: IndicatorRound, role: str, child_age: int) -> frozenset[str]:
    """The keys someone of this role was asked in the round: their factors, and the ICF level if asked."""
    form = services.form_of(info)
    keys = {f.key for f in services.asked_factors(info, role, child_age)}
    if form is not None and form.asks_level(role):
        keys.add(LEVEL_FIELD)
    return frozenset(keys)


def columns(round_: Round, info: IndicatorRound) -> list[Column]:
    found: list[Column] = []
    age = services.child_age(round_.meeting)
    invitations = db.session.scalars(
        select(Invitation).where(Invitation.round_id == round_.id)
        .options(selectinload(Invitation.person), selectinload(Invitation.responses)).order_by(Invitation.id)
    ).all()
    for invitation in invitations:
        current = [r for r in invitation.current_responses if r.instrument_id == info.form_id]
        response = current[0] if current else None
        answers = response.answers if response is not None and not response.declined else None
        status = invitation.status()
        earlier = [r for r in invitation.responses if r.instrument_id == info.form_id and r.superseded_at is not None]
        role = invitation.person.role
        found.append(Column(invitation.person.first_name, role, answers, status, earlier=earlier,
                            sent_at=response.submitted_at if response is not None else None,
                            asked=asked_keys(info, role, age)))
    staff = services.staff_scoring(round_)
    if staff is not None or "caseworker" in info.scorers or info.together:
        people = {p.id: p.first_name for p in round_.meeting.case.people}
        name = staff.scored_by.name if staff is not None else round_.meeting.case.caseworker.name
        took_part = [people[i] for i in (staff.took_part if staff else []) if i in people]
        found.append(Column(name, "caseworker", staff.answers if staff else None,
                            "answered" if staff else "waiting", took_part, asked=asked_keys(info, "caseworker", age)))
    return found


def build(round_: Round) -> Matrix | None:
    info = services.indicator_round(round_)
    if info is None:
        return None
    form = services.form_of(info)
    cols = columns(round_, info)
    finals = services.final_scores(round_.id)
    categories = services.classification(round_, finals)
    rows = []
    for factor in services.factors_of(info):
        cells = [c.score(factor.key) for c in cols]
        final = finals.get(factor.key)
        final_status = final.status_value if final is not None and final.has_status else None
        differing = [
            (c, cell.get("status")) for c, cell in zip(cols, cells, strict=True)
            if c.is_family and final_status is not None and cell.get("status") not in (None, final_status)
        ]
        rows.append(Row(factor, cells, is_spread([cell.get("status") for cell in cells]), final,
                        categories.get(factor.key), differing))
    return Matrix(round_, info, form, cols, rows, finals.get(LEVEL_FIELD), services.unscored_factors(round_))
