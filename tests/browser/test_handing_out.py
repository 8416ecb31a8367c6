"""Handing out links at the meeting, at the case worker's laptop in Chromium (issue 10, items 7 and 15)."""

from datetime import date
from io import BytesIO
from urllib.parse import urlsplit

import pytest
from flask_login import login_user
from PIL import Image
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from app import tokens
from app.cases import services as cases
from app.cases.models import Case
from app.extensions import db
from app.invitations import services as rounds
from app.invitations.models import Invitation
from app.labels import STATUS_LABELS
from tests.browser.test_reconcile import axe_violations
from tests.browser.test_respondent import open_latest_feedback
from tests.qr import decode_image

pytestmark = pytest.mark.browser

# Issue 10 item 7: the meeting screen on a laptop at 1280×800.
LAPTOP = {"width": 1280, "height": 800}


def six_at_the_table(make, caseworker: int) -> tuple[int, int]:
    """Emma's case with a school added; a follow-up meeting with all six and an open round.

    Returns the case and the round."""
    ids = make.emma(caseworker, open_round=False)
    make.school(ids.case)
    with make.app.test_request_context():
        case = db.session.get(Case, ids.case)
        login_user(case.caseworker)
        meeting = cases.record_meeting(case, "follow_up", date.today(), [p.id for p in case.people])
        choices = {pid: [i.id for i in found] for pid, found in rounds.proposal(meeting).items()}
        round_, _ = rounds.open_round(meeting, case.caseworker, choices)
        db.session.commit()
        assert len(round_.invitations) == 6
        return case.id, round_.id


def show_codes(desk: Page, live_server: str, round_id: int) -> None:
    """Open the round's screen in this browser: it shows the links made elsewhere, kept sealed
    (issue 12 item 6), with no new links made."""
    desk.goto(f"{live_server}/rounds/{round_id}/screen")
    expect(desk.locator(".qr-one")).to_be_visible()


def in_view(locator: Locator) -> bool:
    """Tell whether the element is wholly inside the viewport, unscrolled."""
    box = locator.bounding_box()
    size = locator.page.viewport_size
    assert box is not None and size is not None
    return (box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= size["width"]
            and box["y"] + box["height"] <= size["height"])


def person_of_qr(app, qr: Locator, live_server: str) -> tuple[str, str]:
    """Read the QR code off the screen as a phone would; return the person its link is for, and the token."""
    [url] = decode_image(qr_image(qr))
    assert url.startswith(f"{live_server}/r/"), url
    token = urlsplit(url).path.rsplit("/", 1)[-1]
    with app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == tokens.hash_token(token)))
        assert invitation is not None
        return invitation.person.first_name, token


def qr_image(qr: Locator) -> Image.Image:
    """Return what the screen shows of the element, as an image."""
    return Image.open(BytesIO(qr.screenshot()))


def test_the_meeting_screen_shows_one_person_whole_at_1280x800(app, live_server, desk, staff_page, make, caseworker):
    case_id, round_id = six_at_the_table(make, caseworker)
    desk.set_viewport_size(LAPTOP)
    staff_page(case_id)
    show_codes(desk, live_server, round_id)
    desk.get_by_role("link", name="Næste").click()  # the second person: both next and previous show
    desk.wait_for_url("**/screen?n=1")
    name, qr, code = desk.locator("h1.qr-name"), desk.locator(".qr-one .qr svg"), desk.locator(".qr-code .code")
    previous, following = desk.get_by_role("link", name="Forrige"), desk.get_by_role("link", name="Næste")
    shown = {what: in_view(element) for what, element in
             {"name": name, "qr": qr, "code": code, "previous": previous, "next": following}.items()}
    assert shown == dict.fromkeys(shown, True)
    assert desk.evaluate("() => document.scrollingElement.scrollHeight") <= LAPTOP["height"]
    # The QR code is the named person's own link, and the typed code is the same link's.
    first_name, token = person_of_qr(app, qr, live_server)
    assert name.inner_text() == first_name
    assert code.inner_text() == tokens.typed_code(token)
    assert axe_violations(desk) == []


def test_the_grid_shows_six_people_at_1280x800(app, live_server, desk, staff_page, make, caseworker):
    case_id, round_id = six_at_the_table(make, caseworker)
    desk.set_viewport_size(LAPTOP)
    staff_page(case_id)
    show_codes(desk, live_server, round_id)
    desk.get_by_role("link", name="Vis alle på én gang").click()
    figures = desk.locator(".qr-grid figure")
    expect(figures).to_have_count(6)
    for n in range(6):
        figure = figures.nth(n)
        qr, name = figure.locator(".qr svg"), figure.locator(".qr-name")
        assert in_view(qr) and in_view(name), (n, qr.bounding_box(), name.bounding_box())
        assert person_of_qr(app, qr, live_server)[0] == name.inner_text()
    assert axe_violations(desk) == []


# --- issue 10 item 15: "Tilbagekald" asks once ----------------------------------------------

def test_revoking_a_link_asks_first_and_it_works_until_confirmed(app, live_server, desk, staff_page, phone, make,
                                                                  caseworker):
    with app.test_request_context():
        revoked = str(STATUS_LABELS["revoked"])
    ids = make.emma(caseworker)
    grete_link = f"{live_server}/r/{ids.tokens['network']}"
    case = staff_page(ids.case)

    def grete_row() -> Locator:
        if case.locator("#latest-feedback").count():
            open_latest_feedback(case)  # the round's links are folded on the case page (issue 10 item 13)
        return case.get_by_role("row").filter(has=case.get_by_role("cell", name="Grete", exact=True))

    grete_row().get_by_role("link", name="Tilbagekald").click()
    expect(case.get_by_role("heading", level=1)).to_have_text("Vil du tilbagekalde linket til Grete?")
    assert axe_violations(case) == []
    # Asked, not yet done: the link still opens, and "No" leaves it working.
    response = phone().goto(grete_link)
    assert response is not None and response.status == 200
    case.get_by_role("link", name="Nej, behold linket").click()
    expect(grete_row()).not_to_contain_text(revoked)
    assert phone().goto(grete_link).status == 200

    grete_row().get_by_role("link", name="Tilbagekald").click()
    case.get_by_role("button", name="Ja, tilbagekald linket").click()
    expect(case.get_by_role("status")).to_have_text("Linket til Grete er tilbagekaldt.")
    expect(grete_row()).to_contain_text(revoked)
    assert phone().goto(grete_link).status == 404


def test_closing_an_observation_link_asks_first(live_server, desk, staff_page, phone, make, caseworker):
    ids = make.emma(caseworker, open_round=False)
    _, token = make.observation_link(ids.case, ids.people["network"])
    case = staff_page(ids.case)
    case.locator("#observations summary").click()  # folded on the case page (issue 10 item 13)
    case.locator("#observations").get_by_role("link", name="Luk linket").click()
    expect(case.get_by_role("heading", level=1)).to_have_text("Vil du lukke linket til Grete?")
    assert phone().goto(f"{live_server}/o/{token}").status == 200
    case.get_by_role("button", name="Ja, luk linket").click()
    expect(case.get_by_role("status")).to_have_text("Linket til Grete virker ikke længere.")
    assert phone().goto(f"{live_server}/o/{token}").status == 410
