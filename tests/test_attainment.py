"""Issue 14 item 4: the case worker's goal attainment per action-plan goal at each follow-up meeting,
on the outcome model's steps with "ikke fulgt op" as its own value, beside the provider's view;
recorded once per goal and meeting, a change is a correction kept in the history."""

import re
from datetime import date, timedelta

import pytest
from flask_login import login_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.attainment import services as attainment
from app.attainment.models import GoalAttainment
from app.audit import AuditEvent
from app.cases import services as cases
from app.cases.models import Case, Meeting
from app.extensions import db
from app.invitations.models import Invitation
from app.status import services as status
from app.timestamps import utcnow
from tests.factories import login


@pytest.fixture
def emma(make, caseworker):
    """Emma's case with one goal and a network meeting held today."""
    ids = make.emma(caseworker, open_round=False)
    ids.goal = make.goal(ids.case)
    return ids


def _url(emma) -> str:
    return f"/meetings/{emma.meeting}/attainment"


def _field(goal_id: int) -> str:
    return f"goal_{goal_id}"


def _chosen(html: str) -> list[str]:
    """The steps ticked on the page."""
    return re.findall(r'<input checked[^>]*type="radio" value="([a-z_]+)"', html)


def _lines(app, meeting_id: int) -> list[tuple]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(GoalAttainment.goal_id, GoalAttainment.attainment, GoalAttainment.corrects_id.is_not(None))
            .where(GoalAttainment.meeting_id == meeting_id).order_by(GoalAttainment.id))]


def _provider_says(app, emma, attainment_code: str) -> None:
    """Ask Lise (the provider) for a status before Emma's meeting, and let her answer."""
    with app.test_request_context():
        case = db.session.get(Case, emma.case)
        login_user(case.caseworker)
        lise = next(p for p in case.people if p.role == "provider")
        lise.email = "lise@udfoerer.dk"
        round_, _ = status.request_status(case, case.caseworker, meeting=db.session.get(Meeting, emma.meeting),
                                          new_meeting_on=None, due_on=date.today(), people=[lise])
        invitation = round_.invitations[0]
        form = {f"goal_{emma.goal}_attainment": attainment_code, "overall": "Emma trives bedre.", "rating": "7",
                "reviewed": "no", "reason": "Mor var syg."}
        answers, problems = status.validate(form, status.goals_at(round_), date.today())
        assert problems == {}
        status.submit(invitation, answers, "da")
        db.session.commit()


def test_the_page_shows_the_providers_view_beside_each_goal(app, staff, emma):
    _provider_says(app, emma, "high")
    page = staff.get(_url(emma))
    assert page.status_code == 200
    assert "Emma kommer i skole hver dag." in page.text
    assert "Lise (Udfører): <strong>I høj grad opfyldt</strong>" in page.text
    assert "Ikke fulgt op" in page.text  # its own value among the steps


def test_without_a_status_the_page_says_none_was_asked(staff, emma):
    assert "Der er ikke bedt om status før mødet." in staff.get(_url(emma)).text


def test_the_providers_status_links_to_the_case_workers_assessment(app, staff, emma):
    _provider_says(app, emma, "some")
    with app.app_context():
        round_id = db.session.scalar(select(Invitation.round_id).order_by(Invitation.id.desc()))
    assert f'href="/meetings/{emma.meeting}/attainment"' in staff.get(f"/rounds/{round_id}").text


# Issue 14 item 4 / INSTRUMENTS.md §5: every step of the outcome model, "ikke fulgt op" included.
@pytest.mark.parametrize("step, label", [
    ("full", "Helt opfyldt"), ("high", "I høj grad opfyldt"), ("some", "I nogen grad opfyldt"),
    ("none", "Ikke opfyldt"), ("not_relevant", "Ikke relevant"), ("not_followed_up", "Ikke fulgt op"),
], ids=lambda value: str(value))
def test_each_step_is_recorded_and_shown(app, staff, emma, step, label):
    response = staff.post(_url(emma), data={_field(emma.goal): step})
    assert response.status_code == 302
    page = staff.get(_url(emma))
    assert "Vurderingen er gemt." in page.text and f"{label}, vurderet af Anne" in page.text
    assert _lines(app, emma.meeting) == [(emma.goal, step, False)]


def test_a_change_is_a_correction_and_the_earlier_stays_in_the_history(app, staff, emma):
    assert staff.post(_url(emma), data={_field(emma.goal): "some"}).status_code == 302
    assert staff.post(_url(emma), data={_field(emma.goal): "high"}).status_code == 302
    assert _lines(app, emma.meeting) == [(emma.goal, "some", False), (emma.goal, "high", True)]
    page = staff.get(_url(emma)).text
    assert "I nogen grad opfyldt, vurderet af Anne" in page and "Rettet" in page
    assert _chosen(page) == ["high"]  # the form starts from the recording in force
    with app.app_context():
        audited = db.session.scalar(select(func.count()).select_from(AuditEvent)
                                    .where(AuditEvent.action == "goal_attainment.create", AuditEvent.case_id == emma.case))
    assert audited == 2


def test_a_double_submit_stores_it_once(app, staff, emma):
    for _ in range(2):
        assert staff.post(_url(emma), data={_field(emma.goal): "none"}).status_code == 302
    assert _lines(app, emma.meeting) == [(emma.goal, "none", False)]
    assert "Der var ingen ændringer at gemme." in staff.get(_url(emma)).text


def test_two_first_recordings_at_once_meet_the_unique_index_and_the_second_is_told(app, staff, emma, monkeypatch):
    """Two requests that both found no recording: the database keeps one (issue 14 item 4: once)."""
    assert staff.post(_url(emma), data={_field(emma.goal): "some"}).status_code == 302
    monkeypatch.setattr(attainment, "lines", lambda meeting: {})  # the second request read before the first wrote
    response = staff.post(_url(emma), data={_field(emma.goal): "full"})
    assert response.status_code == 409
    assert "Målene er lige blevet vurderet af en anden." in response.text
    assert _chosen(response.text) == ["full"]  # kept as typed
    assert _lines(app, emma.meeting) == [(emma.goal, "some", False)]


def test_the_database_refuses_a_second_first_recording(app, emma, caseworker):
    with app.app_context():
        row = {"goal_id": emma.goal, "meeting_id": emma.meeting, "goal_version": 1, "recorded_by_id": caseworker,
               "recorded_at": utcnow()}
        db.session.add(GoalAttainment(attainment="some", **row))
        db.session.commit()
        db.session.add(GoalAttainment(attainment="full", **row))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


# Bad input (issue 14 "Bad input"; common brief): a clear Danish message, never a 500.
@pytest.mark.parametrize("data, status, message", [
    ({}, 409, "Vælg en vurdering for mindst ét mål."),
    ({"goal_X": "full"}, 409, "Vælg en vurdering for mindst ét mål."),
    ({"GOAL": "<script>alert(1)</script>"}, 400, "Vælg en af vurderingerne på listen."),
    ({"GOAL": "x" * 100_000}, 400, "Vælg en af vurderingerne på listen."),
    ({"GOAL": "ikke fulgt op"}, 400, "Vælg en af vurderingerne på listen."),
    ({"goal_999999": "full"}, 409, "Vælg en vurdering for mindst ét mål."),
], ids=["nothing", "not-a-goal-field", "hostile", "huge", "words-not-code", "another-goal"])
def test_bad_values_are_refused_with_a_clear_message(app, staff, emma, data, status, message):
    data = {(_field(emma.goal) if key == "GOAL" else key): value for key, value in data.items()}
    response = staff.post(_url(emma), data=data)
    assert (response.status_code, message in response.text) == (status, True)
    assert "<script>alert" not in response.text
    assert _lines(app, emma.meeting) == []


def test_a_goal_of_another_case_is_refused_by_the_service(app, make, emma, caseworker):
    other = make.emma(caseworker, open_round=False)
    foreign = make.goal(other.case, "Noget andet.")
    with app.test_request_context():
        meeting = db.session.get(Meeting, emma.meeting)
        login_user(meeting.case.caseworker)
        with pytest.raises(attainment.AttainmentError, match="hører ikke til mødet"):
            attainment.record(meeting, meeting.case.caseworker, {foreign: "full"}, date.today())


def test_a_meeting_not_held_yet_takes_no_assessment(app, staff, emma):
    with app.test_request_context():
        case = db.session.get(Case, emma.case)
        login_user(case.caseworker)
        later = cases.record_meeting(case, "follow_up", date.today() + timedelta(days=7), [])
        db.session.commit()
        later_id = later.id
    url = f"/meetings/{later_id}/attainment"
    assert "Mødet er ikke holdt endnu." in staff.get(url).text
    response = staff.post(url, data={_field(emma.goal): "full"})
    assert response.status_code == 409 and "Mødet er ikke holdt endnu." in response.text
    assert _lines(app, later_id) == []


def test_a_meeting_that_follows_up_no_goals_has_no_assessment_page(app, staff, emma):
    with app.test_request_context():
        case = db.session.get(Case, emma.case)
        login_user(case.caseworker)
        session = cases.record_meeting(case, "fit_session", date.today(), [])
        db.session.commit()
        session_id = session.id
    assert staff.get(f"/meetings/{session_id}/attainment").status_code == 404
    assert staff.post(f"/meetings/{session_id}/attainment", data={_field(emma.goal): "full"}).status_code == 404


@pytest.mark.parametrize("username, role, team", [
    ("stranger", "caseworker", "Team Syd"), ("leader", "leader", None), ("admin", "admin", None),
], ids=["other-team", "leader", "admin"])
def test_wrong_team_and_role_are_refused(app, make, client, emma, username, role, team):
    make.user(username, role=role, team=make.team(team) if team else None)
    login(client, username)
    assert client.get(_url(emma)).status_code == 403
    assert client.post(_url(emma), data={_field(emma.goal): "full"}).status_code == 403
    assert _lines(app, emma.meeting) == []


# --- the figures' service (FIGURES.md G3) ---------------------------------------------------

def test_attainment_for_gives_the_recording_in_force_per_goal_and_meeting_in_one_query(app, staff, make, emma):
    second = make.goal(emma.case, "Emma sover hjemme.", domain="family")
    staff.post(_url(emma), data={_field(emma.goal): "some", _field(second): "not_followed_up"})
    staff.post(_url(emma), data={_field(emma.goal): "full"})
    statements = []
    with app.app_context():
        from sqlalchemy import event

        def count(*args):
            statements.append(args)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            facts = attainment.attainment_for([emma.case, 999999])
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert [(f.case_id, f.goal_id, f.meeting_id, f.meeting_kind, f.held_on, f.domain, f.attainment) for f in facts] == [
        (emma.case, emma.goal, emma.meeting, "network_meeting", date.today(), "school", "full"),
        (emma.case, second, emma.meeting, "network_meeting", date.today(), "family", "not_followed_up"),
    ]
    with app.app_context():
        assert attainment.attainment_for([]) == []


def test_provider_attainment_for_gives_each_providers_view_in_one_query(app, staff, emma):
    _provider_says(app, emma, "some")
    statements = []
    with app.app_context():
        from sqlalchemy import event

        def count(*args):
            statements.append(args)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            facts = attainment.provider_attainment_for([emma.case])
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert attainment.provider_attainment_for([]) == []
    assert len(statements) == 1
    assert [(f.case_id, f.goal_id, f.goal_version, f.meeting_id, f.respondent_role, f.attainment) for f in facts] == [
        (emma.case, emma.goal, 1, emma.meeting, "provider", "some")]


def test_the_providers_status_shows_the_case_workers_assessment_beside_it(app, staff, emma):
    """Issue 14 item 4: "beside the provider's view" — on the round page where the status is read."""
    _provider_says(app, emma, "some")
    with app.app_context():
        round_id = db.session.scalar(select(Invitation.round_id).order_by(Invitation.id.desc()))
    before = staff.get(f"/rounds/{round_id}").text
    assert "Rådgiverens vurdering" in before and "Ikke vurderet endnu" in before
    staff.post(_url(emma), data={_field(emma.goal): "not_followed_up"})
    row = staff.get(f"/rounds/{round_id}").text.split("Emma kommer i skole hver dag.")[1].split("</tr>")[0]
    assert "I nogen grad opfyldt" in row and "<strong>Ikke fulgt op</strong>" in row
