"""Staff login, roles and team scope."""

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from tests.factories import PASSWORD, login


def test_login_with_right_password_opens_the_case_list(client, caseworker):
    response = login(client)
    assert response.status_code == 302
    page = client.get("/").text
    assert "Sager i Team Nord" in page


@pytest.mark.parametrize(
    "username, password, message",
    [
        ("anne", "wrong", "Brugernavn eller adgangskode er forkert."),
        ("nobody", PASSWORD, "Brugernavn eller adgangskode er forkert."),
        ("", "", "Skriv dit brugernavn."),
        ("anne", "x" * 500, "200"),  # the length limit is named in the message
    ],
)
def test_wrong_login_says_so_and_keeps_the_username(client, caseworker, username, password, message):
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 200
    assert message in response.text
    if username:
        assert f'value="{username}"' in response.text


def test_password_is_stored_hashed(app, caseworker):
    with app.app_context():
        user = db.session.get(User, caseworker)
        assert PASSWORD not in user.password_hash and user.check_password(PASSWORD)


def test_pages_need_login(client):
    response = client.get("/cases/1")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logout_needs_post_and_ends_the_session(staff):
    assert staff.get("/logout").status_code == 405
    assert staff.post("/logout").status_code == 302
    assert staff.get("/").status_code == 302


def test_login_returns_only_to_local_pages(client, caseworker):
    response = client.post("/login?next=https://evil.example/", data={"username": "anne", "password": PASSWORD})
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=/cases/new", data={"username": "anne", "password": PASSWORD})
    assert response.headers["Location"] == "/cases/new"


def test_forms_refuse_a_missing_csrf_token(app, client, caseworker):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/login", data={"username": "anne", "password": PASSWORD})
    assert response.status_code == 400
    assert "Siden var for gammel" in response.text


def test_repeated_failed_logins_from_one_address_are_slowed(client, caseworker):
    # Other names each time: the limit per address, whichever names it tries.
    statuses = [client.post("/login", data={"username": f"name{i}", "password": "nope"}).status_code
                for i in range(12)]
    assert statuses[:10] == [200] * 10
    assert statuses[-1] == 429


@pytest.mark.parametrize("role", ["leader", "admin"])
def test_roles_without_case_access_see_no_cases(client, make, role):
    team = make.team("Team Syd")
    owner = make.user("owner", team=team)
    ids = make.emma(owner)
    make.user("boss", role=role)
    login(client, "boss")
    assert "Din rolle giver ikke adgang til enkelte sager" in client.get("/").text
    for url in [f"/cases/{ids.case}", "/cases/new", f"/rounds/{ids.round}", f"/meetings/{ids.meeting}/feedback"]:
        assert client.get(url).status_code == 403, url


def test_team_leader_sees_the_team_cases(client, make):
    team = make.team()
    owner = make.user("owner", team=team)
    ids = make.emma(owner)
    make.user("lead", role="team_leader", team=team)
    login(client, "lead")
    assert client.get(f"/cases/{ids.case}").status_code == 200


def test_case_worker_cannot_open_another_teams_case(client, make):
    other = make.user("other", team=make.team("Team Syd"))
    ids = make.emma(other)
    make.user("anne", team=make.team("Team Nord"))
    login(client)
    assert "Emma" not in client.get("/").text
    for url in [f"/cases/{ids.case}", f"/rounds/{ids.round}", f"/rounds/{ids.round}/screen",
                f"/rounds/{ids.round}/handout.pdf", f"/meetings/{ids.meeting}/feedback",
                f"/cases/{ids.case}/people/new", f"/cases/{ids.case}/meetings/new"]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Du har ikke adgang" in response.text
    for url in [f"/invitations/{ids.invitations['child']}/revoke", f"/invitations/{ids.invitations['child']}/reissue",
                f"/rounds/{ids.round}/reissue"]:
        assert client.post(url).status_code == 403, url


def test_create_user_command(runner, app):
    result = runner.invoke(args=["create-user", "bo", "--name", "Bo Berg", "--team", "Team Øst", "--password", "pw-123456"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "bo"))
        assert user.team.name == "Team Øst" and user.roles == {"caseworker"} and user.check_password("pw-123456")
    again = runner.invoke(args=["create-user", "bo", "--name", "Bo", "--team", "T", "--password", "x"])
    assert again.exit_code != 0 and "already exists" in again.output
    no_team = runner.invoke(args=["create-user", "cy", "--name", "Cy", "--password", "x"])
    assert no_team.exit_code != 0 and "--team" in no_team.output


# --- every role has a home (issue 13) ------------------------------------------------

def test_a_leader_is_led_to_the_figures_and_an_analyst_told_they_are_coming(client, make):
    make.user("boss", role=("leader", "analyst"))
    make.user("numbers", role="analyst")
    login(client, "boss")
    home = client.get("/").text
    assert 'href="/figures"' in home and "Tal for ledere kommer" not in home and "Administration" not in home
    other = client.application.test_client()
    login(other, "numbers")
    assert "Tal for ledere kommer" in other.get("/").text


def test_an_administrator_home_leads_to_the_administration(client, make):
    make.user("root", role="admin")
    login(client, "root")
    home = client.get("/").text
    assert "Tal for ledere kommer" not in home
    for url in ["/admin/audit", "/admin/indicators"]:
        assert f'href="{url}' in home, url


def test_a_team_leader_home_has_the_team_cases_and_each_due_list(client, make):
    team = make.team()
    owner = make.user("owner", team=team, name="Ole Rådgiver")
    make.emma(owner)
    lead = make.user("lead", role=("team_leader", "admin"), team=team)
    login(client, "lead")
    home = client.get("/").text
    assert "Emma" in home and f"/due?caseworker={owner}" in home and f"/due?caseworker={lead}" in home
    assert 'href="/admin/audit' in home  # an administrator too


def test_a_case_worker_home_has_their_due_list_and_cases(client, make):
    make.emma(make.user("anne", team=make.team()))
    login(client)
    home = client.get("/").text
    assert "Emma" in home and 'href="/due"' in home and "/due?caseworker=" not in home


def test_several_roles_from_the_command_line(runner, app):
    result = runner.invoke(args=["create-user", "bo", "--name", "Bo Berg", "--team", "Team Øst", "--role", "team_leader",
                                 "--role", "admin", "--password", "pw-123456"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "bo"))
        assert user.roles == {"team_leader", "admin"} and user.works_with_cases and user.has_role("admin")
