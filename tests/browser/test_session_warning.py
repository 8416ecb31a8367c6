"""The warning before an unused session ends, and the button that keeps it (issue 12 item 7)."""

import time

from playwright.sync_api import expect

from app.auth import sessions


def test_the_page_warns_before_the_session_ends_and_the_button_keeps_it(
        staff_page, desk, live_server, make, caseworker, monkeypatch):
    ids = make.emma(caseworker)
    staff_page(ids.case)
    now = time.time()
    monkeypatch.setattr(sessions.time, "time", lambda: now + 26 * 60)  # 26 minutes unused
    desk.goto(f"{live_server}/cases/{ids.case}?live=1")  # a reload the page made: not use
    warning = desk.get_by_role("alertdialog")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Du bliver snart logget ud")
    warning.get_by_role("button", name="Bliv logget ind").click()
    expect(warning).to_be_hidden()
    monkeypatch.setattr(sessions.time, "time", lambda: now + 50 * 60)  # 24 minutes after the button
    response = desk.goto(f"{live_server}/cases/{ids.case}")
    assert response is not None and response.url.endswith(f"/cases/{ids.case}")


def test_the_page_says_so_when_the_session_has_ended(staff_page, desk, live_server, make, caseworker, monkeypatch):
    ids = make.emma(caseworker)
    staff_page(ids.case)
    now = time.time()
    monkeypatch.setattr(sessions.time, "time", lambda: now + 29 * 60 + 58)
    desk.goto(f"{live_server}/cases/{ids.case}?live=1")
    monkeypatch.setattr(sessions.time, "time", lambda: now + 31 * 60)
    expect(desk.get_by_role("alertdialog")).to_contain_text("Du er logget ud", timeout=10_000)
