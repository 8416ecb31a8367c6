"""On a phone: the standing observation page (DESIGN.md D) and the well-being ruler
(INSTRUMENTS.md §6), with and without JavaScript, checked by axe-core."""

import re

import pytest
from flask_login import login_user
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.cases.models import Meeting
from app.extensions import db
from app.invitations import services as rounds
from app.invitations.models import Response
from app.observations.models import Observation
from tests.browser.test_accessibility import (
    check_axe,
    check_errors,
    check_language_and_names,
    check_targets_and_width,
)

pytestmark = pytest.mark.browser


_NO_SCRIPT: set[int] = set()


def _scripts_on(page: Page) -> bool:
    return id(page.context) not in _NO_SCRIPT


def phone_page(phone, java_script: bool) -> Page:
    page = phone(java_script_enabled=java_script)
    if not java_script:
        _NO_SCRIPT.add(id(page.context))
    return page


def check_page(page: Page) -> None:
    """Names, 44 px targets, errors tied to their fields, axe-core; these read the page through
    JavaScript, so a phone without it is checked for what it shows only."""
    if not _scripts_on(page):
        return
    check_language_and_names(page)
    check_targets_and_width(page)
    check_errors(page)
    check_axe(page)


@pytest.mark.parametrize("java_script", [True, False], ids=["js", "no-js"])
def test_a_grandmother_reports_an_observation_on_her_phone(app, live_server, phone, make, caseworker, java_script):
    ids = make.emma(caseworker, open_round=False)
    make.goal(ids.case, "Emma kommer i skole hver dag.")
    _, token = make.observation_link(ids.case, ids.people["network"])
    page = phone_page(phone, java_script)
    response = page.goto(f"{live_server}/o/{token}")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Fortæl, hvad du har set")
    expect(page.locator("main")).to_contain_text("Emma")
    expect(page.locator("main")).not_to_contain_text("Sag-Ø-17")
    # The link never expires: a goal shows by its life domain, never its wording (issue 10, item 14).
    expect(page.locator("main")).not_to_contain_text("Emma kommer i skole")
    check_page(page)

    # Only the text: the kind is missing, and what was typed stays.
    page.get_by_label("Hvad så du?").fill("Emma cyklede selv i skole.")
    page.get_by_role("button", name="Send").tap()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Hvad så du?")).to_have_value("Emma cyklede selv i skole.")
    check_page(page)

    page.get_by_text("Godt", exact=True).tap()
    page.get_by_text("Skole, uddannelse og beskæftigelse", exact=True).tap()
    page.get_by_role("button", name="Send").tap()
    page.wait_for_url(f"**/o/{token}/thanks")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tak, fordi du fortalte det!")
    check_page(page)
    with app.app_context():
        [stored] = db.session.scalars(select(Observation)).all()
        assert (stored.kind, stored.text, stored.goal_version) == ("positive", "Emma cyklede selv i skole.", 1)
        assert stored.goal is not None and stored.goal.current.text == "Emma kommer i skole hver dag."

    # She can tell about something else later with the same link.
    page.get_by_role("link", name="Fortæl om noget andet").tap()
    page.wait_for_url(f"**/o/{token}")
    expect(page.get_by_label("Hvad så du?")).to_have_value("")


def test_a_closed_link_says_so_kindly(app, live_server, phone, make, caseworker):
    ids = make.emma(caseworker, open_round=False)
    link_id, token = make.observation_link(ids.case, ids.people["network"])
    make.observation_link(ids.case, ids.people["network"])  # a new link closes the old one
    page = phone()
    response = page.goto(f"{live_server}/o/{token}")
    assert response is not None and response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text("Linket er lukket")
    check_page(page)
    response = page.goto(f"{live_server}/o/0123456789ABCDEFGHJKMNPQRS")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Linket virker ikke")


def _ruler_round(app, make, caseworker) -> dict[str, str]:
    """Emma's follow-up meeting with the ruler chosen for the child and the mother."""
    ids = make.emma(caseworker, kind="follow_up", open_round=False)
    with app.test_request_context():
        meeting = db.session.get(Meeting, ids.meeting)
        login_user(meeting.case.caseworker)
        choices = {p.id: (["wellbeing-ruler"] if p.role in ("child", "mother") else []) for p in meeting.participants}
        round_, issued = rounds.open_round(meeting, meeting.case.caseworker, {k: v for k, v in choices.items() if v})
        db.session.commit()
        return {i.person.role: issued[i.id] for i in round_.invitations}


@pytest.mark.parametrize("java_script", [True, False], ids=["js", "no-js"])
def test_the_ruler_shows_its_bands_in_colour_and_in_words(app, live_server, phone, make, caseworker, java_script):
    tokens = _ruler_round(app, make, caseworker)
    page = phone_page(phone, java_script)
    page.goto(f"{live_server}/r/{tokens['child']}/form")
    expect(page.get_by_role("heading", level=1)).to_have_text("Trivselslinealen")
    bands = page.locator("ul.bands li")
    expect(bands).to_have_text(["0–3 Rød: det er svært", "4–6 Gul: midt imellem", "7–10 Grøn: det går godt"])
    widths = [bands.nth(i).bounding_box()["width"] for i in range(3)]
    assert widths[0] > widths[1] < widths[2]  # 4, 3 and 4 whole numbers of the line
    if java_script:
        colours = bands.evaluate_all("items => items.map(i => getComputedStyle(i).borderTopColor)")
        assert len(set(colours)) == 3  # three different colours
    # The number field is what is sent; JavaScript adds the line to tap. Both say what they ask.
    field = page.locator('input[name="wellbeing-ruler.number"]')
    line = page.locator("input[type=range]")
    expect(line).to_have_count(1 if java_script else 0)
    for control in [field, line] if java_script else [field]:
        expect(control).to_have_accessible_name("Hvor godt har du det lige nu?")
        expect(control).to_have_accessible_description(re.compile("Rød: det er svært.*Grøn: det går godt"))
    expect(field).to_have_value("")  # nothing chosen before she chooses (issue 10, item 1)
    check_page(page)

    if java_script:
        box = line.bounding_box()
        line.tap(position={"x": box["width"] * 0.8, "y": box["height"] / 2})
    else:
        field.fill("8")
    page.get_by_label("Hvorfor valgte du det tal?").fill("Jeg har fået en ven.")
    page.get_by_role("button", name="Send mine svar").tap()
    page.wait_for_url("**/thanks")
    with app.app_context():
        [response] = db.session.scalars(select(Response)).all()
        assert response.instrument_id == "wellbeing-ruler" and 7 <= response.answers["number"] <= 9
        assert response.answers["why"] == "Jeg har fået en ven."

    # The mother reads the same ruler about the child.
    page.goto(f"{live_server}/r/{tokens['mother']}/form")
    expect(page.get_by_role("textbox", name="Hvor godt har barnet det lige nu?")).to_be_visible()
    if java_script:
        expect(page.locator("input[type=range]")).to_have_accessible_name("Hvor godt har barnet det lige nu?")
    check_page(page)
