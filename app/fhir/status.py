"""The provider's status (app.status, INSTRUMENTS.md §3) as a FHIR R4 Questionnaire and its answers.

The status form is drawn per case (a block per goal of the child's plan), so its Questionnaire
holds the goal block once as a repeating group; an answer repeats it per goal, each naming
its goal by Samstem's goal id. A goal's wording is the case's own and may name the child: it
is free text, left out unless asked for. The questions' words are the app's own (Babel
catalogue), read in each language; "barnet" stands where the page says the child's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import SimpleNamespace
from typing import Any

from flask import current_app
from flask_babel import force_locale

from app.fhir.codes import (
    BASE,
    INFORMANT_EXTENSION,
    ROLE_SYSTEM,
    ROLE_WORDS,
    SOURCE_LANGUAGE,
    WITHHELD,
    answer_coding,
    coding,
    options_system,
    put_text,
    questionnaire_url,
)
from app.status import items as status_items
from app.status.services import FORM, RECIPIENT_ROLES
from app.timestamps import local_today

STATUS_ID = FORM.id
GOAL_EXTENSION = f"{BASE}/StructureDefinition/goal"
GOAL_SYSTEM = "urn:samstem:goal"
GOALS = "goals"
# Words the status page has no text for: the repeated goal group and the goal's own wording.
WORDS = {
    GOALS: {"da": "Målene i barnets plan", "en": "The goals of the child's plan"},
    "goal": {"da": "Målet", "en": "The goal"},
    "title": {"da": "Status fra udfører", "en": "Status from the provider"},
    "intro": {"da": "Udførerens status før et opfølgningsmøde: hvor langt I er med hvert mål, og trivslen alt i alt.",
              "en": "The provider's status before a follow-up meeting: how far you have come with each goal, "
                    "and well-being all in all."},
    "licence": {"da": "Samstems egen formulering.", "en": "Samstem's own wording."},
}
CHILD_WORD = {"da": "barnet", "en": "the child"}
LIMITS = {"overall": status_items.OVERALL_LIMIT, "family_comments": status_items.COMMENTS_LIMIT,
          "reason": status_items.REASON_LIMIT}


def _languages() -> tuple[str, ...]:
    return tuple(current_app.config.get("LANGUAGES") or (SOURCE_LANGUAGE, "en"))


def _said(make: Any) -> dict[str, str]:
    """A text of the app's own (a lazy string, or a function of the language) in every language."""
    found = {}
    for lang in _languages():
        with force_locale(lang):
            found[lang] = str(make(lang) if callable(make) else make)
    return found


def _parts() -> dict[str, Any]:
    """The status form's parts by name, as app.status.items draws them (without goals)."""
    return {part.name: part for part in status_items.status_items([], "{child}", local_today())}


def _question(link_id: str, kind: str, texts: Mapping[str, str], required: bool = False, **more: Any) -> dict:
    found: dict[str, Any] = {"linkId": link_id}
    put_text(found, "text", texts)
    found.update(type=kind, required=required, **more)
    return found


def _goal_group() -> dict:
    block = status_items.goal_block(SimpleNamespace(goal_id=0, text=""))
    system = options_system(STATUS_ID, "attainment")
    options = [{"valueCoding": put_text({"system": system, "code": code}, "display", _said(label))}
               for code, label in block.choices]
    parts = [
        _question(f"{GOALS}.goal", "text", WORDS["goal"]),
        _question(f"{GOALS}.attainment", "choice", _said(block.label), True, answerOption=options),
        *(_question(f"{GOALS}.{part.name}", "text", _said(part.label), maxLength=part.limit) for part in block.texts),
    ]
    group = _question(GOALS, "group", WORDS[GOALS], True, repeats=True)
    group["item"] = parts
    return group


def _when(answer: bool) -> dict:
    return {"enableWhen": [{"question": "reviewed", "operator": "=", "answerBoolean": answer}]}


def status_questionnaire() -> dict:
    """Return the provider's status form as a FHIR R4 Questionnaire (needs the app, for its words)."""
    parts = _parts()
    overall = _said(lambda lang: str(parts["overall"].label).replace("{child}", CHILD_WORD.get(lang, "barnet")))
    found: dict[str, Any] = {
        "resourceType": "Questionnaire", "id": STATUS_ID, "language": "da", "url": questionnaire_url(STATUS_ID),
        "identifier": [{"system": f"{BASE}/instrument", "value": STATUS_ID}], "version": str(FORM.version),
        "name": "ProviderStatus",
    }
    put_text(found, "title", WORDS["title"])
    found.update(status="active", experimental=False, subjectType=["Patient"], publisher="Samstem")
    put_text(found, "description", WORDS["intro"])
    put_text(found, "copyright", WORDS["licence"])
    found["extension"] = [{"url": INFORMANT_EXTENSION, "extension": [
        {"url": "role", "valueCoding": coding(ROLE_SYSTEM, role, ROLE_WORDS[role])} for role in RECIPIENT_ROLES]}]
    found["useContext"] = [{"code": coding("http://terminology.hl7.org/CodeSystem/usage-context-type", "user"),
                            "valueCodeableConcept": {"coding": [coding(ROLE_SYSTEM, role, ROLE_WORDS[role])]}}
                           for role in RECIPIENT_ROLES]
    rating = _question("rating", "integer", _said(parts["rating"].label), True, extension=[
        {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": min(status_items.RATINGS)},
        {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": max(status_items.RATINGS)}])
    found["item"] = [
        _goal_group(),
        _question("overall", "text", overall, True, maxLength=LIMITS["overall"]),
        rating,
        _question("reviewed", "boolean", _said(parts["reviewed"].label), True),
        _question("reviewed_on", "date", _said(parts["reviewed_on"].label), True, **_when(True)),
        _question("family_comments", "text", _said(parts["family_comments"].label), maxLength=LIMITS["family_comments"],
                  **_when(True)),
        _question("reason", "text", _said(parts["reason"].label), True, maxLength=LIMITS["reason"], **_when(False)),
    ]
    return found


def _prose(value: Any, free_text: bool) -> dict:
    return {"valueString": str(value)} if free_text else {"valueCoding": answer_coding(WITHHELD)}


def _answered(link_id: str, given: dict) -> dict:
    return {"linkId": link_id, "answer": [given]}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _goal_items(goal: Mapping[str, Any], free_text: bool) -> dict:
    inner = []
    if not _blank(goal.get("text")):
        inner.append(_answered(f"{GOALS}.goal", _prose(goal["text"], free_text)))
    if goal.get("attainment") in status_items.ATTAINMENTS:
        inner.append(_answered(f"{GOALS}.attainment", {"valueCoding": coding(options_system(STATUS_ID, "attainment"),
                                                                              goal["attainment"])}))
    inner += [_answered(f"{GOALS}.{key}", _prose(goal[key], free_text))
              for key in status_items.GOAL_TEXTS if not _blank(goal.get(key))]
    found: dict[str, Any] = {"linkId": GOALS}
    if isinstance(goal.get("goal_id"), int) and not isinstance(goal.get("goal_id"), bool):
        found["extension"] = [{"url": GOAL_EXTENSION,
                               "valueIdentifier": {"system": GOAL_SYSTEM, "value": str(goal["goal_id"])}}]
    found["item"] = inner
    return found


def status_items_answered(answers: Mapping[str, Any], free_text: bool) -> list[dict]:
    """A stored status as QuestionnaireResponse items, in the Questionnaire's order."""
    goals = answers.get("goals")
    items = [_goal_items(goal, free_text) for goal in (goals if isinstance(goals, list) else [])
             if isinstance(goal, Mapping)]
    items = [item for item in items if item["item"]]
    if not _blank(answers.get("overall")):
        items.append(_answered("overall", _prose(answers["overall"], free_text)))
    rating = answers.get("rating")
    if isinstance(rating, int) and not isinstance(rating, bool):
        items.append(_answered("rating", {"valueInteger": rating}))
    if answers.get("reviewed") in ("yes", "no"):
        items.append(_answered("reviewed", {"valueBoolean": answers["reviewed"] == "yes"}))
    if isinstance(answers.get("reviewed_on"), str) and _is_day(answers["reviewed_on"]):
        items.append(_answered("reviewed_on", {"valueDate": answers["reviewed_on"]}))
    for key in ("family_comments", "reason"):
        if not _blank(answers.get(key)):
            items.append(_answered(key, _prose(answers[key], free_text)))
    return items


def _is_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10
