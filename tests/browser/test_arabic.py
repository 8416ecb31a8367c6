"""Every respondent page in Arabic on a 360×640 phone: right to left, mirrored, nothing wider
than the screen (issue 18 item 1). A screenshot of each is kept in the test's tmp_path.

The pages are chosen with the language picker's ?lang=ar on each link's first page; every later
page of the link is Arabic because the link remembers the choice.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import UNKNOWN_TOKEN, WIDTH

pytestmark = pytest.mark.browser

# Elements wider than the screen or reaching past either edge (a 1 px slack for rounding);
# the visually hidden texts are clipped to 1 px and left out.
OVERFLOWING = """() => [...document.body.querySelectorAll('*')]
    .filter(el => !el.closest('.visually-hidden'))
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([el, box]) => box.width > 0 && (box.left < -1 || box.right > innerWidth + 1))
    .map(([el, box]) => `${el.outerHTML.slice(0, 80)} ${Math.round(box.left)}..${Math.round(box.right)}`)"""


def arabic_pages(page: Page, base: str, tokens: dict[str, str], status: str, indicators: str,
                 observe: str) -> Iterator[str]:
    """Walk a phone through the respondent pages in Arabic; yield a label at each stop."""
    child, network = tokens["child"], tokens["network"]
    page.goto(f"{base}/r/{child}?lang=ar")
    yield "intro (child)"
    page.locator("a.button").first.tap()
    page.wait_for_url("**/form")
    yield "form (child)"
    page.locator("button.send").tap()
    expect(page.locator(".error-summary")).to_be_visible()
    yield "form (child) with missing answers"
    for line in page.locator("input[type=range]").all():
        line.scroll_into_view_if_needed()
        line.tap()
    page.locator("button.send").tap()
    page.wait_for_url("**/thanks")
    yield "thanks"
    page.goto(f"{base}/r/{network}?lang=ar")
    page.goto(f"{base}/r/{network}/form")
    yield "form (grandmother)"
    page.goto(f"{base}/r/{tokens['father']}?lang=ar")
    page.locator("form.decline button").tap()
    page.wait_for_url("**/thanks")
    yield "thanks (declined)"
    page.goto(f"{base}/r/{status}?lang=ar")
    yield "intro (provider's status)"
    page.goto(f"{base}/r/{status}/form")
    yield "status form"
    page.goto(f"{base}/r/{indicators}?lang=ar")
    page.goto(f"{base}/r/{indicators}/form")
    yield "indicator form"
    page.goto(f"{base}/o/{observe}?lang=ar")
    yield "observation"
    page.goto(f"{base}/r/{UNKNOWN_TOKEN}?lang=ar")
    yield "dead link"
    page.goto(f"{base}/code?lang=ar")
    yield "code"
    page.goto(f"{base}/privatliv?lang=ar")
    yield "privacy"
    page.goto(f"{base}/tilgaengelighed?lang=ar")
    yield "accessibility"


@pytest.fixture
def links(make, caseworker) -> dict:
    ids = make.emma(caseworker)
    make.goal(ids.case)
    _, status_tokens, _ = make.status_request(ids)
    scored = make.indicator_case(caseworker, scorers=["caseworker", "provider", "parents"])
    make.indicator_round(scored)
    _, observe = make.observation_link(ids.case, ids.people["network"])
    return {"tokens": ids.tokens, "status": status_tokens["provider"], "indicators": scored.tokens["mother"],
            "observe": observe}


def test_every_respondent_page_reads_right_to_left_in_arabic(live_server, phone, links, tmp_path, subtests):
    page = phone(locale="ar")
    stops = 0
    for stop in arabic_pages(page, live_server, **links):
        stops += 1
        page.screenshot(path=tmp_path / f"{stops:02d}.png", full_page=True)
        with subtests.test("Arabic, right to left", page=stop):
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
            expect(page.locator("html")).to_have_attribute("lang", "ar")
            assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        with subtests.test("nothing wider than the phone", page=stop):
            assert page.evaluate("document.scrollingElement.scrollWidth") <= WIDTH, "the page scrolls sideways"
            assert page.evaluate(OVERFLOWING) == []
        with subtests.test("the heading starts at the right", page=stop):
            box = page.locator("h1").first.evaluate(
                "h => { const r = document.createRange(); r.selectNodeContents(h); const b = r.getBoundingClientRect();"
                " return {left: b.left, right: b.right, width: innerWidth}; }")
            assert box["width"] - box["right"] < box["left"], box
    assert stops == 14


def test_the_line_and_the_faces_mirror(live_server, phone, links):
    """Right to left, 0 (and the sad face) is at the right end and 10 at the left, as the reader
    reads it; a tap at the right end of the line answers a low number."""
    page = phone(locale="ar")
    page.goto(f"{live_server}/r/{links['tokens']['child']}?lang=ar")
    page.goto(f"{live_server}/r/{links['tokens']['child']}/form")
    row = page.locator(".vas-row").first
    sad, happy = row.locator("svg.face.mood0"), row.locator("svg.face.mood4")
    assert sad.bounding_box()["x"] > happy.bounding_box()["x"]
    low, high = page.locator("[id$='-low']").first, page.locator("[id$='-high']").first
    assert low.bounding_box()["x"] > high.bounding_box()["x"]
    line = page.locator("input[type=range]").first
    box = line.bounding_box()
    line.tap(position={"x": box["width"] - 4, "y": box["height"] / 2})
    assert float(line.input_value()) <= 1
    field = page.locator("input.vas-number").first
    assert float(field.input_value().replace(",", ".")) <= 1
    # The number is written with Western digits and the language's own decimal mark.
    assert field.input_value()[0] in "01"


def test_the_language_links_run_right_to_left(live_server, phone, links):
    page = phone(locale="ar")
    page.goto(f"{live_server}/r/{links['tokens']['mother']}?lang=ar")
    danish, english = page.locator(".languages [lang=da]"), page.locator(".languages [lang=en]")
    assert danish.bounding_box()["x"] > english.bounding_box()["x"]
