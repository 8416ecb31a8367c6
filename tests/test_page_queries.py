"""Pages from plain data: no SQL while a template renders, and query budgets that do not grow."""

import random
from datetime import date, timedelta

import pytest

from app.demo import plausible_answers
from app.extensions import db
from app.instruments import current_catalogue
from app.invitations.models import Invitation
from bench.queries import count_queries
from tests.factories import demo_case, login


def _rendering(app, client, url):
    with app.app_context(), count_queries(db.engine) as counted:
        response = client.get(url)
    return response, counted


def test_no_staff_page_queries_the_database_while_its_template_renders(staff_walk):
    # Every staff GET page of the demo case, as its case worker (tests/staff_walk.py).
    walked, querying = set(), {}
    for page in staff_walk.pages:
        assert page.status < 500, (page.endpoint, page.url)
        if page.rendering:
            querying[page.url] = sorted({(template, " ".join(sql.split())[:90]) for template, sql in page.rendering})
        walked.add(page.endpoint)
    assert querying == {}
    assert {"cases.show", "invitations.show", "reconcile.round_view", "reconcile.case_view", "reports.round_pdf",
            "reports.round_summary", "registrations.meeting", "due.index", "cases.index", "cases.edit_goal",
            "invitations.propose", "indicators.matrix", "indicators.score", "status.new_request",
            "registrations.phone_follow_up", "observations.new_link"} <= walked


# 22: the case's background (issue 14 item 1) and its measures (issue 14 item 2) are sections of their own,
# one statement each, whatever the number of meetings or measures.
def test_the_demo_case_page_runs_at_most_22_statements(app):
    values = demo_case(app)
    client = app.test_client()
    login(client, "demo", "demo")
    client.get(f"/cases/{values['case_id'][0]}")
    response, counted = _rendering(app, client, f"/cases/{values['case_id'][0]}")
    assert response.status_code == 200 and "Emma" in response.text
    assert counted.total <= 22, counted.statements


def _answer_all(app, round_id, rng):
    """Answer every invitation of the round, then change every answer on the same link, so the
    pages also show each answer's history (issue 10 item 5) within the same budgets."""
    with app.test_request_context():
        from app.respond import services as respond

        catalogue = current_catalogue()
        for invitation in db.session.scalars(db.select(Invitation).where(Invitation.round_id == round_id)):
            for _time in range(2):
                respond.submit(invitation, {i: plausible_answers(catalogue.get(i), rng.uniform(3, 8), rng)
                                            for i in invitation.instrument_ids}, "da")
        db.session.commit()


def _counts(app, make, owner, meetings: int) -> dict[str, int]:
    """Statements of the case, round and reconciliation pages for a case with this many meetings, all answered."""
    ids = make.emma(owner)
    rng = random.Random(meetings)
    for month in range(meetings - 1, 0, -1):
        round_id = make.earlier_round(ids, date.today() - timedelta(days=30 * month), {})
        _answer_all(app, round_id, rng)
        make.decide_round(round_id)
    _answer_all(app, ids.round, rng)
    client = app.test_client()
    login(client)
    counts = {}
    # Named by the page, not by the ids (a case and a round may have the same id).
    for page in ("/cases/<case>", "/rounds/<round>", "/rounds/<round>/reconcile", "/cases/<case>/reconcile"):
        url = page.replace("<case>", str(ids.case)).replace("<round>", str(ids.round))
        client.get(url)
        response, counted = _rendering(app, client, url)
        assert response.status_code == 200, url
        counts[page] = counted.total
    return counts


@pytest.mark.parametrize("many", [20])
def test_the_case_round_and_reconciliation_pages_do_not_grow_with_meetings_and_answers(app, make, many):
    owner = make.user(team=make.team())
    few = _counts(app, make, owner, 2)
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in ("user", "user_role", "team"):
                db.session.execute(table.delete())
        db.session.commit()
    assert _counts(app, make, owner, many) == few


def test_no_respondent_page_queries_the_database_while_its_template_renders(app):
    from urllib.parse import urlsplit

    from app.demo import create_demo

    with app.test_request_context():
        links = create_demo()
    client = app.test_client()
    kinds = set()
    for role, url in links:
        path = urlsplit(url).path
        for page in (path, f"{path}/form", f"{path}/thanks"):
            response, counted = _rendering(app, client, page)
            assert response.status_code == 200, (role, page)
            assert counted.rendering == [], (role, page)
        kinds.add(role)
    # Every kind of link the demo hands out: feedback forms, the school's status, wishes.
    assert {"child", "mother", "school-status", "father-wishes"} <= kinds
