"""Issue 13: an absent case worker gets a stand-in for a period. The stand-in sees and works the cases
(also from another team), finds them on their lists marked as a stand-in's, and loses access by itself
after the last day or when ended early; giving and ending are audited, every read too."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.auth.models import User
from app.extensions import db
from app.stand_ins.models import StandIn
from tests.factories import login

TODAY = date.today()


def _day(day: date) -> str:
    return day.isoformat()


@pytest.fixture
def office(app, make):
    """Anne (Team Syd) with Emma's case; Bo on Team Nord; Tina leads Team Syd; Rita is the administrator."""
    syd, nord = make.team("Team Syd"), make.team("Team Nord")
    anne = make.user("anne", team=syd, name="Anne Andersen")
    ids = make.emma(anne)
    make.answer(ids.invitations["mother"])  # a round waiting for a decision: Emma is on the due list
    ids.anne = anne
    ids.bo = make.user("bo", team=nord, name="Bo Berg")
    ids.carl = make.user("carl", team=syd, name="Carl Clausen")
    ids.tina = make.user("tina", role="team_leader", team=syd, name="Tina Teamleder")
    ids.nina = make.user("nina", role="team_leader", team=nord, name="Nina Nord")
    ids.rita = make.user("rita", role="admin", name="Rita Root")
    ids.leo = make.user("leo", role="leader", name="Leo Leder")
    ids.gone = make.user("gone", team=nord, name="Gitte Gået")
    with app.app_context():
        db.session.get(User, ids.gone).active = False
        db.session.commit()
    ids.syd, ids.nord = syd, nord
    return ids


def _client(app, username):
    client = app.test_client()
    login(client, username)
    return client


def _give(client, absent, stand_in, starts=TODAY, ends=TODAY + timedelta(days=7)):
    return client.post("/stand-ins/", data={"absent": str(absent), "stand_in": str(stand_in),
                                            "starts_on": _day(starts) if isinstance(starts, date) else starts,
                                            "ends_on": _day(ends) if isinstance(ends, date) else ends})


def _stand_ins(app) -> list[StandIn]:
    with app.app_context():
        found = list(db.session.scalars(select(StandIn).order_by(StandIn.id)))
        db.session.expunge_all()
        return found


def _events(app, action) -> list[AuditEvent]:
    with app.app_context():
        found = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))
        db.session.expunge_all()
        return found


def test_a_stand_in_from_another_team_sees_and_works_the_cases_marked_on_both_lists(app, office):
    bo = _client(app, "bo")
    assert bo.get(f"/cases/{office.case}").status_code == 403
    ends = TODAY + timedelta(days=7)
    response = _give(_client(app, "rita"), office.anne, office.bo, ends=ends)
    assert response.status_code == 302
    mark = f"Du er stedfortræder for Anne Andersen til {ends.strftime('%d-%m')}"
    cases = bo.get("/")
    assert "Emma" in cases.text and mark in cases.text
    due = bo.get("/due")
    assert "Emma" in due.text and mark in due.text
    assert bo.get(f"/cases/{office.case}").status_code == 200
    # Working the case, not only reading it: a goal added by the stand-in.
    assert bo.post(f"/cases/{office.case}/goals/new", data={
        "text": "Emma sover hjemme.", "domain": "family", "kind": "improve",
        "responsible": "Mor", "documentation": "Mor fortæller det."}).status_code == 302
    given = _events(app, "stand_in.give")
    assert len(given) == 1 and given[0].detail["user_absent"] == office.anne
    reads = [event for event in _events(app, "case.view") if event.user_id == office.bo]
    assert reads and all(event.detail.get("stand_in_for") == office.anne for event in reads)


def test_the_stand_in_sees_only_the_absent_ones_cases_not_the_whole_team(app, make, office):
    carls = make.emma(office.carl)
    _give(_client(app, "rita"), office.anne, office.bo)
    bo = _client(app, "bo")
    assert bo.get(f"/cases/{carls.case}").status_code == 403
    assert bo.get(f"/cases/{office.case}").status_code == 200


# Issue 13: "after the period access ends by itself (computed from dates, not a flag)".
@pytest.mark.parametrize("starts, ends, sees", [
    (-10, -1, False),   # the last day has passed
    (-10, 0, True),     # today is the last day
    (0, 0, True),       # one day: today
    (1, 5, False),      # not begun yet
], ids=["ended-yesterday", "last-day-today", "today-only", "begins-tomorrow"])
def test_access_follows_the_period_by_itself(app, office, starts, ends, sees):
    with app.app_context():
        db.session.add(StandIn(absent_id=office.anne, stand_in_id=office.bo, starts_on=TODAY + timedelta(days=starts),
                               ends_on=TODAY + timedelta(days=ends), given_by_id=office.rita))
        db.session.commit()
    bo = _client(app, "bo")
    assert bo.get(f"/cases/{office.case}").status_code == (200 if sees else 403)
    assert ("Emma" in bo.get("/").text) is sees
    assert ("Emma" in bo.get("/due").text) is sees


def test_ending_early_asks_first_then_ends_access_at_once_and_is_audited(app, office):
    rita = _client(app, "rita")
    _give(rita, office.anne, office.bo)
    (given,) = _stand_ins(app)
    asked = rita.post(f"/stand-ins/{given.id}/end")
    assert asked.status_code == 200 and "Vil du afslutte Bo Berg som stedfortræder for Anne Andersen nu?" in asked.text
    assert _client(app, "bo").get(f"/cases/{office.case}").status_code == 200
    assert rita.post(f"/stand-ins/{given.id}/end", data={"confirm": "yes"}).status_code == 302
    assert _client(app, "bo").get(f"/cases/{office.case}").status_code == 403
    assert _stand_ins(app)[0].ended_at is not None
    assert [event.detail["stand_in"] for event in _events(app, "stand_in.end")] == [given.id]
    # Ending again changes nothing and audits nothing.
    assert rita.post(f"/stand-ins/{given.id}/end", data={"confirm": "yes"}).status_code == 302
    assert len(_events(app, "stand_in.end")) == 1
    # Once ended, the period is free for another stand-in.
    assert _give(rita, office.anne, office.carl).status_code == 302


# Issue 13, bad input: a stand-in for oneself, an end before a start, an inactive user, a period in the
# past, overlapping stand-ins for the same person; and what else a form may be sent.
BAD = {
    "oneself": (lambda o: {"stand_in": o.anne}, "En rådgiver kan ikke være stedfortræder for sig selv."),
    "end-before-start": (lambda o: {"starts_on": _day(TODAY + timedelta(days=3)),
                                    "ends_on": _day(TODAY + timedelta(days=2))},
                         "Den sidste dag ligger før den første."),
    "inactive-stand-in": (lambda o: {"stand_in": o.gone}, "Kontoen for Gitte Gået er lukket. Vælg en aktiv rådgiver."),
    "inactive-absent": (lambda o: {"absent": o.gone}, "Kontoen for Gitte Gået er lukket."),
    "period-in-the-past": (lambda o: {"starts_on": _day(TODAY - timedelta(days=10)),
                                      "ends_on": _day(TODAY - timedelta(days=2))}, "Perioden kan tidligst begynde i dag."),
    "longer-than-a-year": (lambda o: {"ends_on": _day(TODAY + timedelta(days=400))}, "højst et år ad gangen"),
    "not-a-case-worker": (lambda o: {"stand_in": o.leo}, "Leo Leder arbejder ikke med sager."),
    "absent-not-a-case-worker": (lambda o: {"absent": o.leo}, "Vælg den rådgiver, der er fraværende."),
    "unknown-user": (lambda o: {"stand_in": 999999}, "Vælg stedfortræderen."),
    "huge-id": (lambda o: {"absent": "9" * 5000}, "Vælg den rådgiver, der er fraværende."),
    "hostile-id": (lambda o: {"stand_in": "1 OR 1=1"}, "Vælg stedfortræderen."),
    "missing-stand-in": (lambda o: {"stand_in": ""}, "Vælg stedfortræderen."),
    "missing-date": (lambda o: {"starts_on": ""}, "Skriv datoen som dag, måned og år"),
    "malformed-date": (lambda o: {"ends_on": "31-02-2027"}, "Skriv datoen som dag, måned og år"),
    "huge-date": (lambda o: {"ends_on": "9" * 5000}, "Skriv datoen som dag, måned og år"),
}


@pytest.mark.parametrize("case", sorted(BAD), ids=sorted(BAD))
def test_bad_input_is_refused_with_a_clear_message_and_nothing_typed_is_lost(app, office, case):
    change, message = BAD[case]
    data = {"absent": office.anne, "stand_in": office.bo, "starts_on": _day(TODAY),
            "ends_on": _day(TODAY + timedelta(days=7)), **change(office)}
    response = _client(app, "rita").post("/stand-ins/", data={key: str(value) for key, value in data.items()})
    assert response.status_code == 400 and message in response.text
    assert _stand_ins(app) == []
    for key in ("starts_on", "ends_on"):
        if len(str(data[key])) < 100:
            assert f'value="{data[key]}"' in response.text  # what was typed is shown again


def test_an_overlapping_stand_in_for_the_same_person_is_refused_but_one_after_it_is_not(app, office):
    """Refused: one colleague at a time answers for the cases (who acts on what arrives is clear, and no
    more people than needed see the children's data); to change, end the current one first."""
    rita = _client(app, "rita")
    assert _give(rita, office.anne, office.bo, ends=TODAY + timedelta(days=7)).status_code == 302
    response = _give(rita, office.anne, office.carl, starts=TODAY + timedelta(days=7), ends=TODAY + timedelta(days=9))
    assert response.status_code == 400 and "Anne Andersen har allerede Bo Berg som stedfortræder" in response.text
    assert _give(rita, office.anne, office.carl, starts=TODAY + timedelta(days=8),
                 ends=TODAY + timedelta(days=9)).status_code == 302
    # Another absent case worker may have the same stand-in at the same time.
    assert _give(rita, office.carl, office.bo).status_code == 302


def test_a_team_leader_gives_stand_ins_for_their_own_team_only(app, office):
    tina = _client(app, "tina")
    assert "Stedfortrædere for fraværende rådgivere" in tina.get("/").text
    page = tina.get("/stand-ins/")
    assert page.status_code == 200 and "Anne Andersen (Team Syd)" in page.text and "Gitte" not in page.text
    assert _give(tina, office.anne, office.bo).status_code == 302
    nina = _client(app, "nina")
    refused = _give(nina, office.carl, office.bo)
    assert refused.status_code == 400 and "Vælg den rådgiver, der er fraværende." in refused.text
    (given,) = _stand_ins(app)
    assert "Anne Andersen" not in nina.get("/stand-ins/").text.split("Giv en stedfortræder")[0]
    assert nina.post(f"/stand-ins/{given.id}/end", data={"confirm": "yes"}).status_code == 404
    assert _stand_ins(app)[0].ended_at is None


@pytest.mark.parametrize("username", ["anne", "leo"])
def test_case_workers_and_leaders_cannot_give_stand_ins(app, office, username):
    client = _client(app, username)
    assert client.get("/stand-ins/").status_code == 403
    assert _give(client, office.anne, office.bo).status_code == 403
    assert _stand_ins(app) == []


def test_the_access_review_lists_the_stand_ins_in_force(app, office):
    rita = _client(app, "rita")
    _give(rita, office.anne, office.bo)
    _give(rita, office.carl, office.bo, starts=TODAY + timedelta(days=3))  # not begun: not listed
    review = rita.get("/admin/access")
    section = review.text.split("Stedfortrædere lige nu")[1]
    assert "Bo Berg" in section and "Anne Andersen" in section and "Carl Clausen" not in section


def test_no_stand_in_page_queries_the_database_while_its_template_renders(app, office):
    from bench.queries import count_queries

    _give(_client(app, "rita"), office.anne, office.bo)
    for username, url in [("rita", "/stand-ins/"), ("rita", "/admin/access"), ("tina", "/stand-ins/"),
                          ("bo", "/"), ("bo", "/due")]:
        client = _client(app, username)
        with app.app_context(), count_queries(db.engine) as counted:
            response = client.get(url)
        assert response.status_code == 200 and "Bo Berg" in response.text, url
        assert counted.rendering == [], url
