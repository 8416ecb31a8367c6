"""Before a meeting: "what do we want to see happen?" (DESIGN.md flow C, INSTRUMENTS.md section 6)."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.instruments import current_catalogue, propose
from app.invitations.models import Round
from app.reconcile.reconciliation import undecided_rounds
from tests.factories import login, proposed_forms
from tests.qr import decode_svg


@pytest.fixture
def emma(make, caseworker):
    return make.emma(caseworker, open_round=False)


@pytest.fixture
def emma11(make, caseworker):
    """Emma at 11: old enough to be asked for wishes herself (forms/see-happen.toml, from 10)."""
    return make.emma(caseworker, child_age=11, open_round=False)


@pytest.fixture
def staff(client, emma):
    login(client)
    return client


def _plan(app, emma, days=7):
    """Move Emma's meeting into the future."""
    from app.cases.models import Meeting

    with app.app_context():
        db.session.get(Meeting, emma.meeting).held_on = date.today() + timedelta(days=days)
        db.session.commit()


def _tokens_from_screen(staff, round_id):
    """Return the tokens the meeting screen shows, in invitation order (read from its QR codes)."""
    grid = staff.get(f"/rounds/{round_id}/screen?view=grid").text
    return [decode_svg(svg)[0].rsplit("/", 1)[1] for svg in re.findall(r"<svg.*?</svg>", grid, re.S)]


def test_the_see_happen_form_is_never_proposed_or_offered_as_feedback(app, staff, emma):
    with app.app_context():
        catalogue = current_catalogue()
        assert "see-happen" in catalogue
        for role in ["child", "mother", "father", "carer", "network", "provider", "school"]:
            for kind in ["network_meeting", "follow_up", "startup"]:
                proposed = propose(catalogue, role=role, child_age=9, meeting_kind=kind, fit_exempt=False, max_forms=99)
                assert "see-happen" not in [i.id for i in proposed]
    page = staff.get(f"/meetings/{emma.meeting}/feedback").text
    assert 'value="see-happen"' not in page and proposed_forms(page)


def test_asking_for_wishes_gives_each_chosen_participant_the_form(app, staff, emma11):
    emma = emma11
    _plan(app, emma)
    page = staff.get(f"/cases/{emma.case}").text
    assert "Spørg om ønsker før mødet" in page
    form = staff.get(f"/meetings/{emma.meeting}/wishes/new").text
    assert "Mette (Mor)" in form
    response = staff.post(f"/meetings/{emma.meeting}/wishes/new",
                          data={"participants": [str(emma.people["child"]), str(emma.people["mother"]), str(emma.people["provider"])]})
    assert response.status_code == 302
    with app.app_context():
        round_ = db.session.scalar(select(Round).where(Round.kind == "see_happen"))
        assert sorted(i.person.role for i in round_.invitations) == ["child", "mother", "provider"]
        assert all(i.instrument_ids == ["see-happen"] for i in round_.invitations)
        # Wishes feed the agenda; they are not new information to decide on.
        assert undecided_rounds(round_.meeting.case) == []
    assert "runde venter på" not in staff.get(f"/cases/{emma.case}").text


def test_the_one_list_shows_every_answer_per_person_and_who_has_not_answered(app, staff, client, emma11):
    emma = emma11
    _plan(app, emma)
    staff.post(f"/meetings/{emma.meeting}/wishes/new",
               data={"participants": [str(emma.people["child"]), str(emma.people["mother"]), str(emma.people["father"])]})
    with app.app_context():
        round_ = db.session.scalar(select(Round).where(Round.kind == "see_happen"))
        round_id = round_.id
    tokens = _tokens_from_screen(staff, round_id)
    assert len(tokens) == 3
    visitor = client.application.test_client()
    child_intro = visitor.get(f"/r/{tokens[0]}").text
    # Issue 11 item 6: a meeting that does not worry a child, and grammar ("se ske", not "have sker").
    assert "Vi skal snart holde et møde, hvor vi taler om, hvordan det går." in child_intro
    assert "Snart er der møde om dig" not in child_intro and "have sker" not in child_intro
    child_form = visitor.get(f"/r/{tokens[0]}/form").text
    assert "Det første, jeg gerne vil se ske" in child_form
    # Up to three, and one is fine: no "write three … you only need to write one".
    assert "Skriv op til tre ting, du gerne vil se ske. Én er også fint." in child_form
    assert "Du behøver kun skrive én" not in child_form and "have sker" not in child_form
    assert visitor.post(f"/r/{tokens[0]}/form", data={"see-happen.first": "At mor og far ikke skændes"}).status_code == 302
    mother_form = visitor.get(f"/r/{tokens[1]}/form").text
    assert "Det første, jeg gerne vil se ske for barnet" in mother_form
    # The first wish is required; the second and third are not.
    missing = visitor.post(f"/r/{tokens[1]}/form", data={"see-happen.second": "Ro om morgenen"})
    assert missing.status_code == 200 and "Svar venligst på dette spørgsmål." in missing.text and "Ro om morgenen" in missing.text
    too_long = visitor.post(f"/r/{tokens[1]}/form", data={"see-happen.first": "x" * 301})
    assert "Dit svar må højst være 300 tegn langt." in too_long.text
    visitor.post(f"/r/{tokens[1]}/form", data={"see-happen.first": "Emma i skole", "see-happen.third": "Ro om morgenen"})
    page = staff.get(f"/meetings/{emma.meeting}/wishes").text
    assert "At mor og far ikke skændes" in page and "Emma i skole" in page and "Ro om morgenen" in page
    answered, _, missing_part = page.partition("Har ikke svaret endnu")
    assert "<td>Emma</td><td>Barn/ung</td>" in answered and "<td>Mette</td><td>Mor</td>" in answered
    assert "Jonas (Far)" in missing_part and "Jonas" not in answered


def test_wishes_cannot_be_asked_for_a_meeting_already_held(app, staff, emma):
    from app.cases.models import Meeting

    with app.app_context():
        db.session.get(Meeting, emma.meeting).held_on = date.today() - timedelta(days=1)
        db.session.commit()
    response = staff.post(f"/meetings/{emma.meeting}/wishes/new", data={"participants": [str(emma.people["mother"])]})
    assert response.status_code == 409 and "Mødet er holdt." in response.text
    with app.app_context():
        assert db.session.scalar(select(Round).where(Round.kind == "see_happen")) is None


@pytest.mark.parametrize(("data", "message"), [
    ({}, "Vælg mindst én deltager."),
    ({"participants": "999999"}, "Vælg en af mulighederne."),
    ({"participants": "abc"}, "Vælg en af mulighederne."),
])
def test_bad_wish_requests_are_refused(app, staff, emma, data, message):
    _plan(app, emma)
    response = staff.post(f"/meetings/{emma.meeting}/wishes/new", data=data)
    assert response.status_code == 400 and message in response.text


def test_another_team_cannot_ask_or_read_wishes(app, make, emma):
    make.user("stranger", team=make.team("Team Syd"))
    client = app.test_client()
    login(client, "stranger")
    assert client.get(f"/meetings/{emma.meeting}/wishes").status_code == 403
    assert client.get(f"/meetings/{emma.meeting}/wishes/new").status_code == 403
    assert client.post(f"/meetings/{emma.meeting}/wishes/new", data={"participants": "1"}).status_code == 403


def test_every_staff_page_of_an_answered_see_happen_round_works(app, staff, emma):
    _plan(app, emma)
    staff.post(f"/meetings/{emma.meeting}/wishes/new", data={"participants": [str(emma.people["mother"])]})
    with app.app_context():
        round_id = db.session.scalar(select(Round).where(Round.kind == "see_happen")).id
    [token] = _tokens_from_screen(staff, round_id)
    app.test_client().post(f"/r/{token}/form", data={"see-happen.first": "Faste aftaler med skolen"})
    round_page = staff.get(f"/rounds/{round_id}")
    assert round_page.status_code == 200 and "Ønsker før mødet" in round_page.text
    assert "Faste aftaler med skolen" in round_page.text and "Se alle ønsker til mødet" in round_page.text
    # Nothing is decided on wishes: the decision page leads to the list, and a posted decision is refused.
    assert staff.get(f"/rounds/{round_id}/reconcile").headers["Location"] == f"/meetings/{emma.meeting}/wishes"
    posted = staff.post(f"/rounds/{round_id}/reconcile", data={"outcome": "no_adjustment", "reason_text": "Ok",
                                                               "follow_up": "no"})
    assert posted.status_code == 302
    with app.app_context():
        assert db.session.get(Round, round_id).locked_at is None
    for url in (f"/rounds/{round_id}/report.pdf", f"/rounds/{round_id}/summary",
                f"/rounds/{round_id}/screen", f"/rounds/{round_id}/handout.pdf", f"/cases/{emma.case}",
                f"/cases/{emma.case}/reconcile"):
        assert staff.get(url).status_code == 200, url
    assert "Samstem: ønsker før" in staff.get(f"/rounds/{round_id}/summary").text
    # The wishes are no round waiting for a decision.
    assert "Der er ikke noget nyt at tage stilling til." in staff.get(f"/cases/{emma.case}/reconcile").text


def test_a_decision_on_wishes_is_refused_by_the_service(app, staff, emma):
    from app.cases.models import Case
    from app.reconcile import services as decisions

    _plan(app, emma)
    staff.post(f"/meetings/{emma.meeting}/wishes/new", data={"participants": [str(emma.people["mother"])]})
    with app.test_request_context():
        round_ = db.session.scalar(select(Round).where(Round.kind == "see_happen"))
        case = db.session.get(Case, emma.case)
        with pytest.raises(decisions.DecisionError, match="Der skal ikke tages stilling til dem"):
            decisions.decide(case, [round_], case.caseworker, outcome="no_adjustment", text="Ok", follow_up_on=None)


# Issue 11 item 6: see-happen has a minimum age (10, forms/see-happen.toml). The case worker is
# told why a younger child is not asked, and asking for one anyway is refused: nothing is created.
YOUNG = "Emma er 9 år og bliver ikke spurgt om ønsker: det gør vi fra 10 år. Tal med Emma om det før mødet."


def test_a_child_under_10_is_not_ticked_and_the_page_says_why(app, staff, emma):
    _plan(app, emma)
    page = staff.get(f"/meetings/{emma.meeting}/wishes/new").text
    assert YOUNG in page
    ticked = set(re.findall(r'<input checked [^>]*value="(\d+)"', page))
    assert str(emma.people["child"]) not in ticked and str(emma.people["mother"]) in ticked


def test_asking_a_child_under_10_for_wishes_is_refused_with_a_clear_message(app, staff, emma):
    _plan(app, emma)
    response = staff.post(f"/meetings/{emma.meeting}/wishes/new",
                          data={"participants": [str(emma.people["child"]), str(emma.people["mother"])]})
    assert response.status_code == 409 and YOUNG in response.text
    with app.app_context():
        assert db.session.scalar(select(Round).where(Round.kind == "see_happen")) is None


@pytest.mark.parametrize(("age", "asked"), [(9, False), (10, True), (16, True)])
def test_the_child_is_asked_for_wishes_from_10(app, make, caseworker, client, age, asked):
    from app.cases.models import Meeting
    from app.status import wishes

    ids = make.emma(caseworker, child_age=age, open_round=False)
    _plan(app, ids)
    with app.test_request_context():
        meeting = db.session.get(Meeting, ids.meeting)
        child = meeting.case.child
        refused = wishes.not_asked(meeting, [child])
        assert (refused == []) is asked
        if not asked:
            with pytest.raises(wishes.WishesError, match="bliver ikke spurgt om ønsker: det gør vi fra 10 år"):
                wishes.ask(meeting, meeting.case.caseworker, [child], date.today())
