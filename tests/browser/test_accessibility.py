"""Accessibility of the respondent pages on a 360×640 phone: names, targets, errors, axe-core."""

import re
from collections.abc import Iterator
from importlib.resources import files

import axe_playwright_python
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

MIN_TARGET = 44  # CSS px, WCAG 2.5.5
WIDTH = 360
UNKNOWN_TOKEN = "0123456789ABCDEFGHJKMNPQRS"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# What a finger can hit on its own: buttons, button-like links, whole answer labels, the
# lines, the language links, and any link that stands alone rather than inside a sentence.
TARGETS = """() => [...document.querySelectorAll(
        'button, a, label.option, input[type=range], input[type=text], input:not([type]), textarea')]
    .filter(el => el.tagName !== 'A' || el.matches('.button, nav a')
                  || el.parentElement.textContent.trim() === el.textContent.trim())
    .map(el => {
        const box = el.getBoundingClientRect();
        return {what: el.outerHTML.slice(0, 90), width: box.width, height: box.height};
    })"""


def respondent_pages(page: Page, base: str, tokens: dict[str, str]) -> Iterator[str]:
    """Walk a phone through every respondent page and state; yield a label at each stop."""
    child, network = tokens["child"], tokens["network"]
    page.goto(f"{base}/r/{child}")
    yield "intro (child)"
    page.get_by_role("link", name="Start").tap()
    page.wait_for_url("**/form")
    yield "form (child)"
    lines = page.locator("input[type=range]")
    for i in range(1, lines.count()):
        lines.nth(i).scroll_into_view_if_needed()
        lines.nth(i).tap()
    page.locator("button.send").tap()
    expect(page.get_by_role("alert")).to_be_visible()
    yield "form (child) with a missing answer"
    lines.first.tap()
    page.locator("button.send").tap()
    page.wait_for_url("**/thanks")
    yield "thanks"

    page.goto(f"{base}/r/{network}")
    yield "intro (grandmother)"
    page.goto(f"{base}/r/{network}/form")
    yield "form (grandmother)"
    groups = page.locator("fieldset")
    for i in range(1, groups.count()):
        groups.nth(i).locator("label.option").first.tap()
    page.locator("button.send").tap()
    expect(page.get_by_role("alert")).to_be_visible()
    yield "form (grandmother) with a missing answer"

    page.goto(f"{base}/r/{tokens['father']}")
    page.get_by_role("button", name="Jeg vil ikke svare").tap()
    page.wait_for_url("**/thanks")
    yield "thanks (declined)"

    page.goto(f"{base}/r/{UNKNOWN_TOKEN}")
    yield "dead link"
    page.goto(f"{base}/code")
    yield "code"
    page.locator("input[name=code]").fill("ABCD-EFGH")
    page.get_by_role("button", name="Videre").tap()
    expect(page.locator("#code-error")).to_be_visible()
    yield "code, mistyped"


UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), textarea, select')]
    .filter(el => ![...el.labels].some(label => label.textContent.trim()))
    .map(el => el.outerHTML.slice(0, 90))"""


@pytest.fixture
def walk(live_server, phone, make, caseworker) -> tuple[Page, Iterator[str]]:
    """A phone, and a walk through the respondent pages of Emma's case on it."""
    ids = make.emma(caseworker)
    page = phone()
    return page, respondent_pages(page, live_server, ids.tokens)


def check_language_and_names(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page).to_have_title(re.compile(r"\S"))
    # Every field has a <label> with words, so tapping the words reaches the field too.
    assert page.evaluate(UNLABELLED) == []
    # And Chromium computes a name from it: asked for one field of each kind.
    for kind in ["input[type=range]", "input.vas-number", "input[type=radio]", "textarea", "input[name=code]"]:
        fields = page.locator(kind)
        if fields.count():
            expect(fields.first).to_have_accessible_name(re.compile(r"\w"))


def check_targets_and_width(page: Page) -> None:
    assert page.evaluate("document.scrollingElement.scrollWidth") <= WIDTH, "the page scrolls sideways"
    targets = page.evaluate(TARGETS)
    assert targets
    small = [(t["what"], round(t["width"], 1), round(t["height"], 1))
             for t in targets if t["width"] < MIN_TARGET or t["height"] < MIN_TARGET]
    assert small == []


def check_errors(page: Page) -> int:
    """Every error is the description of its own field; return how many errors there were."""
    errors = page.locator(".error").all()
    for error in errors:
        error_id = error.get_attribute("id")
        assert error_id, "an error without an id cannot be referred to"
        # The field in the same question refers to it, so a screen reader reads both.
        field = page.locator(
            f'.q:has([id="{error_id}"]) :is(input, textarea, fieldset)[aria-describedby~="{error_id}"]'
        )
        expect(field).to_have_count(1)
        # The error is read first; a line's field goes on to name the line's ends (issue 11, item 9).
        expect(field).to_have_accessible_description(re.compile("^" + re.escape(error.inner_text())))
    for invalid in page.locator("[aria-invalid=true]").all():
        described = (invalid.get_attribute("aria-describedby") or "").split()
        assert described and all(page.locator(f'[id="{d}"]').count() == 1 for d in described)
    return len(errors)


def check_axe(page: Page) -> None:
    axe = files(axe_playwright_python) / "axe.min.js"
    # Evaluated through the DevTools protocol: no request, and the page's CSP stays as it is.
    page.evaluate(axe.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    assert result["passes"], "axe-core checked nothing"
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert not violations


def test_respondent_pages_are_accessible(walk, subtests):
    page, stops = walk
    errors = 0
    for stop in stops:
        with subtests.test("lang and a name for every field", page=stop):
            check_language_and_names(page)
        with subtests.test("44 px targets, no sideways scrolling", page=stop):
            check_targets_and_width(page)
        with subtests.test("errors described by their fields", page=stop):
            errors += check_errors(page)
        with subtests.test("axe-core: WCAG 2.2 A and AA", page=stop):
            check_axe(page)
    assert errors == 3  # the child's line, the grandmother's question, the typed code



def accessibility_tree(page: Page) -> list[dict]:
    """Return Chromium's accessibility tree (the DevTools protocol's view of it) as plain nodes."""
    session = page.context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    return [{key: (node.get(key) or {}).get("value", "") for key in ("role", "name", "description")}
            | {prop["name"]: prop["value"].get("value") for prop in node.get("properties", [])}
            | {"ignored": node.get("ignored", False)} for node in nodes]


def spoken(page: Page, role: str, name: str) -> dict:
    """Return the one node of a role and name that a screen reader meets."""
    [node] = [n for n in accessibility_tree(page) if n["role"] == role and n["name"] == name and not n["ignored"]]
    return node


# The children's shared pair of ends (issue 11 item 11).
QUESTION, ENDS = "Hvordan har jeg det med mig selv?", "0 er rigtig skidt, 10 er rigtig godt"


def test_the_line_announces_its_value_with_a_comma(live_server, phone, make, caseworker):
    """Issue 11, item 9: the faces and the ends under the line are hidden from a screen reader,
    so the line says its value, with the Danish decimal comma, and its ends in words."""
    token = make.emma(caseworker).tokens["child"]
    page = phone()
    page.goto(f"{live_server}/r/{token}/form")
    slider = page.get_by_role("slider", name=QUESTION)
    # Untouched: the ends only, no value in the middle that nobody chose.
    expect(slider).to_have_attribute("aria-valuetext", ENDS)
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(slider).to_have_attribute("aria-valuetext", f"5,1 – {ENDS}")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    expect(slider).to_have_attribute("aria-valuetext", f"5,5 – {ENDS}")
    expect(page.get_by_role("textbox", name=QUESTION)).to_have_value("5,5")
    # Typing into the number moves the dot, and the line says so.
    page.get_by_role("textbox", name=QUESTION).fill("7,5")
    expect(slider).to_have_attribute("aria-valuetext", f"7,5 – {ENDS}")
    # In the tree a screen reader reads: the line, named by its question, from 0 to 10; the
    # number field described by the ends; the words under the line and the faces not at all.
    line = spoken(page, "slider", QUESTION)
    assert (line["valuemin"], line["valuemax"]) == (0, 10)
    assert spoken(page, "textbox", QUESTION)["description"] == ENDS
    shown = [n for n in accessibility_tree(page) if not n["ignored"] and n["name"].strip() in ("Rigtig skidt", "Rigtig godt")]
    assert shown == []
    assert page.locator("svg.face:not([aria-hidden=true])").count() == 0


def test_without_javascript_the_number_field_names_the_ends(live_server, phone, make, caseworker):
    """Issue 11, item 9: without the line, the number field is described by the ends in words."""
    token = make.emma(caseworker).tokens["child"]
    page = phone(java_script_enabled=False)
    page.goto(f"{live_server}/r/{token}/form")
    assert spoken(page, "textbox", QUESTION)["description"] == ENDS
    assert [n for n in accessibility_tree(page) if not n["ignored"] and n["name"].strip() in ("Rigtig skidt", "Rigtig godt")] == []
