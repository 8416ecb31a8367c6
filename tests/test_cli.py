"""Command-line tasks through the test runner."""

import re

from sqlalchemy import func, select

from app.extensions import db
from app.invitations.models import Invitation


def test_demo_data_prints_a_working_link_per_open_invitation(runner, app):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert [line.split()[0] for line in lines] == ["child", "mother", "father", "network", "provider"]
    client = app.test_client()
    for line in lines:
        role, url = line.split()
        assert re.fullmatch(r"http://127\.0\.0\.1:5000/r/[0-9A-Z]{26}", url)
        assert client.get(url.removeprefix("http://127.0.0.1:5000")).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == 5
    login = app.test_client().post("/login", data={"username": "demo", "password": "demo"})
    assert login.status_code == 302


def test_demo_data_can_run_twice(runner):
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    assert runner.invoke(args=["demo-data"]).exit_code == 0


def test_instruments_validate_on_the_shipped_forms(runner):
    result = runner.invoke(args=["instruments", "validate"])
    assert result.exit_code == 0 and "OK: 10 instruments" in result.output
