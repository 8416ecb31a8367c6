"""Browser fixtures: the app on a live server, one headless Chromium, phones to open links on."""

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Request,
    expect,
    sync_playwright,
)
from werkzeug.serving import make_server

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, PHONE
from tests.factories import PASSWORD

DESKTOP = {"width": 1280, "height": 900}
# How long a step may wait for the page: a harness limit, never a speed assertion. Generous,
# because two test workers share two cores and a case report PDF with charts takes seconds.
TIMEOUT_MS = 30_000
HERE = Path(__file__).parent

@pytest.fixture
def live_server(app) -> Iterator[str]:
    """Serve the app (on this run's backend) on a free local port; yield its base URL."""
    app.config["WTF_CSRF_ENABLED"] = True  # the real CSRF path, as a phone meets it
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # A short poll keeps shutdown quick between tests.
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the whole run; each test gets fresh contexts."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@dataclass
class Phones:
    """Open pages as on a phone; every request they make is kept, in all and per page."""

    browser: Browser
    contexts: list[BrowserContext] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    _by_context: dict[int, list[Request]] = field(default_factory=dict)

    def __call__(self, *, java_script_enabled: bool = True, locale: str = "da-DK",
                 viewport: dict[str, int] = PHONE) -> Page:
        """Return a new page in a new context: a phone of its own (or a touch laptop, viewport=LAPTOP),
        with an empty cache."""
        context = self.browser.new_context(
            viewport=viewport,
            is_mobile=viewport == PHONE,
            has_touch=True,
            java_script_enabled=java_script_enabled,
            locale=locale,
        )
        context.set_default_timeout(TIMEOUT_MS)
        mine: list[Request] = []
        self._by_context[id(context)] = mine

        def record(request: Request) -> None:
            self.requests.append(request)
            mine.append(request)

        context.on("request", record)
        self.contexts.append(context)
        return context.new_page()

    def requests_of(self, page: Page) -> list[Request]:
        """Return the requests made so far by the phone this page is on."""
        return self._by_context[id(page.context)]

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Phones]:
    """A factory of phone pages (360×640, touch); phone(java_script_enabled=False) for no JS."""
    phones = Phones(browser)
    yield phones
    phones.close()


@pytest.fixture
def desk(browser: Browser) -> Iterator[Page]:
    """A desktop browser for the case worker, with cookies of its own."""
    context = browser.new_context(viewport=DESKTOP, locale="da-DK")
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture
def staff_page(desk: Page, live_server: str, caseworker: int) -> Callable[[int], Page]:
    """Log the case worker in at the desk; return a function that opens a case page."""
    desk.goto(f"{live_server}/login")
    desk.locator("input[name=username]").fill("anne")
    desk.locator("input[name=password]").fill(PASSWORD)
    desk.get_by_role("button", name="Log ind").click()
    expect(desk).not_to_have_url(f"{live_server}/login")

    def open_case(case_id: int) -> Page:
        response = desk.goto(f"{live_server}/cases/{case_id}")
        assert response is not None and response.status == 200
        return desk

    return open_case
