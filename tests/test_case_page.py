"""The case page's "Venter på dig" (issue 10, item 13): what waits for the case worker on the case,
first on the page, with the way to each; the rest of the page folded below meetings and goals."""

from datetime import date, timedelta

from app.cases import services as cases
from app.cases.models import Case
from app.extensions import db
from tests.factories import demo_case, login


def _section(html: str, id_: str) -> str:
    start = html.index(f'id="{id_}"')
    return html[start:html.index("</section>", start)]


def test_what_waits_on_the_demo_case_comes_first_with_the_way_to_each(app):
    case_id = demo_case(app)["case_id"][0]
    client = app.test_client()
    login(client, "demo", "demo")
    html = client.get(f"/cases/{case_id}").text
    main = html[html.index("<main>"):]
    assert main.index('id="waiting"') < main.index('id="meetings"') < main.index('id="goals"')
    assert main.index('id="goals"') < min(main.index(f'id="{fold}"') for fold in
                                          ("latest-feedback", "indicators", "status", "observations", "registrations",
                                           "people"))
    waiting = _section(html, "waiting")
    assert "2 runder venter på, at du tager stilling." in waiting
    assert "Netværksmøde" in waiting and "af 5 har svaret" in waiting and "Tag stilling" in waiting
    assert "Ring til Jonas senest" in waiting and "Registrér opkald" in waiting  # a phone call due
    assert "Status fra Bente før opfølgningsmøde" in waiting  # a status asked for, not sent yet
    # The long sections are folded shut: charts and answers are there, behind a closed <details>.
    assert "<details open" not in html and _section(html, "indicators").count("<svg") >= 2


def test_a_planned_follow_up_with_no_status_asked_for_waits_for_a_request(app, make, staff, caseworker):
    ids = make.emma(caseworker)
    held_on = date.today() + timedelta(days=20)
    with app.test_request_context():
        case = db.session.get(Case, ids.case)
        cases.record_meeting(case, "follow_up", held_on, [p.id for p in case.people])
        db.session.commit()
    waiting = _section(staff.get(f"/cases/{ids.case}").text, "waiting")
    assert "Bed om status før opfølgningsmøde" in waiting
    assert f'href="/cases/{ids.case}/status/new"' in waiting
