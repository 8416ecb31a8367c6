"""On a phone: where to get help now, the privacy and accessibility pages, and the case worker's
e-mail when an observation arrives (issue 11 items 2 and 3)."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from app.auth.models import User
from app.extensions import db
from tests.browser.test_accessibility import check_axe, check_targets_and_width
from tests.test_outbox import Collector, _free_port, _mail_to, _start, _text

pytestmark = pytest.mark.browser

HELPLINE = ("Har du brug for at tale med nogen? Ring til BørneTelefonen på 116 111. "
            "Det er gratis, og de har åbent hele døgnet.")
DANGER = "Det, du skriver, bliver ikke læst med det samme. Er nogen i fare, så ring 112."
OBSERVATION = "Emma græd, da hun blev hentet."


@pytest.fixture
def mailbox(app):
    """The local SMTP server the outbox tests use, receiving the app's e-mail."""
    collector, port = Collector(), _free_port()
    controller = _start(collector, port)
    _mail_to(app, port)
    yield collector
    controller.stop()


def helpline(page: Page):
    return page.locator("footer .helpline")


def test_every_page_a_child_meets_shows_the_childrens_helpline(live_server, phone, make, caseworker):
    ids = make.emma(caseworker)
    token = ids.tokens["child"]
    page = phone()
    page.goto(f"{live_server}/r/{token}")
    expect(helpline(page)).to_have_text(HELPLINE)
    expect(page.get_by_role("link", name="116 111")).to_have_attribute("href", "tel:116111")
    check_targets_and_width(page)
    page.get_by_role("link", name="Start").tap()
    page.wait_for_url("**/form")
    expect(helpline(page)).to_have_text(HELPLINE)
    for line in page.locator("input[type=range]").all():
        line.scroll_into_view_if_needed()
        line.tap()
    page.get_by_role("button", name="Send mine svar").tap()
    page.wait_for_url("**/thanks")
    expect(helpline(page)).to_have_text(HELPLINE)
    check_axe(page)
    # The mother's pages speak to an adult: no helpline for children there.
    mother = phone()
    mother.goto(f"{live_server}/r/{ids.tokens['mother']}")
    expect(mother.locator("main")).to_contain_text("Rådgiverens team kan også se sagen")
    expect(helpline(mother)).to_have_count(0)


def test_the_observation_page_says_call_112_and_the_case_worker_hears_of_it_by_e_mail(
        app, live_server, phone, make, caseworker, runner, mailbox):
    with app.app_context():
        db.session.get(User, caseworker).email = "anne@samstem.example"
        db.session.commit()
    ids = make.emma(caseworker, open_round=False)
    _, token = make.observation_link(ids.case, ids.people["network"])
    page = phone(java_script_enabled=False)
    page.goto(f"{live_server}/o/{token}")
    expect(page.locator(".urgent")).to_contain_text(DANGER)
    expect(page.locator(".urgent")).to_contain_text("Er du bekymret for et barn? Så kan du lave en underretning til kommunen.")
    expect(page.get_by_role("link", name="112")).to_have_attribute("href", "tel:112")
    for text in (OBSERVATION, "Hun var glad igen om aftenen."):
        page.get_by_role("radio", name="Ikke godt").check()
        page.get_by_role("textbox", name="Hvad så du?").fill(text)
        page.get_by_role("button", name="Send").tap()
        page.wait_for_url("**/thanks")
        page.goto(f"{live_server}/o/{token}")
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0 and "sent 1," in result.output, result.output
    # Two observations within the hour: one e-mail, with a link and nothing about the child.
    [mail] = mailbox.received
    assert mail["Subject"] == "Nyt i Samstem"
    assert _text(mail).strip() == f"Der er kommet noget nyt på en af dine sager i Samstem: http://localhost/cases/{ids.case}"
    assert "Emma" not in mail.as_string() and "græd" not in mail.as_string()


@pytest.mark.parametrize("java_script", [True, False], ids=["js", "no-js"])
def test_the_privacy_and_accessibility_pages_open_from_the_foot_of_a_form(
        live_server, phone, make, caseworker, java_script):
    ids = make.emma(caseworker)
    page = phone(java_script_enabled=java_script)
    page.route("**/*", lambda route: route.continue_())  # no cache: every load is counted
    page.goto(f"{live_server}/r/{ids.tokens['mother']}?lang=en")
    page.get_by_role("link", name="Your information").tap()
    page.wait_for_url("**/privatliv?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text("How we look after your information")
    expect(page.locator("main")).to_contain_text("set SAMSTEM_DPO_CONTACT]")
    if java_script:
        check_targets_and_width(page)
        check_axe(page)
    page.get_by_role("link", name="Accessibility").tap()
    page.wait_for_url("**/tilgaengelighed?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility")
    if java_script:
        check_targets_and_width(page)
        check_axe(page)
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(live_server))
    made = [request.url for request in phone.requests_of(page)]
    assert made and all(url.startswith(origin) for url in made), made
    assert not [url for url in made if url.endswith(".js")]
