"""Export of one person's data (GDPR art. 15; issue 12 item 16): JSON and a readable PDF from the
person's page, with what Samstem holds about them and nothing others answered about them; audited;
for the case's team only."""

import json
from datetime import timedelta

import pytest
from flask_login import login_user
from sqlalchemy import select

from app.audit import AuditEvent
from app.auth.models import User
from app.cases.models import Case
from app.extensions import db
from app.outbox.models import OutboxMessage
from app.registrations.models import PhoneFollowUp
from app.timestamps import utcnow
from tests.factories import login, vas
from tests.qr import pdf_pages_text


@pytest.fixture
def mette(app, make, caseworker):
    """Emma's case where Mette (mother) answered twice, got an e-mail, sent an observation, was
    called, and is named in a decision; Emma and Grete answered and observed too."""
    ids = make.emma(caseworker)
    make.answer(ids.invitations["mother"], {"fit-outcome-child": vas(2, 3, 4, 5)})
    make.answer(ids.invitations["mother"], {"fit-outcome-child": vas(6, 3, 4, 5)})  # changed: history
    make.answer(ids.invitations["child"], {"fit-outcome-child": vas(9.1, 9.2, 9.3, 9.4)})
    _link, mine = make.observation_link(ids.case, ids.people["mother"])
    make.observation(mine, text="Emma sov godt hele ugen.")
    _link, grete = make.observation_link(ids.case, ids.people["network"])
    make.observation(grete, text="Grete så Emma græde ved bussen.")
    earlier = make.earlier_round(ids, utcnow().date() - timedelta(days=30), {})
    make.decide_round(earlier, text="Mette ønsker mere hjælp om morgenen.")
    make.decide_round(ids.round, text="Planen virker.")
    with app.test_request_context():
        user = db.session.get(User, caseworker)
        login_user(user)
        case = db.session.get(Case, ids.case)
        mother = next(p for p in case.people if p.role == "mother")
        mother.email = "mette@example.dk"
        meeting = case.meetings[0]
        db.session.add(PhoneFollowUp(meeting=meeting, person=mother, reached=True, started="yes", helps=4,
                                     notes="Mette er glad for mødet.", recorded_by=user, recorded_at=utcnow()))
        db.session.add(OutboxMessage(channel="email", recipient="mette@example.dk", subject="Emma", body="{link}",
                                     invitation_id=ids.invitations["mother"], case_id=case.id, sent_at=utcnow()))
        db.session.commit()
    return ids


def _url(ids, role: str, fmt: str) -> str:
    return f"/cases/{ids.case}/people/{ids.people[role]}/export.{fmt}"


def test_the_json_export_holds_what_samstem_has_about_the_person(staff, mette):
    response = staff.get(_url(mette, "mother", "json"))
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["person"]["first_name"] == "Mette" and data["person"]["email"] == "mette@example.dk"
    assert data["person"]["role_label"] == "Mor" and data["caseworker"] == "Anne Rådgiver"
    # What she answered, with its history: the first answer, replaced, and the one in force.
    answers = [a for a in data["answers"] if a["form_id"] == "fit-outcome-child"]
    assert [a["answers"]["me"] for a in answers] == [2, 6]
    assert answers[0]["replaced_at"] is not None and answers[1]["replaced_at"] is None
    assert answers[1]["readable"][0] == {"question": "Hvordan har barnet det med sig selv?", "answer": "6,0"}
    # The links she got and when, and the message that carried one.
    invitation = next(i for i in data["invitations"] if i["id"] == mette.invitations["mother"])
    assert invitation["issued_at"] and invitation["messages"][0]["to"] == "mette@example.dk"
    assert [o["text"] for o in data["observations"]] == ["Emma sov godt hele ugen."]
    assert len(data["observation_links"]) == 1
    assert data["phone_follow_ups"][0]["notes"] == "Mette er glad for mødet."
    decisions = {d["text"]: d["why"] for d in data["decisions"]}
    assert "nævner personen ved navn" in decisions["Mette ønsker mere hjælp om morgenen."]
    assert "om runder, personen blev spurgt i" in decisions["Planen virker."]
    assert {m["kind"] for m in data["meetings"]} >= {"network_meeting"}


def test_what_others_answered_about_the_person_is_left_out_and_the_export_says_so(staff, mette):
    text = staff.get(_url(mette, "child", "json")).get_data(as_text=True)
    data = json.loads(text)
    assert "Svar, som andre har givet om personen" in data["not_included"]
    # Emma's own answers are there; her mother's answers about her and Grete's observation are not.
    assert [a["answers"]["me"] for a in data["answers"] if a["form_id"] == "fit-outcome-child"] == [9.1]
    assert mette.invitations["child"] in [i["id"] for i in data["invitations"]]
    assert mette.invitations["mother"] not in [i["id"] for i in data["invitations"]]
    assert "Grete så Emma græde" not in text and "Emma sov godt" not in text and "mette@example.dk" not in text
    assert data["observations"] == [] and data["phone_follow_ups"] == []


def test_the_pdf_export_reads_as_the_same(staff, mette):
    response = staff.get(_url(mette, "mother", "pdf"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(pdf_pages_text(response.data))
    for shown in ("Oplysninger om Mette", "mette@example.dk", "Svar, som andre har givet om personen",
                  "Hvordan har barnet det med sig selv?", "Emma sov godt hele ugen.", "Mette er glad for mødet.",
                  "Mette ønsker mere hjælp om morgenen.", "erstattet af et nyere svar"):
        assert shown in text, shown
    assert "Grete så Emma græde" not in text and "9,1" not in text


def test_each_export_is_audited(app, staff, mette):
    staff.get(_url(mette, "mother", "json"))
    staff.get(_url(mette, "mother", "pdf"))
    with app.app_context():
        exports = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "person.export")
                                     .order_by(AuditEvent.id)).all()
        assert [(e.case_id, e.detail["person_id"], e.detail["format"]) for e in exports] == [
            (mette.case, mette.people["mother"], "json"), (mette.case, mette.people["mother"], "pdf")]
        assert all(e.user_id is not None for e in exports)


def test_the_person_page_offers_the_export(staff, mette):
    page = staff.get(f"/cases/{mette.case}/people/{mette.people['mother']}").text
    assert _url(mette, "mother", "pdf") in page and _url(mette, "mother", "json") in page
    assert "Det, andre har svaret om personen, er ikke med." in page


def test_only_the_case_team_may_export(app, make, mette):
    make.user("stranger", team=make.team("Team Vest"))
    make.user("boss", role="leader")
    other = make.emma(make.user("bo", team=make.team("Team Syd")), open_round=False)
    for username in ("stranger", "boss"):
        client = app.test_client()
        login(client, username)
        for fmt in ("json", "pdf"):
            assert client.get(_url(mette, "mother", fmt)).status_code == 403
    owner = app.test_client()
    login(owner)
    # A person of another case, through this case's address: no such person here.
    assert owner.get(f"/cases/{mette.case}/people/{other.people['mother']}/export.json").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.export")) is None
