"""The demo organisation (issue 14 item 7): `flask demo-data` on an empty database gives the figures
something real to draw: every rung, every method status and outcome, closures and re-openings,
two teams of at least three case workers (FIGURES.md rule 5a), and released figures."""

from sqlalchemy import func, select

from app.auth.models import Team, User
from app.cases.background import current_background
from app.cases.models import Case, CaseClosure, Meeting
from app.extensions import db
from app.figures.models import FigureRelease
from app.invitations.models import Invitation, Response, Round
from app.measures.ladder import current_ladder
from app.measures.models import MeasureVersion
from app.registrations.models import (
    METHOD_OUTCOMES,
    METHOD_STATUSES,
    MethodRegistration,
)
from app.settings import lists
from app.timestamps import local_date
from tests.factories import login


def _counts() -> dict:
    tables = ("case", "meeting", "round", "invitation", "response", "measure_version", "method_registration",
              "case_closure", "goal_attainment", "figure_release", "user", "team", "department", "audit_event")
    return {t: db.session.scalar(select(func.count()).select_from(db.metadata.tables[t])) for t in tables}


def test_demo_data_covers_what_the_figures_count_and_a_second_run_adds_nothing(demo_template, demo_app):
    # The first run is the one on an empty database (tests/conftest.py demo_template); demo_app is a copy
    # of what it left, and the second run is made on the copy.
    app, runner = demo_app, demo_app.test_cli_runner()
    first = demo_template.first_run
    assert first.exit_code == 0, first.output
    for account in ("leder/leder", "analytiker/analytiker", "admin/admin", "nord1/nord1", "teamleder-syd/teamleder-syd"):
        assert account in first.stderr
    with app.test_request_context():
        # Both teams, each with three case workers who have cases (rule 5a) and a team leader.
        for name in ("Team Nord", "Team Syd"):
            team = db.session.scalar(select(Team).where(Team.name == name))
            assert team.department is not None and team.department.name == "Børn og Unge"
            workers = db.session.scalars(select(Case.caseworker_id).where(Case.team_id == team.id).distinct()).all()
            assert len(workers) >= 3
            assert db.session.scalar(select(func.count()).select_from(Case).where(Case.team_id == team.id)) >= 20
            assert any("team_leader" in u.roles for u in db.session.scalars(select(User).where(User.team_id == team.id)))
        roles = set().union(*(u.roles for u in db.session.scalars(select(User))))
        assert {"leader", "analyst", "admin"} <= roles
        # Every rung of the ladder, network placement included (FIGURES.md K8-K9), and measures that ended.
        rungs = set(db.session.scalars(select(MeasureVersion.rung)))
        assert rungs == {rung.code for rung in current_ladder().rungs}
        assert db.session.scalar(select(func.count()).select_from(MeasureVersion)
                                 .where(MeasureVersion.end_reason == "replaced")) >= 3
        # Every method status and outcome (K1-K7), and the reasons a method failed.
        registrations = db.session.scalars(select(MethodRegistration)).all()
        assert {r.status for r in registrations} == set(METHOD_STATUSES)
        assert {r.outcome for r in registrations} == set(METHOD_OUTCOMES)
        assert {r.failure_reason for r in registrations if r.failure_reason} >= set(lists.codes("method_failure_reason")) - {"other"}
        # Every target group and case type.
        now = current_background(db.session.scalars(select(Case.id)).all()).values()
        assert {b.target_group for b in now} == set(lists.codes("target_group"))
        assert {b.case_type for b in now} == set(lists.codes("case_type"))
        # Closures, some closed still, some opened again (K6).
        closings = db.session.scalars(select(CaseClosure)).all()
        assert any(c.reopened_on is None for c in closings)
        assert any(c.reopened_on is not None for c in closings)
        assert any(c.reason == "closed_no_measure" for c in closings)
        # Feedback comes after its meeting (Emma's case is as it always was).
        late = db.session.execute(select(Meeting.held_on, Response.submitted_at).join(Round, Round.meeting_id == Meeting.id)
                                  .join(Invitation, Invitation.round_id == Round.id)
                                  .join(Response, Response.invitation_id == Invitation.id)
                                  .join(Case, Case.id == Meeting.case_id)
                                  .where(Round.kind == "feedback", Case.external_ref != "DEMO-1")).all()
        assert late and [(held_on, at) for held_on, at in late if held_on > local_date(at)] == []
        # Released figures with at least one published cell.
        releases = db.session.scalars(select(FigureRelease)).all()
        assert releases
        assert any(not cell["hidden"] for r in releases for t in r.tables for cell in t["cells"])
        # The indicator and goal figures (FIGURES.md G1–G3) each publish something: the demo scores the
        # indicators at its meetings. By kind of measure (G1T) fifty children are too few for a row of ten.
        shown = {t["figure"] for r in releases for t in r.tables if any(not c["hidden"] for c in t["cells"])}
        assert {"G1", "G2", "G3"} <= shown
        by_measure = [c for r in releases for t in r.tables if t["figure"] == "G1T" for c in t["cells"]]
        assert by_measure and any(c["key"][0].startswith("kind|") for c in by_measure)
        categories = {c["key"][-1] for r in releases for t in r.tables if t["figure"] == "G1" for c in t["cells"]}
        assert "not_followed_up" in categories
        before = _counts()
    second = runner.invoke(args=["demo-data"])
    assert second.exit_code == 0, second.output
    with app.app_context():
        after = _counts()
        # Renewing Emma's open links audits the new tokens; nothing else is made again.
        assert {k: v for k, v in after.items() if k != "audit_event"} == {k: v for k, v in before.items() if k != "audit_event"}


def test_a_team_leader_of_the_demo_sees_figures_of_a_released_period(demo_app):
    client = demo_app.test_client()
    assert login(client, "teamleder-nord", "teamleder-nord").status_code == 302
    page = client.get("/figures")
    assert page.status_code == 200
    main = page.text.split("<main>")[1].split("</main>")[0]
    assert "Tal for teamet" in main and 'id="figure-P1"' in main and "<svg" in main
