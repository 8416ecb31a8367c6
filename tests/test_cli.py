"""Command-line tasks through the test runner."""

import re
from datetime import date

from sqlalchemy import func, select

from app.cases.models import Case, Meeting
from app.extensions import db
from app.invitations.models import Invitation, Response, Round

# `flask demo-data` runs once per backend on an empty database (tests/conftest.py demo_template: what it
# printed is `first_run`); demo_app is a fresh copy of the database it left, and later runs run on the copy.


def test_demo_data_prints_a_working_link_per_open_invitation(demo_template, demo_app):
    app = demo_app
    result = demo_template.first_run
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert [line.split()[0] for line in lines] == [
        "child", "mother", "father", "network", "provider", "school-status", "father-wishes"]
    client = app.test_client()
    for line in lines:
        role, url = line.split()
        assert re.fullmatch(r"http://127\.0\.0\.1:5000/r/[0-9A-Z]{26}", url)
        assert client.get(url.removeprefix("http://127.0.0.1:5000")).status_code == 200
    with app.app_context():
        # Emma's case (the demo organisation's cases are tested in tests/test_demo_organisation.py).
        emma = select(Round.id).join(Meeting).join(Case).where(Case.external_ref == "DEMO-1")
        rounds = db.session.scalars(select(Round).where(Round.id.in_(emma))).all()
        open_rounds = sorted(r.kind for r in rounds if not r.is_locked)
        # Today's feedback round, the provider and school's status and the family's wishes
        # before the follow-up meeting in two weeks.
        assert open_rounds == ["feedback", "see_happen", "status"]
        # Five months of decided feedback rounds for the trend charts, two indicator rounds.
        assert sorted(r.kind for r in rounds if r.is_locked) == ["feedback"] * 5 + ["indicators"] * 2
        feedback = select(func.count()).select_from(Response).join(Invitation).join(Round).where(Round.id.in_(emma))
        # Everyone answered every form: 2 each for Emma and her parents, 1 each for Grete and Lise.
        assert db.session.scalar(feedback.where(Round.kind == "feedback")) == 5 * 8
        # Lise's status is in; Bente's is awaited. Mette said what she wishes for; Emma, 9, is not
        # asked: children are asked for wishes from 10 (issue 11 item 6).
        assert db.session.scalar(feedback.where(Round.kind == "status")) == 1
        assert db.session.scalar(feedback.where(Round.kind == "see_happen")) == 1
        # Grete's two observations wait for a decision; the father's latest call is still to make.
        from app.observations.services import undecided_observations
        from app.registrations.services import phone_follow_ups_due

        case = db.session.scalar(select(Case).where(Case.external_ref == "DEMO-1"))
        assert len(undecided_observations(case)) == 2
        assert [d.person.role for d in phone_follow_ups_due(case, date.today())] == ["father"]
    login = app.test_client().post("/login", data={"username": "demo", "password": "demo"})
    assert login.status_code == 302


def test_demo_data_can_run_twice(demo_template, demo_runner):
    assert demo_template.first_run.exit_code == 0
    assert demo_runner.invoke(args=["demo-data"]).exit_code == 0


def test_a_second_demo_data_run_says_the_demo_exists_and_prints_its_open_links_again(demo_template, demo_app):
    """Issue 10, item 20: no second Emma; the open links are printed again, freshly issued."""
    app = demo_app
    first = demo_template.first_run
    second = demo_app.test_cli_runner().invoke(args=["demo-data"])
    assert second.exit_code == 0, second.output
    assert "The demo already exists" in second.stderr and "demo/demo" in second.stderr
    assert "instance/samstem.sqlite" in second.stderr
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Case).where(Case.external_ref == "DEMO-1")) == 1
        emma = select(Round.id).join(Meeting).join(Case).where(Case.external_ref == "DEMO-1")
        assert db.session.scalar(select(func.count()).select_from(Round).where(Round.id.in_(emma))) == 10
    before = [line.split() for line in first.stdout.strip().splitlines()]
    again = [line.split() for line in second.stdout.strip().splitlines()]
    assert [role for role, _ in again] == [role for role, _ in before]
    client = app.test_client()
    for (_, old), (role, url) in zip(before, again, strict=True):
        assert client.get(url.removeprefix("http://127.0.0.1:5000")).status_code == 200, role
        assert client.get(old.removeprefix("http://127.0.0.1:5000")).status_code == 404, role


def test_demo_data_prints_links_on_the_port_served(demo_runner):
    """Issue 10, item 19: make run PORT=… passes the port, and the printed links carry it. The command sets
    the base for the whole run, the demo made or found; here it finds the copy of the demo (conftest)."""
    runner = demo_runner
    import subprocess
    from pathlib import Path

    dry_run = subprocess.run(["make", "-n", "run", "DEMO=1", "PORT=8123"], capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parent.parent, check=True).stdout
    assert "demo-data --base-url http://127.0.0.1:8123" in dry_run and "--port 8123" in dry_run
    result = runner.invoke(args=["demo-data", "--base-url", "http://127.0.0.1:8123"])
    assert result.exit_code == 0, result.output
    urls = [line.split()[1] for line in result.stdout.strip().splitlines()]
    assert len(urls) == 7 and all(re.fullmatch(r"http://127\.0\.0\.1:8123/r/[0-9A-Z]{26}", url) for url in urls)
    # The second run prints its fresh links on the given port too.
    again = runner.invoke(args=["demo-data", "--base-url", "http://127.0.0.1:8123"]).stdout.split()
    assert all(url.startswith("http://127.0.0.1:8123/r/") for url in again[1::2]) and len(again) == 14


def test_instruments_validate_on_the_shipped_forms(runner):
    result = runner.invoke(args=["instruments", "validate"])
    assert result.exit_code == 0 and "OK: 12 instruments" in result.output
