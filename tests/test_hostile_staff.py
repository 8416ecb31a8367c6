"""Issue 12 item 18: random and malicious values posted to every staff form, on both backends.

Every POST endpoint in the URL map is attacked (like tests/test_access.py walks them), with the
fields of the form that sends to it, read from the rendered page; the audit log's search and the
due list's filter, forms read from the address, get the same through their query string. Never a
500, always a clear message, nothing typed lost (the rules are in tests/hostile.py).

The demo case (app/demo.py) holds a page for every form; it is built once per backend for the
whole module, and each endpoint is attacked in turn on what the attacks before it left.
Run alone with `-m hostile`, or skip with `-m "not hostile"`.
"""

from datetime import date, timedelta
from itertools import product
from urllib.parse import urlsplit

import pyotp
import pytest
from flask_login import login_user
from hypothesis import example, given
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from app import create_app, sealing
from app.api.models import ApiKey
from app.auth.models import Department, Team, User
from app.cases.models import Case
from app.config import TestConfig
from app.extensions import db, limiter
from app.indicators import services as indicators
from app.measures.models import Measure
from app.observations.models import ObservationLink
from app.reconcile.models import Decision
from app.registrations.models import MethodRegistration
from app.stand_ins.models import StandIn
from tests.api_helpers import make_key
from tests.conftest import _config
from tests.factories import Factory, demo_case, login
from tests.hostile import (
    check_answer,
    fields_posting_to,
    form_data,
    hostile,
    page_forms,
)

pytestmark = pytest.mark.hostile
EXAMPLES = 20  # per form

# Where the form of an endpoint without a page of its own is.
FORM_PAGES = {
    "cases.close_goal": ["cases.edit_goal"],
    "invitations.reissue": ["invitations.reissue", "invitations.show"],
    "invitations.reissue_unused": ["invitations.reissue_unused", "invitations.screen", "invitations.show"],
    "status.send_email": ["invitations.show"],
    "status.send_sms": ["invitations.show"],
    "auth.logout": ["cases.index"],
    "status.remind": ["invitations.show"],
    "users.deactivate": ["users.edit_user"],
    "users.reset_password": ["users.edit_user"],
    "users.hand_over": ["users.edit_user"],
    "teams.merge": ["teams.edit_team"],
    # Issue 13: the own account, stand-ins, two-factor reset, departments.
    "account.password": ["account.index"],
    "account.set_up_totp": ["account.index"],
    "stand_ins.end": ["stand_ins.index"],
    "users.reset_totp": ["users.edit_user"],
    "teams.move": ["teams.edit_team"],
    "teams.new_department": ["teams.index"],
    # Issue 18 item 2: hand-over mode starts from a round's page (tests/test_handover.py).
    "handover.start": ["invitations.show"],
    # Issue 17: revoking an API key, from the list of keys.
    "api_keys.revoke": ["api_keys.index"],
}
# Posted by static/session.js, with no fields: attacked with stray fields only.
# The two-factor code page is reached only after a right password: without one it sends to login.
# Handing over and reminding are offered only when there are cases to hand over or a message
# to remind by; the demo has neither, so they are attacked with stray fields only.
# New links for a whole round are offered only for links made before sealing, and re-opening only
# for a closed case (whether the attack on closing closed it depends on the examples).
NO_FORM = {"auth.keep_session", "auth.login_code", "users.hand_over", "status.remind",
           "invitations.reissue_unused", "cases.reopen_case",
           # A new link is offered for a link still out; whether the newest round has one depends on
           # the attacks before it on this test worker.
           "invitations.reissue",
           # A department is deleted only when it has no teams; the demo's has its team, so no button.
           "teams.delete_department",

           # A comment on a figure is written by a team leader or leader on a released period; the
           # demo has no release and its case worker leads no team (tests/test_figure_pages.py).
           "figures.comment",
           # The import's confirm button is on the page only after a file without errors was checked.
           "imports.apply",
           # Hand-over mode's own forms are on its pages only while a session is in the mode.
           "handover.hand_over", "handover.answer", "handover.decline", "handover.unlock", "handover.end"}
ADMIN_ONLY = {"indicators.admin_procedure", "audit_log.search", "audit_log.export",
              "users.new_user", "users.edit_user", "users.deactivate", "users.reset_password", "users.hand_over",
              "teams.index", "teams.edit_team", "teams.merge",
              "settings.organisation", "settings.respondent_texts", "settings.form_catalogue", "settings.lists_page", "measures.ladder",
              "stand_ins.index", "stand_ins.end", "users.reset_totp", "teams.move", "teams.new_department",
              "teams.edit_department", "teams.delete_department",
              "imports.index", "imports.apply", "api_keys.index", "api_keys.revoke"}
# Issue 16 item 3: the pseudonymous extract, attacked as an analyst; a good order downloads a file.
ANALYST_ONLY = {"figures_extract.order"}
DOWNLOADS = ("application/zip", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ANONYMOUS = {"auth.login_view", "auth.login_code"}
# Staff forms read from the address (GET).
GET_FORMS = {"audit_log.search": "audit_log.search", "audit_log.export": "audit_log.search", "due.index": "due.index"}


# Attacked last, as they take away what other forms are on (the practice team, a goal, a link, the session).
# A method registration may close the case (outcome "closed"): attacked after the links and the closing.
LAST = ["teams.merge", "cases.close_goal", "invitations.reissue", "invitations.reissue_unused", "invitations.revoke",
        "observations.revoke_link", "cases.close_case", "cases.reopen_case", "registrations.method", "auth.logout"]


def _post_endpoints() -> list[str]:
    app = create_app(TestConfig)
    found = {rule.endpoint for rule in app.url_map.iter_rules()
             if "POST" in rule.methods and not rule.endpoint.startswith(("respond.", "observe.", "api."))}
    # /api/v1 ("api.") has no forms: schemathesis attacks it from its OpenAPI document (tests/test_api_schema.py).
    return sorted(found - set(LAST)) + [e for e in LAST if e in found]


POST_ENDPOINTS = _post_endpoints()


@pytest.fixture(scope="module")
def demo(database_url):
    """The demo case on this backend, for the whole module; the tables emptied after it."""
    app = create_app(_config(database_url))
    case_id = demo_case(app)["case_id"][0]
    with app.test_request_context():
        case = db.session.get(Case, case_id)
        for person in case.people:  # an address and a number to send a link to
            person.email = person.email or f"{person.role}@example.org"
            person.phone = person.phone or "+45 12 34 56 78"
        # An open indicator round, so the scoring and the matrix are attacked beyond "it is closed".
        login_user(case.caseworker)
        today = max(case.meetings, key=lambda m: m.held_on)
        indicators.start_round(today, case.caseworker)
        team = case.caseworker.team_id
        db.session.commit()
    make = Factory(app)
    make.user("admin", role="admin", name="Ada Administrator")
    make.user("cy", team=team, name="Cy Kollega")
    make.user("ana", role="analyst", name="Ana Analytiker")  # the due list shows a choice of colleague
    # The administration pages are attacked on an account and a team of their own, so a merge or a
    # closed account never takes the demo's team or users away from the other attacks.
    practice = make.team("Team Øvelse")
    app.config["PRACTICE"] = {"user": make.user("bo", team=practice, name="Bo Øvelse"), "team": practice}
    make.team("Team Øvelse 2")  # a team to merge the practice team into
    make_key(app, db_admin(app), [team], name="Øvelse")  # an API key to revoke (issue 17)
    with app.app_context():
        # Two-factor login set up on the practice account, so its reset is offered; a stand-in still to
        # come for it, so ending one is offered.
        bo = db.session.get(User, app.config["PRACTICE"]["user"])
        bo.totp_secret = sealing.seal(pyotp.random_base32())
        today = date.today()
        stand_in = StandIn(absent_id=bo.id, stand_in_id=db.session.scalar(select(User.id).where(User.username == "cy")),
                           starts_on=today + timedelta(days=1), ends_on=today + timedelta(days=5))
        db.session.add(stand_in)
        db.session.commit()
    yield app, case_id
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.engine.dispose()
    limiter.reset()


def db_admin(app) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == "admin"))


def _values(app, case_id: int) -> dict[str, list[int]]:
    """The demo case's ids as the attacks before have left them, newest first (an open round)."""
    with app.app_context():
        case = db.session.get(Case, case_id)
        meetings = sorted(case.meetings, key=lambda m: m.id, reverse=True)
        rounds = sorted((r for m in meetings for r in m.rounds), key=lambda r: r.id, reverse=True)
        return {
            "case_id": [case.id],
            "person_id": [p.id for p in case.people],  # the attack on a person's page may change their role
            "meeting_id": [m.id for m in meetings],
            "round_id": [r.id for r in rounds],
            "invitation_id": [i.id for r in rounds[:1] for i in r.invitations],
            "goal_id": [g.id for g in case.goals],
            "link_id": list(db.session.scalars(select(ObservationLink.id).where(ObservationLink.case_id == case.id))),
            "decision_id": list(db.session.scalars(select(Decision.id).where(Decision.case_id == case.id))),
            "measure_id": list(db.session.scalars(select(Measure.id).where(Measure.case_id == case.id))),
            "registration_id": list(db.session.scalars(
                select(MethodRegistration.id).where(MethodRegistration.case_id == case.id))),
            # Only the practice account and team: an attack must not close the demo's own account.
            # By id: an attack may rename them.
            "user_id": list(db.session.scalars(select(User.id).where(User.id == app.config["PRACTICE"]["user"]))),
            "team_id": list(db.session.scalars(select(Team.id).where(Team.id == app.config["PRACTICE"]["team"]))),
            "stand_in_id": list(db.session.scalars(select(StandIn.id))),
            "department_id": list(db.session.scalars(select(Department.id))),
            "key_id": list(db.session.scalars(select(ApiKey.id))),
        }


def _client(app, endpoint):
    limiter.reset()  # the attacks on /login count as failed logins from this address
    client = app.test_client()
    if endpoint in ADMIN_ONLY:
        assert login(client, "admin").status_code == 302
    elif endpoint in ANALYST_ONLY:
        assert login(client, "ana").status_code == 302
    elif endpoint not in ANONYMOUS:
        assert login(client, "demo", "demo").status_code == 302
    return client


def _urls(app, endpoint, values):
    """Yield the endpoint's address once per combination of the demo's ids."""
    [rule] = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
    names = sorted(rule.arguments)
    for chosen in product(*(values[name] for name in names)):
        url = rule.rule
        for name, value in zip(names, chosen, strict=True):
            url = url.replace(f"<int:{name}>", str(value))
        yield url


def _sent_to(app, action: str) -> tuple[str, str] | None:
    """Return (endpoint, path) a form's action sends to, by the URL map."""
    path = urlsplit(action).path
    try:
        endpoint, _ = app.url_map.bind("localhost").match(path, method="POST")
    except HTTPException:
        return None
    return endpoint, path


def find_form(app, client, endpoint, values):
    """Return (post_url, fields) of a form on a demo page that sends to the endpoint, or None."""
    for page_endpoint in FORM_PAGES.get(endpoint, [endpoint]):
        for page_url in _urls(app, page_endpoint, values):
            page = client.get(page_url)
            if page.status_code != 200 or page.mimetype != "text/html":
                continue
            for form in page_forms(page.text):
                target = _sent_to(app, form.action or page_url) if form.method == "post" else None
                if target and target[0] == endpoint:
                    return target[1], fields_posting_to(page.text, page_url, target[1])
    return None


def test_the_attack_reaches_every_staff_area():
    # Read from the URL map; a form whose page is not found fails its own attack below.
    assert {"cases.new_case", "cases.edit_person", "cases.new_goal", "reconcile.round_view", "reconcile.case_view",
            "indicators.matrix", "indicators.score", "status.new_request", "status.ask_wishes", "registrations.method",
            "registrations.phone_follow_up", "cases.close_case", "observations.new_link",
            "invitations.propose", "auth.login_view", "measures.new_measure", "measures.edit_measure",
            "measures.end_measure", "measures.ladder"} <= set(POST_ENDPOINTS)


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_a_staff_form_survives_hostile_input(demo, endpoint):
    app, case_id = demo
    values = _values(app, case_id)
    client = _client(app, endpoint)
    found = find_form(app, client, endpoint, values)
    if found is None:
        assert endpoint in NO_FORM
        found = next(_urls(app, endpoint, values)), {}
    post_url, fields = found

    @hostile(EXAMPLES)
    @given(posted=form_data(fields))
    @example(posted=MultiDict())  # an empty body: WTForms then reads no form data at all
    def attack(posted):
        response = client.post(post_url, data=posted)
        if response.mimetype in DOWNLOADS:
            assert response.status_code == 200
            return
        check_answer(response, posted, fields, post_url)

    attack()


@pytest.mark.parametrize("endpoint", sorted(GET_FORMS))
def test_a_staff_search_survives_hostile_input(demo, endpoint):
    app, case_id = demo
    values = _values(app, case_id)
    client = _client(app, endpoint)
    [page_url] = _urls(app, GET_FORMS[endpoint], values)
    [url] = _urls(app, endpoint, values)
    page = client.get(page_url)
    fields = fields_posting_to(page.text, page_url, page_url, method="get")
    assert fields, f"no search form on {page_url}"

    @hostile(EXAMPLES)
    @given(asked=form_data(fields))
    @example(asked=MultiDict())
    def attack(asked):
        response = client.get(url, query_string=asked)
        if response.mimetype == "text/csv":
            assert response.status_code == 200
            return
        check_answer(response, asked, fields, url, method="get")

    attack()

