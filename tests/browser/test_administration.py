"""Issue 13 in the browser: an administrator creates a user, and hands a leaver's cases to a colleague."""

from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.auth.models import User
from app.cases.models import Case
from app.extensions import db
from tests.browser.test_reconcile import axe_violations, settle
from tests.factories import PASSWORD


def _log_in(page: Page, live_server: str, username: str, password: str) -> None:
    page.goto(f"{live_server}/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Log ind").click()
    expect(page).not_to_have_url(f"{live_server}/login")


def test_an_administrator_creates_a_user_who_then_logs_in(app, live_server, desk, browser, make):
    make.team()
    make.user("root", role="admin", name="Rita Root")
    _log_in(desk, live_server, "root", PASSWORD)
    desk.get_by_role("link", name="Brugere").click()
    desk.get_by_role("link", name="Opret bruger").click()
    desk.get_by_label("Brugernavn").fill("bo")
    desk.get_by_label("Navn", exact=True).fill("Bo Berg")
    desk.get_by_label("E-mail").fill("bo@kommune.dk")
    desk.get_by_label("Rådgiver", exact=True).check()
    desk.get_by_label("Team", exact=True).select_option(label="Team Nord")
    desk.get_by_label("Adgangskode").fill("kort")
    desk.get_by_role("button", name="Opret bruger").click()
    # Too short: said at the field, and what was typed is still there.
    expect(desk.get_by_text("Adgangskoden skal have mellem 10 og 200 tegn.")).to_be_visible()
    expect(desk.get_by_label("Navn", exact=True)).to_have_value("Bo Berg")
    desk.get_by_label("Adgangskode").fill("en-lang-kode-1")
    desk.get_by_role("button", name="Opret bruger").click()
    expect(desk.get_by_text("Bo Berg er oprettet.")).to_be_visible()
    settle(desk)
    assert axe_violations(desk) == []

    other = browser.new_page()
    try:
        _log_in(other, live_server, "bo", "en-lang-kode-1")
        expect(other.get_by_role("heading", name="Sager i Team Nord")).to_be_visible()
    finally:
        other.close()


def test_a_leaver_cases_go_to_a_colleague_in_one_step(app, live_server, desk, make):
    team = make.team()
    anne = make.user("anne", team=team)
    bo = make.user("bo", team=team, name="Bo Berg")
    cases = [make.emma(anne).case, make.emma(anne).case]
    make.user("root", role="admin", name="Rita Root")
    _log_in(desk, live_server, "root", PASSWORD)
    desk.goto(f"{live_server}/admin/users")
    desk.get_by_role("link", name="Anne Rådgiver").click()
    expect(desk.get_by_text("2 sager har Anne Rådgiver som rådgiver.")).to_be_visible()
    desk.get_by_label("Kollega, der overtager sagerne").select_option(label="Bo Berg (bo)")
    desk.get_by_role("button", name="Giv sagerne videre").click()
    expect(desk.get_by_text("2 sager er givet videre.")).to_be_visible()
    expect(desk.get_by_text("Ingen sager.")).to_be_visible()
    desk.get_by_role("button", name="Luk kontoen").click()
    desk.get_by_role("button", name="Ja, luk kontoen").click()
    expect(desk.get_by_text("Kontoen er lukket: medarbejderen kan ikke logge ind.")).to_be_visible()
    with app.app_context():
        assert set(db.session.scalars(select(Case.caseworker_id).where(Case.id.in_(cases)))) == {bo}
        assert not db.session.get(User, anne).active


def test_an_absent_case_worker_gets_a_stand_in_from_another_team_who_then_sees_the_case(
        app, live_server, desk, browser, make):
    """Issue 13: a stand-in for a period; the stand-in finds the case marked on their list and opens it;
    ended early, the access is gone."""
    from datetime import date, timedelta

    anne = make.user("anne", team=make.team("Team Syd"), name="Anne Andersen")
    case = make.emma(anne).case
    make.user("bo", team=make.team("Team Nord"), name="Bo Berg")
    make.user("root", role="admin", name="Rita Root")
    _log_in(desk, live_server, "root", PASSWORD)
    desk.goto(f"{live_server}/admin/users")
    desk.get_by_role("link", name="Anne Andersen").click()
    desk.get_by_role("link", name="Giv Anne Andersen en stedfortræder under fravær").click()
    expect(desk.get_by_label("Fraværende rådgiver")).to_have_value(str(anne))
    desk.get_by_label("Stedfortræder").select_option(label="Bo Berg (Team Nord)")
    ends = date.today() + timedelta(days=7)
    desk.get_by_label("Første dag").fill((date.today() - timedelta(days=1)).isoformat())
    desk.get_by_label("Sidste dag").fill(ends.isoformat())
    desk.get_by_role("button", name="Giv stedfortræder").click()
    # A first day in the past: said at the field, and what was chosen is still there.
    expect(desk.get_by_text("Perioden kan tidligst begynde i dag.")).to_be_visible()
    expect(desk.get_by_label("Sidste dag")).to_have_value(ends.isoformat())
    desk.get_by_label("Første dag").fill(date.today().isoformat())
    desk.get_by_role("button", name="Giv stedfortræder").click()
    expect(desk.get_by_text("Bo Berg er stedfortræder for Anne Andersen")).to_be_visible()
    settle(desk)
    assert axe_violations(desk) == []

    other = browser.new_page()
    try:
        _log_in(other, live_server, "bo", PASSWORD)
        expect(other.get_by_text(f"Du er stedfortræder for Anne Andersen til {ends.strftime('%d-%m')}")).to_be_visible()
        other.get_by_role("link", name="Emma").click()
        expect(other).to_have_url(f"{live_server}/cases/{case}")
        expect(other.get_by_role("heading", name="Emma", exact=False).first).to_be_visible()

        desk.get_by_role("button", name="Afslut nu").click()
        desk.get_by_role("button", name="Ja, afslut nu").click()
        expect(desk.get_by_text("Bo Berg er ikke længere stedfortræder for Anne Andersen.")).to_be_visible()
        other.reload()
        expect(other.get_by_text("Du har ikke adgang til denne side.")).to_be_visible()
    finally:
        other.close()
