"""The provider's status on a phone, in headless Chromium: goal blocks, errors that keep what was typed, a late status."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from app.invitations.models import Round
from tests.browser.test_accessibility import (
    check_axe,
    check_errors,
    check_language_and_names,
    check_targets_and_width,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def asked(app, make, caseworker):
    ids = make.emma(caseworker, open_round=False)
    ids.goal = make.goal(ids.case)
    make.goal(ids.case, "Emma sover i sin egen seng.", domain="family")
    make.school(ids.case)
    round_id, tokens, _ = make.status_request(ids, roles=("provider", "school"))
    return round_id, tokens


def checked(page: Page) -> None:
    check_language_and_names(page)
    check_targets_and_width(page)
    check_axe(page)


def test_provider_writes_a_status_on_a_phone(live_server, phone, asked):
    _, tokens = asked
    token = tokens["provider"]
    page = phone()
    response = page.goto(f"{live_server}/r/{token}")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Status før opfølgningsmødet")
    expect(page.get_by_text("Hvem læser den? Anne Rådgiver")).to_be_visible()
    checked(page)
    page.get_by_role("link", name="Start").tap()
    page.wait_for_url(f"**/r/{token}/form")
    goals = page.locator("section.goal")
    expect(goals).to_have_count(2)
    expect(goals.nth(0).locator(".goal-text")).to_have_text("Emma kommer i skole hver dag.")
    expect(goals.nth(1).locator(".goal-text")).to_have_text("Emma sover i sin egen seng.")
    checked(page)

    # Some answers, but no attainment for goal 2, no rating, and "reviewed" without a date.
    goals.nth(0).get_by_text("I høj grad opfyldt").tap()
    goals.nth(0).get_by_label("Hvad virker?").fill("Morgenruten med mor virker.")
    page.get_by_label("Hvordan trives og udvikler Emma sig, alt i alt?").fill("Emma er gladere end i foråret.")
    page.get_by_text("Ja", exact=True).tap()
    page.get_by_label("Familiens kommentarer").fill("Mor er enig.")
    page.get_by_role("button", name="Send status").tap()
    expect(page.get_by_role("alert")).to_have_text("Der mangler noget. Se de markerede felter.")
    expect(goals.nth(1).locator(".error")).to_have_text("Vælg, hvor langt I er med målet.")
    expect(page.locator("#rating-error")).to_have_text("Vælg et tal fra 0 til 10.")
    expect(page.locator("#reviewed_on-error")).to_have_text("Skriv datoen, hvor I gennemgik statussen med familien.")
    # Everything typed and chosen is still there.
    expect(goals.nth(0).get_by_label("Hvad virker?")).to_have_value("Morgenruten med mor virker.")
    expect(goals.nth(0).get_by_label("I høj grad opfyldt")).to_be_checked()
    expect(page.get_by_label("Hvordan trives og udvikler Emma sig, alt i alt?")).to_have_value("Emma er gladere end i foråret.")
    expect(page.get_by_label("Familiens kommentarer")).to_have_value("Mor er enig.")
    expect(page.get_by_label("Ja", exact=True)).to_be_checked()
    assert check_errors(page) == 3
    checked(page)

    goals.nth(1).get_by_text("I nogen grad opfyldt").tap()
    page.locator("label.option", has_text="7").filter(has=page.locator("input[name=rating]")).tap()
    page.get_by_label("Hvornår gennemgik I den?").fill(date.today().isoformat())
    page.get_by_role("button", name="Send status").tap()
    page.wait_for_url(f"**/r/{token}/thanks")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tak for din status!")
    expect(page.get_by_text("Anne Rådgiver kan nu se den.")).to_be_visible()
    checked(page)


def test_a_late_status_is_received_and_says_so(app, live_server, phone, asked):
    round_id, tokens = asked
    with app.app_context():
        db.session.get(Round, round_id).due_on = date.today() - timedelta(days=2)
        db.session.commit()
    token = tokens["school"]
    # The form needs no script: this phone has none (so no axe-core run here; the test above has it).
    page = phone(java_script_enabled=False)
    page.goto(f"{live_server}/r/{token}/form")
    expect(page.get_by_text("Fristen er overskredet, men du kan stadig sende statussen.")).to_be_visible()
    for goal in page.locator("section.goal").all():
        goal.get_by_text("Ikke relevant").tap()
    page.get_by_label("Hvordan trives og udvikler Emma sig, alt i alt?").fill("Emma deltager mere i timerne.")
    page.locator("label.option", has_text="6").filter(has=page.locator("input[name=rating]")).tap()
    page.get_by_text("Nej", exact=True).tap()
    page.get_by_label("Hvorfor er den ikke gennemgået med familien?").fill("Vi har ikke haft et møde endnu.")
    page.get_by_role("button", name="Send status").tap()
    page.wait_for_url(f"**/r/{token}/thanks")
    expect(page.locator(".late-note")).to_contain_text("Den kom efter fristen")
    expect(page.locator(".late-note")).to_contain_text("men den er modtaget")
