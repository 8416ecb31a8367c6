"""Which forms to propose to one participant of a meeting."""

from __future__ import annotations

from app.instruments.catalogue import Catalogue, Instrument

# Groups of forms asked before a meeting, in rounds of their own: never proposed or chosen as feedback.
NOT_FEEDBACK_GROUPS = frozenset({"see_happen"})


def for_feedback(instrument: Instrument) -> bool:
    """Tell whether the form belongs in a feedback round after a meeting."""
    return instrument.group not in NOT_FEEDBACK_GROUPS


def propose(
    catalogue: Catalogue,
    *,
    role: str,
    child_age: int | None,
    meeting_kind: str,
    fit_exempt: bool,
    max_forms: int = 2,
) -> list[Instrument]:
    """Return the forms that fit the participant, outcome before session, at most max_forms.

    A form whose file says `proposed = false` is never ticked here; the case worker can
    still choose it for anyone it fits (invitations/forms.py offers every fitting form).
    """
    # A role or kind no file names simply gets nothing: the case worker can still add forms.
    fitting = [
        instrument
        for instrument in catalogue.all()
        if for_feedback(instrument)
        and instrument.proposed
        and instrument.fits(role, child_age, meeting_kind)
        and not (fit_exempt and instrument.is_fit)
    ]
    return fitting[: max(max_forms, 0)]
