"""The reconciliation: a round's answers with each voice's history, signals and divergence."""

from __future__ import annotations

from sqlalchemy import select

from app.cases.models import Case, Meeting
from app.extensions import db
from app.invitations.kinds import no_decision_kinds
from app.invitations.models import Round
from app.invitations.overview import RoundOverview, overview_of
from app.reconcile.divergence import divergence
from app.reconcile.history import CaseHistory
from app.reconcile.signals import Measurement, fit_signals


def with_history(overview: RoundOverview, history: CaseHistory) -> RoundOverview:
    """Add to every voice its previous answer, its totals over time and its FIT signals,
    and mark every item where the voices differ by more than the item's threshold."""
    round_ = overview.round
    for table in overview.tables:
        instrument = table.instrument
        for voice in table.voices:
            person_id = voice.invitation.person_id
            voice.previous = history.previous(person_id, instrument.id, round_)
            voice.series = history.series(person_id, instrument.id, round_)
            # Signals speak of this round's answer; a voice without one has nothing new to read.
            if instrument.is_fit and voice.score is not None and (voice.score.total is not None or not instrument.scored):
                measurements = [Measurement(e.total, e.response.answers, e.child_age) for e in voice.series]
                voice.signals = fit_signals(instrument, measurements)
        for item in instrument.items:
            answers = {
                v.invitation.id: v.response.answers.get(item.key)
                for v in table.voices
                if v.response is not None and not v.response.declined
            }
            found = divergence(item, answers)
            if found is not None:
                table.divergences[item.key] = found
    return overview


def reconcile_round(round_: Round, history: CaseHistory | None = None) -> RoundOverview:
    """Build one round's reconciliation.

    The history loads every round of the case with its invitations, people and answers, this
    round's among them, so the overview needs no query of its own.
    """
    history = history or CaseHistory(round_.meeting.case)
    return with_history(overview_of(round_, sorted(round_.invitations, key=lambda i: i.id)), history)


def undecided_rounds(case: Case) -> list[Round]:
    """Return the case's rounds no decision has taken a position on yet, oldest meeting first."""
    return list(
        db.session.scalars(
            select(Round)
            .join(Round.meeting)
            .where(Meeting.case_id == case.id, Round.locked_at.is_(None), Round.kind.not_in(no_decision_kinds()))
            .order_by(Meeting.held_on, Round.id)
        )
    )


def reconcile_case(case: Case) -> list[RoundOverview]:
    """Build the reconciliation of everything new on the case since the last decision."""
    history = CaseHistory(case)
    return [reconcile_round(r, history) for r in undecided_rounds(case)]
