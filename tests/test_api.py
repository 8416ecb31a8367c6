"""The integration API /api/v1 (issue 17): keys, scopes and teams, writes through the services,
reads, and a problem document for every bad input."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app import tokens
from app.audit import AuditEvent
from app.cases.models import Case
from app.extensions import db
from tests.api_helpers import NEW_CASE, bearer, make_key


@pytest.fixture
def teams(make):
    nord, syd = make.team("Team Nord"), make.team("Team Syd")
    make.user("anne", team=nord)
    make.user("bo", team=syd, name="Bo Rådgiver")
    admin = make.user("admin", role="admin", name="Ada Admin")
    return {"nord": nord, "syd": syd, "admin": admin}


@pytest.fixture
def secret(app, teams):
    return make_key(app, teams["admin"], [teams["nord"]])


def teams_nord(app) -> int:
    from app.auth.models import Team

    with app.app_context():
        return db.session.scalar(select(Team.id).where(Team.name == "Team Nord"))


def _put(client, secret, ref="2024-0117", body=None, **headers):
    return client.put(f"/api/v1/cases/{ref}", json=NEW_CASE if body is None else body,
                      headers=bearer(secret, **headers))


def test_a_new_case_needs_only_team_case_worker_first_name_and_birth_year(app, client, secret):
    reply = _put(client, secret)
    assert reply.status_code == 201, reply.json
    assert reply.json["reference"] == "2024-0117" and reply.json["first_name"] == "Emma"
    by_id = _put(client, secret, ref="2024-0118", body={"caseworker": "anne", "first_name": "Ida", "birth_year": 2015,
                                                          "team_id": teams_nord(app)})
    assert by_id.status_code == 201 and by_id.json["team"] == "Team Nord"
    again = _put(client, secret, body={"first_name": "Emma Sofie"})
    assert again.status_code == 200 and again.json["first_name"] == "Emma Sofie"
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 2
        actions = db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "import.apply")).all()
        assert all(detail["api_key"] == "DUBU" for detail in actions) and actions


def test_the_whole_way_a_case_system_goes(app, client, secret):
    assert _put(client, secret, body={**NEW_CASE, "background": {"target_group": "vulnerable",
                                                                  "case_type": "investigation"}}).status_code == 201
    mother = client.post("/api/v1/cases/2024-0117/people", headers=bearer(secret),
                         json={"role": "mother", "first_name": "Maria", "relation": "mor"})
    assert mother.status_code == 201, mother.json
    case = client.get("/api/v1/cases/2024-0117", headers=bearer(secret)).json
    people = [p["id"] for p in case["people"]]
    meeting = client.post("/api/v1/cases/2024-0117/meetings", headers=bearer(secret),
                          json={"kind": "network_meeting", "held_on": date.today().isoformat(), "participants": people})
    assert meeting.status_code == 201, meeting.json
    assert set(meeting.json["proposed"]) == {str(p) for p in people}
    opened = client.post(f"/api/v1/cases/2024-0117/meetings/{meeting.json['id']}/rounds", headers=bearer(secret),
                         json={})
    assert opened.status_code == 201, opened.json
    links = opened.json["links"]
    assert {link["person_id"] for link in links} == set(people)
    assert all(link["url"].startswith("http") and tokens.token_from_code(link["code"]) for link in links)
    assert client.get(links[0]["url"].split("localhost", 1)[1]).status_code in (200, 302)
    closed = client.post("/api/v1/cases/2024-0117/close", headers=bearer(secret),
                         json={"closed_on": date.today().isoformat(), "reason": "moved"})
    assert closed.status_code == 200, closed.json
    again = client.post(f"/api/v1/cases/2024-0117/meetings/{meeting.json['id']}/rounds", headers=bearer(secret),
                        json={})
    assert again.status_code == 409 and again.json["code"] == "case_closed"


def test_the_api_needs_no_csrf_token_but_the_staff_pages_still_do(app, secret):
    from app import create_app
    from tests.conftest import _config

    live = create_app(_config(app.config["SQLALCHEMY_DATABASE_URI"]) | {"WTF_CSRF_ENABLED": True})
    client = live.test_client()
    assert _put(client, secret).status_code == 201
    assert client.post("/login", data={"username": "anne", "password": "x"}).status_code == 400
    with live.app_context():
        db.engine.dispose()
