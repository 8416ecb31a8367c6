"""The provider status before a follow-up meeting (DESIGN.md flow B, INSTRUMENTS.md section 3)."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.invitations.models import Invitation, Response, Round
from app.outbox.models import LINK, OutboxMessage
from app.status import services
from app.status.services import GoalSnapshot
from app.timestamps import utcnow
from tests.factories import login, no_script_but_ours

TODAY = date(2026, 3, 10)
GOALS = [GoalSnapshot(1, 1, "Emma kommer i skole hver dag."), GoalSnapshot(2, 3, "Emma sover hjemme.")]


def good_form(**changes) -> dict:
    """A complete status for GOALS; changes replace or (as None) drop fields."""
    form = {
        "goal_1_attainment": "high", "goal_1_done": "Vi har hentet hende om morgenen.",
        "goal_2_attainment": "some",
        "overall": "Emma trives bedre.", "rating": "7",
        "reviewed": "yes", "reviewed_on": "2026-03-09", "family_comments": "Mor er enig.",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def test_a_complete_status_snapshots_each_goal_as_it_was_asked():
    answers, errors = services.validate(good_form(), GOALS, TODAY)
    assert errors == {}
    assert answers["goals"][1] == {"goal_id": 2, "version": 3, "text": "Emma sover hjemme.", "attainment": "some",
                                   "done": "", "works": "", "worries": "", "next": "", "observations": ""}
    assert answers["rating"] == 7 and answers["reviewed_on"] == "2026-03-09"


# INSTRUMENTS.md section 3: every rule of the form, and the message the provider gets.
@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"goal_2_attainment": None}, "goal_2_attainment", "Vælg, hvor langt I er med målet."),
    ({"goal_1_attainment": "maybe"}, "goal_1_attainment", "Vælg, hvor langt I er med målet."),
    ({"overall": "  "}, "overall", "Skriv din samlede vurdering"),
    ({"rating": None}, "rating", "Vælg et tal fra 0 til 10."),
    ({"rating": "11"}, "rating", "Vælg et tal fra 0 til 10."),
    ({"rating": "6.5"}, "rating", "Vælg et tal fra 0 til 10."),
    ({"rating": "-1"}, "rating", "Vælg et tal fra 0 til 10."),
    ({"reviewed": None}, "reviewed", "Svar på, om statussen er gennemgået med familien."),
    ({"reviewed_on": ""}, "reviewed_on", "Skriv datoen, hvor I gennemgik statussen med familien."),
    ({"reviewed_on": "9/3 2026"}, "reviewed_on", "Datoen ser ikke rigtig ud."),
    ({"reviewed_on": "2026-02-30"}, "reviewed_on", "Datoen ser ikke rigtig ud."),
    ({"reviewed_on": "2026-03-11"}, "reviewed_on", "Datoen kan ikke ligge i fremtiden."),
    ({"reviewed": "no", "reviewed_on": None}, "reason", "Skriv, hvorfor statussen ikke er gennemgået med familien."),
    ({"goal_1_worries": "x" * 2001}, "goal_1_worries", "Højst 2000 tegn. Du har skrevet 2001."),
    ({"overall": "x" * 4001}, "overall", "Højst 4000 tegn."),
    ({"family_comments": "x" * 2001}, "family_comments", "Højst 2000 tegn."),
    ({"reviewed": "no", "reason": "x" * 1001}, "reason", "Højst 1000 tegn."),
    ({"goal_1_observations": "Emmas cpr 010203-1234"}, "goal_1_observations", "Skriv ikke CPR-numre."),
])
def test_each_rule_of_the_status_form_has_its_own_message(app, changes, field, message):
    with app.test_request_context():
        _, errors = services.validate(good_form(**changes), GOALS, TODAY)
    assert list(errors) == [field]
    assert errors[field].startswith(message)


def test_not_reviewed_with_a_reason_needs_no_date(app):
    with app.test_request_context():
        answers, errors = services.validate(good_form(reviewed="no", reviewed_on=None, reason="Mor var syg."), GOALS, TODAY)
    assert errors == {} and answers["reason"] == "Mor var syg." and "reviewed_on" not in answers


def test_reviewed_today_is_fine(app):
    with app.test_request_context():
        _, errors = services.validate(good_form(reviewed_on=TODAY.isoformat()), GOALS, TODAY)
    assert errors == {}


# ---- The case worker asks --------------------------------------------------------------


@pytest.fixture
def emma(make, caseworker):
    ids = make.emma(caseworker)
    ids.goal = make.goal(ids.case)
    return ids


@pytest.fixture
def staff(client, emma):
    login(client)
    return client


def _give_email(app, person_id, email="lise@udfoerer.dk"):
    from app.cases.models import Person

    with app.app_context():
        db.session.get(Person, person_id).email = email
        db.session.commit()


def _request(client, case_id, **changes):
    data = {"meeting": "new", "new_meeting_on": (date.today() + timedelta(days=14)).isoformat(),
            "due_on": (date.today() + timedelta(days=7)).isoformat()} | changes
    return client.post(f"/cases/{case_id}/status/new", data={k: v for k, v in data.items() if v is not None})


def test_asking_for_a_status_creates_the_meeting_round_and_an_email_with_the_link_placeholder(app, staff, emma):
    _give_email(app, emma.people["provider"])
    page = staff.get(f"/cases/{emma.case}/status/new").text
    assert "Bed om status" in page and "Lise (Udfører)" in page
    response = _request(staff, emma.case, recipients=str(emma.people["provider"]))
    assert response.status_code == 302
    with app.app_context():
        round_ = db.session.scalar(select(Round).where(Round.kind == "status"))
        assert round_.due_on == date.today() + timedelta(days=7)
        assert round_.meeting.kind == "follow_up" and round_.meeting.held_on == date.today() + timedelta(days=14)
        (invitation,) = round_.invitations
        assert invitation.instrument_ids == ["provider-status"]
        # The link outlives the due date: an answer after it is still taken.
        assert invitation.expires_at.date() >= round_.due_on + timedelta(days=app.config["TOKEN_DAYS"])
        (message,) = db.session.scalars(select(OutboxMessage)).all()
        assert message.recipient == "lise@udfoerer.dk" and message.invitation_id == invitation.id
        assert LINK in message.body and "Emma" in message.body and "Anne Rådgiver" in message.body
        assert "Samstem Kommune" in message.body and "Status om Emma senest" in message.subject
        due = round_.due_on
        assert f"{due.day}." in message.subject


def test_a_planned_meeting_can_be_chosen(app, make, staff, emma):
    _give_email(app, emma.people["provider"])
    # The decision form's follow-up creates a planned meeting; here the factory's request does the same.
    make.status_request(emma)
    with app.app_context():
        planned = db.session.scalar(select(Round).where(Round.kind == "status")).meeting
        meeting_id, held_on = planned.id, planned.held_on
    response = _request(staff, emma.case, meeting=str(meeting_id), new_meeting_on=None,
                        recipients=str(emma.people["provider"]))
    assert response.status_code == 302
    with app.app_context():
        rounds = db.session.scalars(select(Round).where(Round.kind == "status")).all()
        assert [r.meeting_id for r in rounds] == [meeting_id, meeting_id] and rounds[1].meeting.held_on == held_on


def test_a_goal_less_status_request_is_refused_with_a_link_to_add_a_goal(app, make, caseworker):
    ids = make.emma(caseworker, open_round=False)
    client = app.test_client()
    login(client)
    for response in (client.get(f"/cases/{ids.case}/status/new"), _request(client, ids.case, recipients=str(ids.people["provider"]))):
        assert "Sagen har ingen mål i barnets plan" in response.text
        assert f'href="/cases/{ids.case}/goals/new"' in response.text
    assert response.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(Round).where(Round.kind == "status")) is None


def test_a_recipient_without_email_is_named_with_a_link_to_the_person_page(app, staff, emma):
    response = _request(staff, emma.case, recipients=str(emma.people["provider"]))
    assert response.status_code == 400
    assert "Lise har ingen e-mailadresse. Tilføj den på personens side" in response.text
    assert f'/cases/{emma.case}/people/{emma.people["provider"]}' in response.text
    with app.app_context():
        assert db.session.scalar(select(Round).where(Round.kind == "status")) is None


@pytest.mark.parametrize(("changes", "message"), [
    ({"due_on": ""}, "Skriv en frist for statussen."),
    ({"due_on": "i morgen"}, "Skriv datoen som dag, måned og år, fx 14-03-2026."),
    ({"due_on": (date.today() - timedelta(days=1)).isoformat()}, "Fristen kan ikke ligge før i dag."),
    ({"due_on": (date.today() + timedelta(days=15)).isoformat()}, "Fristen skal ligge senest på mødedagen."),
    ({"new_meeting_on": ""}, "Skriv datoen for det nye opfølgningsmøde."),
    ({"new_meeting_on": "14/3"}, "Skriv datoen som dag, måned og år, fx 14-03-2026."),
    ({"new_meeting_on": (date.today() - timedelta(days=1)).isoformat()}, "Mødet kan ikke ligge før i dag."),
    ({"meeting": None}, "Vælg et møde"),
    ({"meeting": "999999"}, "Vælg en af mulighederne."),
    ({"recipients": None}, "Vælg mindst én modtager."),
    ({"recipients": "abc"}, "Vælg en af mulighederne."),
])
def test_bad_request_input_gets_a_clear_message_and_keeps_what_was_typed(app, staff, emma, changes, message):
    _give_email(app, emma.people["provider"])
    data = {"recipients": str(emma.people["provider"])} | changes
    response = _request(staff, emma.case, **data)
    assert response.status_code == 400
    assert message in response.text
    for name in ("due_on", "new_meeting_on"):
        if data.get(name):  # typed dates come back as typed
            assert f'value="{data[name]}"' in response.text
    with app.app_context():
        assert db.session.scalar(select(Round).where(Round.kind == "status")) is None


def test_only_provider_and_school_can_be_recipients(app, staff, emma):
    _give_email(app, emma.people["mother"], "mette@example.dk")
    response = _request(staff, emma.case, recipients=str(emma.people["mother"]))
    assert response.status_code == 400 and "Vælg en af mulighederne." in response.text


def test_another_teams_case_worker_cannot_ask(app, make, emma):
    make.user("stranger", team=make.team("Team Syd"))
    client = app.test_client()
    login(client, "stranger")
    assert client.get(f"/cases/{emma.case}/status/new").status_code == 403
    assert _request(client, emma.case, recipients=str(emma.people["provider"])).status_code == 403


# ---- The provider answers ------------------------------------------------------------


@pytest.fixture
def asked(app, make, emma):
    """A status round asking Lise (provider) and Bente (school); returns (round id, tokens, invitation ids)."""
    make.school(emma.case)
    return make.status_request(emma, roles=("provider", "school"))


def _goal_field(app, emma, name):
    return f"goal_{emma.goal}_{name}"


def _answer(emma, **changes):
    data = {f"goal_{emma.goal}_attainment": "high", f"goal_{emma.goal}_works": "Morgenruten virker.",
            "overall": "Emma trives bedre.", "rating": "7", "reviewed": "yes",
            "reviewed_on": date.today().isoformat(), "family_comments": "Mor er enig."} | changes
    return {k: v for k, v in data.items() if v is not None}


def _statuses(app, invitation_id):
    with app.app_context():
        return db.session.scalars(select(Response).where(Response.invitation_id == invitation_id).order_by(Response.id)).all()


def _set_due(app, round_id, due_on):
    with app.app_context():
        db.session.get(Round, round_id).due_on = due_on
        db.session.commit()


def test_the_intro_says_what_is_asked_who_reads_it_and_the_due_date(client, asked):
    _round_id, tokens, _ = asked
    page = client.get(f"/r/{tokens['provider']}").text
    assert "Status før opfølgningsmødet" in page
    assert "Hvem læser den? Anne Rådgiver, som er rådgiver" in page
    due = date.today() + timedelta(days=7)
    assert f"Frist: {due.day}. " in page
    assert "Sag-Ø-17" not in page and "Mette" not in page


# Issue 11 item 12: the status names the meeting it is asked before by its own kind, not always
# "opfølgningsmødet", and says "mødet den 3. marts".
@pytest.mark.parametrize("kind, heading", [
    ("network_meeting", "Status før netværksmødet"),
    ("action_plan", "Status før mødet om barnets plan"),
    ("fit_session", "Status før FIT-samtalen"),
])
def test_the_intro_names_the_meetings_own_kind(app, make, caseworker, client, kind, heading):
    from app.auth.models import User
    from app.cases.models import Case, Meeting

    ids = make.emma(caseworker, kind=kind, open_round=False)
    make.goal(ids.case)
    with app.test_request_context():
        case, user = db.session.get(Case, ids.case), db.session.get(User, caseworker)
        provider = next(p for p in case.people if p.role == "provider")
        provider.email = "lise@udfoerer.dk"
        _, issued = services.request_status(case, user, meeting=db.session.get(Meeting, ids.meeting),
                                            new_meeting_on=None, due_on=date.today(), people=[provider])
        db.session.commit()
    page = re.sub(r"\s+", " ", client.get(f"/r/{next(iter(issued.values()))}").text)
    assert f"<h1>{heading}</h1>" in page and "opfølgningsmødet" not in page
    assert f"før mødet den {date.today().day}. " in page


def test_every_meeting_kind_can_be_named_as_one_meeting():
    from app.cases.models import MEETING_KINDS
    from app.labels import MEETING_KIND_DEFINITE_LABELS, MEETING_KIND_LABELS

    assert set(MEETING_KIND_DEFINITE_LABELS) == set(MEETING_KIND_LABELS) == set(MEETING_KINDS)


def test_the_form_shows_one_block_per_open_goal(app, make, client, emma, asked):
    page = client.get(f"/r/{asked[1]['provider']}/form").text
    assert "Emma kommer i skole hver dag." in page
    for label in ["Helt opfyldt", "I høj grad opfyldt", "I nogen grad opfyldt", "Ikke opfyldt", "Ikke relevant",
                  "Hvad er der gjort for at nå målet?", "Hvad virker?", "Hvad er du bekymret for?",
                  "Hvad skal der til nu?", "Iagttagelser", "Gennemgået med familien"]:
        assert label in page, label
    assert page.count('name="rating"') == 11 and no_script_but_ours(page)


def test_a_status_is_stored_with_the_goal_as_it_was_asked(app, make, client, emma, asked):
    _round_id, tokens, invitations = asked
    response = client.post(f"/r/{tokens['provider']}/form", data=_answer(emma))
    assert response.status_code == 302 and response.headers["Location"].endswith("/thanks")
    thanks = client.get(response.headers["Location"]).text
    assert "Tak for din status!" in thanks and "efter fristen" not in thanks
    (stored,) = _statuses(app, invitations["provider"])
    assert stored.instrument_id == "provider-status" and stored.instrument_version == 1
    assert stored.answers["goals"] == [{"goal_id": emma.goal, "version": 1, "text": "Emma kommer i skole hver dag.",
                                        "attainment": "high", "done": "", "works": "Morgenruten virker.",
                                        "worries": "", "next": "", "observations": ""}]
    assert stored.answers["rating"] == 7
    # A later rewording changes neither the stored answer nor the form the provider reopens.
    make_reworded = client.application.test_request_context()
    with make_reworded:
        from flask_login import login_user

        from app.cases import services as cases
        from app.cases.models import Goal

        goal = db.session.get(Goal, emma.goal)
        login_user(goal.case.caseworker)
        cases.reword_goal(goal, goal.case.caseworker, {"text": "Emma møder til tiden.", "domain": "school", "kind": "improve"})
        db.session.commit()
    again = client.get(f"/r/{tokens['provider']}/form").text
    assert "Emma kommer i skole hver dag." in again and "Emma møder til tiden." not in again
    assert "Morgenruten virker." in again


def test_missing_answers_get_messages_and_everything_typed_is_kept(app, client, emma, asked):
    _, tokens, invitations = asked
    data = _answer(emma, **{f"goal_{emma.goal}_attainment": None, "rating": None, "reviewed_on": "",
                            "overall": "Emma <trives> & leger."})
    response = client.post(f"/r/{tokens['provider']}/form", data=data)
    assert response.status_code == 400
    page = response.text
    for message in ["Vælg, hvor langt I er med målet.", "Vælg et tal fra 0 til 10.",
                    "Skriv datoen, hvor I gennemgik statussen med familien."]:
        assert message in page
    assert "Emma &lt;trives&gt; &amp; leger." in page and "Morgenruten virker." in page and "Mor er enig." in page
    assert 'value="yes" checked' in page
    assert _statuses(app, invitations["provider"]) == []


@pytest.mark.parametrize(("changes", "message"), [
    ({"reviewed_on": (date.today() + timedelta(days=1)).isoformat()}, "Datoen kan ikke ligge i fremtiden."),
    ({"reviewed_on": "i går"}, "Datoen ser ikke rigtig ud."),
    ({"reviewed": "no", "reviewed_on": None}, "Skriv, hvorfor statussen ikke er gennemgået med familien."),
    ({"overall": "x" * 4001}, "Højst 4000 tegn. Du har skrevet 4001."),
    ({"rating": "ti"}, "Vælg et tal fra 0 til 10."),
])
def test_bad_status_input_is_refused_by_the_page(app, client, emma, asked, changes, message):
    _, tokens, invitations = asked
    response = client.post(f"/r/{tokens['provider']}/form", data=_answer(emma, **changes))
    assert response.status_code == 400 and message in response.text
    assert _statuses(app, invitations["provider"]) == []


# Issue 11, item 10: the provider is not asked for "åååå-mm-dd"; a date typed day first is read,
# a wrong one is explained as the browser's date field shows it, and what was typed stays.
def test_the_review_date_is_asked_without_a_format_and_read_day_first(app, client, emma, asked):
    _, tokens, invitations = asked
    url = f"/r/{tokens['provider']}/form"
    page = client.get(url).text
    assert "åååå" not in page and "Hvornår gennemgik I den?<" in page
    wrong = client.post(url, data=_answer(emma, reviewed_on="31-02-2026"))
    assert wrong.status_code == 400
    assert "Datoen ser ikke rigtig ud. Skriv den som dag, måned og år, fx 14-03-2026." in wrong.text
    assert 'value="31-02-2026"' in wrong.text and "Mor er enig." in wrong.text
    assert _statuses(app, invitations["provider"]) == []
    reviewed = date.today() - timedelta(days=2)
    assert client.post(url, data=_answer(emma, reviewed_on=reviewed.strftime("%d.%m.%Y"))).status_code == 302
    (stored,) = _statuses(app, invitations["provider"])
    assert stored.answers["reviewed_on"] == reviewed.isoformat()


def test_sending_again_keeps_the_earlier_version_and_a_double_click_adds_none(app, client, emma, asked):
    _, tokens, invitations = asked
    url = f"/r/{tokens['provider']}/form"
    client.post(url, data=_answer(emma))
    client.post(url, data=_answer(emma))  # the same, twice
    client.post(url, data=_answer(emma, rating="8"))
    versions = _statuses(app, invitations["provider"])
    assert [r.answers["rating"] for r in versions] == [7, 8]
    assert versions[0].superseded_at is not None and versions[1].superseded_at is None


def test_a_status_after_the_due_date_is_accepted_and_marked_late(app, make, client, staff, emma, asked):
    round_id, tokens, invitations = asked
    _set_due(app, round_id, date.today() - timedelta(days=1))
    form = client.get(f"/r/{tokens['provider']}/form").text
    assert "Fristen er overskredet, men du kan stadig sende statussen." in form
    response = client.post(f"/r/{tokens['provider']}/form", data=_answer(emma))
    assert response.status_code == 302
    thanks = client.get(response.headers["Location"]).text
    assert "Den kom efter fristen" in thanks and "den er modtaget" in thanks
    assert len(_statuses(app, invitations["provider"])) == 1
    round_page = staff.get(f"/rounds/{round_id}").text
    assert "Indsendt efter fristen" in round_page
    case_page = staff.get(f"/cases/{emma.case}").text
    assert "Besvaret efter fristen" in case_page and "Venter" in case_page


def test_a_link_reissued_after_the_due_date_still_outlives_it(app, asked):
    from app.invitations import services as rounds

    _round_id, _, invitations = asked
    with app.test_request_context():
        invitation = db.session.get(Invitation, invitations["provider"])
        invitation.round.due_on = date.today() + timedelta(days=40)
        rounds.reissue(invitation)
        assert invitation.expires_at.date() >= date.today() + timedelta(days=40 + app.config["TOKEN_DAYS"])


def test_a_locked_round_shows_the_closed_page(app, client, emma, asked):
    round_id, tokens, invitations = asked
    with app.app_context():
        db.session.get(Round, round_id).locked_at = utcnow()
        db.session.commit()
    for response in (client.get(f"/r/{tokens['provider']}/form"), client.post(f"/r/{tokens['provider']}/form", data=_answer(emma))):
        assert "Du kan ikke længere svare eller rette her." in response.text
    assert _statuses(app, invitations["provider"]) == []


def test_the_provider_page_speaks_english(client, asked):
    page = client.get(f"/r/{asked[1]['provider']}/form?lang=en").text
    assert "Largely achieved" in page and "Reviewed with the family" in page


def test_the_rating_ends_in_the_adults_shared_pair(client, asked):
    # Issue 11 item 11: "0 er meget dårligt, 10 er rigtig godt" mixed two pairs; the ends are
    # the adults' one shared pair, in every language.
    page = client.get(f"/r/{asked[1]['provider']}/form").text
    assert "0 er meget dårligt, 10 er meget godt." in page and "rigtig godt" not in page
    english = client.get(f"/r/{asked[1]['provider']}/form?lang=en").text
    assert "0 is very bad, 10 is very good." in english


# ---- The case worker reads and decides -------------------------------------------------


@pytest.fixture
def answered(app, make, client, emma, asked):
    """Lise answered an earlier status (rating 5); now Lise (late) and Bente (on time) answer the new one."""
    _first_round, first_tokens, _ = make.status_request(emma, due_in=1, meeting_in=2)
    client.post(f"/r/{first_tokens['provider']}/form", data=_answer(emma, rating="5"))
    round_id, tokens, _ = asked
    client.post(f"/r/{tokens['provider']}/form", data=_answer(emma, **{
        f"goal_{emma.goal}_worries": "Fravær om mandagen.", "rating": "6"}))
    client.post(f"/r/{tokens['school']}/form", data=_answer(emma, **{
        f"goal_{emma.goal}_attainment": "some", "rating": "4", "reviewed": "no", "reviewed_on": None,
        "reason": "Forældrene kom ikke til mødet.", f"goal_{emma.goal}_works": "Lektiecafé."}))
    _set_due(app, round_id, date.today() - timedelta(days=1))
    with app.app_context():
        # Lise's answer came in after the (moved) due date: it was sent "tomorrow".
        lise = db.session.scalars(select(Response).join(Invitation).where(
            Invitation.round_id == round_id, Response.superseded_at.is_(None)).order_by(Response.id)).first()
        lise.submitted_at = utcnow() + timedelta(days=1)
        db.session.commit()
    return round_id


def test_a_status_round_is_reconciled_side_by_side_with_the_previous_rating(staff, emma, answered):
    case_page = staff.get(f"/cases/{emma.case}").text
    assert "runder venter på, at du tager stilling" in case_page
    for url in (f"/rounds/{answered}/reconcile", f"/cases/{emma.case}/reconcile"):
        page = staff.get(url).text
        assert "Status per mål" in page and "Lise (Udfører)" in page and "Bente (Skole/dagtilbud)" in page
        assert "I høj grad opfyldt" in page and "I nogen grad opfyldt" in page
        assert "Fravær om mandagen." in page and "Lektiecafé." in page
        assert re.search(r"6\s*<span class=\"previous\">\(sidst 5, ", page)
        assert "Forældrene kom ikke til mødet." in page and "Mor er enig." in page
        assert "Indsendt efter fristen" in page
    response = staff.post(f"/rounds/{answered}/reconcile", data={
        "outcome": "action", "action_text": "Fraværet tages op på mødet.", "follow_up": "no"})
    assert response.status_code == 302
    assert "Fraværet tages op på mødet." in staff.get(f"/rounds/{answered}/reconcile").text


def test_the_report_pdf_and_text_hold_the_status(staff, emma, answered):
    from tests.qr import pdf_pages_text

    pdf = staff.get(f"/rounds/{answered}/report.pdf")
    assert pdf.status_code == 200
    text = " ".join(" ".join(pdf_pages_text(pdf.data)).split())
    for words in ["Status per mål", "Emma kommer i skole hver dag.", "I høj grad opfyldt", "Fravær om mandagen.",
                  "Forældrene kom ikke til mødet.", "Indsendt efter fristen", "sidst 5"]:
        assert words in text, words
    summary = staff.get(f"/rounds/{answered}/summary").text
    for words in ["Samstem: status før opfølgningsmøde", "Mål 1: Emma kommer i skole hver dag.",
                  "Lise: I høj grad opfyldt", "Bekymrer: Fravær om mandagen.", "Tal (0–10): 6 (sidst 5,",
                  "Lise (Udfører) · Indsendt efter fristen", "Ikke gennemgået med familien: Forældrene kom ikke til mødet."]:
        assert words in summary, words


def test_last_time_is_never_a_day_still_to_come(staff, emma, answered):
    """Issue 10, item 6: Lise's earlier status was given today for a meeting in two days; "sidst"
    names the day she gave it, on the page and in the text, not the meeting's day ahead."""
    from babel.dates import format_date

    from app.timestamps import local_today

    with staff.application.app_context():
        today = local_today()  # the day the answer came, where the organisation is
    ahead = date.today() + timedelta(days=2)
    page = staff.get(f"/rounds/{answered}/reconcile").text
    assert f"(sidst 5, {format_date(today, 'medium', locale='da')})" in page
    assert format_date(ahead, "medium", locale="da") not in page.split("Tal (0–10), sidst", 1)[1]
    summary = staff.get(f"/rounds/{answered}/summary").text
    assert f"(sidst 5, {format_date(today, 'd. MMM yyyy', locale='da')})" in summary


def test_a_status_round_with_no_answers_prints_without_error(staff, asked):
    round_id = asked[0]
    assert staff.get(f"/rounds/{round_id}/report.pdf").status_code == 200
    assert "Ingen status er kommet endnu." in staff.get(f"/rounds/{round_id}/summary").text
    assert staff.get(f"/rounds/{round_id}/handout.pdf").status_code == 200
    assert staff.get(f"/rounds/{round_id}/screen").status_code == 200


def test_the_case_page_lists_status_requests_per_recipient(staff, emma, asked):
    page = staff.get(f"/cases/{emma.case}").text
    assert "Status fra udfører og skole" in page and "Bed om status" in page
    assert "Lise:" in page and "Bente:" in page and page.count(">Venter<") >= 2
    assert f"/rounds/{asked[0]}" in page


def test_a_changed_status_shows_what_it_was_on_the_page_in_the_pdf_and_in_the_text(staff, client, emma, asked):
    """Issue 10 item 5: a replaced answer is kept, and shown as changed, with what it was."""
    from tests.qr import pdf_pages_text

    round_id, tokens, _ = asked
    client.post(f"/r/{tokens['provider']}/form", data=_answer(emma, rating="4", **{
        f"goal_{emma.goal}_attainment": "some"}))
    client.post(f"/r/{tokens['provider']}/form", data=_answer(emma, rating="6"))
    page = staff.get(f"/rounds/{round_id}/reconcile").text
    assert "Ændret" in page and "Lise ændrede sin status" in page
    assert re.search(r"Før ændringen [^<]*: I nogen grad opfyldt", page)
    assert re.search(r"Før ændringen [^<]*: 4", page)
    pdf = " ".join(" ".join(pdf_pages_text(staff.get(f"/rounds/{round_id}/report.pdf").data)).split())
    assert "Lise ændrede sin status" in pdf and "I nogen grad opfyldt" in pdf
    summary = staff.get(f"/rounds/{round_id}/summary").text
    assert "Lise: I høj grad opfyldt (ændret, før " in summary and ": I nogen grad opfyldt)" in summary
    assert re.search(r"Tal \(0–10\): 6.*\(ændret, før [^)]*: 4\)", summary)
    assert "ændrede sin status" in summary
