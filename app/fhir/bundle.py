"""A round's answers as a FHIR R4 Bundle of type collection: every current answer as a
QuestionnaireResponse, and each Questionnaire they answer once, so the bundle reads on its own."""

from __future__ import annotations

import uuid
from typing import Any

from app.fhir.codes import BASE, ROUND_SYSTEM, fhir_id, pseudonym
from app.fhir.questionnaire import questionnaire
from app.fhir.response import questionnaire_response
from app.fhir.status import STATUS_ID, status_questionnaire
from app.indicators.catalogue import IndicatorForm
from app.instruments.catalogue import Instrument
from app.instruments.registry import find_form

# Names the bundle's entries by a stable urn:uuid: the same answer has the same fullUrl in every export.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, BASE)


def _full_url(kind: str, row_id: Any) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{kind}:{row_id}')}"


def bundle(round_: Any, secret: str | bytes | None = None, free_text: bool = False) -> dict:
    """Return the round (invitations.models.Round) as a Bundle of type collection.

    The current answers of every invitation, in invitation order; a superseded answer is left
    out (the newer one holds), and so is an answer to a form the app no longer knows."""
    forms: dict[str, Instrument | IndicatorForm | dict] = {}
    status = None
    responses = []
    for invitation in round_.invitations:
        for response in invitation.current_responses:
            if response.instrument_id == STATUS_ID:
                status = status if status is not None else status_questionnaire()
                if response.instrument_version == int(status["version"]):
                    forms[STATUS_ID] = status
                responses.append(questionnaire_response(response, None, secret, free_text))
                continue
            form = find_form(response.instrument_id)
            if not isinstance(form, (Instrument, IndicatorForm)):
                continue
            # The Questionnaire goes along when it is the version answered; an answer to an
            # earlier version names its canonical, which the bundle does not hold.
            if form.version == response.instrument_version:
                forms[response.instrument_id] = form
            responses.append(questionnaire_response(response, form, secret, free_text))
    entries = [{"fullUrl": f"{BASE}/Questionnaire/{fhir_id(form_id)}",
                "resource": form if isinstance(form, dict) else questionnaire(form)}
               for form_id, form in forms.items()]
    entries += [{"fullUrl": _full_url("response", resource["identifier"]["value"]), "resource": resource}
                for resource in responses]
    found: dict[str, Any] = {
        "resourceType": "Bundle",
        "id": f"round-{round_.id}",
        "identifier": {"system": ROUND_SYSTEM, "value": pseudonym("round", round_.id, secret)},
        "type": "collection",
        "timestamp": round_.created_at.isoformat(timespec="seconds"),
    }
    if entries:
        found["entry"] = entries
    return found
