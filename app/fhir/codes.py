"""The addresses and codes Samstem's FHIR resources share: canonical URLs, code systems,
extensions, the translation of a text, and the pseudonyms that stand for a case and a person.

Canonical URLs name a resource; they need not resolve. Samstem holds no CPR number, so a
case and a person are named by a keyed hash of their row id (HMAC-SHA256 with the app's
secret key): the same case gets the same pseudonym in every export of one installation,
and nobody without the key can tell which case it is.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from typing import Any

from flask import current_app

SOURCE_LANGUAGE = "da"
BASE = "https://samstem.dk/fhir"

# Samstem's own code systems and extensions (after KL's kl-children conventions: the informant
# as an extension on the response, minValue/maxValue on numeric items; never a CPR number).
ANSWER_SYSTEM = f"{BASE}/CodeSystem/answer"
ROLE_SYSTEM = f"{BASE}/CodeSystem/respondent-role"
INFORMANT_EXTENSION = f"{BASE}/StructureDefinition/informant"
RELATION_EXTENSION = f"{BASE}/StructureDefinition/respondent-relation"
# An item as another reader reads it (the child up to 12, the young person, the adult answering
# about the child: app.instruments.readers): its reader, text and option or end labels.
READER_WORDING_EXTENSION = f"{BASE}/StructureDefinition/reader-wording"
# A coloured stretch of a line (the well-being ruler's red 0–3, yellow 4–6, green 7–10), named in words.
BAND_EXTENSION = f"{BASE}/StructureDefinition/band"
CASE_SYSTEM = "urn:samstem:case"
PERSON_SYSTEM = "urn:samstem:person"
RESPONSE_SYSTEM = "urn:samstem:response"
ROUND_SYSTEM = "urn:samstem:round"

# HL7's extensions and code systems.
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
MAX_DECIMAL_PLACES = "http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
USAGE_CONTEXT_TYPE = "http://terminology.hl7.org/CodeSystem/usage-context-type"
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
UCUM = "http://unitsofmeasure.org"

# The coded answers that are no value of the item: "ved ikke", and a respondent who said no
# to the form (a declined response is still a completed one: saying no is an answer).
DONT_KNOW = "dont_know"
DECLINED = "declined"
# A free-text answer left out: prose may name the child, so it is sent only when asked for
# (as the analyst's extract does, app.figures.extract_rows).
WITHHELD = "free_text_withheld"
ANSWER_WORDS: dict[str, dict[str, str]] = {
    DONT_KNOW: {"da": "Ved ikke", "en": "Don't know"},
    DECLINED: {"da": "Vil ikke svare", "en": "Did not want to answer"},
    WITHHELD: {"da": "Fritekst udeladt", "en": "Free text left out"},
}

# Who answers: the roles of cases.models.PERSON_ROLES and the case worker (indicator forms).
ROLE_WORDS: dict[str, dict[str, str]] = {
    "child": {"da": "Barnet eller den unge", "en": "The child or young person"},
    "mother": {"da": "Mor", "en": "Mother"},
    "father": {"da": "Far", "en": "Father"},
    "carer": {"da": "Anden omsorgsperson", "en": "Other carer"},
    "network": {"da": "Netværket", "en": "The network"},
    "provider": {"da": "Udfører", "en": "Provider"},
    "school": {"da": "Skolen", "en": "The school"},
    "caseworker": {"da": "Rådgiver", "en": "Case worker"},
}
# The HL7 v3 role code where one says exactly the same; the others carry only Samstem's code.
V3_ROLES = {"child": "ONESELF", "mother": "MTH", "father": "FTH"}
# The resource a respondent of each role is: the child is the subject itself, staff are practitioners.
SOURCE_TYPES = {"child": "Patient", "provider": "Practitioner", "school": "Practitioner",
                "caseworker": "Practitioner"}
RELATED_PERSON = "RelatedPerson"

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9.-]")


def fhir_id(text: str) -> str:
    """Return a valid FHIR id (letters, digits, '-' and '.', at most 64) made from the text."""
    return _ID_UNSAFE.sub("-", text)[:64]


def questionnaire_url(instrument_id: str) -> str:
    return f"{BASE}/Questionnaire/{fhir_id(instrument_id)}"


def canonical(instrument_id: str, version: int) -> str:
    """The versioned canonical reference a response names its questionnaire by."""
    return f"{questionnaire_url(instrument_id)}|{version}"


def options_system(instrument_id: str, key: str) -> str:
    """The code system of one item's options (or scale points): its codes are the stored values."""
    return f"{BASE}/CodeSystem/{fhir_id(instrument_id)}-{fhir_id(key)}"


def translations(texts: Mapping[str, Any]) -> dict | None:
    """Return the `_element` object holding every language but Danish as a translation
    extension, or None when there is no other language."""
    others = [(lang, str(text)) for lang, text in sorted(texts.items()) if lang != SOURCE_LANGUAGE and text]
    if not others:
        return None
    return {"extension": [
        {"url": TRANSLATION, "extension": [{"url": "lang", "valueCode": lang}, {"url": "content", "valueString": text}]}
        for lang, text in others
    ]}


def put_text(target: dict, name: str, texts: Mapping[str, Any]) -> dict:
    """Set `name` to the Danish text and `_name` to its translations; return the target."""
    target[name] = str(texts[SOURCE_LANGUAGE])
    extra = translations(texts)
    if extra:
        target[f"_{name}"] = extra
    return target


def coding(system: str, code: str, words: Mapping[str, str] | None = None) -> dict:
    """A Coding; with words, its display in Danish and the other languages as translations."""
    found: dict[str, Any] = {"system": system, "code": code}
    return put_text(found, "display", words) if words else found


def answer_coding(code: str) -> dict:
    """"Ved ikke" or "declined" as a Coding of Samstem's answer code system."""
    return coding(ANSWER_SYSTEM, code, ANSWER_WORDS[code])


def role_concept(role: str) -> dict:
    """The respondent's role as a CodeableConcept: Samstem's code, and HL7's where it is the same."""
    codings = [coding(ROLE_SYSTEM, role, ROLE_WORDS.get(role))]
    if role in V3_ROLES:
        codings.append(coding(ROLE_CODE, V3_ROLES[role]))
    return {"coding": codings}


def pseudonym(kind: str, row_id: int, secret: str | bytes | None = None) -> str:
    """Return a keyed hash naming one row (a case, a person) without saying which it is."""
    key = secret if secret is not None else current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, f"{kind}:{row_id}".encode(), hashlib.sha256).hexdigest()[:32]
