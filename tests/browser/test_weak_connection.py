"""A form sent on a weak connection (issue 18 item 3), in headless Chromium with the network cut.

What was typed stays on the page and in the tab's sessionStorage, the page says in plain words
that it is not sent yet, and it is sent when the connection returns, with the same submission id,
so the server stores it once.
"""

import pytest
from playwright.sync_api import Page, Route, expect
from sqlalchemy import func, select

from app.extensions import db
from app.invitations.models import Response
from tests.browser.test_respondent import (
    number_field,
    start,
    stored_answers,
    tap_line,
    vas_names,
)

pytestmark = pytest.mark.browser

UNSENT = "Dine svar er ikke sendt endnu, for der er ingen forbindelse lige nu."


def all_responses(app, invitation_id: int) -> int:
    """Every response row of the invitation, replaced ones included: a duplicate shows here."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Response).where(Response.invitation_id == invitation_id))


def child_on_form(make, caseworker, phone, live_server):
    """Emma's case, and the child's form open on a phone: (ids, the child's token, the page)."""
    ids = make.emma(caseworker)
    page = phone()
    start(page, live_server, ids.tokens["child"])
    return ids, ids.tokens["child"], page


def answer_all(page: Page) -> dict[str, str]:
    return {name: tap_line(page, name, 0.3 + 0.05 * i) for i, name in enumerate(vas_names(page))}


def typed(page: Page) -> dict[str, str]:
    return {name: number_field(page, name).input_value() for name in vas_names(page)}


def test_an_answer_sent_offline_is_kept_said_and_sent_once_when_the_connection_returns(app, live_server, phone, make, caseworker):
    ids, token, page = child_on_form(make, caseworker, phone, live_server)
    answer_all(page)
    shown = typed(page)
    page.context.set_offline(True)
    page.get_by_role("button", name="Send mine svar").tap()
    expect(page.get_by_role("alert")).to_contain_text(UNSENT)
    assert page.url.endswith("/form") and typed(page) == shown
    assert stored_answers(app, ids.invitations["child"]) == {}
    # What was typed is in this tab's sessionStorage only; nothing outlives the tab.
    assert page.evaluate("() => localStorage.length") == 0
    assert page.evaluate("() => sessionStorage.getItem('samstem-unsent')") is not None
    page.context.set_offline(False)  # the "online" event sends it
    page.wait_for_url(f"**/r/{token}/thanks")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tak for dine svar!")
    assert page.evaluate("() => sessionStorage.getItem('samstem-unsent')") is None
    assert set(stored_answers(app, ids.invitations["child"])) == {"fit-outcome-child", "fit-session-child"}
    assert all_responses(app, ids.invitations["child"]) == 2


def test_a_reply_lost_after_the_server_stored_the_answer_is_sent_again_and_stored_once(app, live_server, phone, make, caseworker):
    ids, token, page = child_on_form(make, caseworker, phone, live_server)
    answer_all(page)

    def lose_the_reply(route: Route) -> None:
        route.fetch()  # the server gets it and stores it ...
        route.abort("connectionreset")  # ... and the reply never reaches the phone

    page.route("**/form", lambda route: lose_the_reply(route) if route.request.method == "POST" else route.continue_())
    page.get_by_role("button", name="Send mine svar").tap()
    expect(page.get_by_role("alert")).to_contain_text(UNSENT)
    assert all_responses(app, ids.invitations["child"]) == 2
    page.unroute("**/form")
    page.get_by_role("button", name="Send mine svar").tap()  # the person taps Send again
    page.wait_for_url(f"**/r/{token}/thanks")
    assert all_responses(app, ids.invitations["child"]) == 2


def test_a_reload_while_unsent_shows_what_was_typed_and_sends_it(app, live_server, phone, make, caseworker):
    ids, token, page = child_on_form(make, caseworker, phone, live_server)
    answer_all(page)
    shown = typed(page)
    page.route("**/form", lambda route: route.abort("internetdisconnected") if route.request.method == "POST" else route.continue_())
    page.get_by_role("button", name="Send mine svar").tap()
    expect(page.get_by_role("alert")).to_contain_text(UNSENT)
    page.reload()
    # After the reload the same answers are back on the lines, still owed, and tried at once.
    expect(page.get_by_role("alert")).to_contain_text(UNSENT)
    assert typed(page) == shown
    assert stored_answers(app, ids.invitations["child"]) == {}
    page.unroute("**/form")
    page.get_by_role("button", name="Send mine svar").tap()
    page.wait_for_url(f"**/r/{token}/thanks")
    stored = stored_answers(app, ids.invitations["child"])
    assert {f"{form}.{key}" for form, (answers, _, _) in stored.items() for key in answers} == set(shown)
    assert all_responses(app, ids.invitations["child"]) == 2


def test_a_late_send_with_a_missing_line_comes_back_with_what_was_typed(app, live_server, phone, make, caseworker):
    ids, token, page = child_on_form(make, caseworker, phone, live_server)
    names = vas_names(page)
    for name in names[1:]:
        tap_line(page, name, 0.6)
    shown = typed(page)
    page.context.set_offline(True)
    page.get_by_role("button", name="Send mine svar").tap()
    expect(page.locator("#unsent")).to_be_visible()
    page.context.set_offline(False)
    # The server asks for the missing line and keeps the others: nothing typed is lost.
    expect(page.locator(".error-summary")).to_contain_text("Der mangler noget")
    expect(page.locator("#unsent")).to_be_hidden()
    assert typed(page) == shown and shown[names[0]] == ""
    assert stored_answers(app, ids.invitations["child"]) == {}
    tap_line(page, names[0], 0.5)
    page.get_by_role("button", name="Send mine svar").tap()
    page.wait_for_url(f"**/r/{token}/thanks")
    assert all_responses(app, ids.invitations["child"]) == 2
