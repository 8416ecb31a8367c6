"""Issue 13: an administrator keeps users and teams in the browser; every change audited, bad input
answered with a clear message and nothing lost, never a 500."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.auth.models import Team, User
from app.cases.models import Case
from app.extensions import db
from app.timestamps import utcnow
from tests.factories import PASSWORD, login


@pytest.fixture
def admin(app, make):
    """An administrator's client; the administrator is "root"."""
    make.user("root", role="admin", name="Rita Root")
    client = app.test_client()
    login(client, "root")
    return client


def _user(app, username: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        if user is not None:
            _ = user.roles, user.team
            db.session.expunge(user)
        return user


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


NEW = {"username": "bo", "name": "Bo Berg", "email": "bo@kommune.dk", "roles": ["caseworker", "analyst"],
       "password": "en-lang-kode-1"}


def test_an_administrator_creates_a_user_with_several_roles_who_can_log_in(app, make, admin):
    team = make.team()
    response = admin.post("/admin/users/new", data={**NEW, "team": str(team)})
    assert response.status_code == 302
    bo = _user(app, "bo")
    assert (bo.name, bo.email, bo.roles, bo.team_id) == ("Bo Berg", "bo@kommune.dk", {"caseworker", "analyst"}, team)
    assert "user.create" in _actions(app)
    assert "Bo Berg" in admin.get("/admin/users").text
    assert login(app.test_client(), "bo", "en-lang-kode-1").status_code == 302


@pytest.mark.parametrize("change, message", [
    ({"username": "root"}, "Brugernavnet root er allerede i brug"),
    ({"email": "RITA@kommune.dk"}, "E-mailadressen RITA@kommune.dk bruges allerede"),
    ({"roles": []}, "Vælg mindst én rolle."),
    ({"roles": ["caseworker"], "team": ""}, "skal høre til et team"),
    ({"password": "kort"}, "Adgangskoden skal have mellem 10 og 200 tegn."),
    ({"email": "ikke-en-adresse"}, "Det ligner ikke en e-mailadresse."),
])
def test_a_new_user_that_cannot_be_made_is_explained_and_what_was_typed_stays(app, make, admin, change, message):
    with app.app_context():
        root = db.session.scalar(select(User).where(User.username == "root"))
        root.email = "rita@kommune.dk"
        db.session.commit()
    team = make.team()
    response = admin.post("/admin/users/new", data={**NEW, "team": str(team), **change})
    assert response.status_code == 400 and message in response.text
    assert 'value="Bo Berg"' in response.text
    assert _user(app, "bo") is None


def test_roles_team_name_and_email_are_changed_and_audited(app, make, admin):
    north, south = make.team(), make.team("Team Syd")
    anne = make.user("anne", team=north)
    response = admin.post(f"/admin/users/{anne}", data={
        "name": "Anne Andersen", "email": "anne@kommune.dk", "roles": ["team_leader", "leader"], "team": str(south)})
    assert response.status_code == 302
    user = _user(app, "anne")
    assert (user.name, user.email, user.roles, user.team_id) == ("Anne Andersen", "anne@kommune.dk",
                                                                 {"team_leader", "leader"}, south)
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.update")).one()
        assert event.detail["roles_given"] == ["leader", "team_leader"] and event.detail["roles_taken"] == ["caseworker"]
        assert (event.detail["team_from"], event.detail["team_to"]) == (north, south)


def test_name_and_email_from_the_municipalitys_login_are_read_only(app, make, admin):
    """Issue 13: fields that come from the identity provider are read-only in Samstem."""
    from app.auth.models import User

    north = make.team()
    anne = make.user("anne", team=north)
    with app.app_context():
        user = db.session.get(User, anne)
        user.oidc_subject, user.name, user.email = "sub-123", "Anne fra login", "anne@login.dk"
        db.session.commit()
    page = admin.get(f"/admin/users/{anne}").text
    assert "kommer fra kommunens login og kan ikke ændres her" in page and "readonly" in page
    response = admin.post(f"/admin/users/{anne}", data={
        "name": "Noget andet", "email": "andet@kommune.dk", "roles": ["caseworker", "leader"], "team": str(north)})
    assert response.status_code == 302
    user = _user(app, "anne")
    assert (user.name, user.email, user.roles) == ("Anne fra login", "anne@login.dk", {"caseworker", "leader"})


def test_the_last_administrator_keeps_the_role(app, admin):
    root = _user(app, "root")
    response = admin.post(f"/admin/users/{root.id}", data={"name": "Rita Root", "roles": ["leader"], "team": ""})
    assert response.status_code == 400 and "den eneste administrator" in response.text
    assert _user(app, "root").roles == {"admin"}


def test_an_administrator_cannot_close_their_own_account(app, admin):
    root = _user(app, "root")
    response = admin.post(f"/admin/users/{root.id}/deactivate", data={"confirm": "yes"})
    assert response.status_code == 400 and "Du kan ikke lukke din egen konto" in response.text
    assert _user(app, "root").active


def test_a_closed_account_is_logged_out_at_once_and_keeps_its_history(app, make, admin):
    anne = make.user("anne", team=make.team())
    case = make.emma(anne).case
    hers = app.test_client()
    login(hers)
    asked = admin.post(f"/admin/users/{anne}/deactivate")
    assert asked.status_code == 200 and "Vil du lukke kontoen for Anne Rådgiver?" in asked.text
    assert _user(app, "anne").active
    assert admin.post(f"/admin/users/{anne}/deactivate", data={"confirm": "yes"}).status_code == 302
    assert not _user(app, "anne").active
    assert hers.get("/").status_code == 302  # to the login page
    with app.app_context():
        assert db.session.get(Case, case).caseworker_id == anne
    assert "user.deactivate" in _actions(app)


def test_a_new_password_ends_the_user_sessions(app, make, admin):
    anne = make.user("anne", team=make.team())
    hers = app.test_client()
    login(hers)
    assert admin.post(f"/admin/users/{anne}/password", data={"password": "kort"}).status_code == 400
    assert admin.post(f"/admin/users/{anne}/password", data={"password": "helt-ny-kode-2"}).status_code == 302
    assert hers.get("/").status_code == 302
    assert login(app.test_client(), "anne", PASSWORD).status_code != 302
    assert login(app.test_client(), "anne", "helt-ny-kode-2").status_code == 302
    assert "user.password" in _actions(app)


def test_a_leaver_hands_every_case_to_a_colleague_in_one_step(app, make, admin):
    team = make.team()
    anne = make.user("anne", team=team)
    bo = make.user("bo", team=team, name="Bo Berg")
    other = make.user("cy", team=make.team("Team Syd"), name="Cy Syd")
    first, second = make.emma(anne).case, make.emma(anne).case
    page = admin.get(f"/admin/users/{anne}").text
    assert "2 sager har Anne Rådgiver som rådgiver." in page and "Bo Berg" in page and "Cy Syd" not in page
    refused = admin.post(f"/admin/users/{anne}/hand-over", data={"colleague": str(other)})
    assert refused.status_code == 400
    assert admin.post(f"/admin/users/{anne}/hand-over", data={"colleague": str(bo)}).status_code == 302
    with app.app_context():
        assert {db.session.get(Case, c).caseworker_id for c in (first, second)} == {bo}
        handed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.hand_over")).all()
        assert {e.case_id for e in handed} == {first, second}
    assert "user.hand_over" in _actions(app)


def test_the_access_review_names_teams_last_logins_and_unused_accounts(app, make, admin):
    team = make.team()
    make.user("anne", team=team)
    old = make.user("olga", role="leader", name="Olga Gammel")
    login(app.test_client())
    with app.app_context():
        db.session.get(User, old).last_login_at = utcnow() - timedelta(days=91)
        db.session.commit()
    assert _user(app, "anne").last_login_at is not None  # recorded at login
    page = admin.get("/admin/access").text
    anne_row = page.split("Anne Rådgiver")[1].split("</tr>")[0]
    olga_row = page.split("Olga Gammel")[1].split("</tr>")[0]
    assert "Team Nord" in anne_row and "Ikke brugt i 90 dage" not in anne_row
    assert "Ingen sager" in olga_row and "Ikke brugt i 90 dage" in olga_row


# --- teams ---------------------------------------------------------------------------------

def test_teams_are_created_renamed_and_a_duplicate_name_is_refused(app, make, admin):
    make.team()
    assert admin.post("/admin/teams/", data={"name": "Team Vest"}).status_code == 302
    duplicate = admin.post("/admin/teams/", data={"name": "team nord"})
    assert duplicate.status_code == 400 and "Der er allerede et team, der hedder team nord" in duplicate.text
    with app.app_context():
        west = db.session.scalar(select(Team.id).where(Team.name == "Team Vest"))
    assert admin.post(f"/admin/teams/{west}", data={"name": "Team Vestjylland"}).status_code == 302
    assert "Team Vestjylland" in admin.get("/admin/teams/").text
    assert ["team.create", "team.rename"] == [a for a in _actions(app) if a.startswith("team.")]


def test_a_merge_moves_members_and_cases_and_a_team_is_not_merged_into_itself(app, make, admin):
    north, south = make.team(), make.team("Team Syd")
    anne = make.user("anne", team=north)
    case = make.emma(anne).case
    itself = admin.post(f"/admin/teams/{north}/merge", data={"into": str(north)})
    assert itself.status_code == 400 and "Et team kan ikke slås sammen med sig selv" in itself.text
    assert admin.post(f"/admin/teams/{north}/merge", data={"into": str(south)}).status_code == 302
    with app.app_context():
        assert db.session.get(Team, north) is None
        assert db.session.get(Case, case).team_id == south and db.session.get(User, anne).team_id == south
    assert "team.merge" in _actions(app)
    hers = app.test_client()
    login(hers)
    assert hers.get(f"/cases/{case}").status_code == 200


@pytest.mark.parametrize("username, role", [("anne", "caseworker"), ("lead", "team_leader"), ("boss", "leader"),
                                            ("ana", "analyst")])
def test_only_an_administrator_opens_the_administration(app, make, username, role):
    make.user(username, role=role, team=make.team())
    client = app.test_client()
    login(client, username)
    for url in ["/admin/users", "/admin/users/new", "/admin/teams/", "/admin/access"]:
        assert client.get(url).status_code == 403, url


def test_no_administration_page_queries_the_database_while_its_template_renders(app, make):
    from bench.queries import count_queries
    from tests.factories import demo_case

    values = demo_case(app)
    make.user("root", role="admin")
    client = app.test_client()
    login(client, "root")
    user, team = values["user_id"][0], values["team_id"][0]
    for url in ["/", "/admin/users", "/admin/users/new", f"/admin/users/{user}", "/admin/access", "/admin/teams/",
                f"/admin/teams/{team}", "/stand-ins/"]:
        with app.app_context(), count_queries(db.engine) as counted:
            response = client.get(url)
        assert response.status_code == 200, url
        assert counted.rendering == [], url
