"""Issue 12, item 6: respondents' links are kept sealed in the database while handed out and
unopened, never in a cookie; any staff browser of the team shows, prints and sends the same link."""

import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app import create_app, sealing
from app.audit import AuditEvent
from app.auth.models import User
from app.cases.models import Person
from app.extensions import db
from app.invitations.models import Invitation
from app.outbox.models import OutboxMessage
from app.timestamps import utcnow
from tests.conftest import _config
from tests.factories import login, proposed_forms
from tests.qr import decode_pdf, decode_svg
from tests.test_outbox import LINK, Collector, _free_port, _mail_to, _start, _text

YES = {"confirm": "yes"}
OTHER_KEY = sealing.new_key()


@pytest.fixture
def smtp(app):
    collector = Collector()
    port = _free_port()
    controller = _start(collector, port)
    _mail_to(app, port)
    yield collector
    controller.stop()


@pytest.fixture
def emma(app, make, caseworker):
    ids = make.emma(caseworker)
    with app.app_context():
        for role, address in (("mother", "mette@example.dk"), ("father", "jonas@example.dk")):
            db.session.get(Person, ids.people[role]).email = address
        db.session.commit()
    return ids


@pytest.fixture
def colleague(app, make, caseworker):
    """A fresh browser, logged in as another case worker of the same team."""
    with app.app_context():
        team = db.session.get(User, caseworker).team_id
    make.user("bo", team=team, name="Bo Kollega")
    client = app.test_client()
    assert login(client, "bo").status_code == 302
    return client


def _invitation(app, invitation_id: int) -> Invitation:
    with app.app_context():
        invitation = db.session.get(Invitation, invitation_id)
        db.session.expunge(invitation)
        return invitation


def _urls(tokens) -> set[str]:
    return {f"http://localhost/r/{token}" for token in tokens}


def _screen_urls(client, round_id: int) -> set[str]:
    grid = client.get(f"/rounds/{round_id}/screen?view=grid").text
    return {decode_svg(svg)[0] for svg in re.findall(r"<svg.*?</svg>", grid, re.S)}


def _send_outbox(runner, expected: str) -> str:
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert expected in result.output
    return result.output


# --- sealed while handed out, destroyed when no longer needed ------------------------------------

def test_a_link_is_sealed_at_issue_and_never_stored_plain(app, emma):
    with app.app_context():
        for role, token in emma.tokens.items():
            invitation = db.session.get(Invitation, emma.invitations[role])
            assert invitation.sealed_token and token not in invitation.sealed_token
            assert sealing.unseal(invitation.sealed_token) == token
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)):
                assert not any(token in repr(tuple(row)) for token in emma.tokens.values()), table.name


def test_the_seal_is_destroyed_when_the_link_is_opened_answered_or_revoked(app, make, staff, emma):
    anonymous = app.test_client()
    assert anonymous.get(f"/r/{emma.tokens['child']}").status_code == 200
    assert _invitation(app, emma.invitations["child"]).sealed_token is None
    make.answer(emma.invitations["father"], declined=True)  # answering implies opening
    assert _invitation(app, emma.invitations["father"]).sealed_token is None
    assert staff.post(f"/invitations/{emma.invitations['mother']}/revoke", data=YES).status_code == 302
    assert _invitation(app, emma.invitations["mother"]).sealed_token is None
    # The others are still sealed, and shown.
    assert _invitation(app, emma.invitations["network"]).sealed_token is not None
    assert _screen_urls(staff, emma.round) == _urls([emma.tokens["network"], emma.tokens["provider"]])


def _expire(app, *invitation_ids: int) -> None:
    with app.app_context():
        db.session.execute(update(Invitation).where(Invitation.id.in_(invitation_ids))
                           .values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()


def test_an_expired_seal_is_destroyed_when_found_and_by_the_periodic_runs(app, runner, staff, emma):
    _expire(app, emma.invitations["child"])
    assert emma.tokens["child"] not in str(_screen_urls(staff, emma.round))  # found expired: destroyed
    assert _invitation(app, emma.invitations["child"]).sealed_token is None
    _expire(app, emma.invitations["mother"])
    result = runner.invoke(args=["links", "unseal-expired"])
    assert result.exit_code == 0 and "destroyed 1 sealed link(s)" in result.output
    assert _invitation(app, emma.invitations["mother"]).sealed_token is None
    _expire(app, emma.invitations["father"])
    _send_outbox(runner, "sent 0, failed 0, given up 0")
    assert _invitation(app, emma.invitations["father"]).sealed_token is None
    assert _invitation(app, emma.invitations["network"]).sealed_token is not None


# --- any staff browser of the team shows the same link -------------------------------------------

def test_a_colleagues_browser_shows_and_prints_the_same_working_links(app, staff, colleague, emma):
    issued = _urls(emma.tokens.values())
    assert _screen_urls(colleague, emma.round) == issued
    assert _screen_urls(staff, emma.round) == issued
    one = colleague.get(f"/rounds/{emma.round}/screen?n=0").text
    assert decode_svg(re.search(r"<svg.*?</svg>", one, re.S).group(0))[0] in issued
    response = colleague.get(f"/rounds/{emma.round}/handout.pdf")
    assert response.mimetype == "application/pdf"
    printed = decode_pdf(response.data)
    assert {codes[0] for codes in printed} == issued and len(printed) == 5
    anonymous = app.test_client()
    assert all(anonymous.get(url).status_code == 200 for url in issued)
    with app.app_context():
        shown = db.session.scalars(select(AuditEvent.detail).where(
            AuditEvent.action == "case.view", AuditEvent.case_id == emma.case,
            AuditEvent.user_id == db.session.scalar(select(User.id).where(User.username == "bo")))).all()
    assert sorted(emma.invitations.values()) in [sorted(detail.get("links_shown", [])) for detail in shown]


# --- messages send the link that was shown --------------------------------------------------------

def test_an_email_sends_the_same_link_as_shown_and_the_sheet_keeps_working(app, runner, staff, colleague, emma, smtp):
    shown = _screen_urls(colleague, emma.round)
    response = staff.post(f"/invitations/{emma.invitations['mother']}/send-email", follow_redirects=True)
    assert "Den har det samme link som QR-koden og det printede ark." in response.text
    _send_outbox(runner, "sent 1, failed 0, given up 0")
    [mail] = smtp.received
    assert LINK.search(_text(mail)).group(1) == emma.tokens["mother"]
    assert f"http://localhost/r/{emma.tokens['mother']}" in shown
    # The sheet and the QR code still work, and still show.
    assert _screen_urls(colleague, emma.round) == shown
    assert app.test_client().get(f"/r/{emma.tokens['mother']}").status_code == 200


def test_a_message_whose_link_was_opened_meanwhile_is_not_sent_and_the_round_page_says_why(
        app, runner, staff, emma, smtp):
    staff.post(f"/invitations/{emma.invitations['mother']}/send-email")
    assert app.test_client().get(f"/r/{emma.tokens['mother']}").status_code == 200
    _send_outbox(runner, "sent 0, failed 0, given up 1")
    assert smtp.received == []
    page = staff.get(f"/rounds/{emma.round}").text
    assert "Ikke sendt: linket er allerede åbnet" in page
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage))
        assert message.not_sent_reason == "opened" and "already opened" in message.last_error


def test_sending_an_opened_link_is_refused_with_the_reason(app, staff, emma):
    assert app.test_client().get(f"/r/{emma.tokens['father']}").status_code == 200
    page = staff.get(f"/rounds/{emma.round}").text
    assert "Linket er åbnet, så det sendes ikke igen." in page
    assert f"/invitations/{emma.invitations['father']}/send-email" not in page
    response = staff.post(f"/invitations/{emma.invitations['father']}/send-email", follow_redirects=True)
    assert "Ikke sendt: linket er allerede åbnet." in response.text and "Lav et nyt link" in response.text
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage)) is None


# --- a new link only when asked, with a warning ---------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_new_link_is_made_only_after_a_warning_and_then_shows_and_sends(app, runner, staff, emma, smtp, method):
    old = emma.tokens["mother"]
    anonymous = app.test_client()
    assert anonymous.get(f"/r/{old}").status_code == 200  # opened: no longer shown
    assert f"http://localhost/r/{old}" not in _screen_urls(staff, emma.round)
    asked = staff.open(f"/invitations/{emma.invitations['mother']}/reissue", method=method)
    assert asked.status_code == 200
    assert "Vil du lave et nyt link til Mette?" in asked.text and "Det gamle link holder så op med at virke" in asked.text
    assert 'name="confirm" value="yes"' in asked.text
    assert anonymous.get(f"/r/{old}").status_code == 200  # nothing changed yet
    assert staff.post(f"/invitations/{emma.invitations['mother']}/reissue", data=YES).status_code == 302
    assert anonymous.get(f"/r/{old}").status_code == 404
    [new] = _screen_urls(staff, emma.round) - _urls(emma.tokens.values())
    staff.post(f"/invitations/{emma.invitations['mother']}/send-email")
    _send_outbox(runner, "sent 1, failed 0, given up 0")
    assert f"http://localhost/r/{LINK.search(_text(smtp.received[0])).group(1)}" == new
    assert anonymous.get(new).status_code == 200


# --- reminders: the same link again ----------------------------------------------------------------

def _age_messages(app, days: float) -> None:
    with app.app_context():
        db.session.execute(update(OutboxMessage).values(sent_at=utcnow() - timedelta(days=days)))
        db.session.commit()


def test_a_reminder_sends_the_same_link_after_the_days_set_to_those_who_have_not_opened_it(
        app, runner, staff, emma, smtp):
    for role in ("mother", "father"):
        staff.post(f"/invitations/{emma.invitations[role]}/send-email")
    _send_outbox(runner, "sent 2, failed 0, given up 0")
    assert app.test_client().get(f"/r/{emma.tokens['father']}").status_code == 200  # Jonas opened his
    _age_messages(app, 2.9)
    output = _send_outbox(runner, "sent 0, failed 0, given up 0")  # not yet: 3 days by default
    assert "reminders queued" not in output
    _age_messages(app, 3.01)
    output = _send_outbox(runner, "sent 1, failed 0, given up 0")
    assert "reminders queued: 1" in output
    reminder = smtp.received[-1]
    assert reminder["To"] == "mette@example.dk" and reminder["Subject"].startswith("Påmindelse: ")
    assert LINK.search(_text(reminder)).group(1) == emma.tokens["mother"]
    assert "Påmindelse lagt i udbakken" in staff.get(f"/rounds/{emma.round}").text
    # Once only.
    _age_messages(app, 10)
    _send_outbox(runner, "sent 0, failed 0, given up 0")
    assert len(smtp.received) == 3


def test_no_automatic_reminder_when_the_days_are_set_to_zero(app, runner, staff, emma, smtp):
    app.config["REMINDER_DAYS"] = 0
    staff.post(f"/invitations/{emma.invitations['mother']}/send-email")
    _send_outbox(runner, "sent 1, failed 0, given up 0")
    _age_messages(app, 30)
    _send_outbox(runner, "sent 0, failed 0, given up 0")
    assert len(smtp.received) == 1


def test_a_reminder_by_hand_from_the_round_page_sends_the_same_link(app, runner, staff, emma, smtp):
    remind = f"/invitations/{emma.invitations['mother']}/remind"
    response = staff.post(remind, follow_redirects=True)
    assert "Linket til Mette er ikke sendt endnu. Send det først." in response.text
    assert remind not in staff.get(f"/rounds/{emma.round}").text
    staff.post(f"/invitations/{emma.invitations['mother']}/send-email")
    _send_outbox(runner, "sent 1, failed 0, given up 0")
    assert remind in staff.get(f"/rounds/{emma.round}").text
    response = staff.post(remind, follow_redirects=True)
    assert "Påmindelsen til Mette er lagt i udbakken, med det samme link som før." in response.text
    _send_outbox(runner, "sent 1, failed 0, given up 0")
    first, again = smtp.received
    assert again["Subject"] == "Påmindelse: " + first["Subject"]
    assert LINK.search(_text(again)).group(1) == LINK.search(_text(first)).group(1) == emma.tokens["mother"]
    # A reminder by hand counts: no automatic one after it.
    _age_messages(app, 10)
    _send_outbox(runner, "sent 0, failed 0, given up 0")


# --- no link in a cookie ----------------------------------------------------------------------------

def _cookie_texts(app, response) -> list[str]:
    """Every Set-Cookie of the response and its redirects, and the session cookie's content read back."""
    serializer = app.session_interface.get_signing_serializer(app)
    texts = []
    for one in [*response.history, response]:
        for header in one.headers.getlist("Set-Cookie"):
            texts.append(header)
            name, _, value = header.partition(";")[0].partition("=")
            if name == app.config["SESSION_COOKIE_NAME"] and value:
                texts.append(repr(serializer.loads(value)))
    return texts


def test_no_staff_page_puts_a_link_in_a_cookie(app, make, caseworker, client):
    ids = make.emma(caseworker, open_round=False)
    with app.app_context():
        db.session.get(Person, ids.people["mother"]).email = "mette@example.dk"
        db.session.commit()
    cookies: list[str] = []

    def visit(method: str, url: str, **data):
        response = client.open(url, method=method, data=data or None, follow_redirects=True)
        assert response.status_code == 200, (url, response.status_code)
        cookies.extend(_cookie_texts(app, response))
        return response

    visit("POST", "/login", username="anne", password="correct horse battery")
    feedback = f"/meetings/{ids.meeting}/feedback"
    choices = proposed_forms(client.get(feedback).text)
    response = visit("POST", feedback, **{f"person_{pid}": forms for pid, forms in choices.items()})
    round_id = int(re.search(r"/rounds/(\d+)/screen", response.request.path).group(1))
    with app.app_context():
        mother = db.session.scalar(select(Invitation.id).where(
            Invitation.round_id == round_id, Invitation.person_id == ids.people["mother"]))
    for url in [f"/rounds/{round_id}", f"/rounds/{round_id}/screen?n=1", f"/rounds/{round_id}/handout.pdf"]:
        visit("GET", url)
    seen = _screen_urls(client, round_id)
    visit("POST", f"/invitations/{mother}/send-email")
    visit("POST", f"/invitations/{mother}/reissue", confirm="yes")
    visit("GET", f"/rounds/{round_id}/screen?view=grid")
    seen |= _screen_urls(client, round_id)
    visit("POST", f"/invitations/{mother}/revoke", confirm="yes")
    visit("POST", "/logout")
    assert len(seen) == 6 and cookies  # five links, one made anew; the session cookie was set
    leaked = [url for url in seen if any(url.rsplit("/", 1)[1] in text for text in cookies)]
    assert leaked == []


# --- the sealing key: required, rotated ---------------------------------------------------------------

@pytest.mark.parametrize("keys, problem", [
    (None, "SAMSTEM_LINK_KEY is not set"),
    ("", "SAMSTEM_LINK_KEY is not set"),
    ("not-a-key", "key 1 of 1 is not a Fernet key"),
    ([OTHER_KEY, "short"], "key 2 of 2 is not a Fernet key"),
])
def test_the_app_refuses_to_start_without_a_good_sealing_key(app, keys, problem):
    production = _config(app.config["SQLALCHEMY_DATABASE_URI"]) | {"TESTING": False, "LINK_KEYS": keys}
    with pytest.raises(RuntimeError, match=problem):
        create_app(production)


def test_keys_come_newest_first_from_one_setting():
    assert sealing.parse_keys(f" {OTHER_KEY}, c2Ftc3RlbS10ZXN0LWxpbmsta2V5LTAxMjM0NTY3ODk= ") == [
        OTHER_KEY, "c2Ftc3RlbS10ZXN0LWxpbmsta2V5LTAxMjM0NTY3ODk="]


def test_make_run_generates_a_sealing_key_beside_the_secret_key():
    recipe = subprocess.run(["make", "-n", "-B", "instance/settings.py"], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parent.parent, check=True).stdout
    assert "SECRET_KEY" in recipe and "LINK_KEYS" in recipe and "Fernet.generate_key()" in recipe


def test_a_rotated_key_still_opens_old_seals_and_reseal_moves_them_to_the_newest(app, runner, staff, emma):
    old_key = app.config["LINK_KEYS"][0]
    issued = _urls(emma.tokens.values())
    app.config["LINK_KEYS"] = [OTHER_KEY]  # the old key dropped too early: nothing can be shown
    assert "Ingen QR-koder at vise" in staff.get(f"/rounds/{emma.round}/screen").text
    app.config["LINK_KEYS"] = [OTHER_KEY, old_key]  # the new key first, the old one kept
    assert _screen_urls(staff, emma.round) == issued
    result = runner.invoke(args=["links", "reseal"])
    assert result.exit_code == 0 and "resealed 5 link(s) with the newest key" in result.output
    app.config["LINK_KEYS"] = [OTHER_KEY]  # now the old key can go
    assert _screen_urls(staff, emma.round) == issued
    assert all(app.test_client().get(url).status_code == 200 for url in issued)
