"""API keys (issue 17): made by an administrator and shown once, stored only hashed, revoked for
good, their last use recorded; the secret never reaches a log."""

import logging
import re

import pytest
from sqlalchemy import select

from app.api.models import ApiKey
from app.audit import AuditEvent
from app.extensions import db
from tests.api_helpers import bearer
from tests.factories import login


@pytest.fixture
def admin(app, make):
    nord = make.team("Team Nord")
    make.user("anne", team=nord)
    make.user("admin", role="admin", name="Ada Admin")
    client = app.test_client()
    login(client, "admin")
    return client, nord


def _make(client, team: int, name: str = "DUBU", scopes=("read",)) -> str:
    page = client.get("/admin/api-keys/")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
    data = {"name": name, "scopes": list(scopes), "teams": [str(team)]}
    if token:
        data["csrf_token"] = token.group(1)
    reply = client.post("/admin/api-keys/", data=data)
    assert reply.status_code == 200, reply.text
    return re.search(r'id="new-secret">([^<]+)<', reply.text).group(1)


def test_a_key_is_shown_once_and_stored_only_hashed(app, admin, caplog):
    client, nord = admin
    caplog.set_level(logging.DEBUG)
    secret = _make(client, nord)
    assert secret.startswith("samstem_") and len(secret) > 40
    assert secret not in client.get("/admin/api-keys/").text  # the list never shows it again
    with app.app_context():
        key = db.session.scalar(select(ApiKey))
        assert key.secret_hash != secret and secret not in repr(
            [getattr(key, column.key) for column in ApiKey.__table__.columns])
        assert key.last_used_at is None
        assert db.session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "api_key.create"))["api_key"] \
            == "DUBU"
    assert client.get("/api/v1/cases", headers=bearer(secret)).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(ApiKey)).last_used_at is not None
    assert secret not in caplog.text


def test_a_revoked_key_is_refused_at_once(app, admin):
    client, nord = admin
    secret = _make(client, nord)
    with app.app_context():
        key_id = db.session.scalar(select(ApiKey.id))
    asked = client.post(f"/admin/api-keys/{key_id}/revoke")
    assert asked.status_code == 200 and "DUBU" in asked.text  # a confirmation first
    assert client.get("/api/v1/cases", headers=bearer(secret)).status_code == 200
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', asked.text)
    data = {"confirm": "yes", **({"csrf_token": token.group(1)} if token else {})}
    assert client.post(f"/admin/api-keys/{key_id}/revoke", data=data).status_code == 302
    refused = client.get("/api/v1/cases", headers=bearer(secret))
    assert refused.status_code == 401 and refused.json["code"] == "key_refused"
    assert "Trukket tilbage" in client.get("/admin/api-keys/").text


@pytest.mark.parametrize("data, message", [
    ({"name": "", "scopes": ["read"]}, "Skriv et navn"),
    ({"name": "X", "scopes": []}, "Vælg mindst én ting"),
    ({"name": "X", "scopes": ["admin"]}, None),
])
def test_a_key_needs_a_name_a_scope_and_a_team(admin, data, message):
    client, nord = admin
    reply = client.post("/admin/api-keys/", data={**data, "teams": [str(nord)]})
    assert reply.status_code == 400 and (message is None or message in reply.text)


def test_the_same_name_twice_is_refused(admin):
    client, nord = admin
    _make(client, nord)
    reply = client.post("/admin/api-keys/", data={"name": "DUBU", "scopes": ["read"], "teams": [str(nord)]})
    assert reply.status_code == 400 and "allerede en nøgle" in reply.text


def test_only_an_administrator_opens_the_keys(app, make):
    make.user("anne", team=make.team("Team Nord"))
    client = app.test_client()
    login(client, "anne")
    assert client.get("/admin/api-keys/").status_code == 403


def test_a_secret_in_any_log_line_is_masked():
    from app.logmask import mask

    assert mask("Authorization: Bearer samstem_NhQyBPgzDNUU-k5Ig_UstkzUI") == "Authorization: Bearer samstem_…"


def test_the_api_page_lists_every_operation_and_loads_nothing_from_elsewhere(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.") and "/api/v1/cases/{reference}" in document["paths"]
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    for path in document["paths"]:
        assert path in page.text
    assert "key_refused" in page.text and "https://" not in page.text.replace("https://www.w3.org", "")
