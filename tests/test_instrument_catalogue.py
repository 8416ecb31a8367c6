"""The shipped instrument files load and say what INSTRUMENTS.md says; broken files are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from app.instruments import (
    Catalogue,
    InstrumentError,
    check_languages,
    current_catalogue,
    init_app,
    load_catalogue,
)
from app.instruments.catalogue import DEFAULT_DIRECTORY, load_instrument

ROOT = Path(__file__).resolve().parents[1]
FORMS = ROOT / "forms"
BROKEN = Path(__file__).resolve().parent / "broken_forms"
SHIPPED = sorted(FORMS.glob("*.toml"))


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(FORMS, ["da", "en"])


def test_default_directory_is_the_projects_forms() -> None:
    """DESIGN.md §4: the catalogue lives in forms/ at the project root."""
    assert DEFAULT_DIRECTORY == FORMS


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_file_loads(path: Path) -> None:
    """DESIGN.md §4: adding an instrument is adding a file; each shipped file is valid."""
    assert load_instrument(path).id == path.stem


def test_the_catalogue_holds_the_shipped_instruments(catalogue: Catalogue) -> None:
    """INSTRUMENTS.md §1–2, §6: six FIT forms, four participation forms, see-happen and the
    well-being ruler, sorted by priority then id."""
    assert [i.id for i in catalogue.all()] == [
        "fit-outcome",
        "fit-outcome-child",
        "fit-outcome-young",
        "fit-session",
        "fit-session-child",
        "fit-session-young",
        "participation-adult",
        "participation-child",
        "participation-follow-up",
        "participation-network",
        "wellbeing-ruler",
        "see-happen",
    ]
    assert "fit-session" in catalogue and "ors" not in catalogue
    with pytest.raises(KeyError):
        catalogue.get("ors")


def test_shipped_texts_exist_in_every_language(catalogue: Catalogue) -> None:
    """DESIGN.md §4: `flask instruments validate` fails when a shipped language misses a text."""
    assert check_languages(catalogue) == []


VAS4 = ("vas",) * 4
PART = "participation"


def _agree(n: int) -> tuple[str, ...]:
    """Return n agreement-scale items followed by the open question."""
    return ("scale",) * n + ("longtext",)


@pytest.mark.parametrize(
    ("instrument_id", "group", "priority", "scored", "method", "types", "rule"),
    [
        ("fit-outcome", "fit", 10, True, "sum", VAS4, "§1: four VAS items, total 0–40"),
        ("fit-outcome-child", "fit", 10, True, "sum", VAS4, "§1: four VAS items with faces"),
        ("fit-outcome-young", "fit", 10, False, None, ("scale",), "§1: one question, five faces, never scored"),
        ("fit-session", "fit", 20, True, "sum", VAS4, "§1: four VAS items, total 0–40"),
        ("fit-session-child", "fit", 20, True, "sum", VAS4, "§1: four VAS items with faces"),
        ("fit-session-young", "fit", 20, False, None, ("scale",), "§1: one question, five faces, dialogue only"),
        ("participation-child", PART, 30, True, "mean", _agree(5), "§2: five + open"),
        ("participation-adult", PART, 30, True, "mean", _agree(6), "§2: six + open"),
        ("participation-network", PART, 30, True, "mean", _agree(7), "§2: adult + own tasks"),
        ("participation-follow-up", PART, 30, True, "mean", _agree(3), "§2: three + open"),
    ],
)
def test_shipped_instrument_shape(
    catalogue: Catalogue,
    instrument_id: str,
    group: str,
    priority: int,
    scored: bool,
    method: str | None,
    types: tuple[str, ...],
    rule: str,
) -> None:
    """INSTRUMENTS.md: each file has the items, group, page order and scoring of its table row."""
    instrument = catalogue.get(instrument_id)
    assert (instrument.group, instrument.priority, instrument.scored) == (group, priority, scored), rule
    assert (instrument.scoring.method if instrument.scoring else None) == method, rule
    assert tuple(i.type for i in instrument.items) == types, rule
    assert instrument.is_fit == (group == "fit")
    assert instrument.minutes >= 1 and instrument.title("da") and instrument.intro("en")


@pytest.mark.parametrize(
    ("instrument_id", "rule"),
    [
        ("fit-outcome-child", "§1: a sad face at 0, a happy face at 10 for children 6–12"),
        ("fit-session-child", "§1: the child session scale has faces"),
        ("fit-outcome-young", "§1: five faces for the youngest"),
        ("fit-session-young", "§1: five faces for the youngest"),
        ("participation-child", "§2: children see faces"),
    ],
)
def test_child_forms_show_faces(catalogue: Catalogue, instrument_id: str, rule: str) -> None:
    """INSTRUMENTS.md: every rated item a child sees has faces."""
    rated = [i for i in catalogue.get(instrument_id).items if i.type in ("vas", "scale")]
    assert rated and all(i.faces for i in rated), rule


@pytest.mark.parametrize(
    ("instrument_id", "reader", "ends"),
    [
        # Issue 11 item 5: a child answers in concrete words, not agree or disagree.
        ("participation-child", "child", ("Passer slet ikke", "Passer helt")),
        ("participation-child", "youth", ("Helt uenig", "Helt enig")),
        ("participation-adult", "adult", ("Helt uenig", "Helt enig")),
        ("participation-network", "adult", ("Helt uenig", "Helt enig")),
        ("participation-follow-up", "child", ("Passer slet ikke", "Passer helt")),
        ("participation-follow-up", "youth", ("Helt uenig", "Helt enig")),
        ("participation-follow-up", "adult", ("Helt uenig", "Helt enig")),
    ],
)
def test_participation_scale(catalogue: Catalogue, instrument_id: str, reader: str, ends: tuple[str, str]) -> None:
    """INSTRUMENTS.md §2: 5 points helt uenig … helt enig (a child: passer slet ikke … passer helt)
    plus "ved ikke"; the open question is optional."""
    instrument = catalogue.get(instrument_id).for_reader(reader)
    *rated, open_question = instrument.items
    for item in rated:
        assert (item.points, item.dont_know, item.required) == (5, True, True)
        assert (item.labels("da")[0], item.labels("da")[-1]) == ends
        assert item.divergence == 2.0
    assert (open_question.type, open_question.required, open_question.max_length) == ("longtext", False, 4000)


def test_network_form_is_the_adult_form_plus_own_tasks(catalogue: Catalogue) -> None:
    """INSTRUMENTS.md §2: network = as adults, plus "I know what I have agreed to do" (same keys, comparable)."""
    adult = [i.key for i in catalogue.get("participation-adult").items]
    network = [i.key for i in catalogue.get("participation-network").items]
    assert network == adult[:-1] + ["own_tasks", adult[-1]]


@pytest.mark.parametrize(
    ("instrument_id", "reliable_change", "item_cutoff", "fall"),
    [
        ("fit-outcome", 5.0, None, None),
        ("fit-outcome-child", 5.0, None, None),
        ("fit-session", None, 9.0, 1.0),
        ("fit-session-child", None, 9.0, 1.0),
    ],
)
def test_fit_signal_numbers_live_in_the_files(
    catalogue: Catalogue,
    instrument_id: str,
    reliable_change: float | None,
    item_cutoff: float | None,
    fall: float | None,
) -> None:
    """INSTRUMENTS.md §1: reliable change 5; session item below 9 or a fall of 1 is a signal."""
    scoring = catalogue.get(instrument_id).scoring
    assert scoring is not None and scoring.higher_is_better
    assert (scoring.reliable_change, scoring.item_cutoff, scoring.fall) == (reliable_change, item_cutoff, fall)


def test_text_falls_back_to_danish(catalogue: Catalogue) -> None:
    """Brief: text lookups fall back to Danish, the source language."""
    instrument = catalogue.get("fit-session")
    # A language no file is written in ("fr"); every shipped respondent language has its own.
    assert instrument.title("fr") == instrument.title("da") == "Hvordan var mødet?"
    assert instrument.title("en") == "How was the meeting?"
    assert instrument.title("uk") == "Як пройшла зустріч?"
    item = instrument.item("heard")
    assert item.text("fr") == item.text("da") != item.text("ar")
    assert item.labels("fr") == item.labels("da") == ("Slet ikke", "Helt og fuldt")


BROKEN_CASES = [
    ("missing-id", "no-id.toml", "'id' is missing"),
    ("unknown-item-type", "unknown-item-type.toml", "item 'mood': unknown item type 'slider'"),
    ("scale-without-points", "fit-session.toml", "item 'heard': scale needs 'points'"),
    ("vas-divergence-not-a-number", "vas-divergence.toml", "item 'heard': 'divergence' must be a number"),
    ("missing-danish", "missing-danish.toml", "item 'heard': 'text' has no Danish text"),
    ("duplicate-id", "b-second.toml", "id 'same-id' is already used by"),
    ("toml-syntax", "toml-syntax.toml", "not valid TOML"),
    ("unknown-setting", "unknown-setting.toml", "item 'heard': unknown setting 'requird'"),
    ("unknown-role", "unknown-role.toml", "unknown role 'teacher'"),
    ("labels-count", "labels-count.toml", "'labels.da' has 4 labels for 5 points"),
    ("unknown-signals", "unknown-signals.toml", "[scoring]: unknown signals 'outcomes' (known: outcome, session)"),
    # Issue 10 item 18: a priority per meeting kind names known kinds, and has a default for the rest.
    ("priority-unknown-kind", "priority-unknown-kind.toml",
     "'priority' names unknown meeting kind 'netvaerksmoede' (known: default, action_plan, "),
    ("priority-without-default", "priority-without-default.toml",
     "'priority' needs 'priority.default': the place at every meeting kind not named"),
    # Issue 10 item 9: two forms a case worker could not tell apart on the proposal page.
    ("same-staff-label", "b-outcome-young.toml",
     "staff pages would show it as 'Prøve' (da), like tests/broken_forms/same-staff-label/a-outcome-child.toml: "
     "give one of them a staff_label"),
]


@pytest.mark.parametrize(("case", "file_name", "problem"), BROKEN_CASES, ids=[c[0] for c in BROKEN_CASES])
def test_broken_file_is_refused_naming_file_and_problem(case: str, file_name: str, problem: str) -> None:
    """Brief: an invalid file raises InstrumentError whose message names the file and the problem."""
    with pytest.raises(InstrumentError) as raised:
        load_catalogue(BROKEN / case, ["da", "en"])
    message = str(raised.value)
    assert message.startswith(str(Path("tests/broken_forms") / case / file_name) + ": ")
    assert problem in message


@pytest.mark.parametrize("directory", [BROKEN / "nowhere", BROKEN], ids=["missing", "no-toml-files"])
def test_a_directory_without_instruments_is_refused(directory: Path) -> None:
    """Brief: the app must not start without a usable catalogue."""
    with pytest.raises(InstrumentError, match="no such directory|no instrument files"):
        load_catalogue(directory, ["da", "en"])


def test_check_languages_names_file_item_and_language(tmp_path: Path) -> None:
    """DESIGN.md §4: one message per missing text per language."""
    text = (FORMS / "fit-session.toml").read_text(encoding="utf-8")
    text = text.replace('text.en = "We talked about what I wanted to talk about"\n', "")
    text = text.replace('title.en = "How was the meeting?"\n', "")
    (tmp_path / "fit-session.toml").write_text(text, encoding="utf-8")
    catalogue = load_catalogue(tmp_path, ["da", "en", "fr"])
    problems = check_languages(catalogue)
    shown = str(tmp_path / "fit-session.toml")
    assert f"{shown}: title: no 'en' text" in problems
    assert f"{shown}: item 'topics': text: no 'en' text" in problems
    assert f"{shown}: item 'heard': labels: no 'fr' text" in problems
    assert "app/instruments/catalogue.py: WORDS has no 'fr'" in problems
    assert not any("'da'" in p for p in problems)


def _app(directory: Path | None) -> Flask:
    app = Flask(__name__)
    if directory is not None:
        app.config["INSTRUMENTS_DIR"] = directory
    return app


@pytest.mark.parametrize("directory", [FORMS, None], ids=["configured", "default"])
def test_init_app_stores_the_catalogue(directory: Path | None) -> None:
    """Brief: init_app loads INSTRUMENTS_DIR (default forms/) into app.extensions["instruments"]."""
    app = _app(directory)
    init_app(app)
    with app.app_context():
        assert current_catalogue() is app.extensions["instruments"]
        assert len(current_catalogue()) == len(list(FORMS.glob("*.toml")))
        # Every respondent text in Config.RESPONDENT_LANGUAGES; staff labels in the staff languages.
        assert current_catalogue().languages == ("da", "en", "ar", "uk")
        assert current_catalogue().staff_languages == ("da", "en")


@pytest.mark.parametrize("case", [c[0] for c in BROKEN_CASES])
def test_init_app_refuses_to_start_on_a_broken_file(case: str) -> None:
    """Brief: the app must refuse to start on an invalid instrument file."""
    app = _app(BROKEN / case)
    with pytest.raises(InstrumentError):
        init_app(app)
    assert "instruments" not in app.extensions


def test_about_wording_needs_danish_like_every_text(tmp_path) -> None:
    """DESIGN.md §4: Danish is the source; an `about` wording without Danish is refused."""
    import shutil

    from app.instruments import InstrumentError, load_catalogue

    source = Path(__file__).resolve().parent.parent / "forms" / "fit-outcome-child.toml"
    text = source.read_text(encoding="utf-8").replace('about.da = "Hvordan har barnet det med sig selv?"\n', "", 1)
    (tmp_path / "fit-outcome-child.toml").write_text(text, encoding="utf-8")
    with pytest.raises(InstrumentError, match="item 'me': 'about' has no Danish text"):
        load_catalogue(tmp_path, ["da", "en"])
    shutil.copy(source, tmp_path / "fit-outcome-child.toml")
    item = load_catalogue(tmp_path, ["da", "en"]).get("fit-outcome-child").item("me")
    assert item.text("da") == "Hvordan har jeg det med mig selv?"
    assert item.text("da", about_child=True) == "Hvordan har barnet det med sig selv?"
    assert item.text("en", about_child=True) == "How does the child feel about themselves?"


# --- coloured bands on a VAS line (INSTRUMENTS.md §6 wellbeing-ruler) -----------------------

RULER_BANDS = """
[[items.bands]]
from = 0
to = 3
colour = "red"
label.da = "Rød"
label.en = "Red"

[[items.bands]]
from = 4
to = 6
colour = "yellow"
label.da = "Gul"
label.en = "Yellow"

[[items.bands]]
from = 7
to = 10
colour = "green"
label.da = "Grøn"
label.en = "Green"
"""

RULER_FILE = """
id = "ruler"
version = 1
group = "ruler"
priority = 40
minutes = 1
title.da = "Lineal"
title.en = "Ruler"
intro.da = "Flyt prikken."
intro.en = "Move the dot."

[[audiences]]
roles = ["mother"]

[[items]]
key = "number"
type = "vas"
text.da = "Hvordan?"
text.en = "How?"
low.da = "Skidt"
low.en = "Bad"
high.da = "Godt"
high.en = "Good"
"""


def test_the_ruler_has_three_bands_from_red_to_green(catalogue: Catalogue) -> None:
    """INSTRUMENTS.md §6: one 0–10 scale in red (0–3), yellow (4–6), green (7–10)."""
    ruler = catalogue.get("wellbeing-ruler")
    item = ruler.item("number")
    assert [(b.low, b.high, b.colour) for b in item.bands] == [(0, 3, "red"), (4, 6, "yellow"), (7, 10, "green")]
    assert [b.width for b in item.bands] == [4, 3, 4]
    assert item.bands[0].label("da") == "Rød: det er svært" and item.bands[2].label("en") == "Green: things are good"
    assert [ruler.item(k).type for k in ("why", "step")] == ["longtext", "longtext"]
    assert not ruler.item("why").required and not ruler.item("step").required
    assert item.text("da") != item.text("da", about_child=True)  # child and adult wording


@pytest.mark.parametrize(
    ("value", "colour"),
    [(0, "red"), (3, "red"), (3.9, "red"), (4, "yellow"), (6.9, "yellow"), (7, "green"), (10, "green"), (None, None)],
)
def test_a_value_lies_in_the_band_of_its_whole_number(catalogue: Catalogue, value, colour) -> None:
    """INSTRUMENTS.md §6: red 0–3, yellow 4–6, green 7–10; a decimal belongs to its whole number's band."""
    band = catalogue.get("wellbeing-ruler").item("number").band(value)
    assert (band.colour if band else None) == colour


def test_a_banded_answer_is_shown_with_its_band_in_words(catalogue: Catalogue) -> None:
    item = catalogue.get("wellbeing-ruler").item("number")
    assert item.display(3.5, "da") == "3,5 · Rød: det er svært"
    assert item.display(8, "en") == "8.0 · Green: things are good"
    assert catalogue.get("fit-outcome-child").item("me").display(3.5, "da") == "3,5"  # no bands, plain number


def test_the_ruler_is_offered_but_not_proposed(catalogue: Catalogue) -> None:
    """Brief: choosable in any feedback round without crowding out the FIT forms proposed by default."""
    from app.instruments import propose
    from app.invitations.forms import choices_for

    assert catalogue.get("wellbeing-ruler").proposed is False
    assert all(i.proposed for i in catalogue.all() if i.id != "wellbeing-ruler")
    for role in ("child", "mother", "network", "provider"):
        proposed = propose(catalogue, role=role, child_age=9, meeting_kind="follow_up", fit_exempt=False, max_forms=5)
        assert "wellbeing-ruler" not in [i.id for i in proposed]
        assert "wellbeing-ruler" in [i.id for i in choices_for(catalogue, role, fit_exempt=True)]


BROKEN_BANDS = [
    ("gap", RULER_BANDS.replace("from = 4", "from = 5"), "band 2: starts at 5, but must start at 4"),
    ("overlap", RULER_BANDS.replace("from = 4", "from = 3"), "band 2: starts at 3, but must start at 4"),
    ("not-from-zero", RULER_BANDS.replace("from = 0", "from = 1"), "band 1: starts at 1, but must start at 0"),
    ("short", RULER_BANDS.replace("to = 10", "to = 9"), "the last band ends at 9"),
    ("beyond-ten", RULER_BANDS.replace("to = 10", "to = 11"), "band 3: from 7 to 11 is not a stretch"),
    ("backwards", RULER_BANDS.replace("to = 3", "to = -1"), "band 1: 'to' must be at least 0"),
    ("colour", RULER_BANDS.replace('"yellow"', '"purple"'), "band 2: unknown colour 'purple'"),
    ("no-danish", RULER_BANDS.replace('label.da = "Gul"\n', ""), "band 2: 'label' has no Danish text"),
    ("unknown-setting", RULER_BANDS.replace('colour = "red"', 'colour = "red"\ncolor = "red"'),
     "band 1: unknown setting 'color'"),
    ("not-a-list", '\nbands = "red"\n', "'bands' must be a list of [[items.bands]] tables"),
]


@pytest.mark.parametrize(("bands", "problem"), [c[1:] for c in BROKEN_BANDS], ids=[c[0] for c in BROKEN_BANDS])
def test_broken_bands_are_refused(tmp_path: Path, bands: str, problem: str) -> None:
    """Bands must cover the line 0–10 in order, with no gap and no overlap, in known colours, named in Danish."""
    (tmp_path / "ruler.toml").write_text(RULER_FILE + bands, encoding="utf-8")
    with pytest.raises(InstrumentError) as raised:
        load_catalogue(tmp_path, ["da", "en"])
    assert "item 'number'" in str(raised.value) and problem in str(raised.value)


def test_bands_belong_on_a_vas_item_only(tmp_path: Path) -> None:
    text = RULER_FILE.replace('type = "vas"', 'type = "scale"\npoints = 2\nlabels.da = ["a", "b"]\nlabels.en = ["a", "b"]')
    text = text.replace('low.da = "Skidt"\nlow.en = "Bad"\nhigh.da = "Godt"\nhigh.en = "Good"\n', "")
    (tmp_path / "ruler.toml").write_text(text + RULER_BANDS, encoding="utf-8")
    with pytest.raises(InstrumentError, match="'bands' belong on a vas item only"):
        load_catalogue(tmp_path, ["da", "en"])


def test_a_band_label_missing_in_a_language_is_reported(tmp_path: Path) -> None:
    (tmp_path / "ruler.toml").write_text(RULER_FILE + RULER_BANDS.replace('label.en = "Yellow"\n', ""), encoding="utf-8")
    problems = check_languages(load_catalogue(tmp_path, ["da", "en"]))
    assert problems == [f"{tmp_path / 'ruler.toml'}: item 'number': band 2: label: no 'en' text"]


def test_proposed_must_be_true_or_false(tmp_path: Path) -> None:
    (tmp_path / "ruler.toml").write_text('proposed = "no"\n' + RULER_FILE, encoding="utf-8")
    with pytest.raises(InstrumentError, match="'proposed' must be true or false"):
        load_catalogue(tmp_path, ["da", "en"])


# --- what a score is called (issue 10 item 10: a one-item scale is named by itself) -------------

@pytest.mark.parametrize(("instrument_id", "name", "score_range"), [
    # Several lines add up to a total, several scales to a mean: the reader's words name those.
    ("fit-outcome", None, (0, 40)),
    ("fit-session-child", None, (0, 40)),
    ("participation-adult", None, (1, 5)),
    # One line: its own name and its own range, not a total.
    ("wellbeing-ruler", "Trivsel", (0, 10)),
])
def test_a_score_is_named_and_ranged_by_its_items(catalogue: Catalogue, instrument_id, name, score_range) -> None:
    instrument = catalogue.get(instrument_id)
    assert instrument.score_name("da") == name
    assert instrument.score_range() == score_range


def test_a_one_item_form_without_a_name_is_called_by_its_title(tmp_path: Path) -> None:
    scored = RULER_FILE.replace("[[audiences]]", '[scoring]\nmethod = "sum"\nhigher_is_better = true\n\n[[audiences]]')
    (tmp_path / "ruler.toml").write_text(scored, encoding="utf-8")
    ruler = load_catalogue(tmp_path, ["da", "en"]).get("ruler")
    assert (ruler.score_name("da"), ruler.score_name("en"), ruler.score_range()) == ("Lineal", "Ruler", (0, 10))
    named = scored.replace("higher_is_better = true", 'higher_is_better = true\nname.da = "Humør"')
    (tmp_path / "ruler.toml").write_text(named, encoding="utf-8")
    catalogue = load_catalogue(tmp_path, ["da", "en"])
    assert catalogue.get("ruler").score_name("en") == "Humør"  # falls back to Danish, and is reported
    assert check_languages(catalogue) == [f"{tmp_path / 'ruler.toml'}: scoring: name: no 'en' text"]


# --- staff labels (issue 10 item 9) and priorities per meeting kind (issue 10 item 18) -------


def test_no_two_forms_offered_to_a_person_share_a_label(catalogue: Catalogue) -> None:
    """Issue 10 item 9: on the proposal page every form offered to one person has its own name,
    in every language, saying outcome or session and the child's or the adult's version."""
    from app.instruments.catalogue import ROLES
    from app.invitations.forms import choices_for

    for role in sorted(ROLES):
        for exempt in (False, True):
            for lang in ("da", "en"):
                labels = [i.staff_label(lang) for i in choices_for(catalogue, role, exempt)]
                assert len(labels) == len(set(labels)), (role, exempt, lang, labels)
    assert catalogue.get("fit-outcome-child").staff_label("da") == "Hvordan har du det? — FIT udbytte, børneudgave 6–12 år"
    assert catalogue.get("fit-outcome-young").staff_label("da") == "Hvordan har du det? — FIT udbytte, småbørn under 6 år"
    assert catalogue.get("fit-session").staff_label("en") == (
        "How was the meeting? — FIT session rating, young people 13–17 and adults")


def test_a_staff_label_needs_danish_and_falls_back_to_the_title(tmp_path: Path) -> None:
    """Issue 10 item 9: the label is a text like any other: Danish first, checked per language."""
    (tmp_path / "ruler.toml").write_text(RULER_FILE, encoding="utf-8")
    assert load_catalogue(tmp_path, ["da", "en"]).get("ruler").staff_label("en") == "Ruler"
    (tmp_path / "ruler.toml").write_text('staff_label.en = "Ruler, for staff"\n' + RULER_FILE, encoding="utf-8")
    with pytest.raises(InstrumentError, match="'staff_label' has no Danish text"):
        load_catalogue(tmp_path, ["da", "en"])
    (tmp_path / "ruler.toml").write_text('staff_label.da = "Lineal — til personalet"\n' + RULER_FILE, encoding="utf-8")
    assert check_languages(load_catalogue(tmp_path, ["da", "en"])) == [
        f"{tmp_path / 'ruler.toml'}: staff_label: no 'en' text"]


def test_priority_per_meeting_kind_has_a_default_for_every_other_kind(tmp_path: Path) -> None:
    """Issue 10 item 18: a file says its place per meeting kind; kinds it does not name (also a kind
    added later, such as fit_session) take the default; false leaves it unticked at that kind."""
    text = RULER_FILE.replace("priority = 40\n", "priority.default = 40\npriority.network_meeting = 5\n"
                              "priority.follow_up = false\n")
    (tmp_path / "ruler.toml").write_text(text, encoding="utf-8")
    ruler = load_catalogue(tmp_path, ["da", "en"]).get("ruler")
    assert ruler.priority == 40
    assert [ruler.priority_at(kind) for kind in ("network_meeting", "follow_up", "startup", "fit_session")] == [
        5, None, 40, 40]


BROKEN_PRIORITIES = [
    ("true", "priority.network_meeting = true", "'priority.network_meeting' must be a whole number, or false"),
    ("text", 'priority.network_meeting = "first"', "'priority.network_meeting' must be a whole number, or false"),
    ("default-false", "priority.default = false", "'priority.default' must be a whole number, not False"),
    ("not-a-number", 'priority = "high"', "'priority' must be a whole number, or whole numbers per meeting kind"),
]


@pytest.mark.parametrize(("line", "problem"), [c[1:] for c in BROKEN_PRIORITIES], ids=[c[0] for c in BROKEN_PRIORITIES])
def test_broken_priorities_are_refused(tmp_path: Path, line: str, problem: str) -> None:
    """Issue 10 item 18: the loader says what is wrong with a priority, naming the file."""
    default = "" if line.startswith(("priority.default", "priority =")) else "priority.default = 40\n"
    (tmp_path / "ruler.toml").write_text(RULER_FILE.replace("priority = 40\n", default + line + "\n"), encoding="utf-8")
    with pytest.raises(InstrumentError) as raised:
        load_catalogue(tmp_path, ["da", "en"])
    assert str(raised.value).startswith(str(tmp_path / "ruler.toml")) and problem in str(raised.value)


def test_method_meeting_is_first_or_follow_up(tmp_path: Path) -> None:
    """Issue 10 item 18: a form for the first network meeting, or for one that follows an earlier one."""
    (tmp_path / "ruler.toml").write_text('method_meeting = "second"\n' + RULER_FILE, encoding="utf-8")
    with pytest.raises(InstrumentError, match="unknown method_meeting 'second' \\(known: first, follow_up\\)"):
        load_catalogue(tmp_path, ["da", "en"])


def _read_by(instrument, about_child: bool) -> list[str]:
    """Every Danish text a respondent reads on the form: the child herself, or an adult about her."""
    texts = [instrument.title("da"), instrument.intro("da", about_child)]
    for item in instrument.items:
        texts += [item.text("da", about_child), *item.labels("da")]
    return texts


def test_day_care_is_asked_about_only_where_a_small_child_is_concerned(catalogue: Catalogue) -> None:
    """Issue 11 item 12: "dagtilbud" is for children under 6; from 6 a child is at school (a
    15-year-old was asked about "dagtilbud"). A reader whose audiences all start at 6 or later
    never meets the word."""
    problems = []
    for instrument in catalogue.all():
        for about_child in (False, True):
            # The child reads `text`; every other role answers about her and reads `about`.
            audiences = [a for a in instrument.audiences if set(a.roles) - {"child"}] if about_child \
                else [a for a in instrument.audiences if "child" in a.roles]
            if audiences and all((a.min_age or 0) >= 6 for a in audiences):
                problems += [f"{instrument.id}: {text!r}" for text in _read_by(instrument, about_child)
                             if "dagtilbud" in text.casefold()]
    assert problems == []


def test_a_young_person_is_asked_about_school_or_education(catalogue: Catalogue) -> None:
    """Issue 11 item 12: "skole eller uddannelse" for a young person of 13–17."""
    assert catalogue.get("fit-outcome").item("school_work").text("da") == "Skole eller uddannelse, arbejde og venner"


def test_the_ruler_asks_a_child_in_a_childs_words(catalogue: Catalogue) -> None:
    """Issue 11 item 12: the child is not asked for a number "ét højere"; the adult still may be."""
    step = catalogue.get("wellbeing-ruler").item("step")
    assert "ét højere" not in step.text("da") and "lidt bedre" in step.text("da")
    assert "passer bedst til" in catalogue.get("wellbeing-ruler").intro("da")
