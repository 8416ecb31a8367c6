"""Feedback rounds: proposal, confirmation, QR codes, hand-out PDF, re-issue and revocation."""

import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app import tokens
from app.cases.models import Person
from app.extensions import db
from app.invitations.models import Invitation
from tests.factories import proposed_forms
from tests.qr import decode_pdf, decode_svg, pdf_pages_text

# The "yes" of the question asked before a link is revoked (issue 10 item 15).
YES = {"confirm": "yes"}


def _confirm(staff, meeting_id: int, choices: dict[int, list[str]]):
    data = {f"person_{pid}": ids for pid, ids in choices.items()}
    return staff.post(f"/meetings/{meeting_id}/feedback", data=data)


def test_proposal_follows_role_age_and_meeting(staff, make, caseworker):
    ids = make.emma(caseworker, open_round=False)
    checked = proposed_forms(staff.get(f"/meetings/{ids.meeting}/feedback").text)
    # Issue 10 item 18: at her network meeting Emma (9) and her parents get their participation
    # evaluation and the outcome scale about Emma (the page lists outcome first), no session
    # scale; the grandmother the network form; the provider the adult form.
    assert checked[ids.people["child"]] == ["fit-outcome-child", "participation-child"]
    assert checked[ids.people["mother"]] == ["fit-outcome-child", "participation-adult"]
    assert checked[ids.people["father"]] == ["fit-outcome-child", "participation-adult"]
    assert checked[ids.people["network"]] == ["participation-network"]
    assert checked[ids.people["provider"]] == ["participation-adult"]


def test_other_meetings_keep_the_outcome_and_session_scales(staff, make, caseworker):
    """Issue 10 item 18: the session scale belongs to the meetings that are no network method."""
    ids = make.emma(caseworker, open_round=False, kind="action_plan")
    checked = proposed_forms(staff.get(f"/meetings/{ids.meeting}/feedback").text)
    assert checked[ids.people["child"]] == ["fit-outcome-child", "fit-session-child"]
    assert checked[ids.people["mother"]] == ["fit-outcome-child", "fit-session"]
    assert ids.people["network"] not in checked and ids.people["provider"] not in checked


def _record_meeting(staff, ids, kind: str, held_on) -> int:
    people = list(ids.people.values())
    response = staff.post(f"/cases/{ids.case}/meetings/new",
                          data={"kind": kind, "held_on": held_on.isoformat(), "participants": people})
    assert response.status_code == 302, response.text
    return int(re.search(r"/meetings/(\d+)/feedback", response.headers["Location"]).group(1))


def test_a_conference_after_a_network_meeting_proposes_the_follow_up_form(staff, make, caseworker):
    """Issue 10 item 18: a network meeting or family group conference that follows an earlier one of
    either kind on the case proposes participation-follow-up, first, to everyone."""
    ids = make.emma(caseworker, open_round=False)
    conference = _record_meeting(staff, ids, "family_group_conference", date.today())
    checked = proposed_forms(staff.get(f"/meetings/{conference}/feedback").text)
    assert checked[ids.people["child"]] == ["fit-outcome-child", "participation-follow-up"]
    assert checked[ids.people["mother"]] == ["fit-outcome-child", "participation-follow-up"]
    for role in ("network", "provider"):
        assert checked[ids.people[role]] == ["participation-follow-up"], role
    # The first network meeting stays the first; a meeting on another case counts for nothing.
    first = proposed_forms(staff.get(f"/meetings/{ids.meeting}/feedback").text)
    assert first[ids.people["network"]] == ["participation-network"]
    other = make.emma(caseworker, open_round=False)
    assert proposed_forms(staff.get(f"/meetings/{other.meeting}/feedback").text)[other.people["network"]] == [
        "participation-network"]


def test_a_network_meeting_recorded_later_but_held_earlier_comes_first(staff, make, caseworker):
    """Issue 10 item 18: "follows" is by the date held, not by when the meeting was typed in."""
    ids = make.emma(caseworker, open_round=False)
    earlier = _record_meeting(staff, ids, "network_meeting", date.today() - timedelta(days=30))
    assert proposed_forms(staff.get(f"/meetings/{earlier}/feedback").text)[ids.people["network"]] == [
        "participation-network"]
    assert proposed_forms(staff.get(f"/meetings/{ids.meeting}/feedback").text)[ids.people["network"]] == [
        "participation-follow-up"]


def test_each_form_offered_to_a_person_has_its_own_name(staff, make, caseworker):
    """Issue 10 item 9: the case worker sees which form is which: outcome or session, child or adult."""
    ids = make.emma(caseworker, open_round=False)
    page = staff.get(f"/meetings/{ids.meeting}/feedback").text
    for fieldset in re.findall(r'<fieldset class="person">.*?</fieldset>', page, re.S):
        labels = [re.sub(r"<[^>]+>", "", label).strip() for label in re.findall(r'<label class="check">(.*?)</label>',
                                                                                 fieldset, re.S)]
        assert labels and len(labels) == len(set(labels)), labels
    assert "Hvordan har du det? — FIT udbytte, børneudgave 6–12 år" in page
    assert "Hvordan har du det? — FIT udbytte, småbørn under 6 år" in page
    assert "Hvordan var mødet? — FIT mødevurdering, børneudgave 6–12 år" in page
    assert "Hvordan var mødet? — FIT mødevurdering, unge 13–17 og voksne" in page


def test_the_case_worker_changes_the_proposal_at_a_network_meeting(staff, make, caseworker, app):
    """Issue 10 item 18: the proposal only ticks; the case worker may give Emma the session scale
    instead of the participation evaluation, and the round asks exactly that."""
    ids = make.emma(caseworker, open_round=False)
    choices = proposed_forms(staff.get(f"/meetings/{ids.meeting}/feedback").text)
    choices[ids.people["child"]] = ["fit-outcome-child", "fit-session-child"]
    choices[ids.people["mother"]] = ["participation-adult"]
    response = _confirm(staff, ids.meeting, choices)
    assert response.status_code == 302, response.text
    with app.app_context():
        asked = {i.person_id: i.instrument_ids for i in db.session.scalars(select(Invitation))}
    assert asked[ids.people["child"]] == ["fit-outcome-child", "fit-session-child"]
    assert asked[ids.people["mother"]] == ["participation-adult"]
    assert asked[ids.people["father"]] == ["fit-outcome-child", "participation-adult"]


def test_exempt_person_is_offered_no_fit_form(staff, make, caseworker):
    ids = make.emma(caseworker, open_round=False, exempt="Barnet er i krise")
    page = staff.get(f"/meetings/{ids.meeting}/feedback").text
    assert "Fritaget for FIT: Barnet er i krise" in page
    assert proposed_forms(page)[ids.people["child"]] == ["participation-child"]
    # A tampered form that adds a FIT form anyway is refused, and nothing is created.
    response = _confirm(staff, ids.meeting, {ids.people["child"]: ["fit-outcome-child"]})
    assert response.status_code == 200
    assert "Vælg en af mulighederne." in response.text


def test_confirming_issues_one_hashed_token_per_participant(staff, make, caseworker, app):
    ids = make.emma(caseworker, open_round=False)
    choices = proposed_forms(staff.get(f"/meetings/{ids.meeting}/feedback").text)
    response = _confirm(staff, ids.meeting, choices)
    assert response.status_code == 302 and "/screen" in response.headers["Location"]
    screen = staff.get(response.headers["Location"]).text
    assert "Emma" in screen and "1 / 5" in screen
    url = decode_svg(re.search(r"<svg.*?</svg>", screen, re.S).group(0))[0]
    token = url.rsplit("/", 1)[1]
    with app.app_context():
        invitations = db.session.scalars(select(Invitation)).all()
        assert len(invitations) == 5
        assert {i.token_hash for i in invitations} >= {tokens.hash_token(token)}
        # Nothing in the database holds the token itself.
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)):
                assert token not in repr(tuple(row)), table.name
    # The QR code on the screen opens that person's form.
    assert staff.application.test_client().get(url.replace("http://localhost", "")).status_code == 200


def test_nothing_chosen_gives_a_message(staff, make, caseworker):
    ids = make.emma(caseworker, open_round=False)
    response = _confirm(staff, ids.meeting, {})
    assert response.status_code == 200 and "Vælg mindst ét skema" in response.text


def test_unknown_instrument_in_a_tampered_form_is_refused(staff, make, caseworker):
    ids = make.emma(caseworker, open_round=False)
    response = _confirm(staff, ids.meeting, {ids.people["mother"]: ["no-such-form"]})
    assert response.status_code == 200 and "Vælg en af mulighederne." in response.text


def test_meeting_screen_shows_each_code_one_at_a_time_and_as_grid(staff, make, caseworker):
    ids = make.emma(caseworker, open_round=False)
    _confirm(staff, ids.meeting, proposed_forms(staff.get(f"/meetings/{ids.meeting}/feedback").text))
    round_url = f"/rounds/{_round_id(staff, ids)}/screen"
    seen = {}
    for n in range(5):
        page = staff.get(f"{round_url}?n={n}").text
        name = re.search(r'<h1 class="qr-name">([^<]+)</h1>', page).group(1)
        seen[name] = decode_svg(re.search(r"<svg.*?</svg>", page, re.S).group(0))[0]
    assert sorted(seen) == ["Emma", "Grete", "Jonas", "Lise", "Mette"]
    assert len(set(seen.values())) == 5
    grid = staff.get(f"{round_url}?view=grid").text
    svgs = re.findall(r"<svg.*?</svg>", grid, re.S)
    assert sorted(decode_svg(s)[0] for s in svgs) == sorted(seen.values())
    # A position past the end or not a number shows a valid page, never an error.
    for bad in ["99", "-1", "abc"]:
        assert staff.get(f"{round_url}?n={bad}").status_code == 200


def _round_id(staff, ids) -> int:
    page = staff.get(f"/cases/{ids.case}").text
    return int(re.search(r'/rounds/(\d+)"', page).group(1))


def test_handout_pdf_has_a_page_per_participant_with_working_codes(staff, make, caseworker):
    ids = make.emma(caseworker, open_round=False)
    _confirm(staff, ids.meeting, proposed_forms(staff.get(f"/meetings/{ids.meeting}/feedback").text))
    response = staff.get(f"/rounds/{_round_id(staff, ids)}/handout.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = decode_pdf(response.data)
    assert len(pages) == 5 and all(len(codes) == 1 for codes in pages)
    texts = [page.extract_text() for page in PdfReader(__import__("io").BytesIO(response.data)).pages]
    for codes, text in zip(pages, texts):
        url = codes[0]
        token = url.rsplit("/", 1)[1]
        flat = text.replace("\n", "")
        assert url in flat, "the short link is printed"
        assert tokens.typed_code(token) in flat, "the typed code is printed"
        # Nothing about the case: not the child's name, not the case number, not who else is asked.
        # The page's own reader is named (issue 10 item 8), so Emma's name is only on her own page.
        reader = _reader_of(staff.application, token)
        for private in ["Emma", "Sag-Ø-17", "Mette", "Jonas", "Grete", "Lise", "mormor"]:
            assert (private in text) is (private == reader), (reader, private)
    assert all(staff.application.test_client().get(c[0]).status_code == 200 for c in pages)


def _reader_of(app, token: str) -> str:
    """Return the first name of the person a token was issued to."""
    with app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == tokens.hash_token(token)))
        return invitation.person.first_name


# Issue 10 item 8: each sheet is in its reader's language; Danish where Samstem does not speak it.
SHEET_WORDING = {
    "da": ("Til {name}", "Scan koden med kameraet på din telefon.", "Vil du fortælle os, hvordan det går?"),
    "en": ("For {name}", "Scan the code with your phone's camera.", "Will you tell us how things are going?"),
}


def test_handout_sheets_are_in_each_readers_language_and_name_the_reader(staff, make, caseworker, app):
    ids = make.emma(caseworker, open_round=False)
    languages = {"mother": "da", "father": "en", "network": "sv", "provider": "en"}
    with app.app_context():
        for role, language in languages.items():
            db.session.get(Person, ids.people[role]).language = language
        db.session.commit()
    _confirm(staff, ids.meeting, proposed_forms(staff.get(f"/meetings/{ids.meeting}/feedback").text))
    pdf = staff.get(f"/rounds/{_round_id(staff, ids)}/handout.pdf").data
    sheets = {}
    for codes, text in zip(decode_pdf(pdf), pdf_pages_text(pdf), strict=True):
        [url] = codes
        sheets[_reader_of(app, url.rsplit("/", 1)[1])] = text
    expected = {"Emma": "da", "Mette": "da", "Jonas": "en", "Grete": "da", "Lise": "en"}
    assert sorted(sheets) == sorted(expected)
    for name, language in expected.items():
        to, scan, title = SHEET_WORDING[language]
        other = SHEET_WORDING["en" if language == "da" else "da"]
        assert to.format(name=name) in sheets[name] and scan in sheets[name] and title in sheets[name], name
        assert other[1] not in sheets[name] and other[2] not in sheets[name], name
        if name != "Emma":  # the child's name is on no one else's sheet
            assert "Emma" not in sheets[name] and "Sag-Ø-17" not in sheets[name], name


def test_links_made_before_sealing_can_be_made_anew_for_the_whole_round_after_a_warning(make, caseworker, app):
    """Issue 12 item 6: any browser of the team shows the sealed links (tests/test_sealed_links.py);
    links made before they were sealed cannot be shown, and "Lav nye links" asks before it replaces them."""
    from tests.factories import login

    ids = make.emma(caseworker)  # issued outside this browser session
    with app.app_context():
        for invitation in db.session.scalars(select(Invitation)):
            invitation.sealed_token = None  # as the links issued before the migration
        db.session.commit()
    other = app.test_client()
    login(other)
    page = other.get(f"/rounds/{ids.round}/screen").text
    assert "Ingen QR-koder at vise" in page
    assert other.get(f"/rounds/{ids.round}/handout.pdf").mimetype == "text/html"
    asked = other.get(f"/rounds/{ids.round}/reissue")
    assert "Vil du lave nye links til 5 personer?" in asked.text and "holder så op med at virke" in asked.text
    with app.app_context():  # only asked: the links are as they were (opening one would count as opened)
        child = db.session.get(Invitation, ids.invitations["child"])
        assert child.token_hash == tokens.hash_token(ids.tokens["child"])
    response = other.post(f"/rounds/{ids.round}/reissue", data=YES)
    assert response.status_code == 302
    screen = other.get(response.headers["Location"]).text
    assert "1 / 5" in screen
    # The old links stopped working; the new ones work.
    anonymous = app.test_client()
    assert anonymous.get(f"/r/{ids.tokens['child']}").status_code == 404
    url = decode_svg(re.search(r"<svg.*?</svg>", screen, re.S).group(0))[0]
    assert anonymous.get(url).status_code == 200


def test_reissue_one_link_stops_the_old_one(staff, make, caseworker, app):
    ids = make.emma(caseworker)
    old = ids.tokens["mother"]
    anonymous = app.test_client()
    assert anonymous.get(f"/r/{old}").status_code == 200
    response = staff.post(f"/invitations/{ids.invitations['mother']}/reissue", data=YES)
    assert response.status_code == 302
    assert "Mette har fået et nyt link" in staff.get(response.headers["Location"]).text
    assert anonymous.get(f"/r/{old}").status_code == 404


def test_revoked_link_stops_working_and_shows_as_revoked(staff, make, caseworker, app):
    ids = make.emma(caseworker)
    response = staff.post(f"/invitations/{ids.invitations['father']}/revoke", data=YES)
    assert response.status_code == 302
    page = staff.get(f"/cases/{ids.case}").text
    assert "Tilbagekaldt" in page
    assert app.test_client().get(f"/r/{ids.tokens['father']}").status_code == 404
    # Revoking twice is harmless.
    assert staff.post(f"/invitations/{ids.invitations['father']}/revoke", data=YES).status_code == 302
    assert staff.post(f"/invitations/{ids.invitations['father']}/revoke").status_code == 302


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_revoking_asks_first_and_the_link_works_until_confirmed(staff, make, caseworker, app, method):
    # Issue 10 item 15: "Tilbagekald" asks once; a POST without the "yes" (an old page, no
    # JavaScript needed either way) only asks again.
    ids = make.emma(caseworker)
    url = f"/invitations/{ids.invitations['father']}/revoke"
    asked = staff.open(url, method=method)
    assert asked.status_code == 200
    assert "Vil du tilbagekalde linket til Jonas?" in asked.text
    assert 'name="confirm" value="yes"' in asked.text and f'href="/rounds/{ids.round}"' in asked.text
    with app.app_context():
        assert db.session.get(Invitation, ids.invitations["father"]).revoked_at is None
    assert app.test_client().get(f"/r/{ids.tokens['father']}").status_code == 200
    assert "Tilbagekaldt" not in staff.get(f"/rounds/{ids.round}").text
    assert staff.post(url, data=YES).status_code == 302
    assert app.test_client().get(f"/r/{ids.tokens['father']}").status_code == 404


@pytest.mark.parametrize("url", ["/rounds/999999", "/rounds/999999/screen", "/rounds/999999/handout.pdf",
                                 "/meetings/999999/feedback"])
def test_unknown_rounds_and_meetings_are_not_found(staff, url):
    assert staff.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/invitations/999999/revoke", "/invitations/999999/reissue", "/rounds/999999/reissue"])
def test_unknown_invitations_are_not_found(staff, url):
    assert staff.post(url).status_code == 404


def test_round_page_shows_status_of_everyone(staff, make, caseworker, app):
    ids = make.emma(caseworker)
    anonymous = app.test_client()
    anonymous.get(f"/r/{ids.tokens['mother']}")
    anonymous.post(f"/r/{ids.tokens['father']}/decline")
    page = staff.get(f"/rounds/{ids.round}").text
    statuses = dict(re.findall(r"<td>(\w+)</td>\s*<td>[^<]*</td>\s*<td>\d+</td>\s*<td><span class=\"badge (\w+)\"", page))
    assert statuses == {"Emma": "waiting", "Mette": "opened", "Jonas": "declined", "Grete": "waiting", "Lise": "waiting"}


def test_round_page_refreshes_itself_while_answers_come_in(staff, make, caseworker, app):
    ids = make.emma(caseworker)
    page = staff.get(f"/rounds/{ids.round}").text
    # A pausable reload by script (WCAG 2.2.1), never a meta refresh the user cannot stop.
    assert "live.js" in page and 'data-seconds="30"' in page and 'http-equiv="refresh"' not in page
    with app.app_context():
        from app.invitations.models import Round
        from app.timestamps import utcnow
        db.session.get(Round, ids.round).locked_at = utcnow()
        db.session.commit()
    assert "live.js" not in staff.get(f"/rounds/{ids.round}").text
