"""Every staff route, walked from the URL map: anonymous, wrong role, wrong team; the owner's reads audited."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.api.models import ApiKey
from app.audit import AuditEvent
from app.auth.models import Department, Team, User
from app.extensions import db
from app.stand_ins.models import StandIn
from tests.api_helpers import bearer, make_key
from tests.factories import login, vas


def db_team(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Team.id).where(Team.name == name))

# Pages anyone logged in may open; all else needs case work on the owning team.
OPEN_TO_ANY_STAFF = {"cases.index", "auth.logout"}
# Issue 13: each user's own account, a new password and two-factor login (tests/test_account.py).
OPEN_TO_ANY_STAFF |= {"account.index", "account.password", "account.set_up_totp"}
OPEN_TO_ANY_CASEWORKER = {"cases.new_case", "due.index"}
# Issue 15: the figures, read from releases: a case worker their team's, a leader the organisation's;
# an administrator none (tests/test_figure_pages.py). No case is shown or reached from them.
FIGURE_PAGES = {"figures.index", "figures.team_meeting", "figures.comment", "figures.export_xlsx", "figures.export_csv",
                "figures.half_year_report"}
OPEN_TO_ANY_CASEWORKER |= FIGURE_PAGES
# Issue 18 item 2: hand-over mode's pages (tests/test_handover.py). Outside the mode they send a case
# worker to their case list and show nothing; the mode is started on a round of the team's (handover.start).
OPEN_TO_ANY_CASEWORKER |= {"handover.pick", "handover.hand_over", "handover.answer", "handover.decline",
                           "handover.returned", "handover.unlock", "handover.unlock_idp", "handover.unlock_idp_back",
                           "handover.end"}
PUBLIC = {"static", "auth.login_view"}
# The session warning's two requests answer an anonymous visitor with 401 and "0 seconds left",
# not the login page (tests/test_sessions.py): they show nothing.
PUBLIC |= {"auth.keep_session", "auth.session_left"}
# The load balancer's probes answer anyone with "ok" or 503 and show nothing (tests/test_operations.py).
PUBLIC |= {"operations.healthz", "operations.readyz"}
# The rest of logging in: the code after a right password (tests/test_totp.py), and the identity
# provider's login and its way back (tests/test_oidc.py; "page not found" when none is configured).
PUBLIC |= {"auth.login_code", "auth.oidc_login", "auth.oidc_callback"}
# Settings pages only an administrator opens (no case data on them).
ADMIN_ONLY = {"indicators.admin_procedure", "audit_log.search", "audit_log.export"}
# Issue 13: users, teams and the access review (tests/test_administration.py).
ADMIN_ONLY |= {"users.index", "users.new_user", "users.edit_user", "users.reset_password", "users.deactivate",
               "users.hand_over", "users.access_review", "teams.index", "teams.edit_team", "teams.merge"}
# Issue 13: stand-ins, given by an administrator (or a team leader for their own team; tests/test_stand_ins.py).
ADMIN_ONLY |= {"stand_ins.index", "stand_ins.end"}
# Issue 13: resetting a lost phone's two-factor login (tests/test_account.py).
ADMIN_ONLY |= {"users.reset_totp"}
# Issue 13: departments above teams (tests/test_departments.py).
ADMIN_ONLY |= {"teams.move", "teams.new_department", "teams.edit_department", "teams.delete_department"}
# Issue 13: the organisation's settings, texts and form catalogue (tests/test_settings*.py).
ADMIN_ONLY |= {"settings.organisation", "settings.respondent_texts", "settings.form_catalogue", "settings.form_wording",
               "settings.lists_page"}
# Issue 14 item 6: importing cases from the case system's file (tests/test_imports.py).
ADMIN_ONLY |= {"imports.index", "imports.apply"}
# Issue 16 item 3: the pseudonymous extract, for analysts only (tests/test_extract.py).
ANALYST_ONLY = {"figures_extract.order"}
# Issue 14 item 2: the intervention ladder, confirmed by an administrator (tests/test_ladder.py).
ADMIN_ONLY |= {"measures.ladder"}
# Issue 17: API keys, made and revoked by an administrator (tests/test_api_keys.py); the API's
# document and its readable page are public (they show no data); the API itself is walked with
# API keys as the caller below (test_api_keys_reach_only_their_scope_and_teams).
ADMIN_ONLY |= {"api_keys.index", "api_keys.revoke"}
PUBLIC |= {"api_docs.openapi_json", "api_docs.docs"}


def _staff_routes(app, ids):
    values = {
        "case_id": ids.case, "person_id": ids.people["mother"], "meeting_id": ids.meeting,
        "round_id": ids.round, "invitation_id": ids.invitations["mother"], "goal_id": ids.goal,
        "link_id": ids.link, "decision_id": ids.decision, "user_id": ids.user, "team_id": ids.team,
        "form_id": "fit-outcome-child", "registration_id": ids.registration, "measure_id": ids.measure,
        "stand_in_id": ids.stand_in, "department_id": ids.department, "key_id": ids.key,
    }
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC or rule.endpoint.startswith(("respond.", "observe.", "api.")):
            continue
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f"<int:{name}>", str(values[name])).replace(f"<{name}>", str(values[name]))
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule.endpoint, method, url


@pytest.fixture
def setting(app, make):
    owner = make.user("owner", team=make.team("Team Syd"))
    ids = make.emma(owner)
    ids.goal = make.goal(ids.case)
    ids.link, _ = make.observation_link(ids.case, ids.people["network"])
    ids.decision = make.decide_round(make.earlier_round(ids, date.today() - timedelta(days=30), {}))
    ids.registration = make.method_offered(ids.case)
    ids.measure = make.measure(ids.case)
    make.user("leader", role="leader")
    admin = make.user("admin", role="admin")
    make.user("analyst", role="analyst")
    syd = db_team(app, "Team Syd")
    ids.keys = {scopes: make_key(app, admin, [syd], scopes, name="-".join(scopes))
                for scopes in (("read",), ("write",), ("read", "write"))}
    ids.team = make.team("Team Nord")
    ids.keys["other team"] = make_key(app, admin, [ids.team], ("read", "write"), name="Nord")
    with app.app_context():
        ids.key = db.session.scalar(select(ApiKey.id).where(ApiKey.name == "read"))
    ids.user = make.user("stranger", team=ids.team)
    # A stand-in still to come (from tomorrow): it gives no one access today. A department with a team.
    with app.app_context():
        department = Department(name="Børn og Unge")
        db.session.add(department)
        db.session.flush()
        db.session.get(Team, ids.team).department_id = ids.department = department.id
        stand_in = StandIn(absent_id=ids.user, stand_in_id=owner, starts_on=date.today() + timedelta(days=1),
                           ends_on=date.today() + timedelta(days=5))
        db.session.add(stand_in)
        db.session.commit()
        ids.stand_in = stand_in.id
    return ids


def test_the_walk_covers_every_staff_area(app, setting):
    endpoints = {endpoint for endpoint, _, _ in _staff_routes(app, setting)}
    assert {"cases.show", "cases.edit_person", "invitations.propose", "invitations.handout",
            "invitations.revoke", "invitations.reissue_unused", "reconcile.round_view", "reconcile.case_view",
            "reports.round_pdf", "reports.round_summary", "cases.new_goal", "cases.edit_goal",
            "cases.close_goal", "due.index", "indicators.admin_procedure", "indicators.case_settings",
            "indicators.start", "indicators.score", "indicators.matrix", "status.new_request", "status.ask_wishes",
            "status.wishes_list", "status.send_email", "status.send_sms", "observations.new_link",
            "observations.revoke_link", "registrations.meeting", "registrations.phone_follow_up",
            "registrations.method", "cases.close_case", "cases.reopen_case", "reconcile.file_decision",
            "cases.export_person", "users.index", "users.edit_user", "users.hand_over", "users.access_review",
            "teams.index", "teams.merge", "figures_extract.order", "cases.edit_background",
            "registrations.new_without_meeting", "registrations.correct_without_meeting", "attainment.meeting",
            "measures.new_measure", "measures.edit_measure", "measures.end_measure", "measures.ladder",
            "stand_ins.index", "stand_ins.end"} | FIGURE_PAGES <= endpoints


def test_anonymous_visitors_are_sent_to_login(app, setting):
    client = app.test_client()
    for endpoint, method, url in _staff_routes(app, setting):
        response = client.open(url, method=method)
        assert response.status_code == 302 and "/login" in response.headers["Location"], (endpoint, method)


@pytest.mark.parametrize("username", ["leader", "admin", "analyst"])
def test_roles_without_case_work_are_refused(app, setting, username):
    client = app.test_client()
    login(client, username)
    for endpoint, method, url in _staff_routes(app, setting):
        if endpoint in OPEN_TO_ANY_STAFF:
            continue
        response = client.open(url, method=method)
        if endpoint in FIGURE_PAGES and username == "leader":
            # Allowed: an empty POST is refused; with nothing released the files say so (404).
            assert response.status_code in (200, 400, 404), (endpoint, method)
            assert "Du har ikke adgang til denne side." not in response.text, (endpoint, method)
            continue
        if (endpoint in ADMIN_ONLY and username == "admin") or (endpoint in ANALYST_ONLY and username == "analyst"):
            assert response.status_code in (200, 400), (endpoint, method)  # allowed (an empty POST is refused)
            response.close()  # a streamed export holds its request open until closed
            continue
        assert response.status_code == 403, (endpoint, method)
        assert "Du har ikke adgang til denne side." in response.text


def test_case_workers_of_another_team_are_refused(app, setting):
    client = app.test_client()
    login(client, "stranger")
    for endpoint, method, url in _staff_routes(app, setting):
        if endpoint in OPEN_TO_ANY_STAFF | OPEN_TO_ANY_CASEWORKER:
            continue
        response = client.open(url, method=method)
        assert response.status_code == 403, (endpoint, method)


def test_a_stand_in_from_another_team_reaches_every_page_of_the_absent_ones_case(app, setting):
    """Issue 13: during the period the stand-in sees and works the absent case worker's cases."""
    with app.app_context():
        db.session.add(StandIn(absent_id=db.session.scalar(select(User.id).where(User.username == "owner")),
                               stand_in_id=setting.user, starts_on=date.today(), ends_on=date.today()))
        db.session.commit()
    owner, stranger = app.test_client(), app.test_client()
    login(owner, "owner")
    login(stranger, "stranger")
    reached = []
    for endpoint, method, url in _staff_routes(app, setting):
        if method != "GET" or endpoint in NOT_ABOUT_ONE_CASE:
            continue
        expected = owner.get(url).status_code
        assert stranger.get(url).status_code == expected, endpoint
        reached.append(endpoint)
    assert {"cases.show", "reconcile.round_view", "invitations.show"} <= set(reached)


# --- every read audited (DESIGN.md §3) ---------------------------------------------

# Pages about no single case: lists, forms without a case, the administrator's settings.
NOT_ABOUT_ONE_CASE = {"cases.index", "cases.new_case", "due.index", "indicators.admin_procedure", "audit_log.search",
                      "audit_log.export"} | ADMIN_ONLY | ANALYST_ONLY | OPEN_TO_ANY_STAFF | FIGURE_PAGES


def _views(app, case_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "case.view", AuditEvent.case_id == case_id))


def test_every_page_showing_a_case_is_audited_once(app, setting):
    client = app.test_client()
    login(client, "owner")
    shown = []
    for endpoint, method, url in _staff_routes(app, setting):
        if method != "GET" or endpoint in NOT_ABOUT_ONE_CASE:
            continue
        before = _views(app, setting.case)
        response = client.get(url)
        if response.status_code != 200:
            continue  # e.g. a page for another kind of round; its refusal shows nothing
        shown.append(endpoint)
        assert _views(app, setting.case) == before + 1, endpoint
    # The pages the review found unaudited are among them.
    assert {"invitations.show", "invitations.screen", "invitations.handout", "cases.edit_person"} <= set(shown)


def test_a_refused_page_and_a_redirect_leave_no_read(app, setting):
    client = app.test_client()
    login(client, "stranger")
    assert client.get(f"/cases/{setting.case}").status_code == 403
    owner = app.test_client()
    login(owner, "owner")
    assert owner.get(f"/cases/{setting.case}/goals/999999").status_code == 404
    before = _views(app, setting.case)
    assert owner.post(f"/invitations/{setting.invitations['mother']}/revoke", data={"confirm": "yes"}).status_code == 302
    assert _views(app, setting.case) == before
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == setting.case)))
    assert actions.count("case.view") == 0 and "invitation.revoke" in actions


# Issue 12 "Trust", item 12: lists show children's names, so each case they list is a read,
# and every entry says from which address.
@pytest.mark.parametrize("url, page", [("/", "cases"), ("/due", "due")])
def test_lists_note_a_read_of_every_case_they_show(app, make, setting, url, page):
    make.answer(setting.invitations["mother"])  # an answer to decide on: Emma is on the due list
    client = app.test_client()
    login(client, "owner")
    before = _views(app, setting.case)
    response = client.get(url, environ_base={"REMOTE_ADDR": "10.2.3.4"})
    assert response.status_code == 200 and "Emma" in response.text
    assert _views(app, setting.case) == before + 1
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.case_id == setting.case)
                                   .order_by(AuditEvent.id.desc())).first()
        assert event.detail == {"listed": page} and event.address == "10.2.3.4"


# --- API keys as a caller (issue 17) --------------------------------------------------

def _api_routes(app, ids):
    """Every /api/v1 operation with the case's values filled in (the case system's reference)."""
    values = {"reference": "Sag-Ø-17", "person_id": str(ids.people["mother"]), "meeting_id": str(ids.meeting),
              "round_id": str(ids.round), "questionnaire_id": "fit-outcome-child",
              "response_id": str(getattr(ids, "response", 0))}
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f"<string(maxlength=40):{name}>", values[name]).replace(
                f"<string(maxlength=64):{name}>", values[name]).replace(f"<int:{name}>", values[name])
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


# The FHIR reads of one team's data (app.api.fhir_reads): by the round's and the answer's id, not the reference.
FHIR_CASE_READS = {"api.fhir_round", "api.fhir_response"}
FHIR_JSON = {"api.fhir_questionnaires", "api.fhir_questionnaire", *FHIR_CASE_READS}


def _answered(app, make, ids):
    """The mother answers her forms in Emma's open round: ids.response is one of her answers."""
    from app.invitations.models import Invitation

    make.answer(ids.invitations["mother"], {"fit-outcome-child": vas(5, 5, 5, 5)})
    with app.app_context():
        ids.response = db.session.get(Invitation, ids.invitations["mother"]).current_responses[0].id


def test_api_keys_reach_only_their_scope_and_teams(app, make, setting):
    client = app.test_client()
    _answered(app, make, setting)
    routes = list(_api_routes(app, setting))
    assert {"api.get_case", "api.put_case", "api.open_round", "api.close_case"} <= {e for e, _, _ in routes}
    for endpoint, method, url in routes:
        for secret, expected in ((None, {401}), ("samstem_wrong", {401}),
                                 (setting.keys[("read",)], {200, 422} if method == "GET" else {403}),
                                 (setting.keys[("write",)], {403} if method == "GET" else {200, 201, 422})):
            headers = bearer(secret) if secret else {}
            response = client.open(url, method=method, headers=headers, json={} if method != "GET" else None)
            assert response.status_code in expected, (endpoint, method, secret, response.json)
            success = {"api.report_pdf": "application/pdf", "api.report_text": "text/plain",
                       **dict.fromkeys(FHIR_JSON, "application/fhir+json")}.get(endpoint, "application/json")
            assert response.mimetype == ("application/problem+json" if response.status_code >= 400
                                         else success), (endpoint, method)
        if "reference" in url or endpoint in FHIR_CASE_READS:
            response = client.open(url, method=method, headers=bearer(setting.keys["other team"]),
                                   json={} if method != "GET" else None)
            assert response.status_code == 403 and response.json["code"] == "team_not_reached", (endpoint, method)


def test_every_api_read_of_a_case_is_audited_with_the_keys_name(app, make, setting):
    client = app.test_client()
    _answered(app, make, setting)
    for endpoint, method, url in _api_routes(app, setting):
        if method != "GET" or ("reference" not in url and endpoint not in FHIR_CASE_READS):
            continue
        before = _views(app, setting.case)
        assert client.get(url, headers=bearer(setting.keys[("read",)])).status_code == 200, endpoint
        assert _views(app, setting.case) == before + 1, endpoint
        with app.app_context():
            event = db.session.scalars(select(AuditEvent).where(AuditEvent.case_id == setting.case)
                                       .order_by(AuditEvent.id.desc())).first()
            assert event.detail["api_key"] == "read" and event.user_id is None
