"""One stored answer (invitations.models.Response) as a FHIR R4 QuestionnaireResponse.

The subject is the case, named only by a keyed hash of its id (codes.pseudonym) under the
identifier system urn:samstem:case; the source is the respondent, a RelatedPerson, a
Practitioner or the child (Patient) named the same way, with their role (Samstem's code and
HL7's v3 role code where one fits) in the informant extension after KL's FindingInformer, and
the relation the case worker wrote ("mormor") in an extension of its own. No name, no CPR number.

Free text (text items, an indicator's note) may name the child: it is left out, as Samstem's
coded answer "free_text_withheld", unless the caller asks for it (free_text=True).

A form the respondent said no to is a completed response whose every item is answered
with Samstem's coded answer "declined" — not a stopped response: saying no is an answer.
"ved ikke" is Samstem's coded answer "dont_know". An option's display is its label as the
respondent read it (a young person's "Helt enig", a child's "Passer helt": the same code).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from app.fhir.codes import (
    CASE_SYSTEM,
    DECLINED,
    DONT_KNOW,
    INFORMANT_EXTENSION,
    PERSON_SYSTEM,
    RELATED_PERSON,
    RELATION_EXTENSION,
    RESPONSE_SYSTEM,
    SOURCE_TYPES,
    WITHHELD,
    answer_coding,
    canonical,
    coding,
    options_system,
    pseudonym,
    role_concept,
)
from app.fhir.questionnaire import FACTOR_PARTS, ITEM_TYPES, LEVEL_KEY
from app.fhir.status import STATUS_ID, status_items_answered
from app.indicators.catalogue import IndicatorForm
from app.instruments.catalogue import Instrument, Item
from app.instruments.registry import find_form


class NoQuestionnaire(LookupError):
    """The answer is to a form with no Questionnaire (an unknown id)."""


def _coded(system: str, value: Any, labels: tuple[str, ...], values: tuple[str, ...]) -> dict:
    code = str(value)
    found = {"system": system, "code": code}
    if code in values and labels:
        found["display"] = labels[values.index(code)]
    return {"valueCoding": found}


def answer(form_id: str, item: Item | None, value: Any, lang: str = "da", free_text: bool = False) -> dict:
    """One stored value as a QuestionnaireResponse answer, typed as the item's ITEM_TYPES says."""
    if value == DONT_KNOW:
        return {"valueCoding": answer_coding(DONT_KNOW)}
    kind = ITEM_TYPES.get(item.type) if item is not None else None
    if kind == "decimal" and _number(value) is not None:
        return {"valueDecimal": _number(value)}
    if kind == "boolean" and isinstance(value, bool):
        return {"valueBoolean": value}
    if kind == "choice" and isinstance(value, (str, int)) and not isinstance(value, bool):
        return _coded(options_system(form_id, item.key), value, item.labels(lang), item.values)
    # A text, an item the current version of the form no longer has, or a value its type does
    # not expect (an older answer): typed by the value, prose only when asked for.
    if not free_text and not isinstance(value, (bool, int, float)):
        return {"valueCoding": answer_coding(WITHHELD)}
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, float) and math.isfinite(value):
        return {"valueDecimal": value}
    return {"valueString": value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)}


def _number(value: Any) -> float | None:
    """The value as a finite number, or None (text, a bool, NaN)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _instrument_items(instrument: Instrument, answers: Mapping[str, Any], lang: str, free_text: bool) -> list[dict]:
    keys = [item.key for item in instrument.items] + sorted(set(answers) - {i.key for i in instrument.items})
    items = []
    for key in keys:
        value = answers.get(key)
        if _blank(value):
            continue
        item = next((i for i in instrument.items if i.key == key), None)
        items.append({"linkId": key, "answer": [answer(instrument.id, item, value, lang, free_text)]})
    return items


def _step(form: IndicatorForm, part: str, value: Any) -> dict:
    if value == DONT_KNOW:
        return {"valueCoding": answer_coding(DONT_KNOW)}
    return {"valueCoding": coding(options_system(form.id, part), str(value))}


def _factor_items(form: IndicatorForm, key: str, entry: Mapping[str, Any], free_text: bool) -> list[dict]:
    found = []
    for part in FACTOR_PARTS:
        value = entry.get(part)
        if _blank(value):
            continue
        if part == "text":
            value_answer = {"valueString": str(value)} if free_text else {"valueCoding": answer_coding(WITHHELD)}
        else:
            value_answer = _step(form, part, value)
        found.append({"linkId": f"{key}.{part}", "answer": [value_answer]})
    return found


def _indicator_items(form: IndicatorForm, answers: Mapping[str, Any], free_text: bool) -> list[dict]:
    """Factor groups as the Questionnaire nests them: a split part inside its family factor."""
    scores = answers.get("scores")
    scores = scores if isinstance(scores, Mapping) else {}
    groups: dict[str, dict] = {}
    for factor in form.all_factors:
        for key in (factor.key, *(part.key for part in factor.parts)):
            entry = scores.get(key)
            inner = _factor_items(form, key, entry if isinstance(entry, Mapping) else {}, free_text)
            if not inner:
                continue
            top = groups.setdefault(factor.key, {"linkId": factor.key, "item": []})
            if key == factor.key:
                top["item"][:0] = inner
            else:
                top["item"].append({"linkId": key, "item": inner})
    items = [groups[f.key] for f in form.all_factors if f.key in groups]
    level = answers.get(LEVEL_KEY)
    if form.is_icf and not _blank(level):
        items.append({"linkId": LEVEL_KEY, "answer": [_step(form, LEVEL_KEY, level)]})
    return items


def _declined_items(form: Instrument | IndicatorForm) -> list[dict]:
    declined = {"valueCoding": answer_coding(DECLINED)}
    if isinstance(form, Instrument):
        return [{"linkId": item.key, "answer": [declined]} for item in form.items]
    return [{"linkId": factor.key, "item": [{"linkId": f"{factor.key}.status", "answer": [declined]}]}
            for factor in form.all_factors]


def _source(response: Any, secret: str | bytes | None) -> dict:
    role = response.respondent_role
    person_id = response.invitation.person_id
    return {"type": SOURCE_TYPES.get(role, RELATED_PERSON),
            "identifier": {"system": PERSON_SYSTEM, "value": pseudonym("person", person_id, secret)}}


def questionnaire_response(response: Any, form: Instrument | IndicatorForm | None = None,
                           secret: str | bytes | None = None, free_text: bool = False) -> dict:
    """Return a stored Response as a FHIR R4 QuestionnaireResponse (a JSON dict).

    `form` defaults to the app's form of the response's id; `secret` to the app's SECRET_KEY;
    free text is left out unless `free_text`.
    The provider's status (app.fhir.status) is answered item by item too; NoQuestionnaire for
    any other form the app does not know."""
    is_status = response.instrument_id == STATUS_ID
    form = form if form is not None or is_status else find_form(response.instrument_id)
    if not (is_status or isinstance(form, (Instrument, IndicatorForm))):
        raise NoQuestionnaire(response.instrument_id)
    case_id = response.invitation.round.meeting.case_id
    extensions = [{"url": INFORMANT_EXTENSION, "valueCodeableConcept": role_concept(response.respondent_role)}]
    if response.respondent_relation:
        extensions.append({"url": RELATION_EXTENSION, "valueString": response.respondent_relation})
    found: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": f"response-{response.id}",
        "language": response.language,
        "extension": extensions,
        "identifier": {"system": RESPONSE_SYSTEM, "value": str(response.id)},
        "questionnaire": canonical(response.instrument_id, response.instrument_version),
        "status": "completed",
        "subject": {"type": "Patient",
                    "identifier": {"system": CASE_SYSTEM, "value": pseudonym("case", case_id, secret)}},
        "authored": response.submitted_at.isoformat(timespec="seconds"),
        "source": _source(response, secret),
    }
    answers = response.answers if isinstance(response.answers, Mapping) else {}
    if is_status:
        items = status_items_answered(answers, free_text) if not response.declined else []
    elif response.declined:
        items = _declined_items(form)
    elif isinstance(form, Instrument):
        meeting = response.invitation.round.meeting
        read = form.for_respondent(response.respondent_role, meeting.case.child_age(meeting.held_on))
        items = _instrument_items(read, answers, response.language, free_text)
    else:
        items = _indicator_items(form, answers, free_text)
    if items:
        found["item"] = items
    return found
