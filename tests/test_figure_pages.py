"""The figures page (issue 15 items 4–5, FIGURES.md "Who sees what"): each role sees what it may,
read from releases only; bad input gets a clear message and reveals nothing, never a 500."""

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.extensions import db
from app.figures.models import FigureComment
from app.invitations.models import Response
from app.settings import services as settings
from tests.factories import login
from tests.figure_data import last_years_quarter, organisation


@pytest.fixture
def released(app, make, runner):
    """Two teams of three case workers and six children each, a team of one with two children, a
    leader, a team leader of Team Nord, an administrator; last year's first quarter released."""
    period, day = last_years_quarter()
    org = organisation(app, {"Team Nord": (3, 6), "Team Syd": (3, 6), "Team Vest": (1, 2)}, day)
    make.user("boss", role="leader")
    make.user("admin", role="admin")
    make.user("lead", role=("team_leader", "caseworker"), team=org.teams["Team Nord"])
    result = runner.invoke(args=["figures", "release", "--period", period])
    assert result.exit_code == 0, result.output
    org.period = period
    return org


def _as(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def test_a_case_worker_sees_their_teams_figures_with_table_chart_caveat_and_what_they_rest_on(app, released):
    page = _as(app, "teamnord-0").get("/figures")
    assert page.status_code == 200
    html = page.text
    assert "Tal for teamet" in html and released.period in html
    for figure in ("I1", "I2", "P1", "F1", "D1"):
        assert f'id="figure-{figure}"' in html
    main = html.split("<main>")[1].split("</main>")[0]
    assert "<svg" in main and 'role="img"' in main and "<script" not in main  # CSP: no inline script
    # Team Nord's six children; or hidden, where Team Vest's two could be worked out from it.
    assert "Tallet hviler på 6 børn." in html or "Antallet af børn vises ikke, så en lille gruppe" in html
    assert "Tallene beskriver, de beviser ikke" in html
    # Nobody reaches a case from a figure.
    assert "/cases/" not in main
    # The team's own choice is fixed; no other team is offered.
    assert 'name="team"' not in main


def test_a_leader_combines_two_filters(app, make, runner):
    # Rule 4: at most two filters; here a team and a kind of meeting, both resting on enough children
    # and case workers.
    period, day = last_years_quarter()
    org = organisation(app, {"Team Nord": (3, 6), "Team Syd": (3, 7)}, day)
    organisation(app, {"Team Vest": (3, 6)}, day, kind="family_group_conference")
    make.user("boss", role="leader")
    assert runner.invoke(args=["figures", "release", "--period", period]).exit_code == 0
    response = _as(app, "boss").get(f"/figures?team={org.teams['Team Nord']}&meeting=network_meeting")
    assert response.status_code == 200 and 'id="figure-I1"' in response.text
    assert re.search(r'<option value="network_meeting" selected>', response.text)


def test_a_team_shows_the_children_its_figures_rest_on(app, make, runner):
    period, day = last_years_quarter()
    organisation(app, {"Team Nord": (3, 6), "Team Syd": (3, 7)}, day)
    assert runner.invoke(args=["figures", "release", "--period", period]).exit_code == 0
    assert "Tallet hviler på 6 børn." in _as(app, "teamnord-0").get("/figures").text
    assert "Tallet hviler på 7 børn." in _as(app, "teamsyd-0").get("/figures").text


def test_a_case_worker_cannot_see_another_teams_figures(app, released):
    response = _as(app, "teamnord-0").get(f"/figures?team={released.teams['Team Syd']}")
    assert response.status_code == 403 and "Du kan kun se dit eget teams tal." in response.text
    assert "figure-I1" not in response.text


def test_a_case_worker_in_a_team_too_small_for_figures_is_told_why(app, released):
    response = _as(app, "teamvest-0").get("/figures")
    assert response.status_code == 400 and "Kan ikke vælges" in response.text and "figure-I1" not in response.text


def test_a_leader_sees_the_organisation_by_team_and_a_small_team_cannot_be_chosen(app, released):
    client = _as(app, "boss")
    html = client.get("/figures").text
    assert "Tal for organisationen" in html and "Tallet hviler på 14 børn." in html
    vest = released.teams["Team Vest"]
    option = re.search(rf'<option value="{vest}"[^>]*>[^<]*', html).group(0)
    assert "disabled" in option and "kan ikke vælges" in option
    assert "Team Vest: Kan ikke vælges: gruppen hviler på færre end 5 børn." in html
    nord = client.get(f"/figures?team={released.teams['Team Nord']}")
    assert nord.status_code == 200 and 'id="figure-I1"' in nord.text
    refused = client.get(f"/figures?team={vest}")
    assert refused.status_code == 400 and "færre end 5 børn" in refused.text and "figure-I1" not in refused.text


@pytest.mark.parametrize("query, status, message", [
    ("?period=2026-Q9", 400, "Perioden skal skrives som"),
    ("?period=" + "9" * 5000, 400, "Perioden skal skrives som"),
    ("?period=2001-Q1", 404, "Der er ingen tal for 2001-Q1"),
    ("?team=abc", 400, "Det team findes ikke."),
    ("?team=99999999999999999999999", 400, "Det team findes ikke."),
    ("?meeting=secret", 400, "Den mødetype kender Samstem ikke."),
    ("?caseworker=1", 400, "Tallene kan kun vælges efter periode, team, afdeling og mødetype."),
    ("?team=1&meeting=other&age=9", 400, "Tallene kan kun vælges efter periode, team, afdeling og mødetype."),
    ("?meeting=other&meeting=network_meeting", 400, "Vælg højst én værdi for hvert filter."),
], ids=["bad-period", "huge-period", "not-released", "team-text", "team-huge", "meeting", "unknown-filter",
        "third-filter", "twice"])
def test_tampered_queries_get_a_clear_message_and_reveal_nothing(app, released, query, status, message):
    response = _as(app, "boss").get("/figures" + query)
    assert response.status_code == status and message in response.text
    assert "figure-I1" not in response.text


def test_pilot_mode_hides_the_leaders_figures_but_not_the_teams(app, released):
    with app.test_request_context():
        settings.put("pilot_mode", True)
        db.session.commit()
        settings.forget()
    response = _as(app, "boss").get("/figures")
    assert response.status_code == 403 and "pilotdrift" in response.text and "figure-I1" not in response.text
    assert _as(app, "teamnord-0").get("/figures").status_code == 200


@pytest.mark.parametrize("url", ["/figures", "/figures/print"])
def test_an_administrator_sees_no_figures(app, released, url):
    response = _as(app, "admin").get(url)
    assert response.status_code == 403 and "figure-I1" not in response.text


def test_the_team_meeting_view_prints_on_a4(app, released):
    response = _as(app, "teamnord-0").get(f"/figures/print?period={released.period}")
    assert response.status_code == 200 and 'id="figure-I1"' in response.text
    assert "figures.css" in response.text and "<form" not in response.text
    css = (Path(app.static_folder) / "figures.css").read_text()
    assert "@page{size:A4" in css and "@media print" in css


def test_a_team_leader_comments_on_the_teams_figure_kept_with_who_and_when_and_audited(app, released):
    client = _as(app, "lead")
    scope = f"team:{released.teams['Team Nord']}"
    form = {"figure": "I1", "period": released.period, "scope": scope, "text": "Flere forældre svarer nu.",
            "team": str(released.teams["Team Nord"])}
    response = client.post("/figures/comment", data=form)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    assert "Flere forældre svarer nu." in page and "Skrevet af Anne Rådgiver" in page
    with app.app_context():
        comment = db.session.scalar(select(FigureComment))
        assert (comment.scope, comment.figure, comment.period) == (scope, "I1", released.period)
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "figures.comment"))
        assert event.detail["figure"] == "I1" and event.case_id is None
    # The team's comment is the team's: the organisation's page does not show it.
    assert "Flere forældre svarer nu." not in _as(app, "boss").get("/figures").text


def test_a_leader_comments_on_the_organisations_figure(app, released):
    client = _as(app, "boss")
    form = {"figure": "P1", "period": released.period, "scope": "organisation", "text": "Godt at se."}
    assert client.post("/figures/comment", data=form).status_code == 302
    assert "Godt at se." in client.get("/figures").text


@pytest.mark.parametrize("who, scope", [("teamnord-0", "team"), ("lead", "organisation"), ("lead", "other-team"),
                                        ("boss", "other-team-as-text")], ids=lambda v: v)
def test_only_the_right_role_comments_on_a_scope(app, released, who, scope):
    scopes = {"team": f"team:{released.teams['Team Nord']}", "organisation": "organisation",
              "other-team": f"team:{released.teams['Team Syd']}", "other-team-as-text": "team:x"}
    response = _as(app, who).post("/figures/comment", data={"figure": "I1", "period": released.period,
                                                             "scope": scopes[scope], "text": "Hej"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(FigureComment)) is None


@pytest.mark.parametrize("field, value, message", [
    ("text", "   ", "Skriv kommentaren, før du gemmer."),
    ("text", "x" * 2001, "Kommentaren må højst være 2000 tegn."),
    ("figure", "Z9", "Tallet eller perioden findes ikke."),
    ("period", "2001-Q1", "Tallet eller perioden findes ikke."),
], ids=["empty", "too-long", "no-figure", "no-period"])
def test_a_refused_comment_says_why_and_keeps_what_was_typed(app, released, field, value, message):
    form = {"figure": "I1", "period": released.period, "scope": "organisation", "text": "Min tekst"} | {field: value}
    response = _as(app, "boss").post("/figures/comment", data=form)
    assert response.status_code == 400 and message in response.text
    if field == "text" and value.strip():
        assert value in response.text  # nothing typed is lost
    with app.app_context():
        assert db.session.scalar(select(FigureComment)) is None


def test_no_release_yet_says_so(app, make):
    team = make.team()
    make.user(team=team)
    response = _as(app, "anne").get("/figures")
    assert response.status_code == 200 and "Der er ingen tal endnu." in response.text


def test_a_new_version_of_a_release_is_shown_at_once_though_the_page_read_the_old_one(app, released, runner):
    # FIGURES.md rule 5: a changed count makes a new version; the page (which keeps a release it
    # read parsed, app/figures/releases.py latest) shows the newest at its next reading.
    client = _as(app, "boss")
    assert "version 1." in client.get("/figures").text
    gone = next(iter(released.invitations.values()))
    with app.app_context():
        db.session.execute(Response.__table__.delete().where(Response.invitation_id == gone))
        db.session.commit()
    runner.invoke(args=["figures", "release", "--period", released.period])
    page = client.get("/figures").text
    assert "version 2." in page and "version 1." not in page


def test_the_newest_comment_on_a_figure_is_the_one_shown(app, released):
    client = _as(app, "boss")
    for text in ("Første kommentar.", "Anden kommentar."):
        form = {"figure": "P1", "period": released.period, "scope": "organisation", "text": text}
        assert client.post("/figures/comment", data=form).status_code == 302
    page = client.get("/figures").text
    assert "Anden kommentar." in page and "Første kommentar." not in page
