"""Emma's demo case page at a laptop (issue 10, item 13): what waits for the case worker comes first,
then meetings and goals; the long sections (answers, charts, history) are folded shut, so the page
is at most three screens high at 1280×800, and a fold opens without JavaScript to show its charts."""

import pytest
from playwright.sync_api import Browser, Page, expect

from app.cases.models import Case
from app.demo import create_demo
from app.extensions import db
from tests.browser.test_chart_csp import LINE_COLOUR
from tests.browser.test_reconcile import axe_violations, settle, watch_for_page_errors

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}


def _demo_case_page(app, live_server: str, browser: Browser, java_script_enabled: bool = True) -> Page:
    with app.test_request_context(base_url=live_server):
        create_demo()
        case_id = db.session.scalar(db.select(Case.id).where(Case.external_ref == "DEMO-1"))
    context = browser.new_context(viewport=LAPTOP, locale="da-DK", java_script_enabled=java_script_enabled)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.locator("input[name=username]").fill("demo")
    page.locator("input[name=password]").fill("demo")
    page.get_by_role("button", name="Log ind").click()
    expect(page).not_to_have_url(f"{live_server}/login")
    response = page.goto(f"{live_server}/cases/{case_id}")
    assert response is not None and response.status == 200
    return page


def test_the_demo_case_page_is_at_most_three_screens_high_and_starts_with_what_waits(app, live_server, browser):
    page = _demo_case_page(app, live_server, browser)
    try:
        problems = watch_for_page_errors(page)
        page.reload()
        assert page.evaluate("document.documentElement.scrollHeight") <= 3 * LAPTOP["height"]
        headings = page.locator("main section h2").all_inner_texts()
        # What waits first; then the case's background (issue 14 item 1), one line, before the meetings.
        assert headings[:4] == ["Venter på dig", "Sagens baggrund", "Møder", "Før de planlagte møder"]
        assert headings.index("Mål i barnets plan") == 4
        waiting = page.locator("main section").first
        expect(waiting).to_have_id("waiting")
        # Today's round waits for a decision: it is named, with the way to it.
        expect(waiting.locator("li").filter(has_text="Netværksmøde")).to_contain_text("af 5 har svaret")
        expect(waiting.get_by_role("link", name="Tag stilling").first).to_be_visible()
        # Every chart is folded away until asked for.
        expect(page.locator("#indicators figure.trend").first).to_be_hidden()
        settle(page)
        assert axe_violations(page) == []
        assert problems == []
    finally:
        page.context.close()


@pytest.mark.parametrize("java_script_enabled", [True, False], ids=["js", "no-js"])
def test_opening_the_fold_shows_the_charts(app, live_server, browser, java_script_enabled):
    page = _demo_case_page(app, live_server, browser, java_script_enabled)
    try:
        charts = page.locator("#indicators figure.trend svg")
        assert charts.count() >= 2
        expect(charts.first).to_be_hidden()
        page.locator("#indicators summary").click()
        expect(charts.first).to_be_visible()
        assert charts.first.bounding_box()["height"] > 100  # drawn, not an empty box
        expect(page.locator("#indicators table.indicator-summary")).to_be_visible()
        # Styled by its own <style> under the page's CSP, as outside a fold (tests/browser/test_chart_csp.py).
        line = page.locator("#indicators svg .plot .series.serie-0 path").first
        assert line.evaluate("path => getComputedStyle(path).stroke") == LINE_COLOUR
        # The other folds stay shut.
        expect(page.locator("#latest-feedback table.status")).to_be_hidden()
    finally:
        page.context.close()
