"""What the e-mail and SMS with a personal link say, for every kind of round and every reader
(issue 11 item 7): who asks and from where, that it is voluntary, what the round is about, in
the reader's words; an SMS never gives the child away and fits one message."""

import re
from datetime import date
from typing import ClassVar

import pytest
from flask_login import login_user
from sqlalchemy import select

from app.auth.models import User
from app.cases.models import Meeting, Person
from app.extensions import db
from app.invitations import services as rounds
from app.invitations.models import ROUND_KINDS, Invitation
from app.outbox import deliver
from app.outbox.models import OutboxMessage
from app.outbox.senders import SmsSender
from app.status import sending
from tests.test_outbox import Collector, _free_port, _mail_to, _start, _text

# The longest first name the SMS is measured with, and a realistic address of a municipality's Samstem.
CASEWORKER = "Marie-Louise Rådgiver"
BASE_URL = "https://samstem.ringkobing-skjern.dk"
# The names an SMS may carry (app/invitations/messages.py): the longest municipality name in full,
# or a name too long (and telling) for an SMS, given with SAMSTEM_ORGANISATION_SHORT.
ORGANISATIONS = {
    "longest full name": ("Ringkøbing-Skjern Kommune", None),
    "short name": ("Børn og Familie, Ringkøbing-Skjern Kommune", "Ringkøbing-Skjern Kommune"),
}
# Who reads: (role, the child's age).
READERS = {
    "child": ("child", 9),
    "young person": ("child", 15),
    "parent": ("mother", 9),
    "network": ("network", 9),
    "provider": ("provider", 9),
}
# What tells the kinds apart; an indicator round never asks how the meeting was.
KIND_MARKS = {"feedback": "hvordan mødet", "status": "status", "see_happen": "se ske", "indicators": "vurdere"}
# A status is asked only of the provider and the school (app/status/services.py RECIPIENT_ROLES).
CASES = [(kind, reader) for kind in ROUND_KINDS for reader in READERS if kind != "status" or reader == "provider"]
# The GSM 7-bit default alphabet (3GPP TS 23.038): with nothing outside it, one SMS holds 160.
GSM = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")


class KeptSms(SmsSender):
    """An SMS adapter keeping what it sends; configured as tests.test_messages:KeptSms."""

    sent: ClassVar[list[str]] = []

    def send(self, recipient: str, body: str) -> None:
        KeptSms.sent.append(body)


def _asked(app, make, kind: str, reader: str) -> int:
    """Emma's case with a round of the kind asking the reader; return the invitation's id."""
    role, age = READERS[reader]
    user_id = make.user("marie", team=make.team(), name=CASEWORKER)
    ids = make.emma(user_id, child_age=age, open_round=False)
    with app.test_request_context():
        user = db.session.get(User, user_id)
        login_user(user)
        person = db.session.get(Person, ids.people[role])
        person.email, person.phone = "svar@example.dk", "+45 20 30 40 50"
        due = date(date.today().year + 1, 9, 30)  # the longest date an SMS writes
        round_, _ = rounds.start_round(db.session.get(Meeting, ids.meeting), user, kind, [(person, [])], due_on=due)
        db.session.commit()
        return round_.invitations[0].id


def _sent(app, invitation_id: int) -> tuple[str, str, str]:
    """Send the invitation by e-mail and by SMS as the round page does; return the e-mail's
    subject and body and the SMS as it reached the phone."""
    KeptSms.sent = []
    with app.test_request_context():
        invitation = db.session.get(Invitation, invitation_id)
        login_user(invitation.round.meeting.case.caseworker)
        sending.send(invitation, "email")
        sending.send(invitation, "sms")
        db.session.commit()
        mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.channel == "email"))
        subject, body = mail.subject, mail.body
        assert deliver().sent == 2
    [sms] = KeptSms.sent
    return subject, body, sms


@pytest.mark.parametrize("organisation", ORGANISATIONS)
@pytest.mark.parametrize(("kind", "reader"), CASES)
def test_every_message_says_who_asks_that_it_is_voluntary_and_what_for_in_the_readers_words(
        app, make, kind, reader, organisation):
    # Issue 11 item 7: every kind of round x every reader.
    name, short_name = ORGANISATIONS[organisation]
    app.config.update(ORGANISATION_NAME=name, ORGANISATION_SHORT_NAME=short_name, PUBLIC_BASE_URL=BASE_URL,
                      SMS_SENDER="tests.test_messages:KeptSms")
    subject, body, sms = _sent(app, _asked(app, make, kind, reader))
    email = subject + "\n" + body
    # Who asks, from where, and that answering is voluntary.
    assert CASEWORKER in body and name in body and "Du bestemmer selv, om du vil svare." in body
    assert "Marie-Louise" in sms and (short_name or name) in sms and "Frivilligt" in sms
    # What the round is about: its own words and no other kind's.
    for other, mark in KIND_MARKS.items():
        assert (mark in email.lower()) == (other == kind), (other, email)
        assert (mark in sms.lower()) == (other == kind), (other, sms)
    # The child (or young person) is spoken to, never about; an adult reads about her by first name.
    greeting, rest = body.split("\n\n", 1)
    about_emma = "Emma" in subject or "Emma" in rest
    assert about_emma == (reader not in ("child", "young person")), email
    # An SMS is read on a lock screen and is one SMS, link included.
    assert "Emma" not in sms and not re.search(r"\b(sag|barn|børn)", sms, re.IGNORECASE), sms
    # An SMS link: at most 24 characters after the host, the token's 128 bits (issue 18 item 4).
    assert re.search(re.escape(BASE_URL) + r"/[A-Za-z0-9_-]{22}$", sms), sms
    assert set(sms) <= GSM and len(sms) <= 160, (len(sms), sms)
    # Plain words: no «» quotes.
    assert not {"«", "»"} & set(email + sms)


def test_an_accented_name_does_not_cut_the_sms_to_70_characters(app, make):
    # "Zoë" is outside the GSM alphabet: written as is, one SMS would hold 70 characters, not 160.
    app.config.update(PUBLIC_BASE_URL=BASE_URL, SMS_SENDER="tests.test_messages:KeptSms")
    invitation_id = _asked(app, make, "feedback", "parent")
    with app.app_context():
        db.session.get(Invitation, invitation_id).person.first_name = "Zoë"
        db.session.commit()
    _, _, sms = _sent(app, invitation_id)
    assert sms.startswith("Hej Zoe. Marie-Louise fra Samstem Kommune") and set(sms) <= GSM and len(sms) <= 160


def test_an_indicator_email_reaches_the_young_person_through_smtp_with_her_own_words(app, make, runner):
    collector = Collector()
    port = _free_port()
    controller = _start(collector, port)
    try:
        _mail_to(app, port)
        invitation_id = _asked(app, make, "indicators", "young person")
        with app.test_request_context():
            invitation = db.session.get(Invitation, invitation_id)
            login_user(invitation.round.meeting.case.caseworker)
            sending.send(invitation, "email")
            db.session.commit()
        result = runner.invoke(args=["outbox", "send"])
        assert "sent 1" in result.output, result.output
    finally:
        controller.stop()
    [mail] = collector.received
    text = _text(mail)
    assert mail["Subject"] == "Hvordan går det for dig?"
    assert text.startswith("Hej Emma\n\nMarie-Louise Rådgiver fra Samstem Kommune beder dig vurdere, "
                           "hvordan det går for dig lige nu")
    assert "Du bestemmer selv, om du vil svare." in text and "Hvordan var mødet" not in text
    assert "Emma" not in text.split("\n\n", 1)[1]


@pytest.mark.parametrize(("text", "fits"), [
    ("æøåÆØÅé" * 22 + "abcd", True),  # 158: Danish letters are in the GSM alphabet
    ("a" * 161, False),
    ("»" + "a" * 69, True),  # outside the GSM alphabet: 70 at most
    ("»" + "a" * 70, False),
    ("€" * 80, True),  # the extension table takes two places each
    ("€" * 81, False),
])
def test_one_sms_holds_160_gsm_places_or_70_otherwise(text, fits):
    from app.outbox.segments import fits_one_segment

    assert fits_one_segment(text) is fits


def test_letters_lose_only_the_accents_the_gsm_alphabet_lacks():
    from app.outbox.segments import plain_letters

    assert plain_letters("Zoë, Ştefan, Chloë, Søren, Åse, Émile, Ærø, Müller") == (
        "Zoe, Stefan, Chloe, Søren, Åse, Émile, Ærø, Müller")
    assert plain_letters("»Hej« – 😀") == "»Hej« – 😀"  # no plain letter to write them with
