"""Every bad input to /api/v1 gets an RFC 9457 problem document with its code and status, and
changes nothing (issue 17, "Bad input")."""

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from app.api.models import ApiKey
from app.audit import AuditEvent
from app.cases.models import Case, Person
from app.extensions import db
from app.timestamps import utcnow
from tests.api_helpers import NEW_CASE, bearer, make_key


@pytest.fixture
def setup(app, make):
    nord, syd = make.team("Team Nord"), make.team("Team Syd")
    make.user("anne", team=nord)
    make.user("bo", team=syd, name="Bo Rådgiver")
    admin = make.user("admin", role="admin", name="Ada Admin")
    keys = {"both": make_key(app, admin, [nord]), "read": make_key(app, admin, [nord], ("read",), name="read"),
            "syd": make_key(app, admin, [syd], name="syd"),
            "revoked": make_key(app, admin, [nord], name="revoked")}
    with app.app_context():
        db.session.scalar(select(ApiKey).where(ApiKey.name == "revoked")).revoked_at = utcnow()
        db.session.commit()
    client = app.test_client()
    assert client.put("/api/v1/cases/2024-0117", json=NEW_CASE, headers=bearer(keys["both"])).status_code == 201
    return client, keys


def _counts(app) -> tuple:
    with app.app_context():
        return (db.session.scalar(select(func.count(Case.id))), db.session.scalar(select(func.count(Person.id))),
                db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action != "case.view")))


CASE = "/api/v1/cases/2024-0117"
HUGE = json.dumps({"first_name": "x" * (300 * 1024)})
# (what is wrong, method, url, key, body or raw (data, content type), status, code)
BAD = [
    ("no key", "GET", CASE, None, None, 401, "key_missing"),
    ("a wrong key", "GET", CASE, "samstem_wrong", None, 401, "key_refused"),
    ("not a bearer key", "GET", CASE, "Basic abc", None, 401, "key_refused"),
    ("a revoked key", "GET", CASE, "revoked", None, 401, "key_refused"),
    ("a read key writing", "PUT", CASE, "read", {"first_name": "Ida"}, 403, "scope_missing"),
    ("a key of another team's scope", "GET", CASE, "syd", None, 403, "team_not_reached"),
    ("another team's key moving a case", "PUT", "/api/v1/cases/2024-0200", "syd", NEW_CASE, 403, "team_not_reached"),
    ("no such case", "GET", "/api/v1/cases/nope", "both", None, 404, "not_found"),
    ("no such operation", "GET", "/api/v1/nothing", "both", None, 404, "not_found"),
    ("a method not offered", "DELETE", CASE, "both", None, 405, "method_not_allowed"),
    ("malformed JSON", "PUT", CASE, "both", ('{"first_name": "Ida"', "application/json"), 400, "malformed_json"),
    ("not JSON", "PUT", CASE, "both", ("first_name=Ida", "application/x-www-form-urlencoded"), 415,
     "unsupported_media_type"),
    ("a huge body", "PUT", CASE, "both", (HUGE, "application/json"), 413, "body_too_large"),
    ("an unknown field", "PUT", CASE, "both", {"first_name": "Ida", "cpr": "010101-1234"}, 422, "validation_failed"),
    ("a wrong type", "PUT", CASE, "both", {"birth_year": "2016"}, 422, "validation_failed"),
    ("a year out of range", "PUT", CASE, "both", {"birth_year": 1800}, 422, "validation_failed"),
    ("a NUL in a text", "PUT", CASE, "both", {"first_name": "I\x00da"}, 422, "validation_failed"),
    ("a CPR number as a name", "PUT", CASE, "both", {"first_name": "010101-1234"}, 422, "validation_failed"),
    ("a list, not an object", "PUT", CASE, "both", [1, 2], 422, "validation_failed"),
    ("a new case without its child", "PUT", "/api/v1/cases/2024-0300", "both",
     {"team": "Team Nord", "caseworker": "anne"}, 422, "validation_failed"),
    ("an unknown team", "PUT", "/api/v1/cases/2024-0301", "both", {**NEW_CASE, "team": "Team Øst"}, 422,
     "validation_failed"),
    ("a case worker of another team", "PUT", "/api/v1/cases/2024-0302", "both", {**NEW_CASE, "caseworker": "bo"},
     422, "validation_failed"),
    ("a person with a bad e-mail", "POST", CASE + "/people", "both",
     {"role": "mother", "first_name": "Maria", "email": "nope"}, 422, "validation_failed"),
    ("a meeting with a stranger", "POST", CASE + "/meetings", "both",
     {"kind": "network_meeting", "held_on": "2026-01-05", "participants": [999]}, 422, "validation_failed"),
    ("a round for no meeting", "POST", CASE + "/meetings/999/rounds", "both", {}, 404, "not_found"),
    ("a closing in the future", "POST", CASE + "/close", "both", {"closed_on": "2099-01-01", "reason": "moved"},
     422, "validation_failed"),
    ("an unknown closing reason", "POST", CASE + "/close", "both", {"closed_on": "2026-01-01", "reason": "bored"},
     422, "validation_failed"),
    ("a page too long", "GET", "/api/v1/cases?limit=100000", "both", None, 422, "validation_failed"),
    ("a forged cursor", "GET", "/api/v1/cases?cursor=abc", "both", None, 422, "validation_failed"),
    ("an empty Idempotency-Key", "PUT", CASE, "both", {"first_name": "Ida"}, 422, "validation_failed"),
]


@pytest.mark.parametrize("what, method, url, key, body, status, code", BAD, ids=[row[0] for row in BAD])
def test_bad_input_gets_a_problem_and_changes_nothing(app, setup, what, method, url, key, body, status, code):
    client, keys = setup
    headers = {} if key is None else {"Authorization": key} if " " in key else bearer(keys.get(key, key))
    if what == "an empty Idempotency-Key":
        headers["Idempotency-Key"] = " "
    before = _counts(app)
    if isinstance(body, tuple):
        reply = client.open(url, method=method, headers=headers, data=body[0], content_type=body[1])
    else:
        reply = client.open(url, method=method, headers=headers, json=body)
    assert reply.status_code == status, reply.get_data(as_text=True)[:500]
    assert reply.mimetype == "application/problem+json"
    problem = reply.json
    assert problem["code"] == code and problem["status"] == status
    assert problem["title"] and problem["detail"] and problem["type"].endswith("#" + code)
    assert _counts(app) == before


def test_a_refused_body_names_the_wrong_fields(setup):
    client, keys = setup
    reply = client.put(CASE, json={"birth_year": "x", "colour": "red"}, headers=bearer(keys["both"]))
    assert set(reply.json["errors"]) == {"birth_year", "colour"}


def test_a_reference_that_collides_is_refused(app, setup, make):
    client, keys = setup
    with app.app_context():
        first = db.session.scalar(select(Case))
        db.session.add(Case(team_id=first.team_id, caseworker_id=first.caseworker_id, child_birth_year=2015,
                            external_ref="2024-0117"))
        db.session.commit()
    for method, body in (("GET", None), ("PUT", {"first_name": "Ida"})):
        reply = client.open(CASE, method=method, json=body, headers=bearer(keys["both"]))
        assert reply.status_code == 409 and reply.json["code"] == "reference_collides"


def test_a_round_on_a_decided_meeting_is_refused(app, setup):
    client, keys = setup
    people = [p["id"] for p in client.get(CASE, headers=bearer(keys["both"])).json["people"]]
    meeting = client.post(CASE + "/meetings", headers=bearer(keys["both"]), json={
        "kind": "network_meeting", "held_on": date.today().isoformat(), "participants": people}).json
    assert client.post(f"{CASE}/meetings/{meeting['id']}/rounds", json={},
                       headers=bearer(keys["both"])).status_code == 201
    with app.app_context():
        from app.invitations.models import Round
        db.session.scalar(select(Round)).locked_at = utcnow()
        db.session.commit()
    before = _counts(app)
    reply = client.post(f"{CASE}/meetings/{meeting['id']}/rounds", json={}, headers=bearer(keys["both"]))
    assert reply.status_code == 409 and reply.json["code"] == "round_locked"
    assert _counts(app) == before
