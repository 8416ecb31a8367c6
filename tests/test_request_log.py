"""Logs as one JSON object per line (issue 13, "Running it in production"): request id, user id,
endpoint, method, status, duration; never a token, an answer or a name.

The lines are read as the log platform reads them: what the handler writes, one line each.
"""

import io
import json
import logging
import uuid

import pytest

from app import create_app
from app.extensions import db
from app.operations.request_log import HEADER, request_id_from
from app.tokens import new_token
from tests.conftest import _config
from tests.factories import PASSWORD
from tests.test_respond import NETWORK_FORM

FIELDS = {"request_id", "user_id", "endpoint", "method", "status", "duration_ms"}
COMMENT = NETWORK_FORM["participation-network.comment"]  # an answer, with the child's name in it


@pytest.fixture
def json_app(database_url):
    """Build an app logging JSON (SAMSTEM_LOG_FORMAT=json); return it and what it writes."""
    root = logging.getLogger()
    level, apps = root.level, []

    def build(**settings):
        app = create_app(_config(database_url) | {"LOG_FORMAT": "json"} | settings)
        apps.append(app)
        [handler] = [h for h in root.handlers if getattr(h, "samstem_json", False)]
        written = io.StringIO()
        handler.setStream(written)
        return app, written

    yield build
    for handler in [h for h in root.handlers if getattr(h, "samstem_json", False)]:
        root.removeHandler(handler)
    root.setLevel(level)
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def json_lines(json_app):
    return json_app()


def _lines(written: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in written.getvalue().splitlines()]


def test_a_respondents_and_a_staff_members_requests_are_json_lines_without_secrets(
        json_lines, make, caseworker):
    app, written = json_lines
    ids = make.emma(caseworker)
    token = ids.tokens["network"]
    respondent = app.test_client()
    respondent.get(f"/r/{token}")
    assert respondent.post(f"/r/{token}/form", data=NETWORK_FORM).status_code == 302
    dead = new_token()
    assert respondent.get(f"/r/{dead}").status_code == 404
    staff = app.test_client()
    staff.post("/login", data={"username": "anne", "password": PASSWORD})
    assert "Emma" in staff.get(f"/cases/{ids.case}").text

    text, lines = written.getvalue(), _lines(written)  # every line parses as JSON
    for secret in (token, dead, COMMENT, "Emma", "Anne Rådgiver", "Sag-Ø-17", "/r/"):
        assert secret not in text, secret
    requests = [line for line in lines if line["logger"] == "samstem.request"]
    assert all(FIELDS <= set(line) for line in requests)
    assert [(r["method"], r["endpoint"], r["status"]) for r in requests] == [
        ("GET", "respond.start", 200), ("POST", "respond.answer", 302), ("GET", "respond.start", 404),
        ("POST", "auth.login_view", 302), ("GET", "cases.show", 200)]
    assert [r["user_id"] for r in requests] == [None, None, None, caseworker, caseworker]  # logged in by the POST
    assert all(isinstance(r["duration_ms"], float) and r["duration_ms"] >= 0 for r in requests)
    assert len({r["request_id"] for r in requests}) == len(requests)
    assert all(line["level"] and line["time"] for line in lines)
    # The service's own lines carry the id of the request they were written in.
    [opened] = [line for line in lines if line["message"].endswith("opened")]
    assert opened["request_id"] == requests[0]["request_id"]


def test_the_request_id_comes_from_the_proxy_and_goes_back(json_lines):
    app, written = json_lines
    client = app.test_client()
    given = str(uuid.uuid4())
    assert client.get("/healthz", headers={HEADER: given}).headers[HEADER] == given
    made = client.get("/healthz").headers[HEADER]
    assert made and made != given
    assert [line["request_id"] for line in _lines(written)] == [given, made]


@pytest.mark.parametrize("header", [
    "short", "has space in it", "x" * 129, "<script>alert(1)</script>", "a\nb",
    "0" * 26,  # shaped like a respondent's token: a header must not smuggle one into the log
    # (a fixed one: every test worker must collect the same parameters)
])
def test_a_malformed_request_id_is_replaced(header):
    made = request_id_from(header)
    assert made != header and len(made) == 32


def test_without_json_the_request_id_still_goes_back(client):
    assert len(client.get("/healthz").headers[HEADER]) == 32


def test_an_error_in_json_mode_is_one_json_line_naming_the_endpoint_not_the_path(json_app):
    app, written = json_app(TESTING=False)  # the production error handler
    token = new_token()

    @app.route("/r/<token>/boom")
    def boom(token):
        raise RuntimeError("broken")

    assert app.test_client().get(f"/r/{token}/boom").status_code == 500
    lines = _lines(written)
    assert token not in written.getvalue()
    assert any(line["level"] == "ERROR" and "boom" in line["message"] and "exc_info" in line for line in lines)
    assert lines[-1]["endpoint"] == "boom" and lines[-1]["status"] == 500
