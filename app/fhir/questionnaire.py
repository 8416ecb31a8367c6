"""An instrument of forms/ (or an indicator form of forms/indicators/) as a FHIR R4 Questionnaire.

Danish is the resource's language; every other language of a text rides along as HL7's
translation extension on the text's `_element`. Each item keeps its key as `linkId`, so a
QuestionnaireResponse (response.py) answers by the same keys the app stores.

How an item type of forms/ becomes a FHIR item (ITEM_TYPES):
- vas: a decimal 0–10 with one decimal (minValue, maxValue, maxDecimalPlaces), shown as a
  slider whose two ends are display items (itemControl lower/upper); its coloured bands, if
  any, in band extensions.
- scale: a choice of its points, each coded 1..n with its label and its number as ordinalValue,
  plus "ved ikke" from Samstem's answer codes where the scale offers it. Not an integer with
  minValue/maxValue: an integer answer could carry neither the labels nor "ved ikke".
- choice: a choice of its options, coded by their stored values.
- yesno: a boolean. text: a string; longtext: a text; both with their maxLength.
An indicator form is one group per factor (status, goal and a note), its family factor
holding the split parts as groups of their own; an ICF form adds the overall function level.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from app.fhir.codes import (
    BAND_EXTENSION,
    BASE,
    DONT_KNOW,
    INFORMANT_EXTENSION,
    ITEM_CONTROL,
    ITEM_CONTROL_SYSTEM,
    MAX_DECIMAL_PLACES,
    MAX_VALUE,
    MIN_VALUE,
    ORDINAL_VALUE,
    READER_WORDING_EXTENSION,
    ROLE_SYSTEM,
    ROLE_WORDS,
    SOURCE_LANGUAGE,
    UCUM,
    USAGE_CONTEXT_TYPE,
    answer_coding,
    coding,
    fhir_id,
    options_system,
    put_text,
    questionnaire_url,
    translations,
)
from app.indicators.catalogue import CHILD_PLACEHOLDER, Factor, IndicatorForm
from app.indicators.classification import FUNCTION_LEVELS
from app.instruments.catalogue import VAS_MAX, VAS_MIN, Audience, Instrument, Item
from app.instruments.readers import ADULT, CHILD

PUBLISHER = "Samstem"
# The FHIR item type of each item type a form file may ask (catalogue.QUESTION_TYPES).
ITEM_TYPES: dict[str, str] = {
    "vas": "decimal",
    "scale": "choice",
    "choice": "choice",
    "yesno": "boolean",
    "text": "string",
    "longtext": "text",
}
# The indicator forms' wording is the Aarhus evaluation's; their licence note says so.
INDICATOR_LICENCE = {
    "da": "Indikatorerne og trin 1 og 5 følger evalueringen af Aarhus Kommunes indikatorskemaer; trin 2–4 er "
          "Samstems ordlyd.",
    "en": "The indicators and steps 1 and 5 follow the evaluation of Aarhus Municipality's indicator forms; "
          "steps 2–4 are Samstem's wording.",
}
LEVEL_KEY = "function_level"
# What stands for the child's name in a title about the child: the Questionnaire names no child.
CHILD_WORD = {"da": "barnet", "en": "the child"}
FACTOR_PARTS = ("status", "goal", "text")


def _extension(url: str, kind: str, value: Any) -> dict:
    return {"url": url, f"value{kind}": value}


def _control(code: str) -> dict:
    return _extension(ITEM_CONTROL, "CodeableConcept", {"coding": [coding(ITEM_CONTROL_SYSTEM, code)]})


def _option(system: str, code: str, words: Mapping[str, str], ordinal: int | None = None) -> dict:
    option: dict[str, Any] = {"valueCoding": coding(system, code, words)}
    if ordinal is not None:
        option["extension"] = [_extension(ORDINAL_VALUE, "Decimal", ordinal)]
    return option


def _dont_know() -> dict:
    return {"valueCoding": answer_coding(DONT_KNOW)}


def _vas(instrument: Instrument, item: Item, found: dict) -> None:
    found["extension"] = [_extension(MIN_VALUE, "Decimal", VAS_MIN), _extension(MAX_VALUE, "Decimal", VAS_MAX),
                          _extension(MAX_DECIMAL_PLACES, "Integer", 1), _control("slider")]
    ends = []
    for position, (suffix, control) in enumerate((("low", "lower"), ("high", "upper"))):
        words = {lang: pair[position] for lang, pair in item.label_texts.items()}
        if words:
            ends.append(put_text({"linkId": f"{item.key}.{suffix}", "type": "display",
                                  "extension": [_control(control)]}, "text", words))
    if ends:
        found["item"] = ends
    for band in item.bands:
        parts = [_extension("from", "Integer", band.low), _extension("to", "Integer", band.high),
                 _extension("colour", "Code", band.colour), put_text({"url": "label"}, "valueString", band.label_texts)]
        found["extension"].append({"url": BAND_EXTENSION, "extension": parts})


def _scale(instrument: Instrument, item: Item, found: dict) -> None:
    system = options_system(instrument.id, item.key)
    found["extension"] = [_control("radio-button")]
    found["answerOption"] = [_option(system, value, words, int(value))
                             for value, words in zip(item.values, _labels_of(item))]
    if item.dont_know:
        found["answerOption"].append(_dont_know())


def _choice(instrument: Instrument, item: Item, found: dict) -> None:
    system = options_system(instrument.id, item.key)
    found["extension"] = [_control("radio-button")]
    found["answerOption"] = [_option(system, value, words) for value, words in zip(item.values, _labels_of(item))]


def _text(instrument: Instrument, item: Item, found: dict) -> None:
    if item.max_length:
        found["maxLength"] = item.max_length


def _nothing(instrument: Instrument, item: Item, found: dict) -> None:
    pass


CONSTRAINTS: dict[str, Callable[[Instrument, Item, dict], None]] = {
    "vas": _vas, "scale": _scale, "choice": _choice, "yesno": _nothing, "text": _text, "longtext": _text,
}


def _labels_of(item: Item) -> list[dict[str, str]]:
    """One {lang: label} per scale point, option or line end of the item."""
    count = len(next(iter(item.label_texts.values()), ()))
    return [{lang: labels[n] for lang, labels in item.label_texts.items()} for n in range(count)]


def _wording_of(instrument: Instrument, item: Item, reader: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The item's text and labels (per language) as this reader reads them; the adult reads
    the question worded about the child."""
    read = instrument.for_reader(reader).item(item.key)
    return {lang: read.text(lang, about_child=reader == ADULT) for lang in read.texts}, _labels_of(read)


def _reader_wordings(instrument: Instrument, item: Item) -> list[dict]:
    """One reader-wording extension per reader the form is sent to who reads the item in other
    words than the Questionnaire's own (its text and option or end labels)."""
    own = (dict(item.texts), _labels_of(item))
    found = []
    for reader in instrument.readers:
        texts, labels = wording = _wording_of(instrument, item, reader)
        if wording == own:
            continue
        parts = [{"url": "reader", "valueCode": reader}, put_text({"url": "text"}, "valueString", texts)]
        parts += [put_text({"url": "label"}, "valueString", words) for words in labels]
        found.append({"url": READER_WORDING_EXTENSION, "extension": parts})
    return found


def question(instrument: Instrument, item: Item) -> dict:
    """One item of an instrument as a Questionnaire item, in the words of the form's own reader;
    the other readers' words in reader-wording extensions."""
    found: dict[str, Any] = {"linkId": item.key}
    put_text(found, "text", item.texts)
    found["type"] = ITEM_TYPES[item.type]
    found["required"] = item.required
    CONSTRAINTS[item.type](instrument, item, found)
    wordings = _reader_wordings(instrument, item)
    if wordings:
        found["extension"] = [*found.get("extension", []), *wordings]
    return found


def _age_range(low: int | None, high: int | None) -> dict:
    found = {}
    for name, value in (("low", low), ("high", high)):
        if value is not None:
            found[name] = {"value": value, "unit": "år", "system": UCUM, "code": "a"}
    return found


def _use_context(audiences: Sequence[Audience]) -> list[dict]:
    """Who answers (usage context "user", one per role) and for which ages of the child ("age")."""
    roles = list(dict.fromkeys(role for audience in audiences for role in audience.roles))
    contexts = [{"code": coding(USAGE_CONTEXT_TYPE, "user"),
                 "valueCodeableConcept": {"coding": [coding(ROLE_SYSTEM, role, ROLE_WORDS.get(role))]}}
                for role in roles]
    ranges = list(dict.fromkeys((a.min_age, a.max_age) for a in audiences if (a.min_age, a.max_age) != (None, None)))
    contexts += [{"code": coding(USAGE_CONTEXT_TYPE, "age"), "valueRange": _age_range(low, high)}
                 for low, high in ranges]
    return contexts


def _informants(audiences: Sequence[Audience]) -> list[dict]:
    """The informant extension: per audience its roles and the child's ages it is meant for."""
    found = []
    for audience in audiences:
        parts = [_extension("role", "Coding", coding(ROLE_SYSTEM, role, ROLE_WORDS.get(role))) for role in audience.roles]
        if (audience.min_age, audience.max_age) != (None, None):
            parts.append(_extension("age", "Range", _age_range(audience.min_age, audience.max_age)))
        found.append({"url": INFORMANT_EXTENSION, "extension": parts})
    return found


def _name(form_id: str) -> str:
    """A computable name: "fit-outcome-child" is "FitOutcomeChild"."""
    return "".join(part.capitalize() for part in fhir_id(form_id).replace(".", "-").split("-") if part)


def _head(form_id: str, version: int, titles: Mapping[str, str], intros: Mapping[str, str],
          licences: Mapping[str, str], status: str) -> dict:
    found: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": fhir_id(form_id),
        "language": "da",
        "url": questionnaire_url(form_id),
        "identifier": [{"system": f"{BASE}/instrument", "value": form_id}],
        "version": str(version),
        "name": _name(form_id),
    }
    put_text(found, "title", titles)
    found.update(status=status, experimental=False, subjectType=["Patient"], publisher=PUBLISHER)
    if intros:
        put_text(found, "description", intros)
    if licences:
        put_text(found, "copyright", licences)
    return found


def questionnaire(form: Instrument | IndicatorForm) -> dict:
    """Return an instrument of forms/, or an indicator form, as a FHIR R4 Questionnaire (a JSON dict)."""
    if isinstance(form, IndicatorForm):
        return indicator_questionnaire(form)
    return instrument_questionnaire(form)


def instrument_questionnaire(instrument: Instrument) -> dict:
    """Return an instrument of forms/ as a FHIR R4 Questionnaire (a JSON dict)."""
    found = _head(instrument.id, instrument.version, instrument.titles, instrument.intros, instrument.licences, "active")
    found["extension"] = _informants(instrument.audiences)
    found["useContext"] = _use_context(instrument.audiences)
    found["item"] = [question(instrument, item) for item in instrument.items]
    return found


def questionnaires(instruments: Iterable[Instrument], indicator_forms: Iterable[IndicatorForm]) -> list[dict]:
    """Every form as a Questionnaire: the instruments of forms/, then the indicator forms."""
    return [questionnaire(form) for form in (*instruments, *indicator_forms)]


# --- indicator forms -----------------------------------------------------------------------------

def _steps(form: IndicatorForm, factor: Factor, goal: bool) -> list[dict]:
    system = options_system(form.id, "goal" if goal else "status")
    per_lang = {lang: form.guidance(factor, lang) for lang in (factor.guidance_texts or form.step_texts)}
    options = [_option(system, str(step), {lang: f"{step}: {texts[n]}" for lang, texts in per_lang.items()}, step)
               for n, step in enumerate(form.scale)]
    return [*options, _dont_know()]


def _factor(form: IndicatorForm, factor: Factor) -> dict:
    group: dict[str, Any] = {"linkId": factor.key}
    put_text(group, "text", factor.titles)
    group["type"] = "group"
    group["required"] = False
    # Who is asked this factor (`asked`), and a child only from `min_age` (issue 11 item 1).
    roles = [_extension("role", "Coding", coding(ROLE_SYSTEM, role, ROLE_WORDS.get(role))) for role in sorted(factor.asked)]
    if factor.min_age is not None:
        roles.append(_extension("age", "Range", _age_range(factor.min_age, None)))
    group["extension"] = [{"url": INFORMANT_EXTENSION, "extension": roles}]
    status = {"linkId": f"{factor.key}.status", "text": "Status", "_text": _english("Status"),
              "type": "choice", "answerOption": _steps(form, factor, goal=False)}
    parts = [status]
    if form.has_goals:
        parts.append({"linkId": f"{factor.key}.goal", "text": "Mål", "_text": _english("Goal"),
                      "type": "choice", "answerOption": _steps(form, factor, goal=True)})
    parts.append({"linkId": f"{factor.key}.text", "text": "Uddybning", "_text": _english("Comments"),
                  "type": "text"})
    group["item"] = parts + [_factor(form, part) for part in factor.parts]
    wordings = _factor_wordings(form, factor)
    if wordings:
        group["extension"] += wordings
    return group


def _factor_wordings(form: IndicatorForm, factor: Factor) -> list[dict]:
    """The factor as the child and the other respondents read it (issue 11 item 1): the child's
    title, the title about the child ("barnet" for the child's name) and the respondents' steps."""
    steps = form.respondent_step_texts
    step_labels = [{lang: texts[n] for lang, texts in steps.items()} for n in range(len(form.scale))] if steps else []
    found = []
    about = {lang: text.replace(CHILD_PLACEHOLDER, CHILD_WORD.get(lang, CHILD_WORD[SOURCE_LANGUAGE]))
             for lang, text in factor.about_titles.items()}
    for reader, titles in ((CHILD, factor.child_titles), (ADULT, about)):
        if not titles and not step_labels:
            continue
        parts = [{"url": "reader", "valueCode": reader}, put_text({"url": "text"}, "valueString", titles or factor.titles)]
        parts += [put_text({"url": "label"}, "valueString", words) for words in step_labels]
        found.append({"url": READER_WORDING_EXTENSION, "extension": parts})
    return found


def _english(text: str) -> dict:
    return translations({"en": text}) or {}


def _level(form: IndicatorForm) -> dict:
    system = options_system(form.id, LEVEL_KEY)
    options = [_option(system, letter, {lang: texts[n] for lang, texts in form.level_texts.items()}
                       or {"da": letter}) for n, letter in enumerate(FUNCTION_LEVELS)]
    return {"linkId": LEVEL_KEY, "text": "Samlet funktionsniveau", "_text": _english("Overall function level"),
            "type": "choice", "answerOption": [*options, _dont_know()]}


def indicator_questionnaire(form: IndicatorForm) -> dict:
    """Return an indicator form (or the ICF model's) as a FHIR R4 Questionnaire (a JSON dict)."""
    found = _head(form.id, form.version, form.titles, form.intros, INDICATOR_LICENCE,
                  "draft" if form.draft else "active")
    asked = sorted({role for factor in form.all_factors for role in factor.asked})
    found["useContext"] = [{"code": coding(USAGE_CONTEXT_TYPE, "user"),
                            "valueCodeableConcept": {"coding": [coding(ROLE_SYSTEM, role, ROLE_WORDS.get(role))]}}
                           for role in asked]
    found["extension"] = [{"url": INFORMANT_EXTENSION,
                           "extension": [_extension("role", "Coding", coding(ROLE_SYSTEM, role, ROLE_WORDS.get(role)))
                                         for role in asked]}]
    found["item"] = [_factor(form, factor) for factor in form.all_factors]
    if form.is_icf:
        found["item"].append(_level(form))
    return found


__all__ = ["ITEM_TYPES", "indicator_questionnaire", "instrument_questionnaire", "question", "questionnaire", "questionnaires"]
