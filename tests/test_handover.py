"""Hand-over mode (issue 18 item 2, DESIGN.md §2K): the case worker's tablet as one participant's form
at a time, locked on the server between them, and paper answers typed in afterwards."""

import re
import time
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import select, update

from app.audit import AuditEvent
from app.auth import sessions
from app.cases.models import Meeting
from app.extensions import db
from app.invitations.models import Invitation, Response, Round
from app.timestamps import utcnow
from tests.factories import PASSWORD, login
from tests.test_oidc import _provider_user, idp_app, make_app, provider  # noqa: F401  (fixtures, by name below)
from tests.test_respond import CHILD_FORM

MOTHER_FORM = {
    **{f"fit-outcome-child.{k}": v for k, v in [("me", "3"), ("family", "4"), ("school", "2,5"), ("everything", "3")]},
    **{f"fit-session.{k}": "8" for k in ("heard", "topics", "approach", "overall")},
}
# What would tell a stranger whose case it is: the child's name, the case's reference, other people's names.
CASE_DATA = ("Emma", "Sag-Ø-17", "Mette", "Jonas")


@pytest.fixture
def emma(make, caseworker):
    return make.emma(caseworker)


@pytest.fixture
def clock(monkeypatch):
    """The sessions' clock, moved forward by hand."""

    class Clock:
        now = time.time()

        def forward(self, seconds: float) -> None:
            self.now += seconds

    moved = Clock()
    monkeypatch.setattr(sessions.time, "time", lambda: moved.now)
    return moved


def start(client, round_id: int, mode: str = "help"):
    response = client.post(f"/rounds/{round_id}/handover", data={"mode": mode})
    assert response.status_code == 302 and response.headers["Location"].endswith("/handover"), response.text


def hand_to(client, invitation_id: int, lang: str | None = None):
    response = client.post(f"/handover/{invitation_id}")
    assert response.headers["Location"].endswith("/handover/form")
    return client.get("/handover/form" + (f"?lang={lang}" if lang else ""))


def current(app, invitation_id: int) -> list[Response]:
    with app.app_context():
        return db.session.scalars(select(Response).where(Response.invitation_id == invitation_id,
                                                         Response.superseded_at.is_(None))).all()


@pytest.fixture
def handed(staff, emma):
    """The tablet in hand-over mode with the child's form on it."""
    start(staff, emma.round)
    hand_to(staff, emma.invitations["child"])
    return staff


# --- 1: from the round's hand-out page, one participant's form in the respondent layout -------------

def test_the_hand_out_page_starts_hand_over_mode(staff, emma):
    screen = staff.get(f"/rounds/{emma.round}/screen").text
    assert f'action="/rounds/{emma.round}/handover"' in screen
    assert "Svar på denne enhed" in screen and "Indtast svar fra papir" in screen


def test_the_form_on_the_device_has_no_staff_navigation_and_no_case_data(staff, emma):
    start(staff, emma.round)
    pick = staff.get("/handover").text
    assert "Hvem skal svare nu?" in pick and "Sag-Ø-17" not in pick
    form = hand_to(staff, emma.invitations["mother"]).text
    assert 'action="/handover/form?s=' in form and "fit-outcome-child.me" in form
    # The respondent's layout: no staff menu, no logout, no link into a case; the child's first name only.
    assert "/cases" not in form and "/logout" not in form and "Sag-Ø-17" not in form
    assert "Jonas" not in form and "Grete" not in form  # the other people at the table


def test_a_round_with_its_own_form_page_is_not_handed_over(app, staff, make, caseworker):
    ids = make.emma(caseworker)
    make.goal(ids.case)
    status, _, _ = make.status_request(ids)
    response = staff.post(f"/rounds/{status}/handover", data={"mode": "help"})
    assert response.headers["Location"].endswith(f"/rounds/{status}")
    assert staff.get("/").status_code == 200  # not in hand-over mode


# --- 2 and 3: the neutral screen, the lock on the server, unlocking ---------------------------------

def test_after_sending_the_neutral_screen_shows_nothing_of_the_answers(app, handed, emma):
    sent = handed.post("/handover/form", data=CHILD_FORM)
    assert sent.headers["Location"].endswith("/handover/tak")
    neutral = handed.get("/handover/tak").text
    assert "Tak — giv enheden tilbage" in neutral
    assert not any(word in neutral for word in CASE_DATA)
    assert "7,5" not in neutral and "7.5" not in neutral and "fit-outcome" not in neutral
    assert len(current(app, emma.invitations["child"])) == 2


def _every_staff_url(app, emma):
    """Every address in the URL map but the public ones a token opens, with the case's own ids."""
    values = {"case_id": emma.case, "meeting_id": emma.meeting, "round_id": emma.round,
              "invitation_id": emma.invitations["mother"], "person_id": emma.people["mother"]}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("respond.", "observe.")) or rule.endpoint == "static":
            continue
        if rule.endpoint.startswith("handover.") and rule.endpoint != "handover.start":
            continue  # the mode's own pages
        url = rule.rule
        for name in rule.arguments:
            url = re.sub(rf"<(?:[a-z]+:)?{name}>", str(values.get(name, 1)), url)
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule.endpoint, method, url


@pytest.mark.parametrize("moment", ["form on the device", "after sending", "unlocked, picking"])
def test_while_in_hand_over_mode_every_staff_address_shows_nothing_of_a_case(app, handed, emma, moment):
    if moment != "form on the device":
        handed.post("/handover/form", data=CHILD_FORM)
    if moment == "unlocked, picking":
        handed.post("/handover/unlock", data={"password": PASSWORD})
    walked = []
    for endpoint, method, url in _every_staff_url(app, emma):
        response = handed.open(url, method=method)
        assert response.status_code == 302, (endpoint, method, url)
        assert response.headers["Location"].endswith("/handover/tak"), (endpoint, method)
        assert not any(word in response.text for word in CASE_DATA), (endpoint, method)
        walked.append(endpoint)
    assert {"cases.index", "cases.show", "reconcile.round_view", "invitations.show", "auth.logout",
            "handover.start", "figures.index"} <= set(walked)
    # Where they all lead: with a form on the device, leaving it ends it; nothing of the case.
    neutral = handed.get("/handover/tak").text
    assert not any(word in neutral for word in CASE_DATA)


def test_leaving_the_form_locks_the_device(app, handed, emma):
    handed.get(f"/cases/{emma.case}")
    handed.get("/handover/tak")
    # The form is gone: the back button or the address finds the neutral screen, not the child's form.
    assert handed.get("/handover/form").headers["Location"].endswith("/handover/tak")
    assert current(app, emma.invitations["child"]) == []


def test_a_locked_device_is_not_ended_or_restarted_without_unlocking(handed, emma):
    handed.post("/handover/form", data=CHILD_FORM)
    for url in ("/handover/end", f"/rounds/{emma.round}/handover", f"/handover/{emma.invitations['mother']}"):
        response = handed.post(url, data={"mode": "help"})
        assert response.headers["Location"].endswith("/handover/tak"), url
    assert handed.get("/handover").headers["Location"].endswith("/handover/tak")
    assert handed.get("/").headers["Location"].endswith("/handover/tak")


@pytest.mark.parametrize("password, unlocked", [("wrong password", False), ("", False), (PASSWORD, True)])
def test_only_the_case_workers_password_unlocks(app, handed, emma, password, unlocked):
    handed.post("/handover/form", data=CHILD_FORM)
    response = handed.post("/handover/unlock", data={"password": password})
    if unlocked:
        assert response.headers["Location"].endswith("/handover")
        pick = handed.get("/handover")
        assert pick.status_code == 200 and "Hvem skal svare nu?" in pick.text
    else:
        assert response.status_code == 200
        assert "Adgangskoden passer ikke." in response.text or "Skriv din adgangskode." in response.text
        assert handed.get("/handover").headers["Location"].endswith("/handover/tak")
        assert handed.get("/").headers["Location"].endswith("/handover/tak")


def test_a_wrong_unlock_is_audited_as_a_failed_login(app, handed):
    handed.post("/handover/form", data=CHILD_FORM)
    handed.post("/handover/unlock", data={"password": "guess"})
    with app.app_context():
        failed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "login.failed")).all()
        assert [event.detail.get("method") for event in failed] == ["handover"]


def test_guessing_the_password_is_limited(app, handed):
    handed.post("/handover/form", data=CHILD_FORM)
    codes = [handed.post("/handover/unlock", data={"password": f"guess {n}"}).status_code for n in range(6)]
    assert codes[:5] == [200] * 5 and codes[5] == 429
    assert "Emma" not in handed.post("/handover/unlock", data={"password": PASSWORD}).text


def test_ending_the_mode_returns_the_device_to_the_case_worker(handed, emma):
    handed.post("/handover/form", data=CHILD_FORM)
    handed.post("/handover/unlock", data={"password": PASSWORD})
    ended = handed.post("/handover/end")
    assert ended.headers["Location"].endswith(f"/rounds/{emma.round}")
    assert handed.get("/").status_code == 200


def test_the_idle_timeout_returns_to_the_neutral_screen_not_to_the_case(app, handed, emma, clock):
    clock.forward(31 * 60)
    # The form the person left is gone; any address leads to the neutral screen, never the login's way back.
    assert handed.get("/handover/form").headers["Location"].endswith("/handover/tak")
    assert handed.get(f"/cases/{emma.case}").headers["Location"].endswith("/handover/tak")
    neutral = handed.get("/handover/tak")
    assert neutral.status_code == 200 and "Tak — giv enheden tilbage" in neutral.text
    assert not any(word in neutral.text for word in CASE_DATA)
    # The case worker's password opens it again, and the session goes on.
    assert handed.post("/handover/unlock", data={"password": "wrong"}).status_code == 200
    assert handed.post("/handover/unlock", data={"password": PASSWORD}).headers["Location"].endswith("/handover")
    assert "Hvem skal svare nu?" in handed.get("/handover").text


def test_a_session_past_its_12_hours_ends_at_the_login_page(app, handed, clock):
    clock.forward(12 * 3600 + 60)
    response = handed.get("/handover/tak")
    assert "/login" in response.headers["Location"]
    assert "/login" in handed.get("/").headers["Location"]  # the mode ended with the session


# --- 4: back, reload and history show nothing of an earlier person --------------------------------

def test_every_hand_over_page_is_sent_no_store(staff, emma):
    start(staff, emma.round)
    pages = [staff.get("/handover"), hand_to(staff, emma.invitations["child"]),
             staff.post("/handover/form", data={}), staff.post("/handover/form", data=CHILD_FORM),
             staff.get("/handover/tak"), staff.get("/"), staff.post("/handover/unlock", data={"password": "x"})]
    assert [page.headers.get("Cache-Control") for page in pages] == ["no-store"] * len(pages)


def test_the_next_person_gets_an_empty_form_in_their_own_language(app, handed, emma):
    child = handed.get("/handover/form?lang=en")
    assert 'lang="en"' in child.text
    handed.post("/handover/form", data=CHILD_FORM)
    handed.post("/handover/unlock", data={"password": PASSWORD})
    mother = hand_to(handed, emma.invitations["mother"])
    assert 'lang="da"' in mother.text  # the child's choice of English stayed with the child
    with handed.session_transaction() as cookie:
        assert "lang" not in cookie
    shown = re.findall(r'<input[^>]*class="vas-number"[^>]*>', mother.text)
    assert shown and all('value=""' in field or "value=" not in field for field in shown)
    assert "7,5" not in mother.text and "7.5" not in mother.text


def test_a_person_who_answered_before_is_not_offered_nor_their_answers_filled_in(app, make, handed, emma):
    make.answer(emma.invitations["father"], {"fit-outcome-child": {"me": 2.0}})
    handed.post("/handover/form", data=CHILD_FORM)
    handed.post("/handover/unlock", data={"password": PASSWORD})
    pick = handed.get("/handover").text
    assert f'action="/handover/{emma.invitations["father"]}"' not in pick
    assert f'action="/handover/{emma.invitations["mother"]}"' in pick
    refused = handed.post(f"/handover/{emma.invitations['father']}")
    assert refused.headers["Location"].endswith("/handover")
    assert handed.get("/handover/form").headers["Location"].endswith("/handover")


# --- 5 and 6: each answer records how it came in, and reconciliation says so --------------------------

def test_an_answer_on_the_device_is_recorded_as_given_with_help(app, handed, emma):
    handed.post("/handover/form", data=CHILD_FORM)
    answers = current(app, emma.invitations["child"])
    assert {(r.answered_with, r.paper_dated) for r in answers} == {("help", None)}


def test_declining_on_the_device_is_a_real_answer_given_with_help(app, handed, emma):
    declined = handed.post("/handover/decline")
    assert declined.headers["Location"].endswith("/handover/tak")
    answers = current(app, emma.invitations["child"])
    assert answers and all(r.declined and r.answered_with == "help" for r in answers)


def test_answers_on_their_own_phone_are_not_marked(app, make, emma):
    make.answer(emma.invitations["mother"], {"fit-outcome-child": {"me": 2.0}})
    assert {r.answered_with for r in current(app, emma.invitations["mother"])} == {None}


def _meeting_held(app, meeting_id: int, days_ago: int) -> date:
    held_on = date.today() - timedelta(days=days_ago)
    with app.app_context():
        db.session.execute(update(Meeting).where(Meeting.id == meeting_id).values(held_on=held_on))
        db.session.commit()
    return held_on


# The paper's date: a real date, not in the future, not before the meeting (the brief, item 6).
PAPER_DATES = [
    (lambda held: held, None),
    (lambda held: date.today(), None),
    (lambda held: date.today() + timedelta(days=1), "Datoen kan ikke ligge efter i dag."),
    (lambda held: held - timedelta(days=1), "Datoen kan ikke ligge før mødet."),
    ("", "Skriv datoen på papiret."),
    ("31-02-2026", "Skriv datoen som dag, måned og år"),
]


@pytest.mark.parametrize("dated, refused", PAPER_DATES)
def test_paper_answers_keep_the_papers_date(app, staff, emma, dated, refused):
    held_on = _meeting_held(app, emma.meeting, 10)
    start(staff, emma.round, "paper")
    form = hand_to(staff, emma.invitations["mother"])
    assert "Datoen på papiret" in form.text and "Jeg vil ikke svare" not in form.text
    day = dated(held_on) if callable(dated) else None
    posted = {**MOTHER_FORM, "dated": day.isoformat() if day else dated}
    response = staff.post("/handover/form", data=posted)
    if refused:
        assert response.status_code == 200 and refused in response.text
        assert current(app, emma.invitations["mother"]) == []
        return
    # Paper is typed in by the case worker: back to the list, no neutral screen to unlock.
    assert response.headers["Location"].endswith("/handover")
    assert {(r.answered_with, r.paper_dated) for r in current(app, emma.invitations["mother"])} == {("paper", day)}


def test_reconciliation_says_how_each_answer_came_in(app, make, staff, emma):
    make.answer(emma.invitations["father"], {"fit-outcome-child": {"me": 2.0}})
    start(staff, emma.round)
    hand_to(staff, emma.invitations["child"])
    staff.post("/handover/form", data=CHILD_FORM)
    staff.post("/handover/unlock", data={"password": PASSWORD})
    staff.post("/handover/end")
    start(staff, emma.round, "paper")
    hand_to(staff, emma.invitations["mother"])
    staff.post("/handover/form", data={**MOTHER_FORM, "dated": date.today().isoformat()})
    staff.post("/handover/end")
    page = staff.get(f"/rounds/{emma.round}/reconcile").text
    today = f"{date.today().day}. "
    assert page.count("besvaret med hjælp") == 2  # the child's two forms
    assert len(re.findall(rf"indtastet fra papir \({today}", page)) == 2  # the mother's two
    login(staff)  # still logged in: the marks are for staff only, not for the respondent's pages


# --- unlocking by a fresh login at the identity provider (a real OpenID Connect test server) ----------

def _through_provider(client, issuer: str, start_url: str, sub: str):
    """Follow a redirect to the identity provider, log in there as sub, and come back; return the last answer."""
    to_provider = client.get(start_url)
    assert to_provider.status_code == 302 and to_provider.location.startswith(issuer), to_provider.text
    back = httpx.post(to_provider.location, data={"sub": sub})
    callback = urlsplit(back.headers["location"])
    return to_provider, client.get(f"{callback.path}?{callback.query}")


@pytest.mark.filterwarnings(r"ignore:get_jwt_config\(self, grant\) is deprecated:DeprecationWarning")
def test_a_case_worker_from_the_identity_provider_unlocks_by_logging_in_there_again(request, make):
    oidc_app, issuer = request.getfixturevalue("idp_app"), request.getfixturevalue("provider")
    anne = make.user("anne@kommune.dk", team=make.team())
    _provider_user(issuer, "anne@kommune.dk", name="Anne Rådgiver")
    _provider_user(issuer, "bo@kommune.dk", name="Bo Berg")
    ids = make.emma(anne)
    client = oidc_app.test_client()
    _, landed = _through_provider(client, issuer, "/login/oidc", "anne@kommune.dk")
    assert landed.status_code == 302 and landed.location == "/"
    start(client, ids.round)
    hand_to(client, ids.invitations["child"])
    client.post("/handover/form", data=CHILD_FORM)
    neutral = client.get("/handover/tak").text
    assert 'name="password"' not in neutral and "log ind igen for at låse op" in neutral
    # Someone else's login at the provider does not unlock the case worker's device.
    asked, back = _through_provider(client, issuer, "/handover/unlock/idp", "bo@kommune.dk")
    assert {"prompt": ["login"], "max_age": ["0"]}.items() <= parse_qs(urlsplit(asked.location).query).items()
    assert back.headers["Location"].endswith("/handover/tak")
    assert client.get("/").headers["Location"].endswith("/handover/tak")
    # The case worker's own fresh login does.
    _, back = _through_provider(client, issuer, "/handover/unlock/idp", "anne@kommune.dk")
    assert back.headers["Location"].endswith("/handover")
    assert "Hvem skal svare nu?" in client.get("/handover").text


@pytest.mark.parametrize("role, told", [("child", "Du bestemmer selv, om du vil svare."),
                                        ("mother", "Det er frivilligt at svare.")])
def test_the_form_on_the_device_says_who_reads_it_and_that_it_is_voluntary(staff, emma, role, told):
    start(staff, emma.round)
    form = hand_to(staff, emma.invitations[role]).text
    assert told in form and "Anne Rådgiver" in form


@pytest.mark.parametrize("meanwhile", ["revoked", "decided"])
def test_a_form_sent_after_its_link_was_revoked_or_the_round_decided_stores_nothing(app, make, handed, emma,
                                                                                    meanwhile):
    with app.app_context():
        if meanwhile == "revoked":
            db.session.execute(update(Invitation).where(Invitation.id == emma.invitations["child"])
                               .values(revoked_at=utcnow()))
        else:
            db.session.execute(update(Round).where(Round.id == emma.round).values(locked_at=utcnow()))
        db.session.commit()
    sent = handed.post("/handover/form", data=CHILD_FORM)
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/handover/tak")
    assert current(app, emma.invitations["child"]) == []


# Bad input on the device gets a clear message and loses nothing, never a server error (DESIGN.md §3):
# (mode, posted besides a whole form, refused). Two values for one field: the first is read.
TODAY = date.today().isoformat()
HOSTILE = [
    ("help", {"fit-outcome-child.me": "x" * 100_000}, True),
    ("help", {"fit-outcome-child.me": "7\x00"}, True),
    ("help", {"fit-outcome-child.me": "-1", "submission": "../../etc"}, True),
    ("help", {"fit-outcome-child.me": ["1", "2"]}, False),
    ("help", {"dated": "9999-99-99"}, False),  # no date on a form answered with help: not read
    ("paper", {"dated": "9999-99-99"}, True),
    ("paper", {"dated": "\x00" * 10}, True),
    ("paper", {"dated": "1" * 10_000}, True),
    ("paper", {"dated": TODAY, "fit-outcome-child.me": "x" * 100_000}, True),
]


@pytest.mark.parametrize("mode, posted, refused", HOSTILE)
def test_hostile_input_on_the_device_gets_a_clear_message(app, staff, emma, mode, posted, refused):
    start(staff, emma.round, mode)
    hand_to(staff, emma.invitations["mother"])
    response = staff.post("/handover/form", data={**MOTHER_FORM, **posted})
    if refused:
        assert response.status_code == 200 and "Der mangler noget" in response.text
        assert current(app, emma.invitations["mother"]) == []
    else:
        assert response.status_code == 302
