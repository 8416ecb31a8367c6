"""Idempotency-Key on the API's writes (issue 17; the IETF httpapi draft): a retry gets the stored
reply, the same key with another body 422, a retry while the first call is in flight 409 — decided
by the database's unique constraint, so also for calls at the same instant on a served app."""

import http.client
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from app import create_app, sealing
from app.api.models import DONE, IN_FLIGHT, ApiKey, IdempotentRequest
from app.cases.models import Case
from app.extensions import db
from app.invitations.models import Round
from app.timestamps import utcnow
from tests.api_helpers import NEW_CASE, bearer, make_key
from tests.conftest import _config

CASE = "/api/v1/cases/2024-0117"


@pytest.fixture
def secret(app, make):
    nord = make.team("Team Nord")
    make.user("anne", team=nord)
    return make_key(app, make.user("admin", role="admin", name="Ada Admin"), [nord])


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def _meeting(client, secret) -> int:
    client.put(CASE, json=NEW_CASE, headers=bearer(secret))
    client.post(CASE + "/people", json={"role": "mother", "first_name": "Maria"}, headers=bearer(secret))
    people = [p["id"] for p in client.get(CASE, headers=bearer(secret)).json["people"]]
    return client.post(CASE + "/meetings", headers=bearer(secret), json={
        "kind": "network_meeting", "held_on": date.today().isoformat(), "participants": people}).json["id"]


def test_a_retry_gets_the_stored_reply_with_the_same_links_and_nothing_twice(app, client, secret):
    meeting = _meeting(client, secret)
    url = f"{CASE}/meetings/{meeting}/rounds"
    first = client.post(url, json={}, headers=bearer(secret, **{"Idempotency-Key": "round-1"}))
    again = client.post(url, json={}, headers=bearer(secret, **{"Idempotency-Key": "round-1"}))
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert _count(app, Round) == 1
    with app.app_context():
        row = db.session.scalar(select(IdempotentRequest))
        # The stored reply holds the links, so it is sealed like them, and kept for a day.
        assert row.state == DONE and first.json["links"][0]["code"] not in row.sealed_reply
        assert first.json["links"][0]["code"] in sealing.unseal(row.sealed_reply)
        assert timedelta(hours=23) < row.expires_at - utcnow() <= timedelta(hours=24)


def test_the_same_key_with_another_body_is_refused(app, client, secret):
    key = {"Idempotency-Key": "case-1"}
    assert client.put(CASE, json=NEW_CASE, headers=bearer(secret, **key)).status_code == 201
    other = client.put(CASE, json={**NEW_CASE, "first_name": "Ida"}, headers=bearer(secret, **key))
    assert other.status_code == 422 and other.json["code"] == "idempotency_key_reused"
    assert client.get(CASE, headers=bearer(secret)).json["first_name"] == "Emma"


def test_a_retry_while_the_first_call_is_in_flight_is_refused(app, client, secret):
    with app.app_context():
        key_id = db.session.scalar(select(ApiKey.id))
    with app.test_request_context(CASE, method="PUT", json=NEW_CASE):
        from app.api.idempotency import _fingerprint
        fingerprint = _fingerprint()
        db.session.add(IdempotentRequest(api_key_id=key_id, idempotency_key="case-1", body_hash=fingerprint,
                                         state=IN_FLIGHT, created_at=utcnow(), expires_at=utcnow() + timedelta(days=1)))
        db.session.commit()
    reply = client.put(CASE, json=NEW_CASE, headers=bearer(secret, **{"Idempotency-Key": "case-1"}))
    assert reply.status_code == 409 and reply.json["code"] == "idempotency_in_flight"
    assert _count(app, Case) == 0


def test_a_failed_call_lets_go_of_its_key_and_an_expired_reply_is_not_replayed(app, client, secret):
    key = {"Idempotency-Key": "case-1"}
    refused = client.put(CASE, json={"team": "Team Nord"}, headers=bearer(secret, **key))
    assert refused.status_code == 422 and _count(app, IdempotentRequest) == 0
    assert client.put(CASE, json=NEW_CASE, headers=bearer(secret, **key)).status_code == 201
    with app.app_context():
        db.session.scalar(select(IdempotentRequest)).expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    # Expired: the call runs again (the case exists now: a change, 200).
    assert client.put(CASE, json=NEW_CASE, headers=bearer(secret, **key)).status_code == 200


def test_the_same_key_of_another_api_key_is_another_call(app, client, secret, make):
    with app.app_context():
        nord = db.session.scalar(select(Case.team_id)) or db.session.scalar(select(ApiKey.team_ids))[0]
        admin = db.session.scalar(select(ApiKey.created_by_id))
    other = make_key(app, admin, [nord], name="Other")
    key = {"Idempotency-Key": "same"}
    assert client.put(CASE, json=NEW_CASE, headers=bearer(secret, **key)).status_code == 201
    assert client.put(CASE, json=NEW_CASE, headers=bearer(other, **key)).status_code == 200


# --- at the same instant, on a served app ---------------------------------------------------------

@pytest.fixture
def served(app):
    live = create_app(_config(app.config["SQLALCHEMY_DATABASE_URI"]) | {"TESTING": False})
    server = make_server("127.0.0.1", 0, live, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
        with live.app_context():
            db.engine.dispose()


@pytest.mark.race
def test_calls_at_the_same_instant_with_one_key_do_the_work_once(app, secret, served):
    callers = 8
    barrier = threading.Barrier(callers)
    body = json.dumps(NEW_CASE)

    def call(_number: int) -> tuple[int, dict, bool]:
        connection = http.client.HTTPConnection("127.0.0.1", served, timeout=30)
        barrier.wait(10)
        connection.request("PUT", CASE, body=body, headers={**bearer(secret, **{"Idempotency-Key": "once"}),
                                                             "Content-Type": "application/json"})
        reply = connection.getresponse()
        answer = (reply.status, json.loads(reply.read() or b"{}"), reply.getheader("Idempotent-Replayed") == "true")
        connection.close()
        return answer

    with ThreadPoolExecutor(max_workers=callers) as pool:
        replies = list(pool.map(call, range(callers)))
    statuses = [status for status, _body, _replayed in replies]
    assert set(statuses) <= {201, 409}, replies
    assert [s for s, _b, replayed in replies if s == 201 and not replayed] == [201]  # the work was done once
    assert all(b["code"] == "idempotency_in_flight" for s, b, _r in replies if s == 409)
    assert _count(app, Case) == 1
