"""The core loop through the Flask client: meeting, proposal, links, answers, case page."""

import re
from datetime import date

from tests.factories import proposed_forms


def test_case_worker_records_meeting_and_gets_proposal(staff, app):
    response = staff.post("/cases/new", data={"child_first_name": "Emma", "child_birth_year": date.today().year - 9})
    assert response.status_code == 302
    case_url = response.headers["Location"]
    case_id = int(case_url.rsplit("/", 1)[1])
    for role, name in [("mother", "Mette"), ("father", "Jonas"), ("network", "Grete"), ("provider", "Lise")]:
        r = staff.post(f"/cases/{case_id}/people/new", data={"role": role, "first_name": name, "language": "da"})
        assert r.status_code == 302, r.text
    page = staff.get(case_url).text
    people_ids = [int(x) for x in re.findall(rf'/cases/{case_id}/people/(\d+)"', page)]
    assert len(people_ids) == 5
    r = staff.post(f"/cases/{case_id}/meetings/new", data={
        "kind": "network_meeting", "held_on": date.today().isoformat(), "participants": people_ids})
    assert r.status_code == 302
    proposal = staff.get(r.headers["Location"]).text
    # Emma (9) and her parents: the participation evaluation and the child outcome scale, no
    # session scale at a network meeting (issue 10 item 18); grandmother: network form. The
    # page lists the ticked forms in its own order, outcome before participation.
    by_person = proposed_forms(proposal)
    assert by_person[people_ids[0]] == ["fit-outcome-child", "participation-child"]
    assert by_person[people_ids[1]] == ["fit-outcome-child", "participation-adult"]
    assert by_person[people_ids[3]] == ["participation-network"]
    assert by_person[people_ids[4]] == ["participation-adult"]


def test_child_answers_and_case_page_shows_it(staff, app, make, caseworker):
    ids = make.emma(caseworker)
    token = ids.tokens["child"]
    anonymous = app.test_client()
    intro = anonymous.get(f"/r/{token}")
    assert intro.status_code == 200
    assert "Hej!" in intro.text and "Du bestemmer selv, om du vil svare." in intro.text
    form = anonymous.get(f"/r/{token}/form")
    assert form.status_code == 200
    names = sorted(set(re.findall(r'name="(fit-[\w-]+\.\w+)"', form.text)))
    data = {name: "7.5" for name in names}
    r = anonymous.post(f"/r/{token}/form", data=data)
    assert r.status_code == 302, r.text
    assert r.headers["Location"].endswith(f"/r/{token}/thanks")
    case_page = staff.get(f"/cases/{ids.case}").text
    assert "30,0" in case_page
