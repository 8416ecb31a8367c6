"""One walk over every staff GET page of the demo case, shared by the tests that read those pages.

The demo case (tests/factories.py demo_case) is built on a copy of an empty database, its case worker
logs in as demo/demo, gives the open feedback round's unused links fresh tokens (so the QR screens
show) and opens every staff GET page once per combination of the case's ids (staff_pages). Each page
is kept as it came back: the status, the text, the templates drawn and the statements run while a
template rendered. The walk is made once per backend and test worker (tests/conftest.py staff_walk);
tests/test_page_queries.py, tests/test_page_titles.py and tests/test_field_limits.py read it.
"""

from dataclasses import dataclass, field
from itertools import product

from flask import Flask, template_rendered
from sqlalchemy import select

from app.extensions import db
from app.invitations.models import Round
from bench.queries import count_queries
from tests.factories import demo_case, login

# Pages that render a file rather than a page a template draws on screen are still walked: a
# PDF's template must not query either. Public (token) pages are not staff pages.
SKIPPED = {"static", "auth.login_view", "auth.logout"}


def staff_pages(app: Flask, values: dict):
    """Yield (endpoint, url) for every staff GET page, once per combination of the given ids."""
    for rule in app.url_map.iter_rules():
        # The integration API answers systems, not staff, in JSON (tests/test_api*.py, schemathesis).
        if rule.endpoint in SKIPPED or rule.endpoint.startswith(("respond.", "observe.", "api.")):
            continue
        if "GET" not in rule.methods:
            continue
        names = sorted(rule.arguments)
        for chosen in product(*(values[name] for name in names)):
            url = rule.rule
            for name, value in zip(names, chosen, strict=True):
                url = url.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
            yield rule.endpoint, url


@dataclass
class Page:
    endpoint: str
    url: str
    status: int
    mimetype: str
    text: str  # the page's HTML; empty for a file (PDF, CSV, XLSX)
    drawn: list[str]  # the templates rendered, in the order they were done
    rendering: list[tuple[str, str]]  # (template, statement) run while a template rendered

    @property
    def html(self) -> bool:
        return self.status == 200 and self.mimetype == "text/html"


@dataclass
class Walk:
    app: Flask
    values: dict  # the demo case's ids, as tests/factories.py demo_case returns them
    round_id: int  # the open feedback round whose unused links were given fresh tokens
    pages: list[Page] = field(default_factory=list)


def open_feedback_round(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(Round.id).where(Round.kind == "feedback", Round.locked_at.is_(None)))


def walk(app: Flask) -> Walk:
    """Build the demo case on the app's (empty) database and walk its staff pages as its case worker."""
    values = demo_case(app)
    client = app.test_client()
    assert login(client, "demo", "demo").status_code == 302
    round_id = open_feedback_round(app)
    # New links for those who have not opened theirs: this session may now show their QR codes.
    assert client.post(f"/rounds/{round_id}/reissue").status_code == 302
    found = Walk(app, values, round_id)
    urls = list(staff_pages(app, values)) + [("invitations.screen", f"/rounds/{round_id}/screen?view=grid")]
    drawn: list[str] = []

    def record(sender, template, context, **extra):
        drawn.append(template.name)

    with template_rendered.connected_to(record, app):
        for endpoint, url in urls:
            drawn.clear()
            with app.app_context(), count_queries(db.engine) as counted:
                response = client.get(url)
            html = response.mimetype == "text/html"
            found.pages.append(Page(endpoint, url, response.status_code, response.mimetype,
                                    response.text if html else "", list(drawn), list(counted.rendering)))
            response.close()
    return found
