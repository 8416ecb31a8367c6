"""Sending a round's links by e-mail or SMS from the round page, through the outbox."""

import logging

import pytest
from sqlalchemy import select

from app.cases.models import Person
from app.extensions import db
from app.outbox import deliver
from app.outbox.models import LINK, OutboxMessage
from app.outbox.senders import has_token
from tests.factories import login


@pytest.fixture
def emma(app, make, caseworker):
    ids = make.emma(caseworker)
    with app.app_context():
        mother = db.session.get(Person, ids.people["mother"])
        mother.email, mother.phone = "mette@example.dk", "+45 20 30 40 50"
        father = db.session.get(Person, ids.people["father"])
        father.phone, father.language = "+45 21 31 41 51", "en"
        db.session.commit()
    return ids


@pytest.fixture
def staff(client, emma):
    login(client)
    return client


def _messages(app):
    with app.app_context():
        return [(m.channel, m.recipient, m.subject, m.body, m.invitation_id, m.status)
                for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_the_round_page_offers_email_and_sms_where_there_is_an_address(staff, emma):
    page = staff.get(f"/rounds/{emma.round}").text
    assert "Send links på e-mail eller SMS" in page
    assert "Beskeden har det samme link som QR-koden og det printede ark, så de bliver ved med at virke." in page
    assert f"/invitations/{emma.invitations['mother']}/send-email" in page
    assert f"/invitations/{emma.invitations['mother']}/send-sms" in page
    assert f"/invitations/{emma.invitations['father']}/send-email" not in page
    assert f"/invitations/{emma.invitations['father']}/send-sms" in page
    assert "Ingen e-mail eller telefon." in page  # Grete has neither


def test_sending_queues_a_message_with_the_link_placeholder_then_delivers_the_handed_out_link(app, staff, emma, caplog):
    response = staff.post(f"/invitations/{emma.invitations['mother']}/send-email")
    assert response.status_code == 302
    [(channel, recipient, _subject, body, invitation_id, status)] = _messages(app)
    assert (channel, recipient, invitation_id, status) == ("email", "mette@example.dk", emma.invitations["mother"], "waiting")
    assert LINK in body and not has_token(body) and "Emma" in body and "Anne Rådgiver" in body
    page = staff.get(f"/rounds/{emma.round}").text
    assert "Beskeden til Mette er lagt i udbakken" in page and "I kø" in page
    caplog.set_level(logging.WARNING, logger="app")
    with app.test_request_context():
        delivery = deliver()
    assert delivery.sent == 1
    assert "To: mette@example.dk" in caplog.text and "/r/[token]" in caplog.text
    # Issue 12 item 6: the message carries the link handed out before, which goes on working.
    assert app.test_client().get(f"/r/{emma.tokens['mother']}").status_code == 200
    assert "Sendt" in staff.get(f"/rounds/{emma.round}").text


def test_an_sms_goes_in_the_persons_language(app, staff, emma):
    staff.post(f"/invitations/{emma.invitations['father']}/send-sms")
    [(channel, recipient, subject, body, _, _)] = _messages(app)
    assert channel == "sms" and recipient == "+45 21 31 41 51" and subject is None
    assert body.startswith("Hi Jonas.") and body.endswith(LINK)


@pytest.mark.parametrize(("role", "endpoint", "message"), [
    ("network", "send-email", "Grete har ingen e-mailadresse. Tilføj den på personens side."),
    ("network", "send-sms", "Grete har intet telefonnummer. Tilføj det på personens side."),
    ("father", "send-email", "Jonas har ingen e-mailadresse."),
])
def test_no_address_gets_a_clear_message_and_nothing_is_queued(app, staff, emma, role, endpoint, message):
    response = staff.post(f"/invitations/{emma.invitations[role]}/{endpoint}", follow_redirects=True)
    assert message in response.text
    assert _messages(app) == []


def test_a_revoked_link_or_a_locked_round_is_not_sent(app, staff, emma):
    staff.post(f"/invitations/{emma.invitations['mother']}/revoke", data={"confirm": "yes"})
    response = staff.post(f"/invitations/{emma.invitations['mother']}/send-email", follow_redirects=True)
    assert "Linket til Mette er tilbagekaldt." in response.text
    assert _messages(app) == []


def test_another_team_cannot_send(app, make, emma):
    make.user("stranger", team=make.team("Team Syd"))
    client = app.test_client()
    login(client, "stranger")
    assert client.post(f"/invitations/{emma.invitations['mother']}/send-email").status_code == 403
    assert client.post(f"/invitations/{emma.invitations['mother']}/send-sms").status_code == 403
    assert _messages(app) == []


def test_sending_needs_the_csrf_token(app, emma):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    login(client)
    response = client.post(f"/invitations/{emma.invitations['mother']}/send-email")
    assert response.status_code == 400
    assert _messages(app) == []
