"""Measure what each respondent page costs a phone: requests and bytes, as served, cold cache.

Run: .venv/bin/python bench/page_weight.py [--requests]

Builds the app on a throwaway SQLite file, creates Emma's demo case, serves it with
werkzeug on 127.0.0.1 (compressed by Flask-Compress, as in production), and opens every
respondent page in headless Chromium at 360×640 in a fresh context (empty cache). For each
page it counts the requests and adds up the bytes received: response headers plus the body
as transferred (compressed). The target is under 20 KB and at most 3 requests a page, in every
language a respondent can choose. Then, on Chromium's slow-3G emulation (bench/slow_network.py),
the time from each QR link until its form is usable (target under 3 s) and the child's tapped
path through both FIT forms (target under 60 s), in every language.
A measurement, not a test: it always exits 0.
"""

import argparse
import logging
import secrets
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.fernet import Fernet  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from playwright.sync_api import Browser, Page, Request, sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from app import create_app  # noqa: E402
from app.config import Config  # noqa: E402
from app.demo import create_demo  # noqa: E402
from bench.slow_network import (  # noqa: E402
    PATH_TARGET_S,
    USABLE_TARGET_S,
    child_path,
    time_to_usable_form,
)
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402

TARGET_BYTES = 20 * 1024
TARGET_REQUESTS = 3
UNKNOWN_TOKEN = "0123456789ABCDEFGHJKMNPQRS"
LANGUAGES = getattr(Config, "RESPONDENT_LANGUAGES", Config.LANGUAGES)
# The links whose form is timed from the QR code on slow 3G.
FORM_LINKS = ["child", "mother", "father", "network", "provider", "school-status", "father-wishes",
              "mother-indicators", "network-observation"]


@dataclass
class Load:
    page: str
    requests: list[tuple[str, int, int, str]] = field(default_factory=list)  # url, status, bytes, encoding

    @property
    def bytes(self) -> int:
        return sum(size for _, _, size, _ in self.requests)

    @property
    def meets_target(self) -> bool:
        return self.bytes < TARGET_BYTES and len(self.requests) <= TARGET_REQUESTS


def transferred(request: Request) -> int:
    """Return the bytes received for a request: headers plus the body as sent (compressed)."""
    sizes = request.sizes()
    return sizes["responseHeadersSize"] + sizes["responseBodySize"]


def new_phone(browser: Browser, lang: str = "da") -> Page:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale=lang)
    context.set_default_timeout(15_000)
    return context.new_page()


def measure(browser: Browser, label: str, url: str, lang: str = "da") -> Load:
    """Open a URL on a phone with an empty cache, in a language; return every request the load made."""
    page = new_phone(browser, lang)
    made: list[Request] = []
    page.on("request", lambda request: made.append(request))
    page.goto(f"{url}{'&' if '?' in url else '?'}lang={lang}")
    page.wait_for_load_state("load")
    load = Load(f"{label} [{lang}]")
    for request in made:
        response = request.response()
        status = response.status if response else 0
        encoding = (response.header_value("content-encoding") if response else None) or "identity"
        load.requests.append((request.url, status, transferred(request), encoding))
    page.context.close()
    return load


def answer_every_line(browser: Browser, url: str) -> None:
    """Answer a child's form by tapping the middle of every line and the first answer of every
    question with choices, then send it."""
    page = new_phone(browser)
    page.goto(url + "/form")
    for line in page.locator("input[type=range]").all():
        line.scroll_into_view_if_needed()
        line.tap()
    for name in sorted(set(page.locator("input[type=radio]").evaluate_all("inputs => inputs.map(i => i.name)"))):
        choice = page.locator(f'input[type=radio][name="{name}"]').first
        choice.scroll_into_view_if_needed()
        choice.check()
    page.get_by_role("button", name="Send mine svar").tap()
    page.wait_for_url("**/thanks")
    page.context.close()


def decline(browser: Browser, url: str) -> None:
    page = new_phone(browser)
    page.goto(url)
    page.get_by_role("button", name="Jeg vil ikke svare").tap()
    page.wait_for_url("**/thanks")
    page.context.close()


def build_app(folder: str):
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
        "SECRET_KEY": secrets.token_hex(32),
        "LINK_KEYS": Fernet.generate_key().decode(),
        "SESSION_COOKIE_SECURE": False,  # served over plain http on 127.0.0.1
    })
    logging.disable(logging.INFO)  # the migrations' own progress lines
    try:
        with app.app_context():
            upgrade()
    finally:
        logging.disable(logging.NOTSET)
    return app


def demo_links(app, base: str) -> dict[str, str]:
    """Create Emma's demo case; return each role's personal link, pointing at base.

    Besides the demo's own links: an indicator scoring link for the mother on today's
    meeting, and a standing observation link for Grete.
    """
    from app.cases.models import Case
    from app.extensions import db
    from app.indicators import services as indicators
    from app.invitations.links import respondent_url
    from app.observations import services as observations

    with app.test_request_context(base_url=base):
        pairs = create_demo()
        case = db.session.scalar(db.select(Case).order_by(Case.id.desc()))
        today = max(case.meetings, key=lambda m: (m.kind == "network_meeting", m.held_on))
        round_, issued = indicators.start_round(today, case.caseworker)
        mother = next(i for i in round_.invitations if i.person.role == "mother")
        pairs.append(("mother-indicators", respondent_url(issued[mother.id])))
        # The child's path (issue 18 item 5): a meeting of its own where the child is asked the two
        # FIT forms, outcome and session.
        from app.cases import services as cases
        from app.invitations import services as rounds

        child = case.child
        meeting = cases.record_meeting(case, "network_meeting", today.held_on, [child.id])
        path_round, path_issued = rounds.open_round(
            meeting, case.caseworker, {child.id: ["fit-outcome-child", "fit-session-child"]})
        pairs.append(("child-path", respondent_url(path_issued[path_round.invitations[0].id])))
        grete = next(p for p in case.people if p.role == "network")
        _, token = observations.create_link(case, grete, case.caseworker)
        pairs.append(("network-observation", f"{base}/o/{token}"))
        db.session.commit()
    links = {}
    for role, url in pairs:
        parts = urlsplit(url)
        links[role] = base + parts.path  # whatever base the app chose, use the live server
    return links


def run(show_requests: bool) -> list[Load]:
    with tempfile.TemporaryDirectory(prefix="samstem-bench-") as folder:
        app = build_app(folder)
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            links = demo_links(app, base)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                try:
                    loads = []
                    for lang in LANGUAGES:
                        loads.append(measure(browser, "intro (child)", links["child"], lang))
                        loads.append(measure(browser, "intro (adult)", links["mother"], lang))
                        for role in ["child", "mother", "father", "network", "provider"]:
                            loads.append(measure(browser, f"form ({role})", links[role] + "/form", lang))
                        loads.append(measure(browser, "status (school)", links["school-status"] + "/form", lang))
                        loads.append(measure(browser, "wishes (father)", links["father-wishes"] + "/form", lang))
                        loads.append(measure(browser, "indicators (mother)", links["mother-indicators"] + "/form", lang))
                        loads.append(measure(browser, "observation", links["network-observation"], lang))
                    slow = [(f"usable: {role} [{lang}]", time_to_usable_form(browser, links[role], lang), USABLE_TARGET_S)
                            for lang in LANGUAGES for role in FORM_LINKS]
                    for lang in LANGUAGES:
                        seconds, taps = child_path(browser, links["child-path"], lang)
                        slow.append((f"child's path, {taps} taps [{lang}]", seconds, PATH_TARGET_S))
                    answer_every_line(browser, links["child"])
                    decline(browser, links["father"])
                    for lang in LANGUAGES:
                        loads.append(measure(browser, "thanks", links["child"] + "/thanks", lang))
                        loads.append(measure(browser, "thanks (declined)", links["father"] + "/thanks", lang))
                        loads.append(measure(browser, "error (bad token)", f"{base}/r/{UNKNOWN_TOKEN}", lang))
                        loads.append(measure(browser, "code", f"{base}/code", lang))
                        loads.append(measure(browser, "privacy", f"{base}/privatliv", lang))
                        loads.append(measure(browser, "accessibility", f"{base}/tilgaengelighed", lang))
                finally:
                    browser.close()
        finally:
            server.shutdown()
            server.server_close()
            with app.app_context():
                from app.extensions import db

                db.engine.dispose()
    report(loads, base, show_requests)
    report_slow(slow)
    return loads


def report(loads: list[Load], base: str, show_requests: bool) -> None:
    print(f"{'page':<26} {'requests':>8} {'bytes':>8} {'KB':>6}  target (<20 KB, <=3 requests)")
    for load in loads:
        verdict = "yes" if load.meets_target else "NO"
        print(f"{load.page:<26} {len(load.requests):>8} {load.bytes:>8} {load.bytes / 1024:>6.1f}  {verdict}")
        if show_requests:
            for url, status, size, encoding in load.requests:
                path = url.removeprefix(base)
                print(f"    {status} {size:>7} {encoding:<8}  {path[:60]}")
    total = sum(load.bytes for load in loads)
    count = sum(len(load.requests) for load in loads)
    met = sum(load.meets_target for load in loads)
    print(f"{'total':<26} {count:>8} {total:>8} {total / 1024:>6.1f}  {met}/{len(loads)} pages meet the target")


def report_slow(timings: list[tuple[str, float, float]]) -> None:
    print()
    print(f"{'on slow 3G (400 kbit/s, 400 ms)':<36} {'seconds':>8}  target")
    for label, seconds, target in timings:
        print(f"{label:<36} {seconds:>8.2f}  {'yes' if seconds < target else 'NO'} (<{target:g} s)")
    met = sum(seconds < target for _, seconds, target in timings)
    print(f"{'':<36} {'':>8}  {met}/{len(timings)} meet the target")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", action="store_true", help="list every request under its page")
    args = parser.parse_args()
    try:
        run(args.requests)
    except Exception as error:  # a measurement never fails the build
        print(f"page_weight: could not measure: {error!r}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
