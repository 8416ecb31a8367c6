"""Respondent pages on a slow 3G connection, in Chromium's network emulation (issue 18 item 5).

Used by bench/page_weight.py. The profile is the issue's: about 400 kbit/s down and up, 400 ms
round trip. Two timings, each from the QR link with an empty cache:

- until a form is usable: the intro page loads, Start is tapped, the form page has loaded and
  its script has drawn the lines (target: under 3 s);
- the child's path: the intro, Start, one tap on each line of both FIT forms, Send, until the
  thank-you page has loaded (target: under 60 s). The taps are a machine's, so this is the time
  the connection and the pages cost, not a child's thinking.
"""

import time

from playwright.sync_api import Browser, Page

from tests.browser.chromium import PHONE

SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
USABLE_TARGET_S = 3.0
PATH_TARGET_S = 60.0


def slow_phone(browser: Browser, lang: str) -> Page:
    """A phone with an empty cache on slow 3G, its language set as the phone's own."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale=lang)
    context.set_default_timeout(60_000)
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", SLOW_3G)
    return page


def _form_ready(page: Page) -> None:
    page.wait_for_load_state("load")
    # A page with lines is usable once the script has drawn them; without lines, once loaded.
    page.wait_for_function("""() => document.querySelectorAll('input.vas-number').length ===
                                    document.querySelectorAll('input.vas-number[data-lined]').length""")


def time_to_usable_form(browser: Browser, link: str, lang: str) -> float:
    """Seconds from opening the link to a usable form: the intro, a tap on Start, the form."""
    page = slow_phone(browser, lang)
    try:
        began = time.perf_counter()
        page.goto(f"{link}?lang={lang}", wait_until="load")
        start = page.locator("a.button").first
        if start.count():
            start.tap()
            page.wait_for_url("**/form*")
        _form_ready(page)
        return time.perf_counter() - began
    finally:
        page.context.close()


def child_path(browser: Browser, link: str, lang: str) -> tuple[float, int]:
    """Seconds and taps for the child's path through both FIT forms, to the thank-you page."""
    page = slow_phone(browser, lang)
    try:
        taps = 0
        began = time.perf_counter()
        page.goto(f"{link}?lang={lang}", wait_until="load")
        page.locator("a.button").first.tap()
        taps += 1
        page.wait_for_url("**/form*")
        _form_ready(page)
        for line in page.locator("input[type=range]").all():
            line.scroll_into_view_if_needed()
            box = line.bounding_box()
            line.tap(position={"x": box["width"] * 0.7, "y": box["height"] / 2})
            taps += 1
        page.locator("button.send").tap()
        taps += 1
        page.wait_for_url("**/thanks*")
        page.wait_for_load_state("load")
        return time.perf_counter() - began, taps
    finally:
        page.context.close()
