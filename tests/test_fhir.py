"""Every instrument and answer as FHIR R4 (issue 17 item 2): app/fhir, validated with fhirclient's R4 models.

Rules tested: every Questionnaire of the catalogue (forms/ and forms/indicators/) is valid R4
and says what its file says (items, linkIds, Danish and English, options, required, licence,
who answers); every QuestionnaireResponse and Bundle made for the demo data is valid R4; a
declined form is a completed response coded "declined"; no name and no CPR number in any of it.
"""

import json
from typing import Any

import pytest
from fhirclient.models.bundle import Bundle
from fhirclient.models.element import Element
from fhirclient.models.fhirabstractbase import FHIRValidationError
from fhirclient.models.questionnaire import Questionnaire
from fhirclient.models.questionnaireresponse import QuestionnaireResponse
from sqlalchemy import select

from app.extensions import db
from app.fhir import bundle, questionnaire, questionnaire_response
from app.fhir.codes import (
    ANSWER_SYSTEM,
    BAND_EXTENSION,
    CASE_SYSTEM,
    DECLINED,
    DONT_KNOW,
    INFORMANT_EXTENSION,
    MAX_VALUE,
    MIN_VALUE,
    READER_WORDING_EXTENSION,
    ROLE_SYSTEM,
    TRANSLATION,
    WITHHELD,
    canonical,
    pseudonym,
)
from app.fhir.questionnaire import ITEM_TYPES
from app.fhir.response import answer
from app.indicators.catalogue import DEFAULT_DIRECTORY as INDICATOR_DIRECTORY
from app.indicators.catalogue import load_indicator_forms
from app.instruments.catalogue import (
    DEFAULT_DIRECTORY,
    QUESTION_TYPES,
    Item,
    load_catalogue,
)

LANGUAGES = ("da", "en")
CATALOGUE = load_catalogue(DEFAULT_DIRECTORY, LANGUAGES)
INDICATORS = load_indicator_forms(INDICATOR_DIRECTORY, LANGUAGES)


def _check_primitive_extensions(data: Any) -> None:
    """fhirclient accepts a primitive's `_element` without reading it: check each as an Element."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key.startswith("_"):
                Element(value, strict=True)
            _check_primitive_extensions(value)
    elif isinstance(data, list):
        for value in data:
            _check_primitive_extensions(value)


def valid(model: type, resource: dict) -> dict:
    """Construct the fhirclient R4 model strictly (FHIRValidationError if not valid R4); return the JSON."""
    model(resource, strict=True)
    _check_primitive_extensions(resource)
    json.dumps(resource)  # plain JSON: nothing a client cannot read
    return resource


# R4's value sets and invariants fhirclient does not check (hl7.org/fhir/R4/questionnaire.html#invs).
ITEM_TYPE_CODES = {"group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time", "string", "text",
                   "url", "choice", "open-choice", "attachment", "reference", "quantity"}
ANSWER_KINDS = {"decimal": "valueDecimal", "integer": "valueInteger", "boolean": "valueBoolean", "string": "valueString",
                "text": "valueString", "choice": "valueCoding", "date": "valueDate"}


def r4_questionnaire_rules(resource: dict) -> None:
    assert resource["status"] in ("draft", "active", "retired", "unknown")
    link_ids = []

    def walk(items: list[dict]) -> None:
        for item in items:
            link_ids.append(item["linkId"])
            assert item["type"] in ITEM_TYPE_CODES
            assert item["type"] != "group" or item.get("item"), "que-1: a group holds items"
            assert item["type"] != "display" or not item.get("item"), "que-1: a display holds none"
            assert item["type"] != "display" or "required" not in item, "que-6: a display is not required"
            assert "answerOption" not in item or item["type"] in ("choice", "open-choice"), "que-5"
            assert "maxLength" not in item or item["type"] in ("boolean", "decimal", "integer", "string", "text",
                                                                "url", "open-choice"), "que-10"
            walk(item.get("item", []))

    walk(resource["item"])
    assert len(link_ids) == len(set(link_ids)), "que-2: linkIds are unique"


def response_fits(questionnaire_json: dict, response: dict) -> None:
    """Each answered linkId is an item of the Questionnaire at the same place, answered with its
    type's value, or with one of Samstem's coded answers ("ved ikke", declined, free text left out)."""
    assert response["status"] in ("in-progress", "completed", "amended", "entered-in-error", "stopped")

    def walk(asked: list[dict], answered: list[dict]) -> None:
        by_id = {item["linkId"]: item for item in asked}
        for item in answered:
            question = by_id[item["linkId"]]
            for given in item.get("answer", []):
                coded = given.get("valueCoding", {})
                if coded.get("system") == ANSWER_SYSTEM:
                    assert coded["code"] in (DONT_KNOW, DECLINED, WITHHELD)
                    continue
                assert set(given) == {ANSWER_KINDS[question["type"]]}, (item["linkId"], given)
                if question["type"] == "choice":
                    options = {(o["valueCoding"]["system"], o["valueCoding"]["code"]) for o in question["answerOption"]}
                    assert (coded["system"], coded["code"]) in options
            walk(question.get("item", []), item.get("item", []))

    walk(questionnaire_json["item"], response.get("item", []))


def english(element: dict) -> str | None:
    """The English translation an `_element` carries."""
    for extension in (element or {}).get("extension", []):
        if extension["url"] == TRANSLATION:
            parts = {e["url"]: e for e in extension["extension"]}
            if parts["lang"]["valueCode"] == "en":
                return parts["content"]["valueString"]
    return None


def test_the_validator_refuses_what_is_not_r4():
    with pytest.raises(FHIRValidationError):
        Questionnaire({"resourceType": "Questionnaire", "status": "active", "item": [{"type": "group"}]}, strict=True)
    with pytest.raises(FHIRValidationError):
        QuestionnaireResponse({"resourceType": "QuestionnaireResponse", "status": "completed", "subject": "case 1"},
                              strict=True)
    with pytest.raises(FHIRValidationError):
        Element({"extension": [{"url": TRANSLATION, "valueNumber": 1}]}, strict=True)
    # A bundle's resources are checked too.
    with pytest.raises(FHIRValidationError):
        Bundle({"resourceType": "Bundle", "type": "collection",
                "entry": [{"resource": {"resourceType": "QuestionnaireResponse", "subject": "case 1"}}]}, strict=True)


# --- item types: one row per type a form file may ask (INSTRUMENTS.md; app/fhir/questionnaire.py) -------------

ITEM_TYPE_RULES = [
    # form type, FHIR type, what the rule is
    ("vas", "decimal", "a line 0–10 with one decimal: a decimal with minValue 0, maxValue 10, maxDecimalPlaces 1"),
    ("scale", "choice", "points with labels and maybe 'ved ikke': options coded 1..n, ordinalValue, plus dont_know"),
    ("choice", "choice", "options coded by their stored values"),
    ("yesno", "boolean", "yes or no"),
    ("text", "string", "one line, with its maxLength"),
    ("longtext", "text", "several lines, with its maxLength"),
]


@pytest.mark.parametrize("form_type,fhir_type,rule", ITEM_TYPE_RULES)
def test_each_item_type_maps_to_its_fhir_type(form_type, fhir_type, rule):
    assert ITEM_TYPES[form_type] == fhir_type, rule


def test_every_item_type_a_form_may_ask_has_a_fhir_type():
    assert set(ITEM_TYPES) == QUESTION_TYPES == {row[0] for row in ITEM_TYPE_RULES}


def test_the_catalogue_uses_every_item_type_but_yesno():
    # So the faithfulness test below reads real files of (almost) every type.
    used = {item.type for instrument in CATALOGUE.all() for item in instrument.items}
    assert used >= QUESTION_TYPES - {"yesno", "choice"}


# --- Questionnaires of forms/ -------------------------------------------------------------------------------

def _options(item: dict) -> list[tuple[str, str, str | None]]:
    return [(o["valueCoding"]["code"], o["valueCoding"].get("display"), english(o["valueCoding"].get("_display")))
            for o in item.get("answerOption", [])]


def _faithful_item(item: Item, found: dict) -> None:
    assert found["linkId"] == item.key
    assert found["type"] == ITEM_TYPES[item.type]
    assert found["required"] is item.required
    assert found["text"] == item.texts["da"]
    assert english(found["_text"]) == item.texts["en"]
    if item.type in ("scale", "choice"):
        expected = [(value, item.labels("da")[n], item.labels("en")[n]) for n, value in enumerate(item.values)]
        if item.dont_know:
            expected.append((DONT_KNOW, "Ved ikke", "Don't know"))
        assert _options(found) == expected
    else:
        assert "answerOption" not in found
    if item.type == "vas":
        extensions = {e["url"]: e.get("valueDecimal") for e in found["extension"]}
        assert (extensions[MIN_VALUE], extensions[MAX_VALUE]) == (0, 10)
        ends = found["item"]
        assert [e["type"] for e in ends] == ["display", "display"]
        assert [e["text"] for e in ends] == list(item.labels("da"))
        assert [english(e["_text"]) for e in ends] == list(item.labels("en"))
        bands = [{p["url"]: p for p in e["extension"]} for e in found["extension"] if e["url"] == BAND_EXTENSION]
        assert [(b["from"]["valueInteger"], b["to"]["valueInteger"], b["colour"]["valueCode"], b["label"]["valueString"])
                for b in bands] == [(b.low, b.high, b.colour, b.label_texts["da"]) for b in item.bands]
    if item.type in ("text", "longtext"):
        assert found["maxLength"] == item.max_length


@pytest.mark.parametrize("instrument_id", [i.id for i in CATALOGUE.all()])
def test_every_instrument_is_a_valid_questionnaire_that_says_what_its_file_says(instrument_id):
    instrument = CATALOGUE.get(instrument_id)
    found = valid(Questionnaire, questionnaire(instrument))
    r4_questionnaire_rules(found)
    assert found["language"] == "da"
    assert found["url"].endswith(f"/Questionnaire/{instrument.id}") and found["version"] == str(instrument.version)
    assert (found["title"], english(found["_title"])) == (instrument.titles["da"], instrument.titles["en"])
    assert (found["copyright"], english(found["_copyright"])) == (instrument.licences["da"], instrument.licences["en"])
    assert len(found["item"]) == len(instrument.items)
    for item, found_item in zip(instrument.items, found["item"]):
        _faithful_item(item, found_item)
    # Who answers: every role of every audience, in the informant extension and the usage context.
    roles = {role for audience in instrument.audiences for role in audience.roles}
    informed = {part["valueCoding"]["code"] for e in found["extension"] if e["url"] == INFORMANT_EXTENSION
                for part in e["extension"] if part["url"] == "role"}
    used = {c["valueCodeableConcept"]["coding"][0]["code"] for c in found["useContext"] if c["code"]["code"] == "user"}
    assert informed == used == roles
    assert "cpr" not in json.dumps(found).lower()


def test_a_form_file_without_a_licence_note_has_no_copyright():
    instrument = CATALOGUE.get("fit-outcome")
    from dataclasses import replace
    from types import MappingProxyType

    found = valid(Questionnaire, questionnaire(replace(instrument, licences=MappingProxyType({}))))
    assert "copyright" not in found


def test_the_well_being_ruler_keeps_its_red_yellow_and_green():
    found = questionnaire(CATALOGUE.get("wellbeing-ruler"))
    line = next(item for item in found["item"] if item["type"] == "decimal")
    colours = [p["valueCode"] for e in line["extension"] if e["url"] == BAND_EXTENSION
               for p in e["extension"] if p["url"] == "colour"]
    assert colours == ["red", "yellow", "green"]


def test_a_child_form_says_the_childs_ages():
    found = questionnaire(CATALOGUE.get("fit-outcome-child"))
    ages = [c["valueRange"] for c in found["useContext"] if c["code"]["code"] == "age"]
    assert {"low": 6, "high": 12} in [{k: v["value"] for k, v in age.items()} for age in ages]


# --- Questionnaires of forms/indicators/ --------------------------------------------------------------------

@pytest.mark.parametrize("form_id", [f.id for f in INDICATORS.all()])
def test_every_indicator_form_is_a_valid_questionnaire_with_a_group_per_factor(form_id):
    form = INDICATORS.get(form_id)
    found = valid(Questionnaire, questionnaire(form))
    r4_questionnaire_rules(found)
    assert found["status"] == ("draft" if form.draft else "active")
    groups = [item for item in found["item"] if item["type"] == "group"]
    assert [g["linkId"] for g in groups] == [f.key for f in form.all_factors]
    for factor, group in zip(form.all_factors, groups):
        assert (group["text"], english(group["_text"])) == (factor.titles["da"], factor.titles["en"])
        status = next(i for i in group["item"] if i["linkId"] == f"{factor.key}.status")
        codes = [o["valueCoding"]["code"] for o in status["answerOption"]]
        assert codes == [str(step) for step in form.scale] + [DONT_KNOW]
        parts = [i["linkId"] for i in group["item"] if i["type"] == "group"]
        assert parts == [part.key for part in factor.parts]
        # Who is asked the factor (issue 11 item 1).
        asked = {p["valueCoding"]["code"] for p in group["extension"][0]["extension"] if p["url"] == "role"}
        assert group["extension"][0]["url"] == INFORMANT_EXTENSION and asked == set(factor.asked)
        # The child's title and the respondents' steps as they read them.
        wordings = {w["extension"][0]["valueCode"]: w for w in group["extension"] if w["url"] == READER_WORDING_EXTENSION}
        if factor.child_titles:
            assert wordings["child"]["extension"][1]["valueString"] == factor.child_titles["da"]
        if form.respondent_step_texts:
            labels = [p["valueString"] for p in wordings["adult"]["extension"] if p["url"] == "label"]
            assert labels == list(form.respondent_step_texts["da"])
    assert "{child}" not in json.dumps(found)  # "barnet" stands where a page says the child's name
    if form.is_icf:
        level = found["item"][-1]
        assert [o["valueCoding"]["code"] for o in level["answerOption"]] == ["A", "B", "C", "D", "E", DONT_KNOW]


# --- answers ------------------------------------------------------------------------------------------------

def test_dont_know_and_prose_are_coded_answers():
    scale = next(i for i in CATALOGUE.get("participation-child").items if i.type == "scale")
    text = next(i for i in CATALOGUE.get("participation-child").items if i.type in ("text", "longtext"))
    assert answer("participation-child", scale, DONT_KNOW)["valueCoding"]["system"] == ANSWER_SYSTEM
    assert answer("participation-child", scale, DONT_KNOW)["valueCoding"]["code"] == DONT_KNOW
    assert answer("participation-child", scale, 4)["valueCoding"]["code"] == "4"
    assert answer("participation-child", text, "Emma er glad")["valueCoding"]["code"] == WITHHELD
    assert answer("participation-child", text, "Emma er glad", free_text=True) == {"valueString": "Emma er glad"}


def test_a_pseudonym_is_keyed_stable_and_says_nothing_of_the_id():
    assert pseudonym("case", 7, "key") == pseudonym("case", 7, "key")
    assert pseudonym("case", 7, "key") != pseudonym("case", 7, "another key")
    assert pseudonym("case", 7, "key") != pseudonym("person", 7, "key")
    assert len(pseudonym("case", 7, "key")) == 32


@pytest.fixture
def demo(app):
    """`flask demo-data`'s case (app/demo.py): Emma, her people, decided and open rounds."""
    from app.cases.models import Case
    from app.demo import create_demo

    with app.test_request_context():
        create_demo()
        case = db.session.scalar(select(Case).where(Case.external_ref == "DEMO-1"))
        yield case


def _names(case) -> list[str]:
    """The first names of the child and everyone around her: Emma, Mette, Jonas, …"""
    names = [p.first_name for p in case.people]
    assert case.child.first_name == "Emma" and len(names) >= 5
    return names


def test_every_answer_of_the_demo_is_a_valid_response_without_a_name(demo):
    responses = [r for m in demo.meetings for round_ in m.rounds for inv in round_.invitations
                 for r in inv.current_responses]
    assert len(responses) > 30
    subjects = set()
    for response in responses:
        found = valid(QuestionnaireResponse, questionnaire_response(response))
        assert found["status"] == "completed"
        assert found["questionnaire"] == canonical(response.instrument_id, response.instrument_version)
        assert found["subject"]["identifier"]["system"] == CASE_SYSTEM
        subjects.add(found["subject"]["identifier"]["value"])
        role = next(e for e in found["extension"] if e["url"] == INFORMANT_EXTENSION)
        assert role["valueCodeableConcept"]["coding"][0] == {
            **role["valueCodeableConcept"]["coding"][0], "system": ROLE_SYSTEM, "code": response.respondent_role}
        text = json.dumps(found, ensure_ascii=False)
        for name in _names(demo):
            assert name not in text
        assert "cpr" not in text.lower()
    # One case, one pseudonym, and not its id.
    assert len(subjects) == 1 and str(demo.id) not in subjects


def test_the_demo_answers_say_each_value_as_given(demo):
    fit = next(r for m in demo.meetings for round_ in m.rounds for inv in round_.invitations
               for r in inv.current_responses if r.instrument_id == "fit-outcome-child")
    found = questionnaire_response(fit)
    values = {item["linkId"]: item["answer"][0]["valueDecimal"] for item in found["item"]}
    assert values == {key: float(value) for key, value in fit.answers.items()}
    assert found["source"]["type"] == "Patient"  # the child answers about herself


def test_every_round_of_the_demo_is_a_valid_bundle_without_a_name(demo):
    rounds = [round_ for m in demo.meetings for round_ in m.rounds]
    kinds = set()
    for round_ in rounds:
        found = valid(Bundle, bundle(round_))
        assert found["type"] == "collection"
        text = json.dumps(found, ensure_ascii=False)
        for name in _names(demo):
            assert name not in text
        entries = found.get("entry", [])
        answered = [r for inv in round_.invitations for r in inv.current_responses]
        responses = [e["resource"] for e in entries if e["resource"]["resourceType"] == "QuestionnaireResponse"]
        assert len(responses) == len(answered)
        # Each answered form's Questionnaire is in the bundle once, under the canonical the answers name.
        questionnaires = {e["resource"]["url"] + "|" + e["resource"]["version"]
                          for e in entries if e["resource"]["resourceType"] == "Questionnaire"}
        assert {r["questionnaire"] for r in responses} == questionnaires
        assert len({e["fullUrl"] for e in entries}) == len(entries)
        by_canonical = {e["resource"]["url"] + "|" + e["resource"]["version"]: e["resource"]
                        for e in entries if e["resource"]["resourceType"] == "Questionnaire"}
        for response in responses:
            response_fits(by_canonical[response["questionnaire"]], response)
        if responses:
            kinds.add(round_.kind)
    assert kinds == {"feedback", "indicators", "see_happen", "status"}


def test_a_declined_form_is_a_completed_response_coded_declined(demo):
    from app.respond import services as respond

    open_round = next(r for m in demo.meetings for r in m.rounds if r.kind == "feedback" and not r.is_locked)
    invitation = next(inv for inv in open_round.invitations if inv.person.role == "father")
    respond.decline(invitation, "da")
    found = valid(Bundle, bundle(open_round))
    responses = [e["resource"] for e in found["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"]
    assert responses and len(responses) == len(invitation.instrument_ids)
    for response in responses:
        assert response["status"] == "completed"
        response_fits(questionnaire(CATALOGUE.get(response["questionnaire"].split("/")[-1].split("|")[0])), response)
        answers = [a for item in response["item"] for a in item["answer"]]
        assert answers and {(a["valueCoding"]["system"], a["valueCoding"]["code"]) for a in answers} == {
            (ANSWER_SYSTEM, DECLINED)}
    # Every item of the form is there, each answered "declined".
    form = CATALOGUE.get(invitation.instrument_ids[0])
    first = next(r for r in responses if r["questionnaire"].startswith(f"{questionnaire(form)['url']}|"))
    assert [item["linkId"] for item in first["item"]] == [item.key for item in form.items]


def test_free_text_is_left_out_unless_asked_for(demo):
    written = next(r for m in demo.meetings for round_ in m.rounds for inv in round_.invitations
                   for r in inv.current_responses if round_.kind == "see_happen" and r.answers)
    withheld = questionnaire_response(written)
    assert {a["valueCoding"]["code"] for item in withheld["item"] for a in item["answer"]} == {WITHHELD}
    given = valid(QuestionnaireResponse, questionnaire_response(written, free_text=True))
    assert [item["answer"][0]["valueString"] for item in given["item"]] == list(written.answers.values())


# --- odd stored values: an older answer, a hand-edited row — valid FHIR, never an error --------------------

ODD_VALUES = [
    # item type, stored value, what the answer is
    ("vas", "seven", {"valueCoding": {"code": WITHHELD}}),
    ("vas", float("nan"), {"valueString": "NaN"}),  # not a number FHIR can hold, and no prose
    ("vas", 7, {"valueDecimal": 7.0}),
    ("scale", 99, {"valueCoding": {"code": "99"}}),
    ("scale", [1, 2], {"valueCoding": {"code": WITHHELD}}),
    ("text", {"a": 1}, {"valueCoding": {"code": WITHHELD}}),
    ("text", 5, {"valueInteger": 5}),
    ("longtext", "x" * 100_000, {"valueCoding": {"code": WITHHELD}}),
]


@pytest.mark.parametrize("item_type,value,expected", ODD_VALUES)
def test_an_odd_stored_value_is_still_a_valid_answer(item_type, value, expected):
    instrument = next(i for i in CATALOGUE.all() if any(item.type == item_type for item in i.items))
    item = next(item for item in instrument.items if item.type == item_type)
    found = answer(instrument.id, item, value)
    kind, wanted = next(iter(expected.items()))
    assert kind in found
    if isinstance(wanted, dict):
        assert found[kind]["code"] == wanted["code"]
    else:
        assert found[kind] == wanted
    QuestionnaireResponse({"resourceType": "QuestionnaireResponse", "status": "completed",
                           "item": [{"linkId": item.key, "answer": [found]}]}, strict=True)


@pytest.mark.parametrize("answers", [None, [], "text", {"scores": "none"}, {"scores": {"health": 3}},
                                     {"scores": {"health": {"status": {"x": 1}, "goal": None}}}])
def test_odd_stored_answers_make_a_valid_response(answers):
    form = INDICATORS.get("indicators-child-family")
    valid(QuestionnaireResponse, questionnaire_response(_stored(form.id, answers), form, secret="key"))


def test_an_answer_to_an_earlier_version_names_it_and_the_bundle_holds_no_other_version(demo):
    round_ = next(r for m in demo.meetings for r in m.rounds if r.kind == "feedback" and r.is_locked)
    older = next(r for inv in round_.invitations for r in inv.current_responses)
    older.instrument_version = CATALOGUE.get(older.instrument_id).version - 1
    found = valid(Bundle, bundle(round_))
    answered = [e["resource"] for e in found["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"
                and e["resource"]["identifier"]["value"] == str(older.id)]
    assert answered[0]["questionnaire"] == canonical(older.instrument_id, older.instrument_version)
    held = {e["resource"]["url"] + "|" + e["resource"]["version"] for e in found["entry"]
            if e["resource"]["resourceType"] == "Questionnaire"}
    assert answered[0]["questionnaire"] not in held


def test_each_reader_s_words_are_in_the_questionnaire():
    # participation-child: a child reads "Passer helt", a young person "Helt enig" (issue 11 item 5).
    found = questionnaire(CATALOGUE.get("participation-child"))
    scale = next(item for item in found["item"] if item["type"] == "choice")
    wordings = {part["valueCode"]: e for e in scale["extension"] if e["url"] == READER_WORDING_EXTENSION
                for part in e["extension"] if part["url"] == "reader"}
    assert set(wordings) == {"youth"}
    labels = [p["valueString"] for p in wordings["youth"]["extension"] if p["url"] == "label"]
    assert labels == ["Helt uenig", "Uenig", "Både og", "Enig", "Helt enig"]
    # fit-outcome: a parent reads each question worded about the child.
    found = questionnaire(CATALOGUE.get("fit-outcome"))
    item = CATALOGUE.get("fit-outcome").items[0]
    adult = next(e for e in found["item"][0]["extension"] if e["url"] == READER_WORDING_EXTENSION)
    parts = {p["url"]: p for p in adult["extension"]}
    assert parts["reader"]["valueCode"] == "adult"
    assert parts["text"]["valueString"] == item.about_texts["da"]
    assert english(parts["text"]["_valueString"]) == item.about_texts["en"]


def _stored(form_id: str, answers: dict, role: str = "mother", child_age: int = 9, declined: bool = False):
    """A stored answer as questionnaire_response reads it, without a database."""
    from datetime import date, datetime, timezone
    from types import SimpleNamespace

    case = SimpleNamespace(child_age=lambda on: child_age)
    meeting = SimpleNamespace(case_id=1, case=case, held_on=date(2026, 1, 2))
    invitation = SimpleNamespace(person_id=3, round=SimpleNamespace(meeting=meeting))
    return SimpleNamespace(id=1, instrument_id=form_id, instrument_version=1, answers=answers, declined=declined,
                           language="da", submitted_at=datetime(2026, 1, 2, tzinfo=timezone.utc),
                           respondent_role=role, respondent_relation=None, invitation=invitation)


@pytest.mark.parametrize("age,label", [(9, "Passer helt"), (15, "Helt enig")])
def test_an_option_s_display_is_the_label_the_respondent_read(age, label):
    # participation-child: a child of 9 reads "Passer helt", a young person of 15 "Helt enig" (issue 11 item 5).
    form = CATALOGUE.get("participation-child")
    response = _stored(form.id, {"listened": 5}, role="child", child_age=age)
    found = valid(QuestionnaireResponse, questionnaire_response(response, form, secret="key"))
    assert found["item"][0]["answer"][0]["valueCoding"]["code"] == "5"
    assert found["item"][0]["answer"][0]["valueCoding"]["display"] == label


def test_app_fhir_is_pure_functions_out_of_the_http_layer():
    # The API serves these (DESIGN.md §4: layers point one way; tests/test_layers.py): app/fhir
    # imports no view and no public page, and of Flask only the current app (for its secret key).
    import ast

    from tests.test_layers import MODULES, SERVICE, VIEW, imports, layer

    modules = [m for m in MODULES if m.startswith("app.fhir")]
    assert {"app.fhir", "app.fhir.questionnaire", "app.fhir.response", "app.fhir.bundle", "app.fhir.codes"} <= set(modules)
    for module in modules:
        assert layer(module) == SERVICE
        assert all(layer(target) != VIEW for target in imports(module)), module
        tree = ast.parse(MODULES[module].read_text())
        from_flask = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module == "flask"
                      for alias in node.names}
        assert from_flask <= {"current_app"}, module


# --- the provider's status (INSTRUMENTS.md §3) ---------------------------------------------------------------

def test_the_provider_status_is_a_valid_questionnaire_with_a_repeating_goal_group(app):
    from app.fhir.status import status_questionnaire

    with app.app_context():
        found = valid(Questionnaire, status_questionnaire())
    r4_questionnaire_rules(found)
    assert [item["linkId"] for item in found["item"]] == [
        "goals", "overall", "rating", "reviewed", "reviewed_on", "family_comments", "reason"]
    goals = found["item"][0]
    assert goals["repeats"] is True and [i["linkId"] for i in goals["item"]] == [
        "goals.goal", "goals.attainment", "goals.done", "goals.works", "goals.worries", "goals.next",
        "goals.observations"]
    attainment = goals["item"][1]
    assert [(o["valueCoding"]["code"], o["valueCoding"]["display"]) for o in attainment["answerOption"]] == [
        ("full", "Helt opfyldt"), ("high", "I høj grad opfyldt"), ("some", "I nogen grad opfyldt"),
        ("none", "Ikke opfyldt"), ("not_relevant", "Ikke relevant")]
    rating = found["item"][2]
    assert rating["type"] == "integer"
    assert {e["url"].rsplit("/", 1)[1]: e["valueInteger"] for e in rating["extension"]} == {"minValue": 0, "maxValue": 10}
    # The date and the family's comments only when it was reviewed with the family; the reason only when not.
    shown_when = {item["linkId"]: item["enableWhen"][0]["answerBoolean"] for item in found["item"] if "enableWhen" in item}
    assert shown_when == {"reviewed_on": True, "family_comments": True, "reason": False}
    # Every question in both languages, the child never named.
    for item in found["item"][1:]:
        assert item["text"] and english(item["_text"])
    assert english(found["item"][1]["_text"]) == "All in all, how are the child's well-being and development?"


def test_a_provider_status_answer_names_each_goal_by_id_and_leaves_its_words_out(demo):
    status = next(r for m in demo.meetings for round_ in m.rounds for inv in round_.invitations
                  for r in inv.current_responses if r.instrument_id == "provider-status")
    found = valid(QuestionnaireResponse, questionnaire_response(status))
    goals = [item for item in found["item"] if item["linkId"] == "goals"]
    assert [g["extension"][0]["valueIdentifier"]["value"] for g in goals] == [
        str(goal["goal_id"]) for goal in status.answers["goals"]]
    attainments = [i["answer"][0]["valueCoding"]["code"] for g in goals for i in g["item"]
                   if i["linkId"] == "goals.attainment"]
    assert attainments == ["some", "high", "full"]
    by_id = {item["linkId"]: item["answer"][0] for item in found["item"] if "answer" in item}
    assert by_id["rating"] == {"valueInteger": 7}
    assert by_id["reviewed"] == {"valueBoolean": True}
    assert by_id["overall"]["valueCoding"]["code"] == WITHHELD
    assert "Emma" not in json.dumps(found, ensure_ascii=False)
    given = questionnaire_response(status, free_text=True)
    assert "Emma" in json.dumps(given, ensure_ascii=False)  # the goals' own words, asked for


@pytest.mark.parametrize("answers", [None, {"goals": "x"}, {"goals": [1, {"goal_id": True, "attainment": "bogus"}]},
                                     {"rating": "7", "reviewed": "maybe"}, {"reviewed_on": "not a day"},
                                     {"reviewed_on": "2026-02-30"}, {"goals": [{"goal_id": 3, "done": ["x"]}]}])
def test_odd_stored_statuses_make_a_valid_response(answers):
    response = _stored("provider-status", answers, role="provider")
    valid(QuestionnaireResponse, questionnaire_response(response, secret="key"))
