"""Query budgets of the respondent's pages: at most 4 SQL statements per GET, 6 per POST.

Counted as cursor executions (BEGIN and COMMIT not counted) with bench/queries.py, the first
time a page is opened (when the opening is also recorded) and again, for a questionnaire
link with two forms, an indicator link, and the observation page.
"""

import pytest

from app.extensions import db
from bench.queries import count_queries
from tests.test_indicators import scored
from tests.test_respond import CHILD_FORM

GET, POST = 4, 6


@pytest.fixture
def emma(make, caseworker):
    return make.emma(caseworker)


def _counted(app, request) -> tuple[int, int]:
    with app.app_context():
        engine = db.engine
    with count_queries(engine) as counted:
        response = request()
    assert counted.while_rendering == 0, counted.rendering
    return response.status_code, counted.total


def test_a_questionnaire_link_stays_within_its_budget(app, client, emma):
    token = emma.tokens["child"]
    changed = CHILD_FORM | {"fit-outcome-child.me": "3", "fit-session-child.liked": "4"}
    steps = [
        ("GET", f"/r/{token}", None, 200),
        ("GET", f"/r/{token}", None, 200),
        ("GET", f"/r/{token}/form", None, 200),
        ("POST", f"/r/{token}/form", CHILD_FORM, 302),
        ("GET", f"/r/{token}/thanks", None, 200),
        ("GET", f"/r/{token}/form", None, 200),
        ("POST", f"/r/{token}/form", CHILD_FORM, 302),  # the same again
        ("POST", f"/r/{token}/form", changed, 302),  # both forms replaced
        ("POST", f"/r/{token}/decline", None, 302),
        ("POST", f"/r/{token}/form", CHILD_FORM | {"fit-outcome-child.me": "11"}, 200),  # refused
    ]
    for method, url, data, status in steps:
        found = _counted(app, lambda: client.open(url, method=method, data=data))
        assert found[0] == status, (method, url)
        assert found[1] <= (GET if method == "GET" else POST), (method, url, found[1])


def test_the_form_opened_first_is_within_budget(app, client, emma):
    assert _counted(app, lambda: client.get(f"/r/{emma.tokens['mother']}/form")) <= (200, GET)


def test_an_indicator_link_stays_within_its_budget(app, client, make, caseworker):
    ids = make.indicator_case(caseworker)
    make.indicator_round(ids)
    token = ids.tokens["mother"]
    assert _counted(app, lambda: client.get(f"/r/{token}/form"))[1] <= GET
    status, total = _counted(app, lambda: client.post(f"/r/{token}/form", data=scored()))
    assert status == 302 and total <= POST
    assert _counted(app, lambda: client.get(f"/r/{token}/thanks"))[1] <= GET


def test_the_observation_page_stays_within_the_budget(app, client, make, emma):
    emma.goal = make.goal(emma.case)
    _, token = make.observation_link(emma.case, emma.people["network"])
    assert _counted(app, lambda: client.get(f"/o/{token}"))[1] <= GET
    data = {"kind": "positive", "text": "Emma lo.", "goal": str(emma.goal)}
    status, total = _counted(app, lambda: client.post(f"/o/{token}", data=data))
    assert status == 302 and total <= POST
    assert _counted(app, lambda: client.get(f"/o/{token}/thanks"))[1] <= GET


def test_a_status_link_stays_within_its_budget(app, client, make, caseworker):
    ids = make.emma(caseworker)
    goals = [make.goal(ids.case), make.goal(ids.case), make.goal(ids.case)]
    _round, tokens, _ = make.status_request(ids)
    token = tokens["provider"]
    status = {"overall": "Emma trives bedre.", "rating": "7", "reviewed": "no", "reason": "Mor var syg."}
    status |= {f"goal_{goal}_attainment": "some" for goal in goals}
    for method, url, data, expected in [
        ("GET", f"/r/{token}/form", None, 200),
        ("POST", f"/r/{token}/form", status, 302),
        ("GET", f"/r/{token}/thanks", None, 200),
        ("GET", f"/r/{token}/form", None, 200),
    ]:
        found = _counted(app, lambda: client.open(url, method=method, data=data))
        assert found[0] == expected, (method, url)
        # The goals are read in one go, however many the action plan has.
        assert found[1] <= (GET if method == "GET" else POST), (method, url, found[1])
