"""Which forms to propose to one participant of a meeting."""

from __future__ import annotations

from app.instruments.catalogue import METHOD_MEETING_KINDS, Catalogue, Instrument

# Groups of forms asked before a meeting, in rounds of their own: never proposed or chosen as feedback.
NOT_FEEDBACK_GROUPS = frozenset({"see_happen"})


def for_feedback(instrument: Instrument) -> bool:
    """Tell whether the form belongs in a feedback round after a meeting."""
    return instrument.group not in NOT_FEEDBACK_GROUPS


def method_meeting(meeting_kind: str, earlier_method_meeting: bool) -> str | None:
    """Return "first" or "follow_up" for a network meeting or family group conference, else None.

    A method meeting that follows an earlier one of either kind on the same case is a follow-up
    (INSTRUMENTS.md §2: the follow-up form belongs there, whatever the meeting list calls it).
    """
    if meeting_kind not in METHOD_MEETING_KINDS:
        return None
    return "follow_up" if earlier_method_meeting else "first"


def _proposed_at(instrument: Instrument, meeting_kind: str, occasion: str | None) -> bool:
    """Tell whether the form's file lets it be ticked at this meeting."""
    if not instrument.proposed or instrument.priority_at(meeting_kind) is None:
        return False
    return occasion is None or instrument.method_meeting in (None, occasion)


def propose(
    catalogue: Catalogue,
    *,
    role: str,
    child_age: int | None,
    meeting_kind: str,
    fit_exempt: bool,
    max_forms: int = 2,
    earlier_method_meeting: bool = False,
) -> list[Instrument]:
    """Return the forms that fit the participant, in the order their files give for the meeting
    kind (`priority`), at most max_forms.

    `earlier_method_meeting`: a network meeting or family group conference was held on the case
    before this meeting. A form whose file says `proposed = false`, or `priority.KIND = false`
    for this kind, is never ticked here; the case worker can still choose it for anyone it fits
    (invitations/forms.py offers every fitting form).
    """
    occasion = method_meeting(meeting_kind, earlier_method_meeting)
    # A role or kind no file names simply gets nothing: the case worker can still add forms.
    fitting = [
        instrument
        for instrument in catalogue.all()
        if for_feedback(instrument)
        and _proposed_at(instrument, meeting_kind, occasion)
        and instrument.fits(role, child_age, meeting_kind)
        and not (fit_exempt and instrument.is_fit)
    ]
    fitting.sort(key=lambda i: (i.priority_at(meeting_kind), i.id))
    return fitting[: max(max_forms, 0)]
