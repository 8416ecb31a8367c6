"""Command-line tasks through the test runner."""

import re

from sqlalchemy import func, select

from app.extensions import db
from app.invitations.models import Invitation, Response, Round


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
        # Today's open round, and five months of decided rounds behind it for the trend charts.
        rounds = db.session.scalars(select(Round)).all()
        assert sorted(r.is_locked for r in rounds) == [False] + [True] * 5
        assert db.session.scalar(select(func.count()).select_from(Invitation).join(Round).where(Round.locked_at.is_(None))) == 5
        # Everyone answered every form: 2 each for Emma and her parents, 1 each for Grete and Lise.
        assert db.session.scalar(select(func.count()).select_from(Response)) == 5 * 8
    login = app.test_client().post("/login", data={"username": "demo", "password": "demo"})
    assert login.status_code == 302


def test_demo_data_can_run_twice(runner):
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    assert runner.invoke(args=["demo-data"]).exit_code == 0


def test_instruments_validate_on_the_shipped_forms(runner):
    result = runner.invoke(args=["instruments", "validate"])
    assert result.exit_code == 0 and "OK: 11 instruments" in result.output
