"""Every questionnaire and indicator form in every language a respondent may choose (issue 18
item 1): the form files' texts, the validation messages, and `flask instruments validate`
failing, naming file, item and language, when one is missing."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app import indicators
from app.config import Config
from app.indicators.catalogue import check_languages as check_indicator_languages
from app.indicators.catalogue import load_indicator_forms
from app.instruments import build_form_class, init_app, load_catalogue
from app.instruments import fields as instrument_fields
from app.instruments.catalogue import InstrumentError, word
from app.instruments.cli import instruments_cli
from app.instruments.fields import MESSAGES, check_messages, message
from app.instruments.readers import SCALE_ENDS, speaks_of_good_and_bad

FORMS = Path(__file__).resolve().parents[1] / "forms"
BROKEN = Path(__file__).resolve().parent / "broken_forms"
RESPONDENT_LANGUAGES = tuple(Config.RESPONDENT_LANGUAGES)
# What a text in the language is written in: its own script, and no Latin word left
# untranslated (a {placeholder} is filled in, so it is not counted).
SCRIPTS = {"ar": re.compile(r"[\u0600-\u06FF]"), "uk": re.compile(r"[\u0400-\u04FF]")}
LATIN = re.compile(r"[A-Za-z]")
PLACEHOLDER = re.compile(r"{\w+}")
FORM_FILES = sorted(FORMS.glob("*.toml")) + sorted((FORMS / "indicators").glob("*.toml"))


def _texts(data: Any, lang: str, where: str = "") -> list[tuple[str, str]]:
    """Every text of the language in a file's data, with where it is (tables nest per language)."""
    found: list[tuple[str, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key == lang:
                values = value if isinstance(value, list) else [value]
                found += [(where, text) for text in values]
            else:
                found += _texts(value, lang, f"{where}.{key}" if where else key)
    elif isinstance(data, list):
        for number, value in enumerate(data, 1):
            found += _texts(value, lang, f"{where}[{number}]")
    return found


def _load(path: Path) -> dict:
    with path.open("rb") as file:
        return tomllib.load(file)


def test_the_respondent_languages_are_danish_english_arabic_and_ukrainian() -> None:
    """Issue 18 item 1 (the decision shared with helper langs): staff pages stay da and en."""
    assert RESPONDENT_LANGUAGES == ("da", "en", "ar", "uk")
    assert Config.LANGUAGES == ["da", "en"]


@pytest.mark.parametrize("lang", sorted(SCRIPTS))
@pytest.mark.parametrize("path", FORM_FILES, ids=[p.name for p in FORM_FILES])
def test_every_text_of_a_language_is_written_in_it(path: Path, lang: str) -> None:
    """Issue 18 item 1: a text marked Arabic or Ukrainian is in that script, not an English or
    Danish text copied over; and each file has its texts in the language."""
    texts = _texts(_load(path), lang)
    assert texts, f"{path.name} has no '{lang}' texts"
    for where, text in texts:
        assert SCRIPTS[lang].search(text), f"{path.name}: {where}: {text!r} is not in '{lang}'"
        assert not LATIN.search(PLACEHOLDER.sub("", text)), f"{path.name}: {where}: {text!r} has Latin letters"


@pytest.mark.parametrize("path", FORM_FILES, ids=[p.name for p in FORM_FILES])
def test_every_file_marks_its_first_translations_for_a_translator(path: Path) -> None:
    """Issue 18 item 1: the form files say which texts the organisation must have a translator
    check: here every Arabic and Ukrainian text, a first translation."""
    assert _load(path)["translator_check"] == ["ar", "uk"]


def test_the_loaded_forms_carry_the_translator_check() -> None:
    catalogue = load_catalogue(FORMS, RESPONDENT_LANGUAGES)
    assert {instrument.translator_check for instrument in catalogue.all()} == {("ar", "uk")}
    forms = load_indicator_forms(FORMS / "indicators", RESPONDENT_LANGUAGES)
    assert {form.translator_check for form in forms.all()} == {("ar", "uk")}


@pytest.mark.parametrize(("value", "problem"), [
    ('["da"]', "'translator_check' may list only en, ar, uk, not 'da'"),
    ('["fr"]', "'translator_check' may list only en, ar, uk, not 'fr'"),
    ('"ar"', "'translator_check' must be a list of languages"),
])
def test_translator_check_lists_only_shipped_translations(tmp_path: Path, value: str, problem: str) -> None:
    """Danish is the source, never a translation to check; an unknown language is a typo."""
    text = (FORMS / "see-happen.toml").read_text(encoding="utf-8")
    text = text.replace('translator_check = ["ar", "uk"]', f"translator_check = {value}")
    (tmp_path / "see-happen.toml").write_text(text, encoding="utf-8")
    with pytest.raises(InstrumentError, match=re.escape(problem)):
        load_catalogue(tmp_path, RESPONDENT_LANGUAGES)


# ---- flask instruments validate -----------------------------------------------------------------

def _cli_app(directory: Path) -> Flask:
    app = Flask(__name__)
    app.config["INSTRUMENTS_DIR"] = directory
    app.config["RESPONDENT_LANGUAGES"] = list(RESPONDENT_LANGUAGES)
    app.cli.add_command(instruments_cli)
    return app


@pytest.mark.parametrize(("case", "problem"), [
    ("missing-arabic", "missing-arabic/fit-session.toml: item 'topics': text: no 'ar' text\n"),
    # The child's own words (child.text) are texts too.
    ("missing-ukrainian-child-words", "participation-follow-up.toml: item 'still_backs': text (child's words): "
     "no 'uk' text\n"),
])
def test_validate_fails_naming_file_item_and_language(case: str, problem: str) -> None:
    """Issue 18 item 1: `flask instruments validate` fails when a text is missing in any shipped
    respondent language, and says where."""
    result = _cli_app(BROKEN / case).test_cli_runner().invoke(args=["instruments", "validate"])
    assert result.exit_code == 1
    assert problem in result.output
    assert "OK" not in result.output


def test_validate_passes_on_the_shipped_forms_in_every_respondent_language() -> None:
    app = _cli_app(FORMS)
    init_app(app)
    indicators.init_app(app)
    result = app.test_cli_runner().invoke(args=["instruments", "validate"])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("languages da, en, ar, uk\n")


def test_validate_fails_on_a_missing_validation_message(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 18 item 1: the validation messages in instruments/fields.py are checked too."""
    ukrainian = {key: text for key, text in MESSAGES["uk"].items() if key != "vas"}
    monkeypatch.setitem(instrument_fields.MESSAGES, "uk", ukrainian)
    result = _cli_app(FORMS).test_cli_runner().invoke(args=["instruments", "validate"])
    assert result.exit_code == 1
    assert "app/instruments/fields.py: MESSAGES['uk'] has no 'vas'\n" in result.output


def test_a_message_that_loses_its_placeholder_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit a too-long answer names must be in every language's message."""
    arabic = {**MESSAGES["ar"], "too_long": "جوابك طويل جدًا."}
    monkeypatch.setitem(instrument_fields.MESSAGES, "ar", arabic)
    assert check_messages(RESPONDENT_LANGUAGES) == [
        "app/instruments/fields.py: MESSAGES['ar']['too_long'] must name {max}, as the Danish does"]


# ---- the validation messages and fixed words in every language ----------------------------------

def test_every_validation_message_exists_in_every_respondent_language() -> None:
    assert check_messages(RESPONDENT_LANGUAGES) == []


@pytest.mark.parametrize("key", sorted(MESSAGES["da"]))
@pytest.mark.parametrize("lang", sorted(SCRIPTS))
def test_a_validation_message_is_written_in_its_language(lang: str, key: str) -> None:
    text = message(key, lang)
    assert SCRIPTS[lang].search(text) and not LATIN.search(PLACEHOLDER.sub("", text)), text


@pytest.mark.parametrize("lang", RESPONDENT_LANGUAGES)
def test_the_fixed_words_and_scale_ends_exist_in_every_respondent_language(lang: str) -> None:
    """Yes, no, don't know (catalogue.WORDS) and the shared ends (readers.SCALE_ENDS)."""
    assert all(word(key, lang) for key in ("yes", "no", "dont_know"))
    assert all(lang in ends for ends in SCALE_ENDS.values())


@pytest.fixture()
def app() -> Flask:
    app = Flask(__name__)
    app.config.update(WTF_CSRF_ENABLED=False, SECRET_KEY="test")
    return app


@pytest.mark.parametrize(("lang", "label", "required"), [
    ("ar", "استمعوا إليّ وفهموني واحترموني", "اكتب رقمًا من 0 إلى 10."),
    ("uk", "Мене слухали, розуміли й поважали", "Напишіть число від 0 до 10."),
])
def test_a_form_sent_empty_speaks_its_language(app: Flask, lang: str, label: str, required: str) -> None:
    """What a respondent notices: the question and the "please answer" message in their language."""
    catalogue = load_catalogue(FORMS, RESPONDENT_LANGUAGES)
    form_class = build_form_class([catalogue.get("fit-session")], lang)
    with app.test_request_context(method="POST", data={}):
        form = form_class()
        form.validate()
    assert form["fit-session"]["heard"].label.text == label
    assert form.errors["fit-session"]["heard"] == [required]


def test_a_childs_line_ends_in_the_childs_pair_in_arabic_and_ukrainian() -> None:
    catalogue = load_catalogue(FORMS, RESPONDENT_LANGUAGES)
    item = catalogue.get("fit-outcome-child").item("me")
    assert item.labels("ar") == ("سيئ جدًا", "جيد جدًا")
    assert item.labels("uk") == ("Дуже погано", "Дуже добре")


# ---- indicator forms: what respondents read, in every respondent language -----------------------

def test_an_indicator_forms_respondent_text_must_exist_but_its_staff_text_need_not(tmp_path: Path) -> None:
    """The child's and the parents' titles and steps are respondent texts (every respondent
    language); the form's own title, steps and guidance only staff read (da, en)."""
    text = (FORMS / "indicators" / "indicators-child-family.toml").read_text(encoding="utf-8")
    text = text.replace('child_title.uk = "Ти і твоя родина"\n', "", 1)
    (tmp_path / "indicators-child-family.toml").write_text(text, encoding="utf-8")
    forms = load_indicator_forms(tmp_path, RESPONDENT_LANGUAGES, ["da", "en"])
    shown = tmp_path / "indicators-child-family.toml"
    assert check_indicator_languages(forms) == [f"{shown}: factor 'family': child_title: no 'uk' text"]


@pytest.mark.parametrize(("end", "lang", "speaks"), [
    ("جيد جدًا", "ar", True),
    ("سيئ", "ar", True),
    ("أوافق تمامًا", "ar", False),
    ("Дуже добре", "uk", True),
    ("Погано", "uk", True),
    ("Повністю так", "uk", False),
])
def test_an_end_written_by_hand_is_read_for_bad_and_good_in_arabic_and_ukrainian(end: str, lang: str,
                                                                                  speaks: bool) -> None:
    """Issue 11 item 11 in the new languages: an end about bad and good must be the shared pair."""
    assert speaks_of_good_and_bad(end, lang) is speaks


@pytest.mark.parametrize(("lang", "typed", "shown"), [("ar", "7.5", "7.5"), ("uk", "7,5", "7,5")])
def test_a_line_answered_in_arabic_or_ukrainian_keeps_the_languages_decimal_mark(
        app: Flask, lang: str, typed: str, shown: str) -> None:
    """A line's number is read and shown with the decimal mark of the form's language."""
    catalogue = load_catalogue(FORMS, RESPONDENT_LANGUAGES)
    form_class = build_form_class([catalogue.get("fit-session")], lang)
    with app.test_request_context(method="POST", data={"fit-session.heard": typed}):
        form = form_class()
        form.validate()
    assert "heard" not in form.errors.get("fit-session", {})
    assert form["fit-session"]["heard"].data == 7.5
    assert form["fit-session"]["heard"]._value() == shown
