"""A small real race against a served Samstem, in every test run (issue 12 item 5, its CI test).

Samstem runs as in production (TESTING off, the CSRF check on) in a threaded werkzeug server:
each request in a thread of its own, on a database connection of its own. Respondents whose
browsers keep no cookies open their form and post it: 20 links are posted twice at the same
instant (a threading.Barrier) from one page, so with one submission id (a double tap); 5 links
are posted at the same instant from two pages with two different answers; and 5 observation
links are double-tapped. Then, as a respondent and a case worker would see it: no error page,
every thanked answer stored (the current one, or in history under the one that replaced it),
none stored twice.

Bounded (marker `race`): 30 links, about 100 requests, seconds. Not timed. It runs on both
backends: on SQLite the database's write lock serialises the writers, which is the code path
SQLite production runs (app.invitations.locks), so the race means something there too.
"""

import http.client
import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from app.invitations.models import Response
from app.observations.models import Observation
from bench.load import answer
from tests.conftest import _config
from tests.factories import EMMA_ROUND

pytestmark = pytest.mark.race

CASES = 5  # five people each: 25 questionnaire links, and one observation link per case
DIFFERENT = 5  # of the 25 links, these post two different answers; the others one answer twice
WAIT = 30  # seconds before a hung request fails the test


@pytest.fixture
def served(app):
    """Serve Samstem on this test's database; yield the port."""
    live = create_app(_config(app.config["SQLALCHEMY_DATABASE_URI"]) | {"TESTING": False, "WTF_CSRF_ENABLED": True})
    server = make_server("127.0.0.1", 0, live, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
        with live.app_context():
            db.engine.dispose()


@dataclass
class Sent:
    """One POST: the submission id it carried, and what came back."""

    submission: str
    status: int = 0
    location: str = ""


@dataclass
class Link:
    path: str  # the page with the form, posted to itself
    bodies: list[dict]  # the two answers, posted at the same instant
    key: int  # the invitation's or the observation link's id
    forms: list[str] = field(default_factory=list)  # the invitation's forms
    sent: list[Sent] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # every response, the pages' GETs included


def _request(port: int, method: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
    """One request on a connection of its own, with no cookie: (status, Location, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    try:
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if data is not None else {}
        connection.request(method, path, urlencode(data) if data is not None else None, headers)
        response = connection.getresponse()
        return response.status, response.getheader("Location") or "", response.read().decode()
    finally:
        connection.close()


def _hidden(page: str) -> dict[str, str]:
    """The first form's hidden fields (the answer, before the decline button)."""
    form = page[page.index("<form"):page.index("</form>")]
    fields = re.findall(r'<input[^>]*type="hidden"[^>]*>', form)
    return {re.search(r'name="([^"]+)"', f)[1]: re.search(r'value="([^"]*)"', f)[1] for f in fields}


def _race(port: int, link: Link) -> None:
    """Open the page (twice for two answers: two tabs), then post both answers at the same instant."""
    pages = [_request(port, "GET", link.path) for _ in range(1 if link.bodies[0] == link.bodies[1] else 2)]
    link.statuses += [status for status, _, _ in pages]
    fields = [_hidden(body) for _, _, body in pages]
    posts = [body | fields[i % len(fields)] for i, body in enumerate(link.bodies)]
    link.sent = [Sent(post["submission"]) for post in posts]
    together = threading.Barrier(len(posts))

    def post(data: dict, sent: Sent) -> None:
        together.wait(WAIT)
        sent.status, sent.location, _ = _request(port, "POST", link.path, data)

    threads = [threading.Thread(target=post, args=pair) for pair in zip(posts, link.sent, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    link.statuses += [sent.status for sent in link.sent]


def _other(data: dict) -> dict:
    """A different answer to the same forms: other numbers, another comment."""
    return {k: "3" if v == "7" else "Jeg har tænkt mig om." if k.endswith(".comment") else v for k, v in data.items()}


def _links(app, make, caseworker) -> tuple[list[Link], list[Link]]:
    """Emma-like cases: (questionnaire links, observation links)."""
    answers, observers = [], []
    for _ in range(CASES):
        ids = make.emma(caseworker)
        for role, token in ids.tokens.items():
            with app.app_context():
                data = answer(EMMA_ROUND[role])
            second = _other(data) if len(answers) < DIFFERENT else data
            answers.append(Link(f"/r/{token}/form", [data, second], ids.invitations[role], EMMA_ROUND[role]))
        link_id, token = make.observation_link(ids.case, ids.people["network"])
        seen = {"kind": "negative", "text": "Emma græd ved afleveringen."}
        observers.append(Link(f"/o/{token}", [seen, seen], link_id))
    return answers, observers


def test_racing_respondents_get_no_error_and_every_thanked_answer_is_stored_once(app, make, caseworker, served):
    answers, observers = _links(app, make, caseworker)
    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(lambda link: _race(served, link), answers + observers, timeout=WAIT * 4))
    statuses = Counter(status for link in answers + observers for status in link.statuses)
    assert not [s for s in statuses if s >= 500], f"server errors: {statuses}"
    thanked = [(link, sent) for link in answers + observers for sent in link.sent]
    assert all(sent.status == 302 and sent.location.endswith("/thanks") for _, sent in thanked), statuses
    with app.app_context():
        rows = db.session.scalars(select(Response)).all()
        seen = db.session.scalars(select(Observation)).all()
    for link in answers:
        forms = sorted(link.forms)
        mine = [r for r in rows if r.invitation_id == link.key]
        for sent in link.sent:  # 0 lost: each thanked submission is stored, one row per form
            assert sorted(r.instrument_id for r in mine if r.submission_id == sent.submission) == forms
        # 0 duplicated: one row per form and submission, and one current answer per form.
        assert len(mine) == len(forms) * len({sent.submission for sent in link.sent})
        assert sorted(r.instrument_id for r in mine if r.superseded_at is None) == forms
    for link in observers:
        assert [o.submission_id for o in seen if o.link_id == link.key] == [link.sent[0].submission]
