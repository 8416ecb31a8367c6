"""Issue 12 item 18: random and malicious values posted to every respondent form, on both backends.

Never a 500, always a clear message, nothing typed lost (the rules are in tests/hostile.py).
Run alone with `-m hostile`, or skip with `-m "not hostile"`.
"""

from datetime import date, timedelta

import pytest
from hypothesis import example, given
from werkzeug.datastructures import MultiDict

from app.cases.models import Meeting, Person
from app.extensions import db
from tests.hostile import check_answer, fields_posting_to, form_data, hostile

pytestmark = pytest.mark.hostile
EXAMPLES = 30  # per form


def _questionnaire(role):
    def build(app, make, caseworker):
        token = make.emma(caseworker).tokens[role]
        return f"/r/{token}/form", f"/r/{token}/form"

    return build


def _decline(app, make, caseworker):
    token = make.emma(caseworker).tokens["mother"]
    return f"/r/{token}", f"/r/{token}/decline"


def _status(app, make, caseworker):
    ids = make.emma(caseworker, open_round=False)
    make.goal(ids.case)
    make.goal(ids.case, "Emma sover i egen seng.", domain="health")
    _, tokens, _ = make.status_request(ids)
    return f"/r/{tokens['provider']}/form", f"/r/{tokens['provider']}/form"


def _indicators(app, make, caseworker):
    ids = make.indicator_case(caseworker, scorers=["caseworker", "provider", "parents"])
    make.indicator_round(ids)
    return f"/r/{ids.tokens['provider']}/form", f"/r/{ids.tokens['provider']}/form"


def _see_happen(app, make, caseworker):
    from app.status import wishes

    ids = make.emma(caseworker, open_round=False)
    with app.test_request_context():
        meeting = db.session.get(Meeting, ids.meeting)
        meeting.held_on = date.today() + timedelta(days=7)
        mother = db.session.get(Person, ids.people["mother"])
        _, tokens = wishes.ask(meeting, meeting.case.caseworker, [mother], date.today())
        db.session.commit()
    [token] = tokens.values()
    return f"/r/{token}/form", f"/r/{token}/form"


def _observation(app, make, caseworker):
    ids = make.emma(caseworker, open_round=False)
    make.goal(ids.case)
    _, token = make.observation_link(ids.case, ids.people["network"])
    return f"/o/{token}", f"/o/{token}"


def _code(app, make, caseworker):
    make.emma(caseworker)
    return "/code", "/code"


# Issue 12 item 18 names them: the questionnaire (a child's lines, an adult's scales and text),
# declining, the provider's status, an indicator scoring, the wishes, an observation, a typed code.
FORMS = {
    "questionnaire-child": _questionnaire("child"),
    "questionnaire-network": _questionnaire("network"),
    "decline": _decline,
    "status": _status,
    "indicators": _indicators,
    "see-happen": _see_happen,
    "observation": _observation,
    "code": _code,
}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_respondent_form_survives_hostile_input(app, make, caseworker, name):
    page_url, post_url = FORMS[name](app, make, caseworker)
    visitor = app.test_client()
    page = visitor.get(page_url)
    assert page.status_code == 200
    fields = fields_posting_to(page.text, page_url, post_url)
    assert fields is not None, f"no form on {page_url} sends to {post_url}"

    @hostile(EXAMPLES)
    @given(posted=form_data(fields))
    @example(posted=MultiDict())  # an empty body: WTForms then reads no form data at all
    def attack(posted):
        check_answer(visitor.post(post_url, data=posted), posted, fields, post_url)

    attack()
