"""A child's path (issue 18 item 5): from the QR link through both FIT forms on a phone, taps only.

At 360×640, with a finger: open the link, tap Start, tap each line once, tap Send. At most 12
taps, no page wider than the screen or zoomed, every target at least 44 px, and axe-core finds
nothing on any page of the path, in every language a respondent can choose.
"""

import pytest
from playwright.sync_api import Page, expect

from app.cases.models import Person
from app.config import Config
from app.extensions import db
from tests.browser.test_accessibility import MIN_TARGET, TARGETS, WIDTH, check_axe
from tests.browser.test_respondent import line, stored_answers, vas_names

pytestmark = pytest.mark.browser

LANGUAGES = getattr(Config, "RESPONDENT_LANGUAGES", Config.LANGUAGES)
MOST_TAPS = 12
RIGHT_TO_LEFT = {"ar"}


class Finger:
    """Taps, counted: nothing else touches the page (no typing, no keyboard, no zoom)."""

    def __init__(self, page: Page) -> None:
        self.page, self.taps = page, 0

    def tap(self, locator, **position) -> None:
        locator.scroll_into_view_if_needed()
        locator.tap(**position)
        self.taps += 1

    def tap_line(self, name: str) -> None:
        target = line(self.page, name)
        target.scroll_into_view_if_needed()
        box = target.bounding_box()
        self.tap(target, position={"x": box["width"] * 0.7, "y": box["height"] / 2})


def check_page(page: Page, lang: str) -> None:
    """What every page of the path keeps: its language and direction, the screen's width at
    scale 1, fingers' targets, and no violation axe-core knows of."""
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang in RIGHT_TO_LEFT else "ltr")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= WIDTH, "the page scrolls sideways"
    assert page.evaluate("window.visualViewport.scale") == 1
    small = [(t["what"], round(t["width"]), round(t["height"])) for t in page.evaluate(TARGETS)
             if t["width"] < MIN_TARGET or t["height"] < MIN_TARGET]
    assert small == []
    check_axe(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_child_answers_both_forms_in_at_most_12_taps(app, live_server, phone, make, caseworker, lang):
    ids = make.emma(caseworker)
    with app.app_context():
        # The case worker noted the child's language; the link opens in it.
        db.session.get(Person, ids.people["child"]).language = lang
        db.session.commit()
    page = phone(locale=lang)
    finger = Finger(page)
    token = ids.tokens["child"]
    page.goto(f"{live_server}/r/{token}")  # the QR code opens the link: no tap on the page
    check_page(page, lang)
    finger.tap(page.locator("a.button").first)
    page.wait_for_url(f"**/r/{token}/form")
    check_page(page, lang)
    names = vas_names(page)
    assert {name.split(".")[0] for name in names} == {"fit-outcome-child", "fit-session-child"}
    for name in names:
        finger.tap_line(name)
    finger.tap(page.locator("button.send"))
    page.wait_for_url(f"**/r/{token}/thanks")
    check_page(page, lang)
    assert finger.taps <= MOST_TAPS, finger.taps
    stored = stored_answers(app, ids.invitations["child"])
    assert set(stored) == {"fit-outcome-child", "fit-session-child"}
    assert {language for _, _, language in stored.values()} == {lang}
