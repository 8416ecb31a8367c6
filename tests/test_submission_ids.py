"""Every rendered respondent form is one submission (issue 12 items 2 and 4).

Each public form carries a submission id, made when the page is rendered; the database
keeps each id once, so the same form sent twice (a double tap, a retry after a dropped
connection) is stored once and thanked the same, even when the link's lock is gone. A
browser that keeps no cookies can answer every form: the token in the address is the key.
"""

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.invitations.models import Response
from app.observations import services as observations
from app.observations.models import Observation
from app.respond import services as respond
from app.timestamps import utcnow
from app.tokens import typed_code
from tests.test_exactly_once import _post, _race, _rows, _together
from tests.test_indicators import scored
from tests.test_respond import CHILD_FORM, NETWORK_FORM


@pytest.fixture
def emma(make, caseworker):
    return make.emma(caseworker)


def hidden(page: str, action: str | None) -> dict[str, str]:
    """Return the hidden fields of the page's form that posts to `action` (None: to the page itself)."""
    posts_to = r'action="' + re.escape(action) + '"' if action else r'method="post"'
    form = re.search(r'<form[^>]*' + posts_to + r'[^>]*>(.*?)</form>', page, re.S)
    assert form is not None, action
    fields = re.findall(r'<input[^>]*type="hidden"[^>]*>', form.group(1))
    return {re.search(r'name="([^"]+)"', f).group(1): re.search(r'value="([^"]*)"', f).group(1) for f in fields}


# --- the public forms, and where each one's answer is kept -----------------------------------

def _questionnaire(app, make, emma) -> tuple[str, str, dict, Callable[[], int]]:
    token = emma.tokens["child"]
    return f"/r/{token}/form", f"/r/{token}/form", CHILD_FORM, lambda: len(_rows(app, emma.invitations["child"]))


def _decline(app, make, emma):
    token = emma.tokens["father"]
    return f"/r/{token}", f"/r/{token}/decline", {}, lambda: len(_rows(app, emma.invitations["father"]))


def _status(app, make, emma):
    goal = make.goal(emma.case)
    _, tokens, invitations = make.status_request(emma)
    data = {"overall": "Emma trives bedre.", "rating": "7", "reviewed": "no", "reason": "Mor var syg.",
            f"goal_{goal}_attainment": "some"}
    url = f"/r/{tokens['provider']}/form"
    return url, url, data, lambda: len(_rows(app, invitations["provider"]))


def _scoring(app, make, emma):
    ids = make.indicator_case(make.user("ida", team=make.team("Team Syd")))
    make.indicator_round(ids)
    url = f"/r/{ids.tokens['mother']}/form"
    return url, url, scored(), lambda: len(_rows(app, ids.invitations["mother"]))


def _wishes(app, make, emma):
    from app.auth.models import User
    from app.cases.models import Meeting, Person
    from app.status import wishes

    ids = make.emma(make.user("ida", team=make.team("Team Syd")), open_round=False)
    with app.test_request_context():
        meeting = db.session.get(Meeting, ids.meeting)
        meeting.held_on = date.today() + timedelta(days=7)
        user = db.session.get(User, meeting.case.caseworker_id)
        round_, issued = wishes.ask(meeting, user, [db.session.get(Person, ids.people["mother"])], date.today())
        [(invitation_id, token)] = issued.items()
        db.session.commit()
    url = f"/r/{token}/form"
    return url, url, {"see-happen.first": "At mor og far ikke skændes"}, lambda: len(_rows(app, invitation_id))


def _observation(app, make, emma):
    _, token = make.observation_link(emma.case, emma.people["network"])

    def stored():
        with app.app_context():
            return len(db.session.scalars(select(Observation)).all())

    return f"/o/{token}", f"/o/{token}", {"kind": "positive", "text": "Emma lo hele vejen hjem."}, stored


FORMS = {"questionnaire": _questionnaire, "decline": _decline, "status": _status, "indicator scoring": _scoring,
         "see-happen wishes": _wishes, "observation": _observation}


@pytest.mark.parametrize("kind", FORMS)
def test_every_public_form_carries_a_new_submission_id_each_time_it_is_rendered(app, client, make, emma, kind):
    page, action, _, _ = FORMS[kind](app, make, emma)
    ids = [hidden(client.get(page).text, action).get("submission") for _ in range(2)]
    assert all(ids) and ids[0] != ids[1], ids


@pytest.mark.parametrize("kind", FORMS)
def test_every_public_form_works_in_a_browser_that_keeps_no_cookies(app, make, emma, kind):
    # Issue 12 item 4: the token is the key; the CSRF check needs no session cookie.
    app.config["WTF_CSRF_ENABLED"] = True
    page, action, data, stored = FORMS[kind](app, make, emma)
    browser = app.test_client(use_cookies=False)
    fields = hidden(browser.get(page).text, action)
    for _ in range(2):  # the second is the same form sent again: thanked alike, stored once
        response = browser.post(action, data=data | fields)
        assert response.status_code == 302 and "/thanks" in response.headers["Location"], response.text[:300]
        assert browser.get(response.headers["Location"]).status_code == 200
    # One row per form of the link: the child and the father each answer two.
    assert stored() == (2 if kind in ("questionnaire", "decline") else 1)


def test_a_typed_code_works_in_a_browser_that_keeps_no_cookies(app, emma):
    app.config["WTF_CSRF_ENABLED"] = True
    browser = app.test_client(use_cookies=False)
    fields = hidden(browser.get("/code").text, None)
    response = browser.post("/code", data=fields | {"code": typed_code(emma.tokens["child"])})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/r/{emma.tokens['child']}")


def test_a_page_for_one_link_cannot_post_to_another(app, emma):
    app.config["WTF_CSRF_ENABLED"] = True
    browser = app.test_client(use_cookies=False)
    fields = hidden(browser.get(f"/r/{emma.tokens['child']}/form").text, f"/r/{emma.tokens['child']}/form")
    response = browser.post(f"/r/{emma.tokens['network']}/form", data=NETWORK_FORM | fields)
    assert response.status_code == 200 and "Siden var for gammel" in response.text
    assert _rows(app, emma.invitations["network"]) == []


# --- the same submission, again --------------------------------------------------------------

OTHER_NETWORK_FORM = NETWORK_FORM | {"participation-network.comment": "Jeg har tænkt mig om."}
FIRST, SECOND = "a" * 22, "b" * 22


def _comments(app, invitation_id: int) -> list[tuple[str, bool]]:
    return [(answers["comment"], current) for _, answers, _, current in _rows(app, invitation_id)]


def test_a_late_retry_of_an_earlier_answer_does_not_replace_the_newer_one(app, client, emma):
    # A retry after a dropped connection can arrive after the respondent has sent a new answer.
    url = f"/r/{emma.tokens['network']}/form"
    for data in (NETWORK_FORM | {"submission": FIRST}, OTHER_NETWORK_FORM | {"submission": SECOND},
                 NETWORK_FORM | {"submission": FIRST}):
        response = client.post(url, data=data)
        assert response.status_code == 302 and response.headers["Location"].endswith("/thanks")
    assert _comments(app, emma.invitations["network"]) == [
        (NETWORK_FORM["participation-network.comment"], False), ("Jeg har tænkt mig om.", True)]


def test_a_late_retry_of_a_decline_does_not_undo_the_answer_given_after_it(app, client, emma):
    token = emma.tokens["network"]
    assert client.post(f"/r/{token}/decline", data={"submission": FIRST}).status_code == 302
    assert client.post(f"/r/{token}/form", data=NETWORK_FORM | {"submission": SECOND}).status_code == 302
    assert client.post(f"/r/{token}/decline", data={"submission": FIRST}).status_code == 302
    assert [(declined, current) for *_, declined, current in _rows(app, emma.invitations["network"])] == [
        (True, False), (False, True)]


def test_the_same_form_sent_again_changed_is_a_new_answer(app, client, emma):
    # A page the browser kept (back button), edited and sent again carries the same id: never lost.
    url = f"/r/{emma.tokens['network']}/form"
    for data in (NETWORK_FORM, OTHER_NETWORK_FORM):
        assert client.post(url, data=data | {"submission": FIRST}).status_code == 302
    assert _comments(app, emma.invitations["network"]) == [
        (NETWORK_FORM["participation-network.comment"], False), ("Jeg har tænkt mig om.", True)]


def test_an_observation_sent_again_later_is_stored_once_and_a_changed_one_is_new(app, client, emma, make, monkeypatch):
    _, token = make.observation_link(emma.case, emma.people["network"])
    monkeypatch.setattr(observations, "REPEAT_WINDOW", timedelta(0))  # only the submission id tells
    data = {"kind": "negative", "text": "Emma græd ved afleveringen.", "submission": FIRST}
    for sent in (data, data, data | {"text": "Emma græd, men blev glad igen."}):
        assert client.post(f"/o/{token}", data=sent).status_code == 302
    with app.app_context():
        texts = [o.text for o in db.session.scalars(select(Observation).order_by(Observation.id))]
    assert texts == ["Emma græd ved afleveringen.", "Emma græd, men blev glad igen."]


@pytest.mark.parametrize("posted", ["", "kort", "x" * 65, "ÆØÅ" * 8, "a b" * 8, "'; DROP TABLE response; --" * 2])
def test_a_missing_or_odd_submission_id_is_a_new_submission_not_an_error(app, client, emma, posted):
    url = f"/r/{emma.tokens['network']}/form"
    for data in (NETWORK_FORM, OTHER_NETWORK_FORM):
        assert client.post(url, data=data | {"submission": posted}).status_code == 302
    assert [current for _, current in _comments(app, emma.invitations["network"])] == [False, True]


# --- the database keeps each submission once ---------------------------------------------------

def test_the_database_keeps_each_submission_once(app, emma, make):
    _, token = make.observation_link(emma.case, emma.people["network"])
    with app.app_context():
        link = observations.find_link(token)
        row = {"invitation_id": emma.invitations["network"], "instrument_id": "participation-network",
               "instrument_version": 1, "answers": {}, "language": "da", "submission_id": FIRST,
               "respondent_role": "network"}
        db.session.execute(insert(Response), [row | {"superseded_at": utcnow()}])
        with pytest.raises(IntegrityError):
            db.session.execute(insert(Response), [row])
        db.session.rollback()
        seen = {"case_id": emma.case, "link_id": link.id, "kind": "positive", "text": "Hej", "language": "da",
                "submission_id": FIRST}
        db.session.execute(insert(Observation), [seen])
        with pytest.raises(IntegrityError):
            db.session.execute(insert(Observation), [seen | {"text": "Hej igen"}])
        db.session.rollback()


@pytest.fixture
def no_link_lock(monkeypatch):
    """Take the link's lock away: racing writes then meet only the database's unique indexes."""
    monkeypatch.setattr(respond, "_hold", lambda invitation: db.session.expire(invitation, ["responses"]))
    monkeypatch.setattr(observations, "_hold", lambda link: None)


def test_a_double_tapped_observation_is_stored_once_even_without_the_links_lock(app, emma, make, no_link_lock):
    # Issue 12 item 2: the constraint, not only the order of arrival, keeps it to one.
    _, token = make.observation_link(emma.case, emma.people["network"])
    data = {"kind": "negative", "text": "Emma græd ved afleveringen.", "submission": FIRST}
    outcomes = _race(app, _together(2), [_post(f"/o/{token}", data)] * 2)
    assert [(o.error, o.status) for o in outcomes] == [(None, 302), (None, 302)]
    with app.app_context():
        assert len(db.session.scalars(select(Observation)).all()) == 1


def test_a_double_submit_is_stored_once_and_thanked_twice_even_without_the_links_lock(app, emma, no_link_lock):
    url = f"/r/{emma.tokens['child']}/form"
    outcomes = _race(app, _together(2), [_post(url, CHILD_FORM | {"submission": FIRST})] * 2)
    assert [(o.error, o.status) for o in outcomes] == [(None, 302), (None, 302)]
    rows = _rows(app, emma.invitations["child"])
    assert sorted(form for form, *_ in rows) == ["fit-outcome-child", "fit-session-child"]
