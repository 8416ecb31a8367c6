"""Hand-over mode on one tablet in Chromium (issue 18 item 2): two participants in a row, and after
the first has sent, the back button and a reload show nothing of theirs."""

from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.extensions import db
from app.invitations.models import Response
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.test_reconcile import axe_violations
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

TABLET = {"width": 800, "height": 1280}
NEUTRAL = "Tak — giv enheden tilbage"
CHILD = {"fit-outcome-child.me": "7,5", "fit-outcome-child.family": "6", "fit-outcome-child.school": "8,2",
         "fit-outcome-child.everything": "7", "fit-session-child.listened": "9", "fit-session-child.mattered": "9,5",
         "fit-session-child.liked": "10", "fit-session-child.overall": "9"}
MOTHER = {"fit-outcome-child.me": "3", "fit-outcome-child.family": "4", "fit-outcome-child.school": "2,5",
          "fit-outcome-child.everything": "3", "fit-session.heard": "8", "fit-session.topics": "8",
          "fit-session.approach": "8", "fit-session.overall": "8"}


@pytest.fixture
def tablet(browser: Browser, live_server: str, caseworker: int):
    """The case worker's tablet, logged in."""
    context = browser.new_context(viewport=TABLET, has_touch=True, locale="da-DK")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.locator("input[name=username]").fill("anne")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page).not_to_have_url(f"{live_server}/login")
    yield page
    context.close()


def answer(page: Page, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.locator(f'input[name="{name}"]').fill(value)
    page.get_by_role("button", name="Send mine svar").click()
    page.wait_for_url("**/handover/tak")  # static/respond.js sends it and shows the reply
    expect(page.get_by_role("heading", level=1)).to_have_text(NEUTRAL)


def shows_nothing_of(page: Page, values: dict[str, str]) -> None:
    """The page is the neutral screen, with no form and none of the values typed."""
    expect(page.get_by_role("heading", level=1)).to_have_text(NEUTRAL)
    assert page.locator("input.vas-number").count() == 0
    text = page.content()
    assert not any(f'value="{value}"' in text for value in values.values())


def unlock_and_pick(page: Page, name: str) -> None:
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Lås op").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hvem skal svare nu?")
    page.get_by_role("button", name=name).click()
    page.wait_for_url("**/handover/form*")


def test_two_people_in_a_row_on_one_tablet(app, live_server, tablet, make, caseworker):
    ids = make.emma(caseworker)
    tablet.goto(f"{live_server}/rounds/{ids.round}/screen")
    tablet.get_by_role("button", name="Svar på denne enhed").click()
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Hvem skal svare nu?")
    assert axe_violations(tablet) == []
    tablet.get_by_role("button", name="Emma").click()
    tablet.wait_for_url("**/handover/form*")
    assert tablet.locator("nav.staff, a[href^='/cases']").count() == 0  # no staff navigation
    assert axe_violations(tablet) == []
    answer(tablet, CHILD)
    assert axe_violations(tablet) == []

    # The next person presses back, reloads, walks the history: nothing of Emma's.
    tablet.go_back()
    shows_nothing_of(tablet, CHILD)
    tablet.reload()
    shows_nothing_of(tablet, CHILD)
    tablet.go_back()
    shows_nothing_of(tablet, CHILD)
    tablet.goto(f"{live_server}/cases/{ids.case}")
    shows_nothing_of(tablet, CHILD)

    unlock_and_pick(tablet, "Mette")
    fields = tablet.locator("input.vas-number")
    assert fields.count() == 8 and all(fields.nth(n).input_value() == "" for n in range(8))
    answer(tablet, MOTHER)
    tablet.go_back()
    shows_nothing_of(tablet, MOTHER)
    tablet.reload()
    shows_nothing_of(tablet, MOTHER)

    with app.app_context():
        stored = db.session.execute(select(Response.invitation_id, Response.answered_with)
                                    .where(Response.superseded_at.is_(None))).all()
    assert sorted(stored) == sorted([(ids.invitations["child"], "help")] * 2
                                    + [(ids.invitations["mother"], "help")] * 2)


def test_a_paper_form_is_typed_in_with_the_papers_date(app, live_server, tablet, make, caseworker):
    ids = make.emma(caseworker)
    tablet.goto(f"{live_server}/rounds/{ids.round}")
    tablet.get_by_role("button", name="Indtast svar fra papir").click()
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Hvem skal indtastes fra papir?")
    tablet.get_by_role("button", name="Mette").click()
    tablet.wait_for_url("**/handover/form*")
    assert axe_violations(tablet) == []
    tablet.get_by_label("Datoen på papiret").fill(date.today().isoformat())
    for name, value in MOTHER.items():
        tablet.locator(f'input[name="{name}"]').fill(value)
    tablet.get_by_role("button", name="Gem svarene fra papiret").click()
    tablet.wait_for_url("**/handover")
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Hvem skal indtastes fra papir?")
    with app.app_context():
        stored = db.session.execute(select(Response.answered_with, Response.paper_dated)
                                    .where(Response.invitation_id == ids.invitations["mother"])).all()
    assert stored == [("paper", date.today())] * 2


def test_an_answer_kept_unsent_on_the_tablet_never_reaches_the_next_person(app, live_server, tablet, make, caseworker):
    """Issue 18 items 2 and 3 together: static/respond.js keeps an unsent answer in sessionStorage,
    which outlives one person's turn on a shared tablet."""
    ids = make.emma(caseworker)
    tablet.goto(f"{live_server}/rounds/{ids.round}/screen")
    tablet.get_by_role("button", name="Svar på denne enhed").click()
    tablet.get_by_role("button", name="Emma").click()
    tablet.wait_for_url("**/handover/form*")
    for name, value in CHILD.items():
        tablet.locator(f'input[name="{name}"]').fill(value)
    emmas_form = tablet.evaluate("() => document.querySelector('form.answers').action")
    tablet.context.set_offline(True)
    tablet.get_by_role("button", name="Send mine svar").click()
    expect(tablet.locator("#unsent")).to_be_visible()
    tablet.context.set_offline(False)  # sent when the connection returns, once
    tablet.wait_for_url("**/handover/tak")
    expect(tablet.get_by_role("heading", level=1)).to_have_text(NEUTRAL)
    assert tablet.evaluate("() => sessionStorage.getItem('samstem-unsent')") is None
    tablet.locator("input[name=password]").fill(PASSWORD)
    tablet.get_by_role("button", name="Lås op").click()
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Hvem skal svare nu?")

    # Had Emma's answer stayed unsent: the pick page forgets it, and the next form never takes it.
    unsent = {"action": emmas_form, "pairs": [[name, value] for name, value in CHILD.items()]}
    keep = "unsent => sessionStorage.setItem('samstem-unsent', JSON.stringify(unsent))"
    tablet.evaluate(keep, unsent)
    tablet.reload()
    assert tablet.evaluate("() => sessionStorage.getItem('samstem-unsent')") is None
    tablet.evaluate(keep, {**unsent, "action": f"{live_server}/handover/form"})
    tablet.get_by_role("button", name="Mette").click()
    tablet.wait_for_url("**/handover/form*")
    fields = tablet.locator("input.vas-number")
    assert fields.count() == 8 and all(fields.nth(n).input_value() == "" for n in range(8))
    with app.app_context():
        stored = db.session.execute(select(Response.answered_with).where(
            Response.invitation_id == ids.invitations["child"])).all()
    assert stored == [("help",)] * 2
