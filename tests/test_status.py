"""The provider status before a follow-up meeting (DESIGN.md flow B, INSTRUMENTS.md section 3)."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.invitations.models import Invitation, Response, Round
from app.outbox.models import LINK, OutboxMessage
from app.status import services
from app.status.services import GoalSnapshot
from app.timestamps import utcnow
from tests.factories import login

TODAY = date(2026, 3, 10)
GOALS = [GoalSnapshot(1, 1, "Emma kommer i skole hver dag."), GoalSnapshot(2, 3, "Emma sover hjemme.")]


def good_form(**changes) -> dict:
    """A complete status for GOALS; changes replace or (as None) drop fields."""
    form = {
        "goal_1_attainment": "high", "goal_1_done": "Vi har hentet hende om morgenen.",
        "goal_2_attainment": "some",
        "overall": "Emma trives bedre.", "rating": "7",
        "reviewed": "yes", "reviewed_on": "2026-03-09", "family_comments": "Mor er enig.",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def test_a_complete_status_snapshots_each_goal_as_it_was_asked():
    answers, errors = services.validate(good_form(), GOALS, TODAY)
    assert errors == {}
    assert answers["goals"][1] == {"goal_id": 2, "version": 3, "text": "Emma sover hjemme.", "attainment": "some",
                                   "done": "", "works": "", "worries": "", "next": "", "observations": ""}
    assert answers["rating"] == 7 and answers["reviewed_on"] == "2026-03-09"


# INSTRUMENTS.md section 3: every rule of the form, and the message the provider gets.
@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"goal_2_attainment": None}, "goal_2_attainment", "Vælg, hvor langt I er med målet."),
    ({"goal_1_attainment": "maybe"}, "goal_1_attainment", "Vælg, hvor langt I er med målet."),
    ({"overall": "  "}, "overall", "Skriv din samlede vurdering"),
    ({"rating": None}, "rating", "Vælg et tal fra 0 til 10."),
    ({"rating": "11"}, "rating", "Vælg et tal fra 0 til 10."),
    ({"rating": "6.5"}, "rating", "Vælg et tal fra 0 til 10."),
    ({"rating": "-1"}, "rating", "Vælg et tal fra 0 til 10."),
    ({"reviewed": None}, "reviewed", "Svar på, om statussen er gennemgået med familien."),
    ({"reviewed_on": ""}, "reviewed_on", "Skriv datoen, hvor I gennemgik statussen med familien."),
    ({"reviewed_on": "9/3 2026"}, "reviewed_on", "Datoen ser ikke rigtig ud."),
    ({"reviewed_on": "2026-02-30"}, "reviewed_on", "Datoen ser ikke rigtig ud."),
    ({"reviewed_on": "2026-03-11"}, "reviewed_on", "Datoen kan ikke ligge i fremtiden."),
    ({"reviewed": "no", "reviewed_on": None}, "reason", "Skriv, hvorfor statussen ikke er gennemgået med familien."),
    ({"goal_1_worries": "x" * 2001}, "goal_1_worries", "Højst 2000 tegn. Du har skrevet 2001."),
    ({"overall": "x" * 4001}, "overall", "Højst 4000 tegn."),
    ({"family_comments": "x" * 2001}, "family_comments", "Højst 2000 tegn."),
    ({"reviewed": "no", "reason": "x" * 1001}, "reason", "Højst 1000 tegn."),
    ({"goal_1_observations": "Emmas cpr 010203-1234"}, "goal_1_observations", "Skriv ikke CPR-numre."),
])
def test_each_rule_of_the_status_form_has_its_own_message(app, changes, field, message):
    with app.test_request_context():
        _, errors = services.validate(good_form(**changes), GOALS, TODAY)
    assert list(errors) == [field]
    assert errors[field].startswith(message)


def test_not_reviewed_with_a_reason_needs_no_date(app):
    with app.test_request_context():
        answers, errors = services.validate(good_form(reviewed="no", reviewed_on=None, reason="Mor var syg."), GOALS, TODAY)
    assert errors == {} and answers["reason"] == "Mor var syg." and "reviewed_on" not in answers


def test_reviewed_today_is_fine(app):
    with app.test_request_context():
        _, errors = services.validate(good_form(reviewed_on=TODAY.isoformat()), GOALS, TODAY)
    assert errors == {}


# ---- The case worker asks --------------------------------------------------------------


@pytest.fixture
def emma(make, caseworker):
    ids = make.emma(caseworker)
    ids.goal = make.goal(ids.case)
    return ids


@pytest.fixture
def staff(client, emma):
    login(client)
    return client


def _give_email(app, person_id, email="lise@udfoerer.dk"):
    from app.cases.models import Person

    with app.app_context():
        db.session.get(Person, person_id).email = email
        db.session.commit()


def _request(client, case_id, **changes):
    data = {"meeting": "new", "new_meeting_on": (date.today() + timedelta(days=14)).isoformat(),
            "due_on": (date.today() + timedelta(days=7)).isoformat()} | changes
    return client.post(f"/cases/{case_id}/status/new", data={k: v for k, v in data.items() if v is not None})


def test_asking_for_a_status_creates_the_meeting_round_and_an_email_with_the_link_placeholder(app, staff, emma):
    _give_email(app, emma.people["provider"])
    page = staff.get(f"/cases/{emma.case}/status/new").text
    assert "Bed om status" in page and "Lise (Udfører)" in page
    response = _request(staff, emma.case, recipients=str(emma.people["provider"]))
    assert response.status_code == 302
    with app.app_context():
        round_ = db.session.scalar(select(Round).where(Round.kind == "status"))
        assert round_.due_on == date.today() + timedelta(days=7)
        assert round_.meeting.kind == "follow_up" and round_.meeting.held_on == date.today() + timedelta(days=14)
        (invitation,) = round_.invitations
        assert invitation.instrument_ids == ["provider-status"]
        # The link outlives the due date: an answer after it is still taken.
        assert invitation.expires_at.date() >= round_.due_on + timedelta(days=app.config["TOKEN_DAYS"])
        (message,) = db.session.scalars(select(OutboxMessage)).all()
        assert message.recipient == "lise@udfoerer.dk" and message.invitation_id == invitation.id
        assert LINK in message.body and "Emma" in message.body and "Anne Rådgiver" in message.body
        assert "Samstem Kommune" in message.body and "Status om Emma senest" in message.subject
        due = round_.due_on
        assert f"{due.day}." in message.subject


def test_a_planned_meeting_can_be_chosen(app, make, staff, emma):
    _give_email(app, emma.people["provider"])
    # The decision form's follow-up creates a planned meeting; here the factory's request does the same.
    make.status_request(emma)
    with app.app_context():
        planned = db.session.scalar(select(Round).where(Round.kind == "status")).meeting
        meeting_id, held_on = planned.id, planned.held_on
    response = _request(staff, emma.case, meeting=str(meeting_id), new_meeting_on=None,
                        recipients=str(emma.people["provider"]))
    assert response.status_code == 302
    with app.app_context():
        rounds = db.session.scalars(select(Round).where(Round.kind == "status")).all()
        assert [r.meeting_id for r in rounds] == [meeting_id, meeting_id] and rounds[1].meeting.held_on == held_on


def test_a_goal_less_status_request_is_refused_with_a_link_to_add_a_goal(app, make, caseworker):
    ids = make.emma(caseworker, open_round=False)
    client = app.test_client()
    login(client)
    for response in (client.get(f"/cases/{ids.case}/status/new"), _request(client, ids.case, recipients=str(ids.people["provider"]))):
        assert "Sagen har ingen mål i handleplanen" in response.text
        assert f'href="/cases/{ids.case}/goals/new"' in response.text
    assert response.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(Round).where(Round.kind == "status")) is None


def test_a_recipient_without_email_is_named_with_a_link_to_the_person_page(app, staff, emma):
    response = _request(staff, emma.case, recipients=str(emma.people["provider"]))
    assert response.status_code == 400
    assert "Lise har ingen e-mailadresse. Tilføj den på personens side" in response.text
    assert f'/cases/{emma.case}/people/{emma.people["provider"]}' in response.text
    with app.app_context():
        assert db.session.scalar(select(Round).where(Round.kind == "status")) is None


@pytest.mark.parametrize(("changes", "message"), [
    ({"due_on": ""}, "Skriv en frist for statussen."),
    ({"due_on": "i morgen"}, "Skriv datoen som åååå-mm-dd."),
    ({"due_on": (date.today() - timedelta(days=1)).isoformat()}, "Fristen kan ikke ligge før i dag."),
    ({"due_on": (date.today() + timedelta(days=15)).isoformat()}, "Fristen skal ligge senest på mødedagen."),
    ({"new_meeting_on": ""}, "Skriv datoen for det nye opfølgningsmøde."),
    ({"new_meeting_on": "14/3"}, "Skriv datoen som åååå-mm-dd."),
    ({"new_meeting_on": (date.today() - timedelta(days=1)).isoformat()}, "Mødet kan ikke ligge før i dag."),
    ({"meeting": None}, "Vælg et møde"),
    ({"meeting": "999999"}, "Vælg en af mulighederne."),
    ({"recipients": None}, "Vælg mindst én modtager."),
    ({"recipients": "abc"}, "Vælg en af mulighederne."),
])
def test_bad_request_input_gets_a_clear_message_and_keeps_what_was_typed(app, staff, emma, changes, message):
    _give_email(app, emma.people["provider"])
    data = {"recipients": str(emma.people["provider"])} | changes
    response = _request(staff, emma.case, **data)
    assert response.status_code == 400
    assert message in response.text
    for name in ("due_on", "new_meeting_on"):
        if data.get(name):  # typed dates come back as typed
            assert f'value="{data[name]}"' in response.text
    with app.app_context():
        assert db.session.scalar(select(Round).where(Round.kind == "status")) is None


def test_only_provider_and_school_can_be_recipients(app, staff, emma):
    _give_email(app, emma.people["mother"], "mette@example.dk")
    response = _request(staff, emma.case, recipients=str(emma.people["mother"]))
    assert response.status_code == 400 and "Vælg en af mulighederne." in response.text


def test_another_teams_case_worker_cannot_ask(app, make, emma):
    make.user("stranger", team=make.team("Team Syd"))
    client = app.test_client()
    login(client, "stranger")
    assert client.get(f"/cases/{emma.case}/status/new").status_code == 403
    assert _request(client, emma.case, recipients=str(emma.people["provider"])).status_code == 403
