"""Issue 13: "teams (and, if the organisation wants it, departments above them)": an administrator creates
and renames departments, moves teams between them, and never deletes one that has teams; every change
audited. The figures group leader figures by department and team through department_of."""

# Department and Team come from app.models, so every model is loaded before the teams' services load
# the access loaders.
import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.extensions import db
from app.models import Department, Team
from app.teams.departments import DepartmentRef, department_of
from tests.factories import login


@pytest.fixture
def admin(app, make):
    make.user("root", role="admin", name="Rita Root")
    client = app.test_client()
    login(client, "root")
    return client


def _department(app, name: str) -> Department | None:
    with app.app_context():
        found = db.session.scalar(select(Department).where(Department.name == name))
        if found is not None:
            db.session.expunge(found)
        return found


def _team_department(app, team_id: int) -> int | None:
    with app.app_context():
        return db.session.get(Team, team_id).department_id


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_an_administrator_creates_a_department_renames_it_and_moves_a_team_into_it(app, make, admin):
    team = make.team("Team Nord")
    assert admin.post("/admin/teams/departments", data={"name": "Børn og Unge"}).status_code == 302
    department = _department(app, "Børn og Unge")
    page = admin.get("/admin/teams/").text
    assert "Børn og Unge" in page
    assert admin.post(f"/admin/teams/{team}/department", data={"department": str(department.id)}).status_code == 302
    assert _team_department(app, team) == department.id
    assert "Børn og Unge" in admin.get("/admin/teams/").text.split("Team Nord")[1]  # the team's row names it
    assert admin.post(f"/admin/teams/departments/{department.id}", data={"name": "Familieafdelingen"}).status_code == 302
    assert _department(app, "Familieafdelingen").id == department.id
    assert "Team Nord" in admin.get(f"/admin/teams/departments/{department.id}").text
    # Out of the department again: "no department" is a choice.
    assert admin.post(f"/admin/teams/{team}/department", data={"department": ""}).status_code == 302
    assert _team_department(app, team) is None
    assert [a for a in _actions(app) if a.startswith(("department.", "team."))] == [
        "department.create", "team.move", "department.rename", "team.move"]


def test_a_team_moves_between_departments(app, make, admin):
    team = make.team("Team Nord")
    for name in ("Syd", "Nord"):
        admin.post("/admin/teams/departments", data={"name": name})
    syd, nord = _department(app, "Syd"), _department(app, "Nord")
    admin.post(f"/admin/teams/{team}/department", data={"department": str(syd.id)})
    assert admin.post(f"/admin/teams/{team}/department", data={"department": str(nord.id)}).status_code == 302
    assert _team_department(app, team) == nord.id
    with app.app_context():
        moves = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "team.move")
                                   .order_by(AuditEvent.id)).all()
        assert (moves[-1].detail["department_from"], moves[-1].detail["department_to"]) == (syd.id, nord.id)


def test_a_department_with_teams_is_never_deleted_an_empty_one_is(app, make, admin):
    team = make.team("Team Nord")
    admin.post("/admin/teams/departments", data={"name": "Syd"})
    syd = _department(app, "Syd")
    admin.post(f"/admin/teams/{team}/department", data={"department": str(syd.id)})
    assert "Slet afdelingen" not in admin.get(f"/admin/teams/departments/{syd.id}").text
    refused = admin.post(f"/admin/teams/departments/{syd.id}/delete")
    assert refused.status_code == 400 and "Afdelingen Syd har teams og bliver ikke slettet." in refused.text
    assert _department(app, "Syd") is not None and _team_department(app, team) == syd.id
    admin.post(f"/admin/teams/{team}/department", data={"department": ""})
    assert admin.post(f"/admin/teams/departments/{syd.id}/delete").status_code == 302
    assert _department(app, "Syd") is None
    assert "department.delete" in _actions(app)


# Issue 13, bad input: a clear message, nothing lost, never a 500.
@pytest.mark.parametrize("url, data, message", [
    ("/admin/teams/departments", {"name": ""}, "Skriv afdelingens navn."),
    ("/admin/teams/departments", {"name": "x" * 500}, "Højst 120 tegn."),
    ("/admin/teams/departments", {"name": "syd"}, "Der er allerede en afdeling, der hedder syd."),
    ("rename", {"name": "SYD"}, None),  # its own name in other letters: allowed
    ("rename", {"name": "Nord"}, "Der er allerede en afdeling, der hedder Nord."),
    ("move", {"department": "999999"}, "Vælg en af afdelingerne."),
    ("move", {"department": "abc"}, "Vælg en af afdelingerne."),
    ("move", {"department": "9" * 5000}, "Vælg en af afdelingerne."),
    ("move", {}, "Vælg en af afdelingerne."),
], ids=["empty", "huge", "duplicate", "own-name", "rename-to-another", "unknown", "not-a-number", "huge-id",
        "missing"])
def test_bad_input_is_refused_with_a_clear_message(app, make, admin, url, data, message):
    team = make.team("Team Nord")
    admin.post("/admin/teams/departments", data={"name": "Syd"})
    admin.post("/admin/teams/departments", data={"name": "Nord"})
    syd = _department(app, "Syd")
    target = {"rename": f"/admin/teams/departments/{syd.id}", "move": f"/admin/teams/{team}/department"}.get(url, url)
    response = admin.post(target, data=data)
    if message is None:
        assert response.status_code == 302
        return
    assert response.status_code == 400 and message in response.text
    if "name" in data and len(data["name"]) < 200:
        assert f'value="{data["name"]}"' in response.text  # what was typed is still there
    assert _team_department(app, team) is None


@pytest.mark.parametrize("username, role", [("anne", "caseworker"), ("lead", "team_leader"), ("boss", "leader")])
def test_only_an_administrator_keeps_departments(app, make, username, role):
    make.user(username, role=role, team=make.team())
    client = app.test_client()
    login(client, username)
    assert client.post("/admin/teams/departments", data={"name": "Syd"}).status_code == 403
    assert _department(app, "Syd") is None


def test_department_of_gives_each_teams_department_in_one_query(app, make):
    from bench.queries import count_queries

    nord, syd, alone = make.team("Team Nord"), make.team("Team Syd"), make.team("Team Alene")
    with app.app_context():
        department = Department(name="Børn og Unge")
        db.session.add(department)
        db.session.flush()
        for team_id in (nord, syd):
            db.session.get(Team, team_id).department_id = department.id
        db.session.commit()
        with count_queries(db.engine) as counted:
            found = department_of([nord, syd, alone, 999999])
        assert found == {nord: DepartmentRef(department.id, "Børn og Unge"),
                         syd: DepartmentRef(department.id, "Børn og Unge"), alone: None, 999999: None}
        assert counted.total == 1
        assert department_of([]) == {}
