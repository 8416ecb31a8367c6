"""Every answer a case has had, per person and form, in meeting order: "where were you last time"."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.cases.models import Case, Meeting
from app.extensions import db
from app.instruments import Score, current_catalogue, score
from app.invitations.models import Invitation, Response, Round


@dataclass(frozen=True)
class Entry:
    """One person's current answer to one form in one round."""

    round: Round
    held_on: date
    child_age: int
    response: Response
    score: Score | None

    @property
    def answered(self) -> bool:
        return not self.response.declined

    @property
    def on(self) -> date:
        """The day to name it by ("Sidst: …"): never one still to come."""
        return self.response.dated(self.held_on)

    @property
    def total(self) -> float | None:
        return self.score.total if self.score else None


def _order(round_: Round) -> tuple[date, int]:
    return (round_.meeting.held_on, round_.id)


class CaseHistory:
    """All current responses on a case, loaded in one go and grouped per person and form."""

    def __init__(self, case: Case, rounds: Sequence[Round] | None = None) -> None:
        """Load the case's rounds with their answers, or use `rounds` when the caller has loaded them."""
        catalogue = current_catalogue()
        if rounds is None:
            rounds = db.session.scalars(
                select(Round)
                .join(Round.meeting)
                .where(Meeting.case_id == case.id)
                .options(
                    selectinload(Round.meeting),
                    selectinload(Round.invitations).selectinload(Invitation.responses),
                )
            ).all()
            case.people  # noqa: B018  (each invitation's person, from the session, in one query)
        self._entries: dict[tuple[int, str], list[Entry]] = defaultdict(list)
        for round_ in sorted(rounds, key=_order):
            held_on = round_.meeting.held_on
            for invitation in round_.invitations:
                for response in invitation.current_responses:
                    instrument = catalogue.get(response.instrument_id) if response.instrument_id in catalogue else None
                    scored = instrument is not None and not response.declined
                    self._entries[(invitation.person_id, response.instrument_id)].append(
                        Entry(
                            round=round_,
                            held_on=held_on,
                            child_age=case.child_age(held_on),
                            response=response,
                            score=score(instrument, response.answers) if scored else None,
                        )
                    )

    def previous(self, person_id: int, instrument_id: str, round_: Round) -> Entry | None:
        """Return the person's last answer (not a refusal) to the form before this round."""
        before = [
            e for e in self._entries.get((person_id, instrument_id), [])
            if _order(e.round) < _order(round_) and e.answered
        ]
        return before[-1] if before else None

    def series(self, person_id: int, instrument_id: str, round_: Round) -> list[Entry]:
        """Return the person's complete totals on the form, oldest first, up to and with this round."""
        return [
            e for e in self._entries.get((person_id, instrument_id), [])
            if _order(e.round) <= _order(round_) and e.total is not None
        ]
