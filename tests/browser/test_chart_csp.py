"""A chart's inline <style> in Chromium, under Samstem's real CSP: allowed by nonce, and only so."""

import pytest
from playwright.sync_api import ConsoleMessage, Page

from app.extensions import limiter
from tests.test_charts import app_with_chart_pages

pytestmark = pytest.mark.browser

ORIGIN = "http://samstem.test"  # never looked up: every request to it is answered below
LINE_COLOUR = "rgb(31, 78, 121)"  # charts.LINE, set only by the chart's <style>
# Registered before any page script: the events the browser fires for each blocked resource.
RECORD_VIOLATIONS = """
window.violations = [];
document.addEventListener('securitypolicyviolation',
    event => window.violations.push(event.violatedDirective + ' ' + event.blockedURI));
"""
COMPUTED = """() => {
    const threshold = document.querySelector('svg .plot .series.serie-1 path');
    const line = document.querySelector('svg .plot .series.serie-0 path');
    return {dashes: getComputedStyle(threshold).strokeDasharray, colour: getComputedStyle(line).stroke,
            fill: getComputedStyle(line).fill};
}"""


def open_served(desk: Page, path: str) -> tuple[str, list[str]]:
    """Open a page the app renders, with its own headers; return its CSP and the console's CSP errors."""
    app = app_with_chart_pages()
    try:
        response = app.test_client().get(path)
    finally:
        limiter.reset()
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    desk.route(
        f"{ORIGIN}/**",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": response.content_type, "Content-Security-Policy": policy},
            body=response.get_data(),
        ),
    )
    console: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            console.append(message.text)

    desk.on("console", record)
    desk.add_init_script(RECORD_VIOLATIONS)
    desk.goto(f"{ORIGIN}{path}")
    return policy, console


def test_a_chart_with_the_nonce_is_styled_without_a_violation(desk: Page):
    policy, console = open_served(desk, "/test/chart")
    assert "'nonce-" in policy and "unsafe-inline" not in policy
    desk.evaluate("() => new Promise(requestAnimationFrame)")  # let queued violation events fire
    assert desk.evaluate("window.violations") == []
    assert console == []
    computed = desk.evaluate(COMPUTED)
    assert computed["dashes"] not in ("none", "")  # the cut-off is dashed
    assert computed["colour"] == LINE_COLOUR and computed["fill"] == "none"


def test_the_same_chart_without_the_nonce_is_refused(desk: Page):
    policy, _ = open_served(desk, "/test/chart-without-nonce")
    assert "'nonce-" in policy  # the same policy: only the <style> lacks the nonce
    desk.wait_for_function("window.violations.length > 0")
    assert all(violation.startswith("style-src") for violation in desk.evaluate("window.violations"))
    computed = desk.evaluate(COMPUTED)
    assert computed["dashes"] == "none" and computed["colour"] != LINE_COLOUR
