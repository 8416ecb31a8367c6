"""Every staff page issue 4 added, on Emma's demo case in Chromium: it loads with no script
error or CSP violation, and axe-core (WCAG 2.2 AA) finds nothing, also with a form's errors showing."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from app.auth.models import User
from app.cases.models import Case
from app.demo import create_demo
from app.extensions import db
from app.invitations.models import Round
from tests.browser.test_reconcile import axe_violations, settle, watch_for_page_errors
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _log_in(page: Page, live_server: str, username: str, password: str) -> None:
    page.goto(f"{live_server}/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Log ind").click()
    expect(page).not_to_have_url(f"{live_server}/login")


def _demo_pages(app, live_server: str) -> dict[str, str]:
    """Create the demo; return the issue 4 staff pages of Emma's case by name."""
    with app.test_request_context(base_url=live_server):
        create_demo()
        case = db.session.scalar(db.select(Case))
        rounds = {r.kind: r for r in db.session.scalars(db.select(Round).order_by(Round.id))}
        today = date.today()
        held = {m.kind: m for m in sorted(case.meetings, key=lambda m: m.held_on) if m.held_on <= today}
        planned = next(m for m in case.meetings if m.held_on > today)
        follow_up = held["follow_up"]
        father = next(p for p in case.people if p.role == "father")
        db.session.expunge_all()
    return {
        "due list": "/due",
        "case page": f"/cases/{case.id}",
        "everything new": f"/cases/{case.id}/reconcile",
        "status request": f"/cases/{case.id}/status/new",
        "status round": f"/rounds/{rounds['status'].id}",
        "wishes": f"/meetings/{planned.id}/wishes",
        "ask for wishes": f"/meetings/{planned.id}/wishes/new",
        "indicator settings": f"/cases/{case.id}/indicators",
        "indicator matrix": f"/rounds/{rounds['indicators'].id}/indicators",
        "start indicators": f"/meetings/{held['network_meeting'].id}/indicators",
        "registrations": f"/meetings/{follow_up.id}/registrations",
        "phone follow-up": f"/meetings/{follow_up.id}/phone-follow-ups/{father.id}",
        "method": f"/meetings/{held['network_meeting'].id}/method",
        "closing the case": f"/cases/{case.id}/close",
        "a person and their data": f"/cases/{case.id}/people/{father.id}",
        "observation link": f"/cases/{case.id}/observation-links/new",
    }


def test_every_new_staff_page_is_accessible_and_error_free(app, live_server, desk):
    pages = _demo_pages(app, live_server)
    problems = watch_for_page_errors(desk)
    _log_in(desk, live_server, "demo", "demo")
    found = {}
    for name, path in pages.items():
        response = desk.goto(live_server + path)
        assert response is not None and response.status == 200, name
        settle(desk)
        found[name] = axe_violations(desk)
    assert found == {name: [] for name in pages}
    assert problems == []


@pytest.mark.parametrize("name, button", [
    ("phone follow-up", "Gem"),
    ("closing the case", "Luk sagen"),
    ("status request", "Send anmodning"),
])
def test_a_staff_form_with_its_errors_showing_is_accessible(app, live_server, desk, name, button):
    path = _demo_pages(app, live_server)[name]
    _log_in(desk, live_server, "demo", "demo")
    desk.goto(live_server + path)
    desk.get_by_role("button", name=button, exact=True).click()
    expect(desk.locator(".error, .errors, [role=alert]").first).to_be_visible()
    settle(desk)
    assert axe_violations(desk) == []


def test_the_procedure_page_is_accessible_to_the_administrator(app, live_server, desk, make):
    make.user("admin", role="admin", name="Ada Admin")
    with app.app_context():
        assert db.session.scalar(db.select(User).where(User.username == "admin")) is not None
    _log_in(desk, live_server, "admin", PASSWORD)
    assert desk.goto(f"{live_server}/admin/indicators").status == 200
    settle(desk)
    assert axe_violations(desk) == []


def test_the_round_page_reloads_itself_until_the_case_worker_pauses_it(app, live_server, desk):
    path = _demo_pages(app, live_server)["status round"]
    _log_in(desk, live_server, "demo", "demo")
    desk.clock.install()
    desk.goto(live_server + path)
    live = desk.locator("#live")
    expect(live).to_contain_text("Siden opdaterer sig selv hvert halve minut.")
    with desk.expect_navigation():
        desk.clock.run_for(31_000)
    desk.get_by_role("button", name="Stop opdateringen").click()
    expect(live).to_contain_text("Siden opdaterer ikke sig selv lige nu.")
    marker = desk.evaluate("() => { window.stillHere = true; return window.stillHere; }")
    desk.clock.run_for(120_000)
    assert marker and desk.evaluate("() => window.stillHere === true")
    # The choice holds after a reload by hand.
    desk.reload()
    expect(live).to_contain_text("Siden opdaterer ikke sig selv lige nu.")
    expect(desk.get_by_role("button", name="Opdatér automatisk igen")).to_be_visible()
