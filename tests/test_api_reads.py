"""Reading through /api/v1 (issue 17): a case's rounds with every answer, signals, divergence,
decisions and indicator scores; goals; the feed of changes; the case report; pagination."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.extensions import db
from app.timestamps import utcnow
from tests.api_helpers import bearer, make_key
from tests.factories import vas

CASE = "/api/v1/cases/Sag-Ø-17"


@pytest.fixture
def emma(app, make):
    nord = make.team("Team Nord")
    owner = make.user("anne", team=nord)
    ids = make.emma(owner)
    ids.key = make_key(app, make.user("admin", role="admin", name="Ada Admin"), [nord], ("read",))
    return ids


def test_a_round_shows_every_answer_a_declined_form_and_the_decision(app, client, make, emma):
    make.answer(emma.invitations["mother"], {"fit-outcome-child": vas(2, 2, 2, 2), "fit-session": vas(9, 9, 9, 9)})
    make.answer(emma.invitations["father"], {"fit-outcome-child": vas(9, 9, 9, 9), "fit-session": vas(9, 9, 9, 9)})
    make.answer(emma.invitations["network"], declined=True)
    make.decide_round(emma.round)
    reply = client.get(CASE + "/rounds", headers=bearer(emma.key))
    assert reply.status_code == 200, reply.json
    (round_,) = reply.json["items"]
    by_person = {(a["person_id"], a["instrument"]): a for a in round_["answers"]}
    mother = by_person[(emma.people["mother"], "fit-outcome-child")]
    assert mother["answers"] == vas(2, 2, 2, 2) and mother["score_total"] == 8 and not mother["declined"]
    assert by_person[(emma.people["network"], "participation-network")]["declined"] is True
    assert {"fit-outcome-child"} <= {d["instrument"] for d in round_["divergences"]}  # 2 against 9
    assert round_["decision"]["outcome"] == "no_adjustment" and round_["locked"] is True
    statuses = {i["person_id"]: i["status"] for i in round_["invitations"]}
    assert statuses[emma.people["network"]] == "declined" and statuses[emma.people["child"]] == "waiting"


def test_an_indicator_round_shows_its_final_scores_and_classification(app, client, make):
    nord = make.team("Team Nord")
    owner = make.user("anne", team=nord)
    ids = make.indicator_case(owner)
    first = make.indicator_round(ids, date.today() - timedelta(days=200))
    make.final_scores(first, {"development": {"status": 4, "goal": 2}})
    second = make.indicator_round(ids)
    make.final_scores(second, {"development": {"status": 2, "goal": 2}})
    key = make_key(app, make.user("admin", role="admin", name="Ada Admin"), [nord], ("read",))
    items = client.get(CASE + "/rounds", headers=bearer(key)).json["items"]
    by_id = {item["id"]: item for item in items}
    assert by_id[second]["indicators"]["final_scores"]["development"]["status"] == 2
    assert by_id[second]["indicators"]["classification"]["development"]


def test_every_list_is_paged_with_an_opaque_cursor(app, client, make, emma):
    for days in (300, 200, 100):
        make.earlier_round(emma, date.today() - timedelta(days=days), {})
    seen, cursor = [], None
    while True:
        reply = client.get(CASE + "/rounds", query_string={"limit": 2, **({"cursor": cursor} if cursor else {})},
                           headers=bearer(emma.key)).json
        seen += [item["id"] for item in reply["items"]]
        cursor = reply["next_cursor"]
        if cursor is None:
            break
        assert not cursor.isdigit()  # opaque and signed: an altered one is refused
        altered = client.get(CASE + "/rounds", query_string={"cursor": cursor[:-3] + "abc"}, headers=bearer(emma.key))
        assert altered.status_code == 422 and altered.json["code"] == "validation_failed"
    assert len(seen) == 4 and len(set(seen)) == 4
    cases = client.get("/api/v1/cases", query_string={"limit": 1}, headers=bearer(emma.key)).json
    assert [item["reference"] for item in cases["items"]] == ["Sag-Ø-17"] and cases["next_cursor"] is None


def test_goals_show_the_wording_in_force(app, client, make, emma):
    make.goal(emma.case, "Emma kommer i skole hver dag.")
    (goal,) = client.get(CASE + "/goals", headers=bearer(emma.key)).json["items"]
    assert goal["text"] == "Emma kommer i skole hver dag." and goal["closed_at"] is None


def test_the_feed_shows_changes_once_they_are_settled_and_never_skips_one(app, client, make, emma):
    feed = client.get("/api/v1/changes", headers=bearer(emma.key)).json
    assert feed["items"] == []  # every change is younger than the lag: none is settled yet
    cursor = feed["next_cursor"]
    with app.app_context():
        db.session.execute(AuditEvent.__table__.update().values(at=utcnow() - timedelta(minutes=5)))
        db.session.commit()
    feed = client.get("/api/v1/changes", query_string={"cursor": cursor}, headers=bearer(emma.key)).json
    actions = [item["action"] for item in feed["items"]]
    assert {"case.create", "person.save", "meeting.create", "round.open"} <= set(actions)
    assert all(item["reference"] == "Sag-Ø-17" for item in feed["items"])
    assert "case.view" not in actions
    again = client.get("/api/v1/changes", query_string={"cursor": feed["next_cursor"]}, headers=bearer(emma.key))
    assert again.json["items"] == []


def test_the_case_report_is_there_as_pdf_and_plain_text(app, client, make, emma):
    make.answer(emma.invitations["mother"], {"fit-outcome-child": vas(5, 5, 5, 5), "fit-session": vas(9, 9, 9, 9)})
    pdf = client.get(f"{CASE}/rounds/{emma.round}/report.pdf", headers=bearer(emma.key))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    text = client.get(f"{CASE}/rounds/{emma.round}/report.txt", headers=bearer(emma.key))
    assert text.status_code == 200 and text.mimetype == "text/plain" and "Emma" in text.text
    assert client.get(f"{CASE}/rounds/99999/report.txt", headers=bearer(emma.key)).json["code"] == "not_found"
    with app.app_context():
        exports = db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "case.export")).all()
        assert [detail["format"] for detail in exports] == ["pdf", "text"]
