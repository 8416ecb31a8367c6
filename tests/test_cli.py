"""Command-line tasks through the test runner."""

import re
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.invitations.models import Invitation, Response, Round


def test_demo_data_prints_a_working_link_per_open_invitation(runner, app):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert [line.split()[0] for line in lines] == [
        "child", "mother", "father", "network", "provider", "school-status", "father-wishes"]
    client = app.test_client()
    for line in lines:
        role, url = line.split()
        assert re.fullmatch(r"http://127\.0\.0\.1:5000/r/[0-9A-Z]{26}", url)
        assert client.get(url.removeprefix("http://127.0.0.1:5000")).status_code == 200
    with app.app_context():
        rounds = db.session.scalars(select(Round)).all()
        open_rounds = sorted(r.kind for r in rounds if not r.is_locked)
        # Today's feedback round, the provider and school's status and the family's wishes
        # before the follow-up meeting in two weeks.
        assert open_rounds == ["feedback", "see_happen", "status"]
        # Five months of decided feedback rounds for the trend charts, two indicator rounds.
        assert sorted(r.kind for r in rounds if r.is_locked) == ["feedback"] * 5 + ["indicators"] * 2
        feedback = select(func.count()).select_from(Response).join(Invitation).join(Round)
        # Everyone answered every form: 2 each for Emma and her parents, 1 each for Grete and Lise.
        assert db.session.scalar(feedback.where(Round.kind == "feedback")) == 5 * 8
        # Lise's status is in; Bente's is awaited. Emma and Mette said what they wish for.
        assert db.session.scalar(feedback.where(Round.kind == "status")) == 1
        assert db.session.scalar(feedback.where(Round.kind == "see_happen")) == 2
        # Grete's two observations wait for a decision; the father's latest call is still to make.
        from app.cases.models import Case
        from app.observations.services import undecided_observations
        from app.registrations.services import phone_follow_ups_due

        case = db.session.scalar(select(Case))
        assert len(undecided_observations(case)) == 2
        assert [d.person.role for d in phone_follow_ups_due(case, date.today())] == ["father"]
    login = app.test_client().post("/login", data={"username": "demo", "password": "demo"})
    assert login.status_code == 302


def test_demo_data_can_run_twice(runner):
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    assert runner.invoke(args=["demo-data"]).exit_code == 0


def test_instruments_validate_on_the_shipped_forms(runner):
    result = runner.invoke(args=["instruments", "validate"])
    assert result.exit_code == 0 and "OK: 12 instruments" in result.output
