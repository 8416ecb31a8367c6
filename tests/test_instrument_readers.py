"""Every word right for its reader (issue 11): the child up to 12, the young person of 13–17 and
the adult each read a form in their own words (items 4 and 5), every line or scale from bad to
good ends in its reader's one shared pair (item 11), and a form whose words change has a new
version that says which earlier versions are the same series ("Versions")."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.extensions import db
from app.instruments import Catalogue, InstrumentError, check_wording, load_catalogue
from app.instruments.readers import reader_of
from app.invitations.models import Response

FORMS = Path(__file__).resolve().parents[1] / "forms"

CHILD_SCALE = ("Passer slet ikke", "Passer lidt", "Passer nogenlunde", "Passer godt", "Passer helt")
YOUTH_SCALE = ("Helt uenig", "Uenig", "Både og", "Enig", "Helt enig")
ADULT_SCALE = ("Helt uenig", "Uenig", "Hverken enig eller uenig", "Enig", "Helt enig")
CHILD_ENDS, ADULT_ENDS = ("Rigtig skidt", "Rigtig godt"), ("Meget dårligt", "Meget godt")
ADULT = None  # the respondent is the mother: her age is not asked, the child's is


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(FORMS, ["da", "en"])


def _worded(catalogue: Catalogue, form_id: str, age: int | None):
    role = "child" if age is not None else "mother"
    form = catalogue.get(form_id)
    return form, form.for_respondent(role, 9 if age is None else age), role, (9 if age is None else age)


# (form, the child's age, or ADULT for the mother; whom the words are for, faces, the scale, the
# first statement). Issue 11 item 4: the follow-up form was written for adults and went to
# children from 6 ("Er du barnet, så betyder »barnet« dig", no faces): a child reads its own
# words with faces, a young person of 13–17 their own without. Item 5: concrete answers for a
# child, a 13–17 scale without faces, "det, vi aftalte" for "planen".
AUDIENCES = [
    *[("participation-follow-up", age, "child", True, CHILD_SCALE,
       "Jeg synes stadig, at det, vi aftalte, er en god idé") for age in (6, 9, 12)],
    *[("participation-follow-up", age, "youth", False, YOUTH_SCALE, "Jeg er stadig med på det, vi aftalte")
      for age in (13, 16, 17)],
    ("participation-follow-up", ADULT, "adult", False, ADULT_SCALE, "Jeg bakker stadig op om det, vi aftalte"),
    *[("participation-child", age, "child", True, CHILD_SCALE, "De voksne lyttede til mig") for age in (6, 9, 12)],
    *[("participation-child", age, "youth", False, YOUTH_SCALE, "De voksne lyttede til mig") for age in (13, 16, 17)],
]


@pytest.mark.parametrize(("form_id", "age", "reader", "faces", "scale", "first"), AUDIENCES,
                         ids=[f"{row[0]}-{row[1] or 'adult'}" for row in AUDIENCES])
def test_each_reader_gets_their_own_words(catalogue, form_id, age, reader, faces, scale, first) -> None:
    form, worded, role, child_age = _worded(catalogue, form_id, age)
    assert form.fits(role, child_age, "follow_up" if form_id.endswith("follow-up") else "network_meeting")
    assert reader_of(role, age) == reader and worded.reader == reader
    *rated, _open = worded.items
    assert {item.faces for item in rated} == {faces}
    assert {item.labels("da") for item in rated} == {scale}
    assert rated[0].text("da") == first
    texts = [worded.intro("da"), *(item.text("da") for item in worded.items)]
    assert not any("planen" in text.casefold() for text in texts)
    if reader != "adult":
        # The child is "du" and "mig", never "barnet".
        assert not any("barnet" in text for text in texts), texts


def test_the_participation_form_for_children_is_not_for_adults(catalogue) -> None:
    assert not catalogue.get("participation-child").fits("mother", 9, "network_meeting")


def test_english_follows_the_reader_too(catalogue) -> None:
    follow_up = catalogue.get("participation-follow-up")
    assert follow_up.for_respondent("child", 9).items[0].labels("en")[0] == "Not true at all"
    assert follow_up.for_respondent("child", 16).items[0].labels("en")[2] == "Somewhere in between"
    assert follow_up.for_respondent("father", 16).items[0].labels("en")[2] == "Neither agree nor disagree"


# (form, the child's age, or ADULT for the mother; the ends of each line or scale from bad to good).
# Issue 11 item 11: one pair for children, one for young people and adults, used everywhere.
ENDS = [
    ("fit-outcome-child", 9, CHILD_ENDS),
    ("fit-outcome-child", ADULT, ADULT_ENDS),
    ("fit-outcome", 16, ADULT_ENDS),
    ("fit-outcome", ADULT, ADULT_ENDS),
    ("fit-outcome-young", 4, CHILD_ENDS),   # "Meget ked af det … Meget glad" before
    ("fit-session-young", 4, CHILD_ENDS),
    *[("wellbeing-ruler", age, CHILD_ENDS) for age in (6, 9, 12)],
    *[("wellbeing-ruler", age, ADULT_ENDS) for age in (13, 16, 17)],
    ("wellbeing-ruler", ADULT, ADULT_ENDS),
]


@pytest.mark.parametrize(("form_id", "age", "ends"), ENDS, ids=[f"{row[0]}-{row[1] or 'adult'}" for row in ENDS])
def test_lines_and_scales_from_bad_to_good_end_in_the_readers_shared_pair(catalogue, form_id, age, ends) -> None:
    _form, worded, _role, _age = _worded(catalogue, form_id, age)
    rated = [item for item in worded.items if item.type in ("vas", "scale")]
    assert rated and all(item.shared_ends for item in rated)
    assert {(item.labels("da")[0], item.labels("da")[-1]) for item in rated} == {ends}


@pytest.mark.parametrize(("age", "intro"), [
    (9, "0 er rigtig skidt, 10 er rigtig godt."),
    (16, "0 er meget dårligt, 10 er meget godt."),
])
def test_an_intro_names_the_ends_its_reader_sees(catalogue, age, intro) -> None:
    ruler = catalogue.get("wellbeing-ruler")
    assert ruler.for_respondent("child", age).intro("da").endswith(intro)
    assert ruler.for_respondent("mother", age).intro("da", about_child=True).endswith(
        "0 er meget dårligt, 10 er meget godt.")
    assert ruler.for_respondent("child", age).intro("en").endswith(
        "0 is really bad, 10 is really good." if age == 9 else "0 is very bad, 10 is very good.")


def test_every_shipped_form_has_each_readers_words_and_the_shared_ends(catalogue) -> None:
    """Issue 11 "Tests": what `flask instruments validate` checks, on the shipped files."""
    assert check_wording(catalogue) == []
    assert all(form.wording for form in catalogue.all())


# Issue 11 "Versions": a form whose wording or answer labels changed has a new version, and says
# which earlier versions the figures count as one series with it (the items mean the same).
VERSIONS = {
    "participation-follow-up": (2, (1,)),   # items 4 and 5
    "participation-child": (2, (1,)),       # item 5
    "participation-adult": (2, (1,)),       # item 5: "det, vi aftalte"
    "participation-network": (2, (1,)),     # item 5
    "see-happen": (2, (1,)),                # item 6
    "fit-outcome": (2, (1,)),               # item 11: the adults' shared ends
    "fit-outcome-child": (2, (1,)),         # item 11: the children's shared ends
    "fit-outcome-young": (2, (1,)),         # item 11: "Meget ked af det" no more
    "wellbeing-ruler": (2, (1,)),           # item 11
    "fit-session": (2, (1,)),               # item 12: plain Danish for the last line
    "fit-session-child": (1, ()),
    "fit-session-young": (1, ()),           # its ends were "Rigtig skidt … Rigtig godt" already
}


def test_changed_forms_have_new_versions_in_one_series_with_the_old(catalogue) -> None:
    assert {form.id: (form.version, form.same_series_as) for form in catalogue.all()} == VERSIONS
    assert catalogue.get("see-happen").one_series() == (1, 2)


def _rewritten(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = (FORMS / name).read_text(encoding="utf-8")
    assert old in text
    (tmp_path / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("same_series_as = [1]", "", "version 2 needs 'same_series_as'"),
    ("same_series_as = [1]", "same_series_as = [2]", "'same_series_as' may list only earlier versions, 1 to 1"),
    ('wording = ["adult"]', 'wording = ["parent"]', "unknown reader 'parent' in 'wording'"),
    ('child.intro.da = "', 'child.scoring = "mean"\nchild.intro.da = "',
     "'child.scoring': only the words differ per reader (child.intro, child.title)"),
    ('youth.labels.da', 'youth.points = 4\nyouth.labels.da', "[scales.agree]: 'youth.points': only the words"),
    ('ends = "shared"', 'ends = "own"', "'ends' may only be \"shared\""),
])
def test_broken_versions_readers_and_ends_are_refused(tmp_path, old, new, problem) -> None:
    name = "fit-outcome-child.toml" if "ends" in old else "participation-follow-up.toml"
    with pytest.raises(InstrumentError) as raised:
        load_catalogue(_rewritten(tmp_path, name, old, new), ["da", "en"])
    assert problem in str(raised.value)


def test_a_line_with_shared_ends_writes_none_of_its_own(tmp_path) -> None:
    directory = _rewritten(tmp_path, "fit-outcome-child.toml", 'ends = "shared"',
                           'ends = "shared"\nlow.da = "Skidt"\nhigh.da = "Godt"')
    with pytest.raises(InstrumentError, match="takes the shared pair: leave out 'low' and 'high'"):
        load_catalogue(directory, ["da", "en"])


# ---- what the respondent's page shows (issue 11 items 4 and 5) ----------------------------------

FOLLOW_UP_PAGES = [
    (9, ["Passer slet ikke", "Passer helt", "Jeg synes stadig, at det, vi aftalte, er en god idé",
         "De voksne omkring mig har hjulpet, som vi aftalte", 'class="options faces"']),
    (16, ["Helt uenig", "Både og", "Helt enig", "Jeg er stadig med på det, vi aftalte"]),
]


@pytest.mark.parametrize(("age", "shown"), FOLLOW_UP_PAGES, ids=["child-9", "youth-16"])
def test_the_child_and_the_young_person_read_their_own_follow_up_form(app, make, caseworker, client, age, shown):
    ids = make.emma(caseworker, child_age=age, kind="follow_up",
                    forms={"child": ["participation-follow-up"], "mother": ["participation-follow-up"]})
    page = client.get(f"/r/{ids.tokens['child']}/form").text
    for text in shown:
        assert text in page, text
    for text in ("barnet", "Er du barnet", "planen", "Hverken enig eller uenig"):
        assert text not in page, text
    if age > 12:
        assert "faces" not in page and "<svg" not in page and "Passer" not in page
    mother = client.get(f"/r/{ids.tokens['mother']}/form").text
    for text in ("Hverken enig eller uenig", "Jeg bakker stadig op om det, vi aftalte"):
        assert text in mother, text
    assert "Passer slet ikke" not in mother and "<svg" not in mother
    # The answer is stored under the form's new version, whoever's words it was given in.
    sent = client.post(f"/r/{ids.tokens['child']}/form",
                       data={f"participation-follow-up.{key}": "4" for key in ("still_backs", "network_helped",
                                                                                 "plan_helped")})
    assert sent.status_code == 302
    with app.app_context():
        stored = db.session.scalar(db.select(Response).where(Response.invitation_id == ids.invitations["child"]))
        assert (stored.instrument_id, stored.instrument_version) == ("participation-follow-up", 2)
