"""Forms built from instruments: posted strings in, typed answers out, messages in the form's language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app.instruments import (
    Catalogue,
    Instrument,
    answers_from_form,
    build_form_class,
    form_data_from_answers,
    load_catalogue,
)
from app.instruments.catalogue import ITEM_TYPES, WORDS
from app.instruments.fields import FIELD_FACTORIES, MESSAGES

FORMS = Path(__file__).resolve().parents[1] / "forms"

# One item of every type, so each field factory is exercised with the shipped ones.
ALL_TYPES = """
id = "all-types"
version = 1
group = "trial"
priority = 40
minutes = 1
title.da = "Alle typer"
title.en = "All types"
intro.da = "Et skema med alle slags spørgsmål."
intro.en = "A form with every kind of question."

[[audiences]]
roles = ["mother"]

[[items]]
key = "line"
type = "vas"
text.da = "Hvor godt?"
text.en = "How well?"
low.da = "Dårligt"
low.en = "Badly"
high.da = "Godt"
high.en = "Well"

[[items]]
key = "steps"
type = "scale"
points = 3
text.da = "Hvor meget?"
text.en = "How much?"
labels.da = ["Lidt", "Noget", "Meget"]
labels.en = ["A little", "Some", "A lot"]

[[items]]
key = "colour"
type = "choice"
text.da = "Hvilken farve?"
text.en = "Which colour?"

[[items.options]]
value = "red"
label.da = "Rød"
label.en = "Red"

[[items.options]]
value = "blue"
label.da = "Blå"
label.en = "Blue"

[[items]]
key = "agrees"
type = "yesno"
text.da = "Er du enig?"
text.en = "Do you agree?"

[[items]]
key = "name"
type = "text"
text.da = "Hvad hedder du?"
text.en = "What is your name?"

[[items]]
key = "story"
type = "longtext"
required = false
text.da = "Fortæl mere"
text.en = "Tell us more"
"""


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    directory = tmp_path_factory.mktemp("forms")
    for path in FORMS.glob("*.toml"):
        (directory / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (directory / "all-types.toml").write_text(ALL_TYPES, encoding="utf-8")
    return load_catalogue(directory, ["da", "en"])


@pytest.fixture()
def app() -> Flask:
    app = Flask(__name__)
    app.config.update(WTF_CSRF_ENABLED=False, SECRET_KEY="test")
    return app


def _post(app: Flask, instruments: list[Instrument], lang: str, data: dict[str, str]) -> Any:
    """Build the form class, post the data and validate; return the form."""
    form_class = build_form_class(instruments, lang)
    with app.test_request_context(method="POST", data=data):
        form = form_class()
        form.validate()
    return form


VALID = {
    "all-types.line": "7,3",
    "all-types.steps": "2",
    "all-types.colour": "blue",
    "all-types.agrees": "no",
    "all-types.name": "  Aya  ",
    "all-types.story": "   ",
    "participation-adult.heard_respected": "5",
    "participation-adult.contributed": "dont_know",
    "participation-adult.childs_view": "4",
    "participation-adult.plan_realistic": "3",
    "participation-adult.backs_plan": "4",
    "participation-adult.own_part": "1",
}


def test_valid_post_gives_typed_answers(app: Flask, catalogue: Catalogue) -> None:
    """Brief: float for vas (one decimal), int or "dont_know" for scale, str for choice/text, bool for yesno."""
    instruments = [catalogue.get("all-types"), catalogue.get("participation-adult")]
    form = _post(app, instruments, "da", VALID)
    assert form.errors == {}
    assert answers_from_form(form, instruments[0]) == {
        "line": 7.3,
        "steps": 2,
        "colour": "blue",
        "agrees": False,
        "name": "Aya",
    }
    adult = answers_from_form(form, instruments[1])
    assert adult == {
        "heard_respected": 5,
        "contributed": "dont_know",
        "childs_view": 4,
        "plan_realistic": 3,
        "backs_plan": 4,
        "own_part": 1,
    }
    assert [type(v) for v in answers_from_form(form, instruments[0]).values()] == [float, int, str, bool, str]


@pytest.mark.parametrize(
    ("posted", "expected"),
    [("0", 0.0), ("10", 10.0), ("10.0", 10.0), ("7", 7.0), ("7.3", 7.3), ("7,3", 7.3), (" 4.5 ", 4.5), ("05", 5.0)],
)
def test_vas_accepts_0_to_10_with_one_decimal(app: Flask, catalogue: Catalogue, posted: str, expected: float) -> None:
    """INSTRUMENTS.md §1: a visual analogue line 0–10, one decimal (a Danish comma too)."""
    instrument = catalogue.get("fit-session")
    data = {f"fit-session.{key}": "1" for key in ("topics", "approach", "overall")} | {"fit-session.heard": posted}
    form = _post(app, [instrument], "en", data)
    assert form.errors == {}
    assert answers_from_form(form, instrument)["heard"] == expected


# (rule, field, posted value or None for "not posted", message key, limit in the message)
BAD: list[tuple[str, str, str | None, str]] = [
    ("vas above 10", "line", "11", "vas"),
    ("vas below 0", "line", "-1", "vas"),
    ("vas not a number", "line", "abc", "vas"),
    ("vas with two decimals", "line", "5.55", "vas"),
    ("vas just above 10", "line", "10.1", "vas"),
    ("vas in exponent notation", "line", "1e1", "vas"),
    ("vas not answered", "line", None, "line_required"),  # issue 11, item 8: a number field asks for a number
    ("scale outside its points", "steps", "4", "choice"),
    ("scale point 0 does not exist", "steps", "0", "choice"),
    ("dont_know only where the item allows it", "steps", "dont_know", "choice"),
    ("scale not answered", "steps", "", "required"),
    ("choice not listed", "colour", "purple", "choice"),
    ("yes/no only yes or no", "agrees", "maybe", "choice"),
    ("required text left blank", "name", "   ", "required"),
    ("text longer than 200", "name", "x" * 201, "too_long"),
    ("longtext longer than 4000", "story", "x" * 4001, "too_long"),
]


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize(("rule", "key", "posted", "message_key"), BAD, ids=[b[0] for b in BAD])
def test_bad_value_is_rejected_in_the_forms_language(
    app: Flask, catalogue: Catalogue, lang: str, rule: str, key: str, posted: str | None, message_key: str
) -> None:
    """Brief: each bad value is rejected, with the message in the respondent's language."""
    instrument = catalogue.get("all-types")
    data = {k: v for k, v in VALID.items() if k.startswith("all-types.")}
    data.pop(f"all-types.{key}")
    if posted is not None:
        data[f"all-types.{key}"] = posted
    form = _post(app, [instrument], lang, data)
    limit = 4000 if key == "story" else 200
    expected = MESSAGES[lang][message_key].format(max=limit)
    assert form.errors == {"all-types": {key: [expected]}}, rule
    if message_key == "too_long":
        assert str(limit) in expected


@pytest.mark.parametrize(
    ("lang", "required", "too_long"),
    [
        ("da", "Svar venligst på dette spørgsmål.", "Dit svar må højst være 200 tegn langt."),
        ("en", "Please answer this question.", "Please keep your answer to 200 characters or fewer."),
    ],
)
def test_messages_are_worded_for_respondents(lang: str, required: str, too_long: str) -> None:
    """Brief: "Svar venligst på dette spørgsmål." / "Please answer this question."; the limit is said."""
    assert MESSAGES[lang]["required"] == required
    assert MESSAGES[lang]["too_long"].format(max=200) == too_long


# Issue 11, item 8: a line left empty asks for a number (a number field without JavaScript);
# respond.js shows the "move the dot" text instead once the line is there.
@pytest.mark.parametrize(
    ("lang", "without_js", "with_js"),
    [
        ("da", "Skriv et tal fra 0 til 10.", "Flyt prikken – også hvis du vil svare midt på linjen."),
        ("en", "Write a number from 0 to 10.", "Move the dot – even if you want to answer in the middle of the line."),
    ],
)
def test_an_empty_line_is_asked_for_both_ways(app: Flask, catalogue: Catalogue, lang: str, without_js: str,
                                              with_js: str) -> None:
    form = _post(app, [catalogue.get("fit-session")], lang, {"fit-session.heard": " ", "fit-session.topics": "11"})
    heard, topics = form["fit-session"]["heard"], form["fit-session"]["topics"]
    assert heard.errors == [without_js] and heard.untouched == with_js
    assert topics.errors and topics.untouched == ""  # a wrong number keeps its own message
    assert form["fit-session"]["overall"].untouched == with_js  # not sent at all


def test_unknown_language_gets_danish_messages(app: Flask, catalogue: Catalogue) -> None:
    """Brief: text lookups fall back to Danish, the source language."""
    form = _post(app, [catalogue.get("fit-session")], "fr", {})
    assert form.errors["fit-session"]["heard"] == ["Skriv et tal fra 0 til 10."]
    assert form["fit-session"]["heard"].label.text == "Jeg blev lyttet til, forstået og respekteret"


def test_optional_items_may_stay_unanswered(app: Flask, catalogue: Catalogue) -> None:
    """INSTRUMENTS.md §2: the open question is optional; unanswered optional items are left out."""
    instrument = catalogue.get("participation-follow-up")
    data = {"participation-follow-up.still_backs": "4", "participation-follow-up.network_helped": "dont_know",
            "participation-follow-up.plan_helped": "5", "participation-follow-up.comment": " \r\n "}
    form = _post(app, [instrument], "da", data)
    assert form.errors == {}
    assert answers_from_form(form, instrument) == {"still_backs": 4, "network_helped": "dont_know", "plan_helped": 5}


def test_longtext_counts_a_line_break_once(app: Flask, catalogue: Catalogue) -> None:
    """Brief: the text limit is what the respondent typed; a browser's CRLF is one line break."""
    instrument = catalogue.get("all-types")
    data = {k: v for k, v in VALID.items() if k.startswith("all-types.")}
    data["all-types.story"] = "a\r\n" * 1999 + "ab"
    form = _post(app, [instrument], "en", data)
    assert form.errors == {}
    assert answers_from_form(form, instrument)["story"] == "a\n" * 1999 + "ab"


@pytest.mark.parametrize(
    ("lang", "question", "labels"),
    [
        ("da", "Jeg følte mig hørt og respekteret",
         ["Helt uenig", "Uenig", "Hverken enig eller uenig", "Enig", "Helt enig", "Ved ikke"]),
        ("en", "I felt heard and respected",
         ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree", "Don't know"]),
    ],
)
def test_labels_are_in_the_requested_language(
    app: Flask, catalogue: Catalogue, lang: str, question: str, labels: list[str]
) -> None:
    """Brief: labels in the requested language; dont_know adds "Ved ikke" / "Don't know"."""
    instrument = catalogue.get("participation-adult")
    with app.test_request_context(method="GET"):
        form = build_form_class([instrument], lang)()
        field = form["participation-adult"]["heard_respected"]
        assert field.label.text == question
        assert [c.label for c in field.choices] == labels
        assert [c.value for c in field.choices] == ["1", "2", "3", "4", "5", "dont_know"]
        assert form["participation-adult"].label.text == instrument.title(lang)


def test_html_names_join_instrument_and_item_with_a_dot(app: Flask, catalogue: Catalogue) -> None:
    """Brief: one subform per instrument, separator ".", so names read "fit-session.heard"."""
    instruments = [catalogue.get("fit-outcome-child"), catalogue.get("fit-session")]
    with app.test_request_context(method="GET"):
        form = build_form_class(instruments, "da")()
        assert [f.name for f in form] == ["fit-outcome-child", "fit-session"]
        names = [f"fit-session.{k}" for k in ("heard", "topics", "approach", "overall")]
        assert [f.name for f in form["fit-session"]] == names
        html = form["fit-session"]["heard"]()
        # A number field, not a range input, which would send a value nobody gave (issue 10, item 1).
        assert 'name="fit-session.heard"' in html and 'type="text"' in html and 'inputmode="decimal"' in html
        assert form["fit-outcome-child"]["me"].item.faces is True
        assert form["fit-session"].form.instrument is instruments[1]


def test_csrf_guards_the_whole_form_not_each_subform(catalogue: Catalogue) -> None:
    """Brief: subforms are plain wtforms.Form without CSRF; the FlaskForm carries it."""
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test")
    with app.test_request_context(method="GET"):
        form = build_form_class([catalogue.get("fit-session")], "da")()
        assert "csrf_token" in form
        assert "csrf_token" not in form["fit-session"].form


ROUND_TRIP: list[tuple[str, dict[str, Any]]] = [
    ("all-types", {"line": 0.0, "steps": 3, "colour": "red", "agrees": True, "name": "Aya", "story": "Et\nTo"}),
    ("all-types", {"line": 10.0, "steps": 1, "colour": "blue", "agrees": False, "name": "Bo"}),
    ("participation-child", {"listened": 5, "said_what_mattered": "dont_know", "understood": 1, "knows_next": 3,
                             "plan_helps": 4, "comment": "Tak"}),
    ("fit-outcome", {"personal": 9.9, "relations": 0.1, "school_work": 5.0, "overall": 7.3}),
]


@pytest.mark.parametrize(("instrument_id", "answers"), ROUND_TRIP, ids=lambda v: v if isinstance(v, str) else None)
def test_stored_answers_round_trip_through_the_form(
    app: Flask, catalogue: Catalogue, instrument_id: str, answers: dict[str, Any]
) -> None:
    """Brief: form_data_from_answers prefills a form that gives the same answers back."""
    instrument = catalogue.get(instrument_id)
    data = form_data_from_answers(instrument, answers)
    assert all(isinstance(v, str) for v in data.values())
    form = _post(app, [instrument], "da", {f"{instrument_id}.{key}": value for key, value in data.items()})
    assert form.errors == {}
    assert answers_from_form(form, instrument) == answers


def test_prefilled_form_shows_stored_answers(app: Flask, catalogue: Catalogue) -> None:
    """Brief: a respondent who comes back sees the earlier answers in the fields."""
    instrument = catalogue.get("all-types")
    data = form_data_from_answers(instrument, {"line": 7.0, "steps": 2, "agrees": True, "name": "Aya"})
    assert data == {"line": "7.0", "steps": "2", "agrees": "yes", "name": "Aya"}
    with app.test_request_context(method="GET"):
        form = build_form_class([instrument], "da")(data={instrument.id: data})
        subform = form["all-types"]
        assert (subform["line"].data, subform["steps"].data, subform["agrees"].data) == (7.0, "2", "yes")
        # Shown with the form's decimal mark: 7,0 in Danish (issue 10, item 11).
        assert 'value="7,0"' in subform["line"]() and 'value="Aya"' in subform["name"]()
        assert subform["colour"].data is None


# Issue 10, item 11: a number a respondent sees has the decimal mark of the form's language;
# what was typed and refused is shown as typed. (language, posted, shown)
SHOWN_AGAIN = [
    ("da", "6.7", "6,7"),
    ("da", "6,7", "6,7"),
    ("en", "6,7", "6.7"),
    ("da", "10", "10,0"),
    ("da", "abc", "abc"),
    ("en", "", ""),
]


@pytest.mark.parametrize(("lang", "posted", "shown"), SHOWN_AGAIN)
def test_a_line_shows_its_number_in_the_forms_language(app: Flask, catalogue: Catalogue, lang: str, posted: str,
                                                       shown: str) -> None:
    form = _post(app, [catalogue.get("all-types")], lang, {"all-types.line": posted})
    field = form["all-types"]["line"]
    assert field._value() == shown
    assert f'value="{shown}"' in field()


def test_every_item_type_has_a_field() -> None:
    """STYLE.md habit 5: a registry maps item types to fields; the loader accepts no type it lacks."""
    assert set(FIELD_FACTORIES) == ITEM_TYPES


def test_fixed_words_exist_in_the_same_languages() -> None:
    """Brief: form-level messages in da and en; every language has every message and word."""
    assert set(MESSAGES) == set(WORDS) >= {"da", "en"}
    assert all(MESSAGES[lang].keys() == MESSAGES["da"].keys() for lang in MESSAGES)
    assert all(WORDS[lang].keys() == WORDS["da"].keys() for lang in WORDS)


# (rule, instrument, item, stored value, language, shown)
DISPLAY: list[tuple[str, str, str, Any, str, str]] = [
    ("VAS with one decimal, Danish decimal comma", "fit-session", "heard", 7.3, "da", "7,3"),
    ("VAS with one decimal in English", "fit-session", "heard", 7.3, "en", "7.3"),
    ("VAS whole number", "fit-session", "heard", 10.0, "en", "10.0"),
    ("scale point and label", "participation-adult", "backs_plan", 4, "da", "4 · Enig"),
    ("scale point and label in English", "participation-adult", "backs_plan", 4, "en", "4 · Agree"),
    ("don't know in Danish", "participation-adult", "backs_plan", "dont_know", "da", "Ved ikke"),
    ("don't know in English", "participation-adult", "backs_plan", "dont_know", "en", "Don't know"),
    ("choice label", "all-types", "colour", "blue", "da", "Blå"),
    ("yes in Danish", "all-types", "agrees", True, "da", "Ja"),
    ("no in English", "all-types", "agrees", False, "en", "No"),
    ("text as is", "all-types", "name", "Aya", "en", "Aya"),
    ("no answer", "all-types", "name", None, "da", ""),
    ("no VAS answer", "fit-session", "heard", None, "en", ""),
]


@pytest.mark.parametrize(
    ("rule", "instrument_id", "key", "value", "lang", "shown"), DISPLAY, ids=[d[0] for d in DISPLAY]
)
def test_display(
    catalogue: Catalogue, rule: str, instrument_id: str, key: str, value: Any, lang: str, shown: str
) -> None:
    """Brief: Item.display shows a stored answer the way a reader sees it."""
    assert catalogue.get(instrument_id).item(key).display(value, lang) == shown, rule
