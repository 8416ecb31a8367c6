"""WTForms classes built from instruments: one field type per item type, messages per language."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, Form, FormField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField
from wtforms.validators import Length, StopValidation
from wtforms.widgets import TextInput

from app.i18n import decimal1, decimal_mark
from app.instruments.blocks import BLOCK_FACTORIES, Block, Part
from app.instruments.catalogue import DONT_KNOW, SOURCE_LANGUAGE, Instrument, Item, word

SEPARATOR = "."
YES, NO = "yes", "no"

# Respondent-facing and therefore in the respondent's language, without Flask-Babel:
# the form is built for one language and its messages must match its labels.
MESSAGES: dict[str, dict[str, str]] = {
    "da": {
        "required": "Svar venligst på dette spørgsmål.",
        "line_required": "Skriv et tal fra 0 til 10.",
        "line_untouched": "Flyt prikken – også hvis du vil svare midt på linjen.",
        "vas": "Vælg et tal fra 0 til 10 med højst én decimal.",
        "choice": "Vælg et af svarene.",
        "too_long": "Dit svar må højst være {max} tegn langt.",
    },
    "en": {
        "required": "Please answer this question.",
        "line_required": "Write a number from 0 to 10.",
        "line_untouched": "Move the dot – even if you want to answer in the middle of the line.",
        "vas": "Choose a number from 0 to 10, with at most one decimal.",
        "choice": "Please choose one of the answers.",
        "too_long": "Please keep your answer to {max} characters or fewer.",
    },
    "ar": {
        "required": "من فضلك أجب عن هذا السؤال.",
        "line_required": "اكتب رقمًا من 0 إلى 10.",
        "line_untouched": "حرّك النقطة – حتى لو أردت أن تجيب في وسط الخط.",
        "vas": "اختر رقمًا من 0 إلى 10، وبعد الفاصلة رقم واحد على الأكثر.",
        "choice": "اختر إجابة واحدة.",
        "too_long": "يجب ألا يزيد جوابك عن {max} حرفًا.",
    },
    "uk": {
        "required": "Будь ласка, дайте відповідь на це запитання.",
        "line_required": "Напишіть число від 0 до 10.",
        "line_untouched": "Пересуньте крапку – навіть якщо хочете відповісти посередині лінії.",
        "vas": "Виберіть число від 0 до 10, не більше однієї цифри після коми.",
        "choice": "Виберіть одну з відповідей.",
        "too_long": "Ваша відповідь може мати не більше {max} знаків.",
    },
}

# Digits, then at most one decimal; a comma is what a Danish keyboard types.
_VAS = re.compile(r"^\d{1,2}(?:[.,]\d)?$")
# The same, for the browser's pattern attribute (anchored by the browser; spaces allowed as above).
VAS_PATTERN = r"\s*\d{1,2}([.,]\d)?\s*"


# An unanswered item's message, where the item type asks in its own words. A line left empty
# is a number field without JavaScript ("write a number"); respond.js, which turns it into a
# line to move, shows the field's `untouched` text instead (issue 11, item 8).
REQUIRED = {"vas": "line_required"}


_PLACEHOLDER = re.compile(r"{\w+}")


def check_messages(languages: Sequence[str]) -> list[str]:
    """Return one problem per validation message missing in a respondent language, or not
    naming the same placeholders as the Danish (issue 18 item 1: checked by `instruments validate`)."""
    problems = []
    for lang in languages:
        messages = MESSAGES.get(lang, {})
        for key, danish in MESSAGES[SOURCE_LANGUAGE].items():
            text, wanted = messages.get(key, ""), sorted(set(_PLACEHOLDER.findall(danish)))
            if not text.strip():
                problems.append(f"app/instruments/fields.py: MESSAGES['{lang}'] has no '{key}'")
            elif sorted(set(_PLACEHOLDER.findall(text))) != wanted:
                problems.append(f"app/instruments/fields.py: MESSAGES['{lang}']['{key}'] must name "
                                f"{', '.join(wanted) or 'no placeholder'}, as the Danish does")
    return problems


def message(key: str, lang: str) -> str:
    """Return a validation message in the language, falling back to Danish."""
    return MESSAGES.get(lang, MESSAGES[SOURCE_LANGUAGE])[key]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_vas(text: str) -> float | None:
    """Return the VAS value a string holds (0–10, one decimal), or None if it holds none."""
    text = text.strip()
    if not _VAS.match(text):
        return None
    value = float(text.replace(",", "."))
    return value if value <= 10 else None


class _Answered:
    """Stop with the form's "please answer" message when the item has no answer."""

    # No "required" field flag: it would render the HTML attribute, and the browser would
    # then speak its own language and block "I don't want to answer". The server checks.
    def __init__(self, text: str) -> None:
        self.text = text

    def __call__(self, form: Form, field: Field) -> None:
        if _blank(field.data):
            raise StopValidation(self.text)


def _optional(form: Form, field: Field) -> None:
    """Skip the remaining checks of an optional item left unanswered."""
    if _blank(field.data):
        raise StopValidation()


class _ItemField:
    """Mixin: the field knows its item, so a template can ask for faces, anchors or type."""

    def __init__(self, *args: Any, item: Item, invalid: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        self.invalid = invalid


class VasField(_ItemField, Field):
    """A 0–10 line with one decimal, as a number field that starts empty.

    Not a native range input: that always sends a value, so a line nobody touched would be
    stored as 5.0. static/respond.js puts a line to drag or tap beside the field when
    JavaScript runs; the line writes into the field only once it is touched.
    """

    widget = TextInput()
    raw: str | None = None  # what was posted, shown again when it was not a valid number

    def __init__(self, *args: Any, lang: str, **kwargs: Any) -> None:
        attributes = {"inputmode": "decimal", "autocomplete": "off", "pattern": VAS_PATTERN,
                      "class": "vas-number", "data-decimal": decimal_mark(lang)}
        super().__init__(*args, render_kw=attributes, **kwargs)
        self.lang = lang

    def process_data(self, value: Any) -> None:
        # Prefilled data may be a stored float or the string form_data_from_answers gives.
        self.data = None if value is None else parse_vas(str(value))

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.raw = str(valuelist[0]) if valuelist else ""
        self.data = parse_vas(self.raw)

    def pre_validate(self, form: Form) -> None:
        if not _blank(self.raw) and self.data is None:
            raise StopValidation(self.invalid)

    @property
    def untouched(self) -> str:
        """The line's "move the dot" message when it was sent empty, else ""."""
        return message("line_untouched", self.lang) if self.errors and _blank(self.raw) else ""

    def _value(self) -> str:
        # In the form's language: 6,7 in Danish (issue 10, item 11); what was typed if not a number.
        if self.data is not None:
            return decimal1(self.data, self.lang)
        return self.raw or ""


class AnswerRadioField(_ItemField, RadioField):
    """A radio group whose only allowed values are its own choices."""

    def pre_validate(self, form: Form) -> None:
        if not _blank(self.data) and self.data not in {c.value for c in self.choices}:
            raise StopValidation(self.invalid)


class ShortTextField(_ItemField, StringField):
    """A one-line answer."""


class LongTextField(_ItemField, TextAreaField):
    """A free-text answer of several lines."""


def _clean_text(value: Any) -> Any:
    # Browsers send CRLF; count a line break as the one character the textarea showed.
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def _radio(item: Item, choices: list[SelectChoice], validators: list[Any], lang: str) -> UnboundField:
    return AnswerRadioField(item.text(lang), validators, choices=choices, item=item, invalid=message("choice", lang))


def _vas_field(item: Item, validators: list[Any], lang: str) -> UnboundField:
    return VasField(item.text(lang), validators, item=item, invalid=message("vas", lang), lang=lang)


def _listed(item: Item, lang: str) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in zip(item.values, item.labels(lang))]


def _scale_field(item: Item, validators: list[Any], lang: str) -> UnboundField:
    extra = [SelectChoice(DONT_KNOW, word(DONT_KNOW, lang))] if item.dont_know else []
    return _radio(item, _listed(item, lang) + extra, validators, lang)


def _choice_field(item: Item, validators: list[Any], lang: str) -> UnboundField:
    return _radio(item, _listed(item, lang), validators, lang)


def _yesno_field(item: Item, validators: list[Any], lang: str) -> UnboundField:
    return _radio(item, [SelectChoice(YES, word("yes", lang)), SelectChoice(NO, word("no", lang))], validators, lang)


def _text_field(field_class: type[Field]) -> Callable[[Item, list[Any], str], UnboundField]:
    def factory(item: Item, validators: list[Any], lang: str) -> UnboundField:
        limit = Length(max=item.max_length, message=message("too_long", lang).format(max=item.max_length))
        return field_class(
            item.text(lang),
            [*validators, limit],
            filters=[_clean_text],
            item=item,
            render_kw={"maxlength": item.max_length},
        )

    return factory


# Every item type a respondent answers, a questionnaire's and a block's (blocks.py), by name:
# item, extra validators, language -> an unbound field.
FieldFactory = Callable[..., UnboundField]
FIELD_FACTORIES: dict[str, FieldFactory] = {
    "vas": _vas_field,
    "scale": _scale_field,
    "choice": _choice_field,
    "yesno": _yesno_field,
    "text": _text_field(ShortTextField),
    "longtext": _text_field(LongTextField),
    **BLOCK_FACTORIES,
}

# Per item type: a valid field's data -> the stored answer; a stored answer -> the posted string.
_TO_ANSWER: dict[str, Callable[[Any], Any]] = {
    "vas": float,
    "scale": lambda data: data if data == DONT_KNOW else int(data),
    "choice": str,
    "yesno": lambda data: data == YES,
    "text": str,
    "longtext": str,
}
_TO_FORM: dict[str, Callable[[Any], str]] = {
    "vas": lambda value: f"{float(value):.1f}",
    "scale": str,
    "choice": str,
    "yesno": lambda value: YES if value else NO,
    "text": str,
    "longtext": str,
}


def _subform_class(instrument: Instrument, lang: str) -> type[Form]:
    fields: dict[str, Any] = {"instrument": instrument}
    for item in instrument.items:
        check = _Answered(message(REQUIRED.get(item.type, "required"), lang)) if item.required else _optional
        fields[item.key] = FIELD_FACTORIES[item.type](item, [check], lang)
    return type(f"{instrument.id}-form", (Form,), fields)


def build_form_class(instruments: Sequence[Instrument], lang: str,
                     base: type[FlaskForm] = FlaskForm) -> type[FlaskForm]:
    """Return a form (a `base`) with one subform per instrument, labels and messages in the language."""
    fields: dict[str, Any] = {"instruments": tuple(instruments), "lang": lang}
    for instrument in instruments:
        fields[instrument.id] = FormField(
            _subform_class(instrument, lang), label=instrument.title(lang), separator=SEPARATOR
        )
    return type("InstrumentsForm", (base,), fields)


def build_block_form(items: Sequence[Part | Block], base: type[Form] = Form, **attributes: Any) -> type[Form]:
    """Return a form class with a field per part and a subform per block, in order."""
    fields: dict[str, Any] = {"items": tuple(items), **attributes}
    for item in items:
        fields[item.key] = FIELD_FACTORIES[item.type](item)
    return type("BlocksForm", (base,), fields)


def answers_from_form(form: Form, instrument: Instrument) -> dict[str, Any]:
    """Return the validated answers to one instrument, keyed by item; unanswered items left out."""
    subform = form[instrument.id].form
    return {
        item.key: _TO_ANSWER[item.type](subform[item.key].data)
        for item in instrument.items
        if not _blank(subform[item.key].data)
    }


def form_data_from_answers(instrument: Instrument, answers: Mapping[str, Any]) -> dict[str, str]:
    """Return stored answers as the strings a browser would post, keyed by item.

    Prefill with `FormClass(data={instrument.id: form_data_from_answers(instrument, answers)})`.
    """
    return {
        item.key: _TO_FORM[item.type](answers[item.key])
        for item in instrument.items
        if item.key in answers and not _blank(answers[item.key])
    }
