"""What the case page shows of a round: status per person and answers side by side."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.instruments import Instrument, Item, Score, current_catalogue, score
from app.invitations.models import Invitation, Response, Round
from app.timestamps import utcnow


@dataclass(frozen=True)
class Earlier:
    """A voice's answer to an item before they changed it on the same link."""

    submitted_at: datetime
    value: str | None  # the answer as text; None when the item was left out
    declined: bool = False


@dataclass
class Voice:
    """One respondent's column in an instrument's table.

    The reconciliation adds the person's history: their previous answer, their FIT
    signals and their totals over time (see app.reconcile.reconciliation).
    """

    invitation: Invitation
    response: Response | None
    score: Score | None
    previous: Any = None
    signals: list[Any] = field(default_factory=list)
    series: list[Any] = field(default_factory=list)
    # The answers to the form on this link that a newer one replaced, oldest first (kept as history).
    earlier: list[Response] = field(default_factory=list)

    @property
    def declined(self) -> bool:
        return self.response is not None and self.response.declined

    @property
    def changed(self) -> bool:
        """Whether the current answer replaced an earlier one on the same link."""
        return self.response is not None and bool(self.earlier)


@dataclass
class InstrumentTable:
    instrument: Instrument
    voices: list[Voice] = field(default_factory=list)
    # Item key -> where the voices differ by more than the item's threshold.
    divergences: dict[str, Any] = field(default_factory=dict)

    def cells(self, item: Item, lang: str) -> list[str | None]:
        """Return each voice's answer to the item as text; None where there is no answer."""
        return [
            item.display(v.response.answers.get(item.key), lang)
            if v.response is not None and not v.response.declined
            else None
            for v in self.voices
        ]

    def names(self, invitation_ids: tuple[int, ...]) -> list[str]:
        """Return the first names of the voices with these invitation ids."""
        return [v.invitation.person.first_name for v in self.voices if v.invitation.id in invitation_ids]

    def earlier_cells(self, item: Item, lang: str) -> list[list[Earlier]]:
        """Return each voice's earlier answers to the item that differ from its current one, oldest first."""
        found = []
        for voice, now in zip(self.voices, self.cells(item, lang), strict=True):
            differing = []
            for response in voice.earlier:
                value = None if response.declined else item.display(response.answers.get(item.key), lang) or None
                if (response.declined, value) != (voice.declined, now or None):
                    differing.append(Earlier(response.submitted_at, value, response.declined))
            found.append(differing)
        return found

    def previous_cells(self, item: Item, lang: str) -> list[str | None]:
        """Return each voice's previous answer to the item as text; None where there is none."""
        return [
            item.display(v.previous.response.answers.get(item.key), lang) or None if v.previous else None
            for v in self.voices
        ]


@dataclass(frozen=True)
class RoundOverview:
    round: Round
    statuses: list[tuple[Invitation, str]]
    tables: list[InstrumentTable]

    @property
    def waiting(self) -> int:
        """Count the people who can still answer but have not."""
        return sum(1 for _, status in self.statuses if status in ("waiting", "opened"))


def round_overview(round_: Round) -> RoundOverview:
    """Gather a round's statuses and every answer, per instrument and item, side by side."""
    invitations = db.session.scalars(
        select(Invitation)
        .where(Invitation.round_id == round_.id)
        .options(selectinload(Invitation.person), selectinload(Invitation.responses))
        .order_by(Invitation.id)
    ).all()
    return overview_of(round_, invitations)


def overview_of(round_: Round, invitations: Sequence[Invitation]) -> RoundOverview:
    """round_overview from the round's invitations, loaded with their people and responses."""
    catalogue = current_catalogue()
    now = utcnow()
    statuses = [(inv, inv.status(now)) for inv in invitations]
    tables: dict[str, InstrumentTable] = {}
    for invitation in invitations:
        current = {r.instrument_id: r for r in invitation.current_responses}
        if invitation.revoked_at is not None and not current:
            continue  # a dead link with no answer: the status table says so, the answers need no column
        for instrument_id in invitation.instrument_ids:
            if instrument_id not in catalogue:
                continue
            instrument = catalogue.get(instrument_id)
            response = current.get(instrument_id)
            answered = response is not None and not response.declined
            table = tables.setdefault(instrument_id, InstrumentTable(instrument))
            earlier = [r for r in invitation.responses if r.instrument_id == instrument_id and r.superseded_at is not None]
            table.voices.append(
                Voice(invitation, response, score(instrument, response.answers) if answered else None, earlier=earlier)
            )
    ordered = sorted(tables.values(), key=lambda t: (t.instrument.priority, t.instrument.id))
    return RoundOverview(round_, statuses, ordered)

