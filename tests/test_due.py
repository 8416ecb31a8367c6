"""The due list (DESIGN.md flow H): per case worker, what is overdue or due soon, oldest first."""

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.invitations.models import Invitation
from app.timestamps import utcnow
from tests.factories import login, vas


@pytest.fixture
def emma(make, caseworker):
    return make.emma(caseworker)


def _rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return [" ".join(row.split()) for row in body.split("</tr>") if "<td>" in row]


def test_a_round_is_not_due_before_anyone_answers(staff, emma):
    page = staff.get("/due")
    assert page.status_code == 200
    assert "Der er ikke noget, der skal nås lige nu." in page.text


def test_an_answered_round_waits_for_a_decision_and_links_to_it(staff, make, emma):
    make.answer(emma.invitations["child"], {"fit-outcome-child": vas(7, 6, 5, 6)})
    rows = _rows(staff.get("/due").text)
    assert len(rows) == 1
    assert "Tag stilling til nye svar" in rows[0] and "Emma" in rows[0] and "Netværksmøde" in rows[0]
    assert f'/rounds/{emma.round}/reconcile' in rows[0]


def test_a_round_whose_links_all_ran_out_still_waits_for_a_decision(app, staff, emma):
    with app.app_context():
        for invitation in db.session.scalars(db.select(Invitation)):
            invitation.expires_at = utcnow() - timedelta(days=40)
        db.session.commit()
    rows = _rows(staff.get("/due").text)
    assert len(rows) == 1 and "Overskredet" in rows[0]


def test_a_decided_round_drops_off(app, staff, make, emma):
    make.answer(emma.invitations["child"], {"fit-outcome-child": vas(7, 6, 5, 6)})
    reply = staff.post(f"/rounds/{emma.round}/reconcile", data={
        "outcome": "no_adjustment", "reason_text": "Det går godt.", "follow_up": "no",
    })
    assert reply.status_code == 302
    # What is left is to file the decision in the case system (issue 12 item 15); once marked, nothing.
    rows = _rows(staff.get("/due").text)
    assert len(rows) == 1 and "Tag stilling til nye svar" not in rows[0] and "Journalisér i fagsystemet" in rows[0]
    assert f"/cases/{emma.case}/reconcile" in rows[0] and "1 beslutning" in rows[0]
    with app.app_context():
        from app.reconcile.models import Decision

        decision_id = db.session.scalar(db.select(Decision.id))
    assert staff.post(f"/decisions/{decision_id}/filed", data={"filed_on": date.today().isoformat()}).status_code == 302
    assert "Der er ikke noget, der skal nås lige nu." in staff.get("/due").text


def test_only_the_case_workers_own_cases_are_listed(client, make, caseworker, emma):
    colleague = make.user("bo", team=make.team("Team Syd"), name="Bo Rådgiver")
    other = make.emma(colleague)
    make.answer(other.invitations["child"], {"fit-outcome-child": vas(7, 6, 5, 6)})
    login(client)
    assert _rows(client.get("/due").text) == []


def test_a_colleagues_list_can_be_shown_within_the_team_only(client, app, make, caseworker, emma):
    with app.app_context():
        from app.auth.models import User

        team_id = db.session.get(User, caseworker).team_id
    colleague = make.user("bo", team=team_id, name="Bo Rådgiver")
    outsider = make.user("eva", team=make.team("Team Vest"), name="Eva Rådgiver")
    make.answer(emma.invitations["child"], {"fit-outcome-child": vas(7, 6, 5, 6)})
    login(client, "bo")
    assert _rows(client.get("/due").text) == []
    page = client.get(f"/due?caseworker={caseworker}").text
    assert "Det skal Anne Rådgiver nå" in page and len(_rows(page)) == 1
    for bad in (str(outsider), "abc", "99999999999999999999", "-1"):
        assert client.get(f"/due?caseworker={bad}").status_code == 404
    assert colleague


def _planned_follow_up(app, case_id: int, days_ahead: int, *, request_due_in: int | None = None) -> int:
    """Plan a follow-up meeting; with request_due_in, ask the provider for a status due then."""
    from datetime import date

    from app import tokens
    from app.cases.models import Case
    from app.cases.services import record_meeting
    from app.invitations.models import Round

    with app.test_request_context():
        case = db.session.get(Case, case_id)
        held_on = date.today() + timedelta(days=days_ahead)
        meeting = record_meeting(case, "follow_up", held_on, [p.id for p in case.people])
        if request_due_in is not None:
            provider = next(p for p in case.people if p.role == "provider")
            round_ = Round(meeting=meeting, kind="status", created_by_id=case.caseworker_id,
                           due_on=date.today() + timedelta(days=request_due_in))
            round_.invitations.append(Invitation(
                person=provider, instrument_ids=["provider-status"], token_hash=tokens.hash_token(tokens.new_token()),
                expires_at=utcnow() + timedelta(days=30)))
            db.session.add(round_)
        db.session.commit()
        return meeting.id


@pytest.fixture
def quiet_emma(make, caseworker):
    return make.emma(caseworker, open_round=False)


def test_a_planned_follow_up_asks_for_a_status_a_week_before(app, staff, quiet_emma):
    _planned_follow_up(app, quiet_emma.case, 20)
    rows = _rows(staff.get("/due").text)
    assert len(rows) == 1 and "Bed om status før mødet" in rows[0] and "Opfølgningsmøde" in rows[0]


def test_a_follow_up_beyond_the_horizon_is_not_listed_yet(app, staff, quiet_emma):
    _planned_follow_up(app, quiet_emma.case, 60)
    assert _rows(staff.get("/due").text) == []


def test_a_requested_status_is_due_on_its_date_and_names_who_owes_it(app, staff, quiet_emma):
    _planned_follow_up(app, quiet_emma.case, 20, request_due_in=-2)
    rows = _rows(staff.get("/due").text)
    assert len(rows) == 1
    assert "Status mangler" in rows[0] and "Overskredet" in rows[0] and "(udfører)" in rows[0].lower()


def test_an_indicator_measurement_is_due_by_the_cases_rhythm(staff, make, caseworker):
    # Intake 100 days ago: the 3-month measurement (INSTRUMENTS.md §4, DESIGN.md flow F) is overdue.
    make.indicator_case(caseworker, intake=date.today() - timedelta(days=100))
    rows = _rows(staff.get("/due").text)
    assert len(rows) == 1
    assert "Måling af indikatorer" in rows[0] and "Overskredet" in rows[0] and "Indikatorer: børn og familie" in rows[0]


def test_a_measurement_months_away_is_not_listed_yet(staff, make, caseworker):
    make.indicator_case(caseworker, intake=date.today())
    # The intake itself is the first measurement: due today.
    rows = _rows(staff.get("/due").text)
    assert len(rows) == 1 and "I dag" in rows[0]


def test_observations_wait_for_a_decision_on_the_case(staff, make, quiet_emma):
    _, token = make.observation_link(quiet_emma.case, quiet_emma.people["network"])
    make.observation(token)
    make.observation(token, kind="mixed", text="Hun var stille i dag.")
    rows = _rows(staff.get("/due").text)
    assert len(rows) == 1
    assert "Tag stilling til nye observationer" in rows[0] and "2 observationer" in rows[0]
    assert f"/cases/{quiet_emma.case}/reconcile" in rows[0]


@pytest.mark.parametrize("kind, days_ago, listed, overdue", [
    # DESIGN.md flow H: within 14 days of a start-up, follow-up or notification meeting, one per parent.
    ("startup", 3, True, False),
    ("follow_up", 14, True, False),
    ("notification", 15, True, True),
    ("network_meeting", 3, False, False),
])
def test_phone_follow_ups_are_due_per_parent(app, staff, make, quiet_emma, kind, days_ago, listed, overdue):
    from app.cases.models import Case
    from app.cases.services import record_meeting

    with app.test_request_context():
        case = db.session.get(Case, quiet_emma.case)
        record_meeting(case, kind, date.today() - timedelta(days=days_ago), [p.id for p in case.people])
        db.session.commit()
    rows = [row for row in _rows(staff.get("/due").text) if "Ring og følg op" in row]
    if not listed:
        assert rows == []
        return
    assert len(rows) == 2
    assert any("Mette (Mor)" in row for row in rows) and any("Jonas (Far)" in row for row in rows)
    assert all(("Overskredet" in row) == overdue for row in rows)
    assert "/phone-follow-ups/" in rows[0]


def test_a_call_that_did_not_reach_the_parent_stays_on_the_list_with_its_attempts(app, staff, quiet_emma):
    """Issue 10, item 2 (DESIGN.md flow H): a call that did not reach the parent does not close
    the phone follow-up; the list names the attempt (date and who tried). A call that reached
    the parent does."""
    from app.cases.models import Case
    from app.cases.services import record_meeting

    with app.test_request_context():
        case = db.session.get(Case, quiet_emma.case)
        meeting = record_meeting(case, "startup", date.today() - timedelta(days=3), [p.id for p in case.people])
        db.session.commit()
        url = f"/meetings/{meeting.id}/phone-follow-ups/{quiet_emma.people['mother']}"
    assert staff.post(url, data={"reached": "no"}).status_code == 302
    rows = [row for row in _rows(staff.get("/due").text) if "Ring og følg op" in row]
    [mette] = [row for row in rows if "Mette (Mor)" in row]
    assert "Forsøgt " in mette and " af Anne" in mette
    assert len(rows) == 2
    assert staff.post(url, data={"reached": "yes", "started": "partly", "helps": "3"}).status_code == 302
    rows = [row for row in _rows(staff.get("/due").text) if "Ring og følg op" in row]
    assert len(rows) == 1 and "Jonas (Far)" in rows[0]


def _caseload(app, user_id: int, count: int) -> None:
    """Add `count` cases with one of every kind of obligation each, in as few rows as will do:
    an answered round waiting for a decision after a start-up meeting (and the mother's phone
    follow-up, tried twice without reaching her), a status owed before a planned follow-up meeting and another meeting no
    status was asked for, an indicator measurement overdue, an observation waiting, a decision to file."""
    from app import tokens
    from app.auth.models import User
    from app.cases.models import Case, Meeting, Person
    from app.indicators.models import CaseIndicators
    from app.invitations.models import Response, Round
    from app.observations.models import Observation, ObservationLink
    from app.reconcile.models import Decision
    from app.registrations.models import PhoneFollowUp

    today, now = date.today(), utcnow()
    with app.app_context():
        user = db.session.get(User, user_id)

        def invitation(person: Person, answered: bool) -> Invitation:
            invited = Invitation(person=person, instrument_ids=["fit-outcome-adult"],
                                 expires_at=now + timedelta(days=30), token_hash=tokens.hash_token(tokens.new_token()))
            if answered:
                invited.responses.append(Response(instrument_id="fit-outcome-adult", instrument_version=1,
                                                  answers={"me": 5}, language="da", submitted_at=now))
            return invited

        links = []
        for _ in range(count):
            case = Case(team_id=user.team_id, caseworker_id=user.id, child_birth_year=today.year - 9)
            child, mother, provider = (Person(role=role, first_name=name) for role, name in
                                       (("child", "Emma"), ("mother", "Mette"), ("provider", "Lise")))
            case.people = [child, mother, provider]
            startup = Meeting(kind="startup", held_on=today - timedelta(days=3), participants=[child, mother])
            startup.rounds = [Round(kind="feedback", created_by_id=user.id, invitations=[invitation(mother, True)])]
            tried = PhoneFollowUp(meeting=startup, person=mother, reached=False, recorded_by=user, recorded_at=now)
            again = PhoneFollowUp(meeting=startup, person=mother, reached=False, recorded_by=user, recorded_at=now,
                                  corrects=tried)
            planned = Meeting(kind="follow_up", held_on=today + timedelta(days=20), participants=[child, mother])
            planned.rounds = [Round(kind="status", created_by_id=user.id, due_on=today + timedelta(days=5),
                                    invitations=[invitation(provider, False)])]
            unasked = Meeting(kind="follow_up", held_on=today + timedelta(days=21), participants=[child])
            case.meetings = [startup, planned, unasked]
            link = ObservationLink(case=case, person=mother, created_by_id=user.id,
                                   token_hash=tokens.hash_token(tokens.new_token()))
            db.session.add_all([case, link, tried, again, CaseIndicators(case=case, form_id="indicators-child-family",
                                                           intake_on=today - timedelta(days=100))])
            links.append(link)
        db.session.flush()
        db.session.add_all(Observation(case_id=link.case_id, link=link, kind="positive", text="Godt.", language="da")
                           for link in links)
        # A decision not yet filed in the case system (issue 12 item 15).
        db.session.add_all(Decision(case_id=link.case_id, outcome="no_adjustment", text="Planen virker.",
                                    follow_up_needed=False, decided_by_id=user.id, decided_at=now) for link in links)
        db.session.commit()


def test_the_due_list_costs_as_many_statements_for_a_hundred_cases_as_for_one(app, staff, caseworker):
    from bench.queries import count_queries

    with app.app_context():
        engine = db.engine
    _caseload(app, caseworker, 1)
    with count_queries(engine) as one:
        page = staff.get("/due")
    rows = _rows(page.text)
    kinds = ("Tag stilling til nye svar", "Status mangler", "Bed om status før mødet", "Måling af indikatorer",
             "Tag stilling til nye observationer", "Ring og følg op", "Journalisér i fagsystemet")
    assert len(rows) == len(kinds) and all(any(kind in row for row in rows) for kind in kinds)
    _caseload(app, caseworker, 99)
    with count_queries(engine) as hundred:
        page = staff.get("/due")
    assert len(_rows(page.text)) == 100 * len(kinds)
    assert hundred.total == one.total, hundred.statements
