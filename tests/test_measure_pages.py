"""The case page's measures and their add, correct and end pages (issue 14 item 2), as the case
worker meets them: what shows, what a refused form says and keeps, and that nothing is stored."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.measures.models import Measure, MeasureVersion

TODAY = date.today()
DAY = timedelta(days=1)


@pytest.fixture
def case_id(make, caseworker):
    return make.emma(caseworker, open_round=False).case


def _d(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def _section(html: str) -> str:
    start = html.index('id="measures"')
    return html[start:html.index("</section>", start)]


def _stored(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Measure)),
                db.session.scalar(select(func.count()).select_from(MeasureVersion)))


def test_a_measure_added_on_its_page_shows_on_the_case_page_with_the_rung_today(app, staff, case_id):
    assert "Ingen indsats i gang." in _section(staff.get(f"/cases/{case_id}").text)
    form = staff.get(f"/cases/{case_id}/measures/new").text
    # The kinds grouped by rung, lowest first; network placement a rung of its own.
    assert form.index('optgroup label="1. Almene tilbud"') < form.index('optgroup label="5. Netværksanbringelse"') \
        < form.index('optgroup label="7. Anbringelse på opholdssted eller døgninstitution"')
    assert "Organisationen har ikke lavet en liste over udførere endnu." in form
    response = staff.post(f"/cases/{case_id}/measures/new",
                          data={"kind": "network_foster_family", "started_on": _d(TODAY - 10 * DAY)})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/{case_id}#measures")
    section = _section(staff.get(f"/cases/{case_id}").text)
    assert "Trin i dag: Netværksanbringelse" in section
    assert "Anbringelse i netværksplejefamilie" in section and "trin 5: Netværksanbringelse" in section
    assert "forslag" in section  # the ladder is not confirmed yet


# Issue 14 item 2, Bad input, through the form: the message on the field, what was typed kept, nothing stored.
REFUSED = [
    ("end-before-start", {"kind": "family_treatment", "started_on": _d(TODAY - 10 * DAY),
                          "ended_on": _d(TODAY - 20 * DAY), "end_reason": "goal_met", "end_note": "Målet nået tidligt"},
     "Indsatsen kan ikke slutte, før den begyndte"),
    ("missing-end-reason", {"kind": "family_treatment", "started_on": _d(TODAY - 10 * DAY), "ended_on": _d(TODAY),
                            "end_note": "Familien flyttede til Aarhus"}, "Vælg, hvorfor indsatsen sluttede."),
    ("kind-not-on-ladder", {"kind": "hypnose", "started_on": _d(TODAY)},
     "Indsatsen hypnose findes ikke på indsatstrappen."),
    ("reason-not-in-list", {"kind": "family_treatment", "started_on": _d(TODAY - 10 * DAY), "ended_on": _d(TODAY),
                            "end_reason": "keds", "end_note": "Ingen grund"},
     "Grunden keds står ikke på listen"),
    ("date-as-words", {"kind": "family_treatment", "started_on": "i forgårs"},
     "Skriv datoen som dag, måned og år, fx 14-03-2026."),
    ("markup", {"kind": "family_treatment", "started_on": _d(TODAY), "ended_on": _d(TODAY), "end_reason": "other",
                "end_note": "<b>fed</b> " * 300}, "Højst 2000 tegn."),
]


@pytest.mark.parametrize(("data", "words"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED])
def test_a_refused_measure_says_why_keeps_what_was_typed_and_stores_nothing(app, staff, case_id, data, words):
    response = staff.post(f"/cases/{case_id}/measures/new", data=data)
    assert response.status_code == 400
    assert words in response.text
    for key in ("started_on", "ended_on"):
        if key in data:
            assert f'value="{data[key]}"' in response.text
    if "end_note" in data:
        assert data["end_note"].replace("<", "&lt;").replace(">", "&gt;")[:60] in response.text
    assert "<b>fed</b>" not in response.text
    assert _stored(app) == (0, 0)


def test_an_overlapping_measure_is_refused_on_the_form(app, make, staff, case_id):
    make.measure(case_id, "family_treatment", TODAY - 50 * DAY)
    response = staff.post(f"/cases/{case_id}/measures/new",
                          data={"kind": "family_treatment", "started_on": _d(TODAY - 5 * DAY)})
    assert response.status_code == 400
    assert "Der er allerede en indsats af samme slags (Familiebehandling)" in response.text
    assert _stored(app) == (1, 1)


def test_a_correction_keeps_the_history(app, make, staff, case_id):
    measure = make.measure(case_id, "family_treatment", TODAY - 50 * DAY)
    page = staff.get(f"/cases/{case_id}/measures/{measure}").text
    assert 'name="version" type="hidden" value="1"' in page and "Afslut indsatsen" in page
    response = staff.post(f"/cases/{case_id}/measures/{measure}",
                          data={"kind": "home_support", "started_on": _d(TODAY - 50 * DAY), "version": "1"})
    assert response.status_code == 302
    page = staff.get(f"/cases/{case_id}/measures/{measure}").text
    history = page[page.index('id="history"'):]
    assert "Udgave 2" in history and "Udgave 1" in history
    assert history.index("Praktisk og pædagogisk støtte i hjemmet") < history.index("Familiebehandling")
    assert "rettet 1 gang" in _section(staff.get(f"/cases/{case_id}").text)


def test_a_correction_on_a_page_someone_else_changed_meanwhile_stores_nothing(app, make, staff, case_id):
    measure = make.measure(case_id, "family_treatment", TODAY - 50 * DAY)
    data = {"kind": "home_support", "started_on": _d(TODAY - 50 * DAY), "version": "1"}
    assert staff.post(f"/cases/{case_id}/measures/{measure}", data=data).status_code == 302
    stale = staff.post(f"/cases/{case_id}/measures/{measure}", data=data | {"kind": "contact_person"})
    assert stale.status_code == 409 and "Indsatsen er lige blevet ændret af en anden." in stale.text
    assert 'name="version" type="hidden" value="2"' in stale.text
    assert _stored(app) == (1, 2)


def test_ending_a_measure_moves_it_to_those_ended(app, make, staff, case_id):
    measure = make.measure(case_id, "family_treatment", TODAY - 50 * DAY)
    page = staff.get(f"/cases/{case_id}/measures/{measure}/end").text
    assert f'value="{TODAY.isoformat()}"' in page or f'value="{_d(TODAY)}"' in page
    assert "Målet er nået" in page  # the organisation's reasons
    refused = staff.post(f"/cases/{case_id}/measures/{measure}/end",
                         data={"ended_on": _d(TODAY), "end_reason": "other", "version": "1"})
    assert refused.status_code == 400 and "Skriv, hvorfor indsatsen sluttede." in refused.text
    response = staff.post(f"/cases/{case_id}/measures/{measure}/end",
                          data={"ended_on": _d(TODAY - DAY), "end_reason": "other", "end_note": "Familien sagde stop.",
                                "version": "1"})
    assert response.status_code == 302
    section = _section(staff.get(f"/cases/{case_id}").text)
    assert "Ingen indsats i gang." in section and "Afsluttede indsatser" in section
    assert "Anden grund" in section and "Familien sagde stop." in section
    # Ending it again sends to the correction, where its end can be corrected.
    again = staff.get(f"/cases/{case_id}/measures/{measure}/end")
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/measures/{measure}")
    corrected = staff.get(f"/cases/{case_id}/measures/{measure}").text
    assert 'name="end_note"' in corrected and "Afslut indsatsen" not in corrected


def test_a_measure_of_another_case_is_not_found(app, make, staff, caseworker, case_id):
    other = make.emma(caseworker, open_round=False).case
    measure = make.measure(other, "family_treatment")
    for url in (f"/cases/{case_id}/measures/{measure}", f"/cases/{case_id}/measures/{measure}/end",
                f"/cases/{case_id}/measures/99999999999"):
        assert staff.get(url).status_code == 404, url


def test_the_provider_list_is_offered_once_the_organisation_has_one(app, staff, case_id):
    from app.settings import lists

    with app.test_request_context():
        lists.save("provider", [{"code": "familiehuset", "labels": {"da": "Familiehuset"}, "active": True}])
        db.session.commit()
    form = staff.get(f"/cases/{case_id}/measures/new").text
    assert re.search(r'<option value="familiehuset">Familiehuset</option>', form)
    refused = staff.post(f"/cases/{case_id}/measures/new", data={"kind": "family_treatment", "started_on": _d(TODAY)})
    assert refused.status_code == 400 and "Vælg udføreren." in refused.text
    assert staff.post(f"/cases/{case_id}/measures/new", data={"kind": "family_treatment", "started_on": _d(TODAY),
                                                              "provider": "familiehuset"}).status_code == 302
    assert "Familiehuset" in _section(staff.get(f"/cases/{case_id}").text)


def test_the_case_page_reads_the_measures_in_one_query_however_many(app, make, staff, case_id):
    from bench.queries import count_queries

    def statements() -> int:
        staff.get(f"/cases/{case_id}")
        with app.app_context(), count_queries(db.engine) as counted:
            assert staff.get(f"/cases/{case_id}").status_code == 200
        return counted.total

    make.measure(case_id, "family_treatment", TODAY - 400 * DAY, ended_on=TODAY - 300 * DAY, end_reason="goal_met")
    one = statements()
    for number, kind in enumerate(("home_support", "contact_person", "respite_care", "foster_family", "group_course")):
        make.measure(case_id, kind, TODAY - (200 - number) * DAY)
    assert statements() == one


def test_a_double_click_on_save_stores_the_measure_once(app, staff, case_id):
    data = {"kind": "family_treatment", "started_on": _d(TODAY - 5 * DAY)}
    assert staff.post(f"/cases/{case_id}/measures/new", data=data).status_code == 302
    assert staff.post(f"/cases/{case_id}/measures/new", data=data).status_code == 302
    assert _stored(app) == (1, 1)


def test_a_kind_the_ladder_no_longer_has_stays_on_its_measure(app, make, staff, case_id):
    from app.measures.ladder import DEFAULT_FILE, parse_ladder

    measure = make.measure(case_id, "family_treatment", TODAY - 50 * DAY)
    # The organisation renames the kind's code in its ladder file (and restarts).
    raw = DEFAULT_FILE.read_text(encoding="utf-8").replace('code = "family_treatment"', 'code = "family_therapy"')
    app.extensions["ladder"] = parse_ladder(raw.encode(), DEFAULT_FILE)
    assert "family_treatment" in _section(staff.get(f"/cases/{case_id}").text)
    page = staff.get(f"/cases/{case_id}/measures/{measure}").text
    assert '<option selected value="family_treatment">family_treatment</option>' in page
    # Correcting another field keeps it, on the rung it was recorded on; a new measure cannot choose it.
    response = staff.post(f"/cases/{case_id}/measures/{measure}",
                          data={"kind": "family_treatment", "started_on": _d(TODAY - 60 * DAY), "version": "1"})
    assert response.status_code == 302
    with app.app_context():
        version = db.session.scalar(select(MeasureVersion).where(MeasureVersion.number == 2))
        assert (version.kind, version.rung, version.started_on) == ("family_treatment", "supportive", TODAY - 60 * DAY)
    refused = staff.post(f"/cases/{case_id}/measures/new", data={"kind": "family_treatment", "started_on": _d(TODAY)})
    assert refused.status_code == 400 and "Indsatsen family_treatment findes ikke på indsatstrappen." in refused.text
