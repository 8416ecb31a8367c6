"""Measure what each respondent page costs a phone: requests and bytes, as served, cold cache.

Run: .venv/bin/python bench/page_weight.py [--requests] [--languages da,ar]

Builds the app on a throwaway SQLite file, creates Emma's demo case, serves it with
werkzeug on 127.0.0.1 (compressed by Flask-Compress, as in production), and opens every
respondent page in headless Chromium at 360×640 in a fresh context (empty cache). For each
page it counts the requests and adds up the bytes received: response headers plus the body
as transferred (compressed). The target is under 20 KB and at most 3 requests a page, in
every language a respondent can choose (Config.RESPONDENT_LANGUAGES, picked with ?lang=).
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
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402

TARGET_BYTES = 20 * 1024
TARGET_REQUESTS = 3
UNKNOWN_TOKEN = "0123456789ABCDEFGHJKMNPQRS"


@dataclass
class Load:
    page: str
    language: str = "da"
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


def new_phone(browser: Browser) -> Page:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="da-DK")
    context.set_default_timeout(15_000)
    return context.new_page()


def measure(browser: Browser, label: str, url: str, language: str = "da") -> Load:
    """Open a URL in a language (the picker's ?lang=) on a phone with an empty cache; return
    every request the load made."""
    page = new_phone(browser)
    made: list[Request] = []
    page.on("request", lambda request: made.append(request))
    page.goto(f"{url}?lang={language}")
    page.wait_for_load_state("load")
    load = Load(label, language)
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
    page.locator("button.send").tap()
    page.wait_for_url("**/thanks")
    page.context.close()


def decline(browser: Browser, url: str) -> None:
    page = new_phone(browser)
    page.goto(url)
    page.locator("form.decline button").tap()
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
        grete = next(p for p in case.people if p.role == "network")
        _, token = observations.create_link(case, grete, case.caseworker)
        pairs.append(("network-observation", f"{base}/o/{token}"))
        db.session.commit()
    links = {}
    for role, url in pairs:
        parts = urlsplit(url)
        links[role] = base + parts.path  # whatever base the app chose, use the live server
    return links


def run(show_requests: bool, languages: list[str]) -> list[Load]:
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
                    before = [("intro (child)", links["child"]), ("intro (adult)", links["mother"])]
                    before += [(f"form ({role})", links[role] + "/form")
                               for role in ["child", "mother", "father", "network", "provider"]]
                    before += [("status (school)", links["school-status"] + "/form"),
                               ("wishes (father)", links["father-wishes"] + "/form"),
                               ("indicators (mother)", links["mother-indicators"] + "/form"),
                               ("observation", links["network-observation"])]
                    after = [("thanks", links["child"] + "/thanks"),
                             ("thanks (declined)", links["father"] + "/thanks"),
                             ("error (bad token)", f"{base}/r/{UNKNOWN_TOKEN}"),
                             ("code", f"{base}/code"), ("privacy", f"{base}/privatliv"),
                             ("accessibility", f"{base}/tilgaengelighed")]
                    loads = [measure(browser, label, url, lang) for lang in languages for label, url in before]
                    answer_every_line(browser, links["child"])
                    decline(browser, links["father"])
                    loads += [measure(browser, label, url, lang) for lang in languages for label, url in after]
                    loads.sort(key=lambda load: languages.index(load.language))
                finally:
                    browser.close()
        finally:
            server.shutdown()
            server.server_close()
            with app.app_context():
                from app.extensions import db

                db.engine.dispose()
    report(loads, base, show_requests)
    return loads


def report(loads: list[Load], base: str, show_requests: bool) -> None:
    print(f"{'page':<20} {'lang':<4} {'requests':>8} {'bytes':>8} {'KB':>6}  target (<20 KB, <=3 requests)")
    for load in loads:
        verdict = "yes" if load.meets_target else "NO"
        print(f"{load.page:<20} {load.language:<4} {len(load.requests):>8} {load.bytes:>8} {load.bytes / 1024:>6.1f}"
              f"  {verdict}")
        if show_requests:
            for url, status, size, encoding in load.requests:
                path = url.removeprefix(base)
                print(f"    {status} {size:>7} {encoding:<8}  {path[:60]}")
    total = sum(load.bytes for load in loads)
    count = sum(len(load.requests) for load in loads)
    met = sum(load.meets_target for load in loads)
    print(f"{'total':<25} {count:>8} {total:>8} {total / 1024:>6.1f}  {met}/{len(loads)} pages meet the target")
    heaviest = max(loads, key=lambda load: load.bytes)
    print(f"heaviest: {heaviest.page} in {heaviest.language}, {heaviest.bytes / 1024:.1f} KB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", action="store_true", help="list every request under its page")
    parser.add_argument("--languages", default=",".join(Config.RESPONDENT_LANGUAGES),
                        help="the languages to measure, comma-separated (default: every respondent language)")
    args = parser.parse_args()
    try:
        run(args.requests, [lang for lang in args.languages.split(",") if lang])
    except Exception as error:  # a measurement never fails the build
        print(f"page_weight: could not measure: {error!r}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
