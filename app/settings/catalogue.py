"""The form catalogue as the organisation runs it: which questionnaires and indicator forms are
active, and which draft indicator forms it has approved (issue 13, "the form catalogue").

The files in forms/ say what a form is; the organisation's choices are settings: "forms.approved"
(draft indicator forms it has approved) and "forms.inactive" (forms no longer proposed). A
deactivated form keeps its answers and the cases that use it; it is only not offered any more.
An unapproved draft is never offered in the indicator procedure.
"""

from __future__ import annotations

from dataclasses import dataclass

from app import audit
from app.indicators.catalogue import IndicatorForm, current_forms
from app.instruments import Instrument, current_catalogue
from app.settings import services as settings

APPROVED, INACTIVE = "forms.approved", "forms.inactive"
ACTIONS = ("approve", "deactivate", "activate")


def approved() -> set[str]:
    return set(settings.stored(APPROVED) or ())


def inactive() -> set[str]:
    return set(settings.stored(INACTIVE) or ())


def needs_approval(form: IndicatorForm) -> bool:
    return form.draft and form.id not in approved()


def offered_indicator(form: IndicatorForm) -> bool:
    """Whether the procedure and a case may choose this indicator form now."""
    return not needs_approval(form) and form.id not in inactive()


def active_questionnaire(instrument: Instrument) -> bool:
    return instrument.id not in inactive()


@dataclass(frozen=True)
class Entry:
    """One form on the catalogue page."""

    id: str
    title: str
    version: int
    indicator: bool
    draft: bool  # a draft the organisation has not approved
    active: bool


def entries(lang: str) -> list[Entry]:
    off = inactive()
    questionnaires = [Entry(i.id, i.staff_label(lang), i.version, False, False, i.id not in off)
                      for i in current_catalogue().all()]
    indicators = [Entry(f.id, f.title(lang), f.version, True, needs_approval(f), f.id not in off)
                  for f in current_forms().all()]
    return questionnaires + indicators


def find(form_id: str) -> Instrument | IndicatorForm | None:
    if form_id in current_forms():
        return current_forms().get(form_id)
    try:
        return current_catalogue().get(form_id)
    except KeyError:
        return None


def change(form_id: str, action: str) -> str | None:
    """Approve a draft, deactivate or activate a form; returns why not, or None when done (audited)."""
    form = find(form_id)
    if form is None or action not in ACTIONS:
        return "unknown"
    if action == "approve":
        if not isinstance(form, IndicatorForm) or not needs_approval(form):
            return "not_a_draft"
        settings.put(APPROVED, sorted(approved() | {form_id}))
    elif action == "deactivate":
        settings.put(INACTIVE, sorted(inactive() | {form_id}))
    else:
        settings.put(INACTIVE, sorted(inactive() - {form_id}))
    audit.record(f"forms.{action}", None, form=form_id, version=form.version)
    return None
