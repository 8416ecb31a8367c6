"""Standing observation links and everyday observations (DESIGN.md D), and deciding on them (E)."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.invitations.models import Round
from app.observations.models import Observation, ObservationLink
from app.observations.services import find_link
from app.reconcile import services as decisions
from app.reconcile.models import Decision
from app.tokens import hash_token
from tests.factories import login, no_script_but_ours


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def emma(make, caseworker):
    """Emma's case without a round; the grandmother (network) holds a standing link."""
    ids = make.emma(caseworker, open_round=False)
    ids.goal = make.goal(ids.case)
    ids.link, ids.tokens["network"] = make.observation_link(ids.case, ids.people["network"])
    return ids


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _observations(app) -> list[Observation]:
    with app.app_context():
        rows = db.session.scalars(select(Observation).order_by(Observation.id)).all()
        db.session.expunge_all()
        return rows


# --- making and revoking links ------------------------------------------------------------


def test_a_new_link_is_shown_once_with_its_qr_code_and_only_its_hash_is_stored(app, staff, emma):
    page = staff.get(f"/cases/{emma.case}/observation-links/new")
    assert page.status_code == 200 and "Grete" in page.text and "Emma</small>" in page.text
    assert f'value="{emma.people["child"]}"' not in page.text  # never the child
    response = staff.post(f"/cases/{emma.case}/observation-links/new", data={"person": emma.people["mother"]})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    url = re.search(r'value="(http://localhost/o/([0-9A-Z]{26}))"', response.text)
    assert url and "<svg" in response.text and "kun denne ene gang" in response.text
    token = url.group(2)
    assert len(token) * 5 >= 128
    with app.app_context():
        link = find_link(token)
        assert link.token_hash == hash_token(token) and token not in link.token_hash
        assert link.person_id == emma.people["mother"] and link.created_by.username == "anne"
    # The case page does not show it again.
    assert token not in staff.get(f"/cases/{emma.case}").text


def test_a_new_link_for_the_same_person_replaces_the_old_one(app, staff, emma):
    staff.post(f"/cases/{emma.case}/observation-links/new", data={"person": emma.people["network"]})
    old = staff.get(f"/o/{emma.tokens['network']}")
    assert old.status_code == 410 and "Linket er lukket" in old.text
    assert _count(app, ObservationLink) == 2


@pytest.mark.parametrize("person", ["child", "stranger", "garbage", "huge", "missing"])
def test_a_link_only_for_an_adult_of_this_case(app, staff, emma, make, person):
    other = make.emma(make.user("other", team=make.team("Team Syd")), open_round=False)
    value = {"child": emma.people["child"], "stranger": other.people["network"], "garbage": "abc",
             "huge": "99999999999999999999", "missing": None}[person]
    response = staff.post(f"/cases/{emma.case}/observation-links/new", data={} if value is None else {"person": value})
    assert response.status_code == 400
    assert "Vælg" in response.text
    assert _count(app, ObservationLink) == 1  # only the one the fixture made


def test_revoking_a_link_shows_a_kind_page_and_a_new_one_can_be_made(app, staff, emma):
    response = staff.post(f"/cases/{emma.case}/observation-links/{emma.link}/revoke", data={"confirm": "yes"})
    assert response.status_code == 302
    case_page = _text(staff.get(f"/cases/{emma.case}").text)
    assert "Linket til Grete virker ikke længere." in case_page and "Lukket" in case_page
    for url in (f"/o/{emma.tokens['network']}", f"/o/{emma.tokens['network']}/thanks"):
        page = staff.get(url)
        assert page.status_code == 410
        assert "Dette link virker ikke længere" in page.text and "Anne Rådgiver" in page.text
    posted = staff.post(f"/o/{emma.tokens['network']}", data={"kind": "positive", "text": "Hej"})
    assert posted.status_code == 410 and _count(app, Observation) == 0
    # Revoking twice changes nothing; a new link works.
    assert staff.post(f"/cases/{emma.case}/observation-links/{emma.link}/revoke", data={"confirm": "yes"}).status_code == 302
    assert staff.post(f"/cases/{emma.case}/observation-links/{emma.link}/revoke").status_code == 302
    response = staff.post(f"/cases/{emma.case}/observation-links/new", data={"person": emma.people["network"]})
    token = re.search(r"/o/([0-9A-Z]{26})", response.text).group(1)
    assert staff.get(f"/o/{token}").status_code == 200


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_closing_a_link_asks_first_and_the_link_works_until_confirmed(app, staff, emma, method):
    # Issue 10 item 15: closing (revoking) a standing link asks once; a POST without the "yes" only asks.
    url = f"/cases/{emma.case}/observation-links/{emma.link}/revoke"
    asked = staff.open(url, method=method)
    assert asked.status_code == 200
    assert "Vil du lukke linket til Grete?" in asked.text and 'name="confirm" value="yes"' in asked.text
    assert f'href="/cases/{emma.case}#observations"' in asked.text
    with app.app_context():
        assert db.session.get(ObservationLink, emma.link).revoked_at is None
    assert staff.get(f"/o/{emma.tokens['network']}").status_code == 200
    assert staff.post(url, data={"confirm": "yes"}).status_code == 302
    assert staff.get(f"/o/{emma.tokens['network']}").status_code == 410


def test_revoking_another_cases_link_is_404(staff, emma, make):
    other = make.emma(make.user("other2", team=make.team("Team Vest")), open_round=False)
    other_link, _ = make.observation_link(other.case, other.people["network"])
    assert staff.post(f"/cases/{emma.case}/observation-links/{other_link}/revoke").status_code == 404
    assert staff.post(f"/cases/{emma.case}/observation-links/99999999999/revoke").status_code == 404


# --- the public page ----------------------------------------------------------------------


def test_the_page_shows_only_first_name_case_worker_and_organisation(client, emma):
    page = client.get(f"/o/{emma.tokens['network']}")
    assert page.status_code == 200
    text = _text(page.text)
    assert "Emma" in text and "Anne Rådgiver" in text
    assert "Sag-Ø-17" not in text and "Grete" not in text and no_script_but_ours(page.text)
    # The open goal to choose, by its life domain only (issue 10, item 14).
    assert "Skole, uddannelse og beskæftigelse" in text and "Emma kommer i skole hver dag." not in text
    english = client.get(f"/o/{emma.tokens['network']}?lang=en")
    assert "Tell us what you saw" in english.text


def test_goals_are_shown_by_life_domain_never_by_their_wording(app, client, emma, make):
    """Issue 10, item 14: the link never expires, so the plan's wording never reaches its page;
    a goal is named by its life domain (numbered when two share one), and the observation still
    records which goal, and which wording of it, it is about."""
    second = make.goal(emma.case, "Emma møder til tiden tre dage om ugen.")
    home = make.goal(emma.case, "Mor og Emma spiser aftensmad sammen.", domain="family")
    wordings = ["Emma kommer i skole hver dag.", "Emma møder til tiden", "Mor og Emma spiser aftensmad"]
    url = f"/o/{emma.tokens['network']}"
    pages = [client.get(url), client.post(url, data={"text": "Hun var glad.", "goal": str(home)}),
             client.get(f"{url}?lang=en")]
    for page in pages:
        assert page.status_code in (200, 400)
        assert not [words for words in wordings if words in page.text]
    options = re.findall(r'value="(\d+)"[^>]*> <span>([^<]+)</span>', pages[0].text)
    assert options == [(str(emma.goal), "Skole, uddannelse og beskæftigelse (1)"),
                       (str(second), "Skole, uddannelse og beskæftigelse (2)"), (str(home), "Familieforhold")]
    assert "School, education and employment (2)" in pages[2].text and "Family relations" in pages[2].text
    # The typed text stays after the refusal, and so does the chosen goal.
    assert "Hun var glad." in pages[1].text and re.search(rf'<input checked[^>]*value="{home}"', pages[1].text)

    response = client.post(url, data={"kind": "positive", "text": "Hun var glad.", "goal": str(second)})
    assert response.status_code == 302
    [stored] = _observations(app)
    assert (stored.goal_id, stored.goal_version) == (second, 1)


def test_an_observation_is_stored_with_its_goal_version_and_thanks(app, client, emma):
    response = client.post(f"/o/{emma.tokens['network']}",
                           data={"kind": "mixed", "text": "  Emma var glad, men træt.  ", "goal": str(emma.goal)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/thanks")
    thanks = client.get(response.headers["Location"])
    assert "Tak, fordi du fortalte det!" in thanks.text and "Fortæl om noget andet" in thanks.text
    [stored] = _observations(app)
    assert (stored.kind, stored.text, stored.goal_id, stored.goal_version, stored.language) == (
        "mixed", "Emma var glad, men træt.", emma.goal, 1, "da")
    assert stored.case_id == emma.case and stored.link_id == emma.link and stored.decided_at is None
    # Another one later is simply another observation.
    client.post(f"/o/{emma.tokens['network']}", data={"kind": "positive", "text": "Hun scorede et mål!"})
    assert [o.goal_id for o in _observations(app)] == [emma.goal, None]


def test_a_double_submit_stores_one_observation(app, client, emma):
    data = {"kind": "negative", "text": "Emma græd ved afleveringen."}
    assert client.post(f"/o/{emma.tokens['network']}", data=data).status_code == 302
    assert client.post(f"/o/{emma.tokens['network']}", data=data).status_code == 302
    assert len(_observations(app)) == 1


BAD_INPUT = [
    ("no-kind", {"text": "Noget"}, "Vælg, om det var godt, ikke godt eller både og."),
    ("bad-kind", {"kind": "great", "text": "Noget"}, "Vælg en af mulighederne."),
    ("no-text", {"kind": "positive", "text": "   "}, "Skriv, hvad du så."),
    ("too-long", {"kind": "positive", "text": "x" * 4001}, "Teksten er for lang. Skriv højst 4000 tegn."),
    ("cpr", {"kind": "positive", "text": "Emma 010203-1234"}, "Skriv ikke CPR-numre i Samstem."),
    ("goal-garbage", {"kind": "positive", "text": "Noget", "goal": "abc"}, "Vælg en af mulighederne."),
    ("goal-huge", {"kind": "positive", "text": "Noget", "goal": "99999999999999999999"}, "Vælg en af mulighederne."),
]


@pytest.mark.parametrize(("data", "message"), [c[1:] for c in BAD_INPUT], ids=[c[0] for c in BAD_INPUT])
def test_bad_input_gets_a_message_and_keeps_what_was_typed(app, client, emma, data, message):
    response = client.post(f"/o/{emma.tokens['network']}", data=data)
    assert response.status_code == 400
    assert message in _text(response.text)
    if data.get("text", "").strip() and len(data["text"]) < 100:
        assert data["text"] in response.text
    assert _observations(app) == []


def test_a_goal_of_another_case_or_a_closed_goal_is_refused(app, client, emma, make):
    other = make.emma(make.user("other3", team=make.team("Team Øst")), open_round=False)
    foreign = make.goal(other.case, "Et andet barns mål")
    response = client.post(f"/o/{emma.tokens['network']}", data={"kind": "positive", "text": "Noget", "goal": foreign})
    assert response.status_code == 400 and "Et andet barns mål" not in response.text
    assert _observations(app) == []


def test_nul_bytes_are_dropped(app, client, emma):
    response = client.post(f"/o/{emma.tokens['network']}", data={"kind": "positive", "text": "Em\x00ma\x00 lo"})
    assert response.status_code == 302
    assert [o.text for o in _observations(app)] == ["Emma lo"]


def test_a_stale_page_keeps_what_was_typed(app, emma, make):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    response = client.post(f"/o/{emma.tokens['network']}", data={"kind": "positive", "text": "Det jeg skrev"})
    assert response.status_code == 400
    assert "Siden var for gammel" in response.text and "Det jeg skrev" in response.text


@pytest.mark.parametrize("token", ["ABC", "0" * 26, "Z" * 27, "ÆØÅ" * 9, "%00" * 10])
def test_bad_and_unknown_tokens_give_the_dead_link_page(client, emma, token):
    for method in ("GET", "POST"):
        response = client.open(f"/o/{token}", method=method, data={"kind": "positive", "text": "x"})
        assert response.status_code == 404, (token, method)
        assert "Linket virker ikke" in response.text
    assert client.get(f"/o/{token}/thanks").status_code == 404


def test_failed_tokens_are_rate_limited(app, client, emma):
    app.config["TOKEN_FAILURE_LIMIT"] = "3 per minute"
    for _ in range(3):
        assert client.get("/o/" + "0" * 26).status_code == 404
    assert client.get("/o/" + "0" * 26).status_code == 429
    assert "Vent lidt" in client.get("/o/" + "1" * 26).text


# --- deciding on observations (flow E) ---------------------------------------------------


def _decide(staff, case_id: int, page: str, **fields):
    rounds = re.search(r'name="rounds" type="hidden" value="([^"]*)"', page)
    observations = re.search(r'name="observations" type="hidden" value="([^"]*)"', page)
    data = {"outcome": "no_adjustment", "reason_text": "Bekræfter planen.", "follow_up": "no",
            "rounds": rounds.group(1) if rounds else "", "observations": observations.group(1) if observations else ""}
    data.update(fields)
    return staff.post(f"/cases/{case_id}/reconcile", data=data)


def test_observations_wait_for_a_decision_on_the_case_page_and_in_reconciliation(app, staff, emma, make):
    make.observation(emma.tokens["network"], "negative", "Emma sov dårligt hele ugen.", emma.goal)
    case_page = _text(staff.get(f"/cases/{emma.case}").text)
    assert "1 observation fra netværket venter på, at du tager stilling." in case_page
    assert "Emma sov dårligt hele ugen." in case_page and "Venter på stillingtagen" in case_page
    page = staff.get(f"/cases/{emma.case}/reconcile").text
    text = _text(page)
    assert "Grete (Netværk, mormor)" in text and "Negativ" in text and "Emma sov dårligt hele ugen." in text
    assert "Emma kommer i skole hver dag." in text and "Beslutningen gælder 1 observation ovenfor." in text
    assert "Der er ikke noget nyt" not in text


def test_a_decision_on_observations_alone(app, staff, emma, make):
    first = make.observation(emma.tokens["network"], "positive", "God dag.")
    second = make.observation(emma.tokens["network"], "negative", "Svær aften.")
    page = staff.get(f"/cases/{emma.case}/reconcile").text
    assert _decide(staff, emma.case, page).status_code == 302
    with app.app_context():
        decision = db.session.scalar(select(Decision))
        assert [o.id for o in decision.observations] == [first, second] and decision.rounds == []
        assert all(o.decided_at is not None for o in decision.observations)
    after = _text(staff.get(f"/cases/{emma.case}/reconcile").text)
    assert "Der er ikke noget nyt at tage stilling til." in after and "Gælder 2 observationer fra netværket." in after
    assert "venter på, at du tager stilling" not in _text(staff.get(f"/cases/{emma.case}").text)


def test_a_decision_covers_rounds_and_observations_together(app, staff, make, caseworker):
    ids = make.emma(caseworker)
    _, token = make.observation_link(ids.case, ids.people["network"])
    observation = make.observation(token)
    page = staff.get(f"/cases/{ids.case}/reconcile").text
    assert "Beslutningen gælder også 1 observation ovenfor." in _text(page)
    assert _decide(staff, ids.case, page).status_code == 302
    with app.app_context():
        decision = db.session.scalar(select(Decision))
        assert [r.id for r in decision.rounds] == [ids.round] and [o.id for o in decision.observations] == [observation]
        assert db.session.get(Round, ids.round).is_locked


def test_an_observation_arriving_after_the_page_opened_gives_409(app, staff, emma, make):
    make.observation(emma.tokens["network"], "positive", "Først.")
    page = staff.get(f"/cases/{emma.case}/reconcile").text
    make.observation(emma.tokens["network"], "negative", "Bagefter.")
    response = _decide(staff, emma.case, page, reason_text="Det jeg skrev")
    assert response.status_code == 409
    text = _text(response.text)
    assert "Der er kommet nyt til, siden du åbnede siden." in text and "Bagefter." in text and "Det jeg skrev" in text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Decision)) == 0


def test_nothing_new_needs_no_decision(app, staff, emma):
    response = _decide(staff, emma.case, "")
    assert "Der er ikke noget nyt at tage stilling til." in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Decision)) == 0


def test_a_correction_keeps_the_observations_and_an_observation_is_decided_once(app, make, emma):
    observation_id = make.observation(emma.tokens["network"])
    with app.test_request_context():
        from app.auth.models import User
        from app.cases.models import Case

        case = db.session.get(Case, emma.case)
        user = db.session.get(User, case.caseworker_id)
        observation = db.session.get(Observation, observation_id)
        first = decisions.decide(case, [], user, outcome="action", text="Ring til mor.", follow_up_on=None,
                                 observations=[observation])
        with pytest.raises(decisions.DecisionError, match="allerede taget stilling"):
            decisions.decide(case, [], user, outcome="action", text="Igen.", follow_up_on=None,
                             observations=[observation])
        db.session.rollback()
        first = db.session.get(Decision, first.id) or decisions.decide(
            case, [], user, outcome="action", text="Ring til mor.", follow_up_on=None,
            observations=[db.session.get(Observation, observation_id)])
        correction = decisions.decide(case, [], user, outcome="no_adjustment", text="Ikke nødvendigt.",
                                      follow_up_on=date.today() + timedelta(days=7), corrects=first)
        db.session.commit()
        assert [o.id for o in correction.observations] == [observation_id]
        assert correction.follow_up_meeting.participants[0].id == emma.people["network"]
        with pytest.raises(decisions.DecisionError, match="ikke noget nyt"):
            decisions.decide(case, [], user, outcome="action", text="x", follow_up_on=None)


def test_an_observation_of_another_case_cannot_be_decided_here(app, make, emma):
    other = make.emma(make.user("other4", team=make.team("Team Midt")), open_round=False)
    _, token = make.observation_link(other.case, other.people["network"])
    foreign = make.observation(token)
    with app.test_request_context():
        from app.cases.models import Case

        case = db.session.get(Case, emma.case)
        with pytest.raises(decisions.DecisionError, match="Observationen hører ikke til denne sag."):
            decisions.decide(case, [], case.caseworker, outcome="action", text="x", follow_up_on=None,
                             observations=[db.session.get(Observation, foreign)])


def test_leaders_and_admins_cannot_make_links(app, emma, make):
    for username, role in (("boss", "leader"), ("root", "admin")):
        make.user(username, role=role)
        client = app.test_client()
        login(client, username)
        assert client.post(f"/cases/{emma.case}/observation-links/new",
                           data={"person": emma.people["network"]}).status_code == 403
        assert client.post(f"/cases/{emma.case}/observation-links/{emma.link}/revoke").status_code == 403
    assert _count(app, ObservationLink) == 1
