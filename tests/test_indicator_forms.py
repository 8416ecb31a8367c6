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
    # Issue 11 item 11: the worst step has one name on every form a case worker scores.
    assert icf.guidance(icf.factor("health"), "da")[4] == "Massive problemer"
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
[respondent_steps]
da = ["Godt", "2", "3", "4", "Svært"]
en = ["Good", "2", "3", "4", "Hard"]
[[factors]]
key = "family"
title.da = "Familie"
title.en = "Family"
asked = ["caseworker", "parents", "child"]
min_age = 12
[[factors.split]]
key = "family_mother"
title.da = "Mor"
title.en = "Mother"
about = "mother"
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


# --- who is asked what (issue 11 item 1) -------------------------------------------------------

YOUTH_ALL = ["development", "family_mother", "family_father", "family_siblings", "school_employment", "health",
             "leisure", "everyday", "substance", "crime"]
YOUTH_CHILD = YOUTH_ALL[:-2]
FAMILY_ALL = ["development", "family_mother", "family_father", "family_siblings", "school", "health", "leisure",
              "self_reliance", "attachment", "crime"]


def _without(keys, *left_out):
    return [k for k in keys if k not in left_out]


@pytest.mark.parametrize("form_id, role, age, split, asked", [
    # Issue 11 item 1: each factor says which respondents are asked it (roles and a minimum
    # age). Crime and substance misuse are for the staff only: never the child or young
    # person, nor the parents; a parent is not asked about their own relation to the child
    # (the mother not family_mother, the father not family_father); no child under 12 is
    # asked anything until a child version exists. The staff are asked everything.
    ("indicators-youth", "child", 14, True, YOUTH_CHILD),
    ("indicators-youth", "child", 12, True, YOUTH_CHILD),
    ("indicators-youth", "child", 11, True, []),
    ("indicators-youth", "child", None, True, []),  # an unknown age is not old enough
    ("indicators-youth", "mother", 14, True, _without(YOUTH_CHILD, "family_mother")),
    ("indicators-youth", "father", 14, True, _without(YOUTH_CHILD, "family_father")),
    ("indicators-youth", "carer", 14, True, YOUTH_CHILD),  # another carer is neither
    ("indicators-youth", "mother", 14, False, ["development", "family", *YOUTH_CHILD[4:]]),  # the whole family
    ("indicators-youth", "network", 14, True, []),  # not a scorer in the procedure
    ("indicators-youth", "provider", 14, True, YOUTH_ALL),
    ("indicators-youth", "school", 14, True, YOUTH_ALL),
    ("indicators-youth", "caseworker", 8, True, YOUTH_ALL),
    ("indicators-child-family", "child", 13, True, _without(FAMILY_ALL, "attachment", "crime")),
    ("indicators-child-family", "child", 8, True, []),
    ("indicators-child-family", "mother", 8, True, _without(FAMILY_ALL, "family_mother", "crime")),
    ("indicators-child-family", "father", 3, True, _without(FAMILY_ALL, "family_father", "crime")),
    ("indicators-child-family", "provider", 8, True, FAMILY_ALL),
    ("indicators-young-parents", "child", 17, True,
     ["pregnancy_health", "parenting", "family_mother", "family_father", "family_siblings", "network",
      "school_employment", "housing"]),
    ("indicators-under-3", "child", 12, True, []),
    ("indicators-under-3", "father", 1, True,
     ["development", "family_mother", "family_siblings", "health", "attachment", "care", "daycare"]),
    ("icf", "child", 12, True, ["health", "school", "leisure", "development", "family"]),
])
def test_each_respondent_is_asked_the_factors_the_file_gives_them(shipped, form_id, role, age, split, asked):
    form = shipped.get(form_id)
    assert [f.key for f in form.asked_factors(split, role, age)] == asked


@pytest.mark.parametrize("role, asked", [
    # Issue 11 item 1: the overall function level of the ICF model is the professionals' assessment.
    ("caseworker", True), ("provider", True), ("school", True), ("mother", False), ("child", False),
])
def test_only_the_staff_are_asked_the_icf_function_level(shipped, role, asked):
    assert shipped.get("icf").asks_level(role) is asked
    assert not shipped.get("indicators-youth").asks_level(role)  # factor forms have no level


def test_respondents_read_their_own_words_and_the_staff_the_forms(shipped):
    # Issue 11 item 1: the child reads "du" and the steps in plain words; a parent reads about
    # the child by first name; the staff keep the form's wording.
    form = shipped.get("indicators-youth")
    child = {f.key: f for f in form.asked_factors(True, "child", 14, "Emma")}
    assert child["development"].title("da") == "Hvordan du har det og opfører dig"
    assert child["family_mother"].title("da") == "Dig og din mor"
    assert form.guidance(child["health"], "da") == (
        "Det går godt", "Det går mest godt", "Både godt og svært", "Det er svært", "Det er rigtig svært")
    assert form.guidance(child["health"], "en")[4] == "It is really hard"
    father = {f.key: f for f in form.asked_factors(True, "father", 14, "Emma")}
    assert father["development"].title("da") == "Hvordan Emma har det og opfører sig"
    assert father["family_mother"].title("da") == "Emma og mor"
    assert form.guidance(father["family_mother"], "da")[0] == "Det går godt"
    provider = {f.key: f for f in form.asked_factors(True, "provider", 14, "Emma")}
    assert provider["development"].title("da") == "Udvikling og adfærd"
    assert form.guidance(provider["health"], "da")[4] == STEP_5
    assert form.guidance(provider["crime"], "da")[0] == "Ingen kriminalitet"


def test_the_worst_step_has_one_name_on_every_form_staff_score(shipped):
    # Issue 11 item 11: "Massive problemer", not "Totale problemer" on one form and "meget
    # store problemer" on the page: the staff's worst step has one name everywhere.
    for form in shipped.all():
        assert form.step_texts["da"][-1].startswith("Massive problemer"), form.id
        assert form.step_texts["en"][-1].startswith("Massive problems"), form.id


def test_the_respondent_forms_are_new_versions(shipped):
    # Issue 11 "Versions": the wording a respondent reads changed, so each form has a new version;
    # the ICF form's worst step was renamed "Massive problemer" after that (issue 11 item 11).
    assert {f.id: f.version for f in shipped.all()} == {f: 2 for f in [*SECTION_4, "indicators-under-3",
                                                                       "indicators-young-parents"]} | {"icf": 3}
    for form in shipped.all():
        assert "én serie" in form.path.read_text(encoding="utf-8")


@pytest.mark.parametrize("change, message", [
    # Issue 11 item 1: the loader checks who is asked.
    (('asked = ["caseworker", "parents", "child"]\n', ''), "factor 'family': 'asked' is missing"),
    (('"parents", "child"]', '"parents", "teacher"]'),
     "factor 'family': 'asked' has unknown role 'teacher' (known: carer, caseworker, child, father, mother, "
     "network, parents, provider, school)"),
    (('asked = ["caseworker", "parents", "child"]', 'asked = []'), "'asked' must not be empty"),
    (('asked = ["caseworker", "parents", "child"]', 'asked = "parents"'), "'asked' must be a list of roles"),
    (('min_age = 12', 'min_age = 8'), "'min_age' 8 is below 12: there is no child version"),
    (('min_age = 12', 'min_age = "12"'), "'min_age' must be a whole number"),
    (('"parents", "child"]', '"parents"]'), "'min_age' is the youngest child asked it, but 'asked' does not list"),
    (('about = "mother"', 'about = "sister"'), "'about' must be one of mother, father, not 'sister'"),
    (('min_age = 12', 'min_age = 12\nabout = "mother"'), "factor 'family': unknown setting 'about'"),
    (('da = ["Godt", "2", "3", "4", "Svært"]', 'da = ["Godt", "Svært"]'),
     "'respondent_steps.da' has 2 texts for the 5 steps"),
])
def test_broken_asking_is_refused_with_a_clear_message(tmp_path, change, message):
    assert change[0] in GOOD
    path = _write(tmp_path, GOOD.replace(*change))
    with pytest.raises(InstrumentError, match="form.toml") as error:
        load_form(path)
    assert message in str(error.value)


def test_a_part_may_be_asked_of_others_than_its_family_factor(tmp_path):
    form = load_form(_write(tmp_path, GOOD.replace('about = "mother"', 'asked = ["caseworker"]')))
    assert [f.key for f in form.asked_factors(True, "father", 14)] == []
    assert [f.key for f in form.asked_factors(False, "father", 14)] == ["family"]
    assert [f.key for f in form.asked_factors(True, "caseworker", 14)] == ["family_mother"]


def test_validate_wants_respondent_wording_where_respondents_are_asked(app, runner, tmp_path):
    # Issue 11 "Tests": every respondent-facing form has the steps in the respondents' words.
    no_wording = GOOD.replace('[respondent_steps]\nda = ["Godt", "2", "3", "4", "Svært"]\n'
                              'en = ["Good", "2", "3", "4", "Hard"]\n', "")
    assert no_wording != GOOD
    _write(tmp_path, no_wording)
    app.config["INDICATOR_FORMS_DIR"] = tmp_path
    result = runner.invoke(args=["instruments", "validate"])
    assert result.exit_code == 1
    assert ("form.toml: asked of carer, child, father, mother, but has no 'respondent_steps' (the steps in their "
            "words)") in result.output
    # Asked of the staff only, a form needs no respondent wording.
    _write(tmp_path, no_wording.replace('asked = ["caseworker", "parents", "child"]\nmin_age = 12',
                                        'asked = ["caseworker", "provider"]'))
    result = runner.invoke(args=["instruments", "validate"])
    assert result.exit_code == 0, result.output
    _write(tmp_path, GOOD.replace('en = ["Good", "2", "3", "4", "Hard"]\n', ""))
    result = runner.invoke(args=["instruments", "validate"])
    assert result.exit_code == 1 and "form.toml: respondent_steps: no 'en' text" in result.output
