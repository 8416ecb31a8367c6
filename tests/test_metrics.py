"""Prometheus counts and latencies (issue 13, "Running it in production"): behind a setting,
labelled by endpoint name and never by path (a path holds a token), served only to the
addresses the setting allows. Several workers adding up: tests/test_gunicorn.py.
"""

import pytest
from sqlalchemy import func, select

from app import create_app
from app.audit import AuditEvent
from app.extensions import db, limiter
from app.tokens import new_token
from tests.conftest import _config

COUNT = 'flask_http_request_duration_seconds_count{endpoint="%s",method="%s",status="%s"} %s'


@pytest.fixture
def metrics_app(database_url):
    """Build an app with SAMSTEM_METRICS=1 and the given settings."""
    apps = []

    def build(**settings):
        app = create_app(_config(database_url) | {"METRICS": True} | settings)
        apps.append(app)
        return app

    yield build
    limiter.limit_manager.set_default_limits([])  # the limiter is one object for every app
    limiter.reset()
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def _from(app, address: str):
    return app.test_client().get("/metrics", environ_base={"REMOTE_ADDR": address})


def test_without_the_setting_there_are_no_metrics(client):
    assert client.get("/metrics").status_code == 404


def test_counts_are_by_endpoint_and_never_hold_a_token(metrics_app, make, caseworker):
    app = metrics_app()
    ids = make.emma(caseworker)
    visitor = app.test_client()
    dead = new_token()
    assert visitor.get(f"/r/{ids.tokens['mother']}").status_code == 200
    assert visitor.get(f"/r/{dead}").status_code == 404
    assert visitor.get(f"/o/{dead}").status_code == 404
    response = visitor.get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    shown = response.text
    assert COUNT % ("respond.start", "GET", 200, "1.0") in shown  # a request
    assert COUNT % ("respond.start", "GET", 404, "1.0") in shown  # an error
    assert 'flask_http_request_duration_seconds_bucket{endpoint="respond.start"' in shown  # latencies
    assert 'flask_http_request_total{method="GET",status="404"} 2.0' in shown
    for secret in (ids.tokens["mother"], dead, "/r/", "/o/", "path="):
        assert secret not in shown, secret


@pytest.mark.parametrize("allow, address, status", [
    (None, "127.0.0.1", 200), (None, "::1", 200), (None, "::ffff:127.0.0.1", 200),
    (None, "10.0.0.5", 404), (None, "192.168.1.20", 404),
    ("10.20.0.0/16, 192.0.2.7", "10.20.3.4", 200), ("10.20.0.0/16, 192.0.2.7", "192.0.2.7", 200),
    ("10.20.0.0/16, 192.0.2.7", "192.0.2.8", 404), ("10.20.0.0/16, 192.0.2.7", "127.0.0.1", 404),
    ("2001:db8::/32", "2001:db8::1", 200), ("", "127.0.0.1", 404),
])
def test_only_the_allowed_addresses_see_the_metrics(metrics_app, allow, address, status):
    app = metrics_app() if allow is None else metrics_app(METRICS_ALLOW=allow)
    response = _from(app, address)
    assert response.status_code == status
    if status == 404:  # the ordinary "page not found", nothing about metrics
        assert "Siden findes ikke." in response.text and "flask_" not in response.text


def test_behind_a_load_balancer_the_forwarded_client_counts(metrics_app):
    app = metrics_app(PROXY_HOPS=1)
    forwarded = {"X-Forwarded-For": "203.0.113.9"}
    assert app.test_client().get("/metrics", headers=forwarded).status_code == 404
    assert app.test_client().get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"}).status_code == 200


def test_a_wrong_allow_list_stops_the_app_saying_which_entry(metrics_app):
    with pytest.raises(RuntimeError, match="SAMSTEM_METRICS_ALLOW: 'intranet' is not an address or a network"):
        metrics_app(METRICS_ALLOW="127.0.0.1, intranet")


def test_the_metrics_set_no_cookie_write_no_audit_and_are_not_limited(metrics_app, make, caseworker):
    from tests.factories import login

    app = metrics_app(RATELIMIT_DEFAULT="2 per minute")  # an operator's limit on every page
    client = app.test_client()
    login(client)
    with client.session_transaction() as session:
        session["auth_seen"] -= 60
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    assert [client.get("/code").status_code for _ in range(3)] == [200, 200, 429]
    responses = [client.get("/metrics") for _ in range(5)]
    assert {r.status_code for r in responses} == {200}
    assert not any("Set-Cookie" in r.headers for r in responses)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before
