"""Browser fixtures: the app on a live server, one headless Chromium, phones to open links on."""

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Request, sync_playwright
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
# Root cannot use the sandbox; the rest keeps Chromium from calling outside hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """Serve the app (on this run's backend) on a free local port; yield its base URL."""
    app.config["WTF_CSRF_ENABLED"] = True  # the real CSRF path, as a phone meets it
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
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
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@dataclass
class Phones:
    """Open pages as on a phone; every request any of them makes is kept in `requests`."""

    browser: Browser
    contexts: list[BrowserContext] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)

    def __call__(self, *, java_script_enabled: bool = True, locale: str = "da-DK") -> Page:
        context = self.browser.new_context(
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            java_script_enabled=java_script_enabled,
            locale=locale,
        )
        context.set_default_timeout(10_000)
        context.on("request", lambda request: self.requests.append(request))
        self.contexts.append(context)
        return context.new_page()

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Phones]:
    """A factory of phone pages (360×640, touch); call it with java_script_enabled=False for no JS."""
    phones = Phones(browser)
    yield phones
    phones.close()


@pytest.fixture
def desk(browser: Browser) -> Iterator[Page]:
    """A desktop browser for the case worker, with its own cookies."""
    context = browser.new_context(viewport=DESKTOP, locale="da-DK")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()
