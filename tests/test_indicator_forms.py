"""The indicator forms in forms/indicators/: every shipped form loads with the factors of
INSTRUMENTS.md §4 (and the ICF dimensions of §5); broken files are refused with messages
that name the file and the problem; `flask instruments validate` checks them too."""

from pathlib import Path

import pytest

from app.indicators.catalogue import (
    DEFAULT_DIRECTORY,
    check_languages,
    load_form,
    load_indicator_forms,
)
from app.instruments import InstrumentError

LANGS = ("da", "en")
FAMILY_PARTS = ["family_mother", "family_father", "family_siblings"]
# INSTRUMENTS.md §4, the table of forms and factors, in our keys (family relations split).
SECTION_4 = {
    "indicators-youth": ["development", "family", "school_employment", "health", "leisure", "everyday",
                         "substance", "crime"],
    "indicators-child-family": ["development", "family", "school", "health", "leisure", "self_reliance",
                                "attachment", "crime"],
    "indicators-disability": ["development", "family", "school", "health", "leisure", "self_reliance",
                              "life_skills", "communication"],
}
STEP_1 = "Ingen problemer: klarer sig uden støtte"
STEP_5 = "Massive problemer: har brug for omfattende støtte og klarer sig ikke uden"


@pytest.fixture(scope="module")
def shipped():
    return load_indicator_forms(DEFAULT_DIRECTORY, LANGS)


def test_every_shipped_form_loads_with_both_languages(shipped):
    assert {f.id for f in shipped.all()} == {*SECTION_4, "indicators-under-3", "indicators-young-parents", "icf"}
    assert check_languages(shipped) == []


@pytest.mark.parametrize("form_id", sorted(SECTION_4))
def test_the_factors_of_section_4_split_and_not(shipped, form_id):
    form = shipped.get(form_id)
    assert not form.draft and form.family_split and form.scale == (1, 2, 3, 4, 5) and form.has_goals
    unsplit = SECTION_4[form_id]
    assert [f.key for f in form.factors(split=False)] == unsplit
    at = unsplit.index("family")
    assert [f.key for f in form.factors(split=True)] == unsplit[:at] + FAMILY_PARTS + unsplit[at + 1:]
    for factor in form.factors(True) + form.factors(False):
        assert factor.title("da") and factor.title("en") != factor.title("da")
        guidance = form.guidance(factor, "da")
        assert len(guidance) == 5


def test_step_guidance_defaults_to_the_section_4_wording_and_a_factor_may_have_its_own(shipped):
    form = shipped.get("indicators-youth")
    health = form.factor("health")
    assert form.guidance(health, "da")[0] == STEP_1 and form.guidance(health, "da")[4] == STEP_5
    assert form.guidance(health, "en")[0] == "No problems: manages without support"
    crime = form.factor("crime")
    assert form.guidance(crime, "da")[0] == "Ingen kriminalitet"
    assert form.guidance(form.factor("family_father"), "da") == form.guidance(form.factor("family"), "da")


def test_drafts_are_marked(shipped):
    assert {f.id for f in shipped.all() if f.draft} == {"indicators-under-3", "indicators-young-parents"}
    assert [f.draft for f in shipped.all()][-1]  # drafts listed last


def test_icf_has_five_dimensions_0_to_4_and_separate_levels(shipped):
    icf = shipped.get("icf")
    assert icf.is_icf and not icf.has_goals and icf.scale == (0, 1, 2, 3, 4)
    assert [f.key for f in icf.factors()] == ["health", "school", "leisure", "development", "family"]
    assert icf.guidance(icf.factor("health"), "da")[0] == "Ingen problemer"
    assert icf.guidance(icf.factor("health"), "da")[4] == "Totale problemer"
    assert [level[0] for level in icf.levels("da")] == list("ABCDE")


GOOD = """
id = "test-form"
version = 1
kind = "factors"
family_split = true
title.da = "Test"
title.en = "Test"
intro.da = "Intro"
intro.en = "Intro"
[steps]
da = ["1", "2", "3", "4", "5"]
en = ["1", "2", "3", "4", "5"]
[[factors]]
key = "family"
title.da = "Familie"
title.en = "Family"
[[factors.split]]
key = "family_mother"
title.da = "Mor"
title.en = "Mother"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "form.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("change, message", [
    (("[[factors]]\nkey = \"family\"", "[[factors]]\nkey = \"Family!\""), "'key' 'Family!' may hold only"),
    (('da = ["1", "2", "3", "4", "5"]', 'da = ["1", "2", "3", "4"]'), "'steps.da' has 4 texts for the 5 steps"),
    (('kind = "factors"', 'kind = "scores"'), "unknown kind 'scores'"),
    (('title.da = "Test"\n', ''), "'title' has no Danish text"),
    (('version = 1', 'version = 0'), "'version' must be at least 1"),
    (('version = 1', 'version = 1\ncolour = "red"'), "unknown setting 'colour'"),
    (('key = "family_mother"', 'key = "family"'), "factor key 'family' is used twice"),
    (('family_split = true', 'family_split = "yes"'), "'family_split' must be true or false"),
    (('id = "test-form"', 'id = "test-form'), "not valid TOML"),
])
def test_broken_files_are_refused_with_a_clear_message(tmp_path, change, message):
    path = _write(tmp_path, GOOD.replace(*change))
    with pytest.raises(InstrumentError, match="form.toml") as error:
        load_form(path)
    assert message in str(error.value)


def test_a_good_file_loads(tmp_path):
    form = load_form(_write(tmp_path, GOOD))
    assert [f.key for f in form.factors(True)] == ["family_mother"]
    assert [f.key for f in form.factors(False)] == ["family"]


def test_split_without_parts_is_refused(tmp_path):
    text = GOOD[: GOOD.index("[[factors.split]]")]
    with pytest.raises(InstrumentError, match="family_split = true needs a factor with"):
        load_form(_write(tmp_path, text))


def test_a_missing_english_text_is_reported(tmp_path):
    _write(tmp_path, GOOD.replace('title.en = "Mother"\n', ""))
    problems = check_languages(load_indicator_forms(tmp_path, LANGS))
    assert problems == [f"{tmp_path / 'form.toml'}: factor 'family_mother': title: no 'en' text"]


def test_an_empty_directory_is_refused(tmp_path):
    with pytest.raises(InstrumentError, match="no indicator forms"):
        load_indicator_forms(tmp_path, LANGS)


def test_validate_checks_the_indicator_forms(app, runner, tmp_path):
    _write(tmp_path, GOOD.replace('title.en = "Mother"\n', ""))
    app.config["INDICATOR_FORMS_DIR"] = tmp_path
    result = runner.invoke(args=["instruments", "validate"])
    assert result.exit_code == 1
    assert "factor 'family_mother': title: no 'en' text" in result.output
    _write(tmp_path, GOOD.replace('kind = "factors"', 'kind = "x"'))
    result = runner.invoke(args=["instruments", "validate"])
    assert result.exit_code == 1 and "unknown kind 'x'" in result.output


def test_a_broken_form_stops_start_up(tmp_path):
    from app import create_app
    from app.config import TestConfig

    _write(tmp_path, GOOD.replace('kind = "factors"', 'kind = "x"'))
    with pytest.raises(InstrumentError, match="unknown kind"):
        create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
                    "INDICATOR_FORMS_DIR": tmp_path})
