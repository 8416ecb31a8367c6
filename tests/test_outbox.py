"""The outbox: e-mail through a real local SMTP server, SMS adapters, the handed-out link put in at delivery."""

import email
import email.policy
import logging
import re
import socket
from datetime import timedelta
from typing import ClassVar

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import tokens
from app.extensions import db
from app.invitations import services as rounds
from app.invitations.models import Invitation
from app.outbox import deliver, queue_email, queue_sms
from app.outbox.models import OutboxMessage
from app.outbox.senders import SmsSender
from app.timestamps import utcnow

BODY = "Hej Mette\n\nFortæl os, hvordan mødet om Emma gik: {link}\n\nVenlig hilsen Anne"
SUBJECT = "Hvordan gik mødet?"
LINK = re.compile(r"http://localhost/r/([0-9A-Z]{26})")
# An SMS carries the short form of the link (issue 18 item 4).
SMS_LINK = re.compile(r"http://localhost/([A-Za-z0-9_-]{22})$", re.MULTILINE)
TOKEN_SHAPED = re.compile(r"(?<![0-9A-Za-z])[0-9A-Z]{26}(?![0-9A-Za-z])")


class Collector:
    """An aiosmtpd handler keeping what arrives; it can refuse the next n messages."""

    def __init__(self):
        self.received: list[email.message.EmailMessage] = []
        self.refused: list[email.message.EmailMessage] = []
        self.refuse = 0

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message.envelope_to = envelope.rcpt_tos
        if self.refuse:
            self.refuse -= 1
            self.refused.append(message)
            return "451 4.3.0 Try again later"
        self.received.append(message)
        return "250 OK"


class RecordingSms(SmsSender):
    """An SMS adapter as a provider's would be; configured as tests.test_outbox:RecordingSms."""

    sent: ClassVar[list[tuple[str, str]]] = []
    tried: ClassVar[list[tuple[str, str]]] = []
    fail: ClassVar[int] = 0

    def send(self, recipient: str, body: str) -> None:
        RecordingSms.tried.append((recipient, body))
        if RecordingSms.fail:
            RecordingSms.fail -= 1
            raise RuntimeError(f"provider refused: {body}")
        RecordingSms.sent.append((recipient, body))


def _text(mail: email.message.EmailMessage) -> str:
    """The mail's body as written (SMTP carries it with CRLF line ends)."""
    return mail.get_content().replace("\r\n", "\n")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _mail_to(app, port: int) -> None:
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="Samstem <samstem@kommune.example>",
        MAIL_TIMEOUT=5, PUBLIC_BASE_URL="http://localhost",
    )


def _start(collector: Collector, port: int) -> Controller:
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


@pytest.fixture
def smtp(app):
    """A real SMTP server on 127.0.0.1 that the app's e-mail goes to."""
    collector = Collector()
    port = _free_port()
    controller = _start(collector, port)
    _mail_to(app, port)
    yield collector
    controller.stop()


@pytest.fixture(autouse=True)
def _fresh_recording_sms():
    RecordingSms.sent, RecordingSms.tried, RecordingSms.fail = [], [], 0


def _queue_link(app, invitation_id: int, channel: str = "email") -> int:
    with app.app_context():
        invitation = db.session.get(Invitation, invitation_id)
        if channel == "email":
            message = queue_email("mette@example.dk", SUBJECT, BODY, invitation=invitation)
        else:
            message = queue_sms("+45 12 34 56 78", BODY, invitation=invitation)
        db.session.commit()
        return message.id


def _queue_plain(app, channel: str = "email", case_id: int | None = None) -> int:
    with app.app_context():
        if channel == "email":
            message = queue_email("lise@skole.example", "Statusmøde", "Mødet er flyttet til kl. 10.", case_id=case_id)
        else:
            message = queue_sms("+45 87 65 43 21", "Husk mødet i morgen kl. 10.", case_id=case_id)
        db.session.commit()
        return message.id


def _message(app, message_id: int) -> OutboxMessage:
    with app.app_context():
        message = db.session.get(OutboxMessage, message_id)
        db.session.expunge(message)
        return message


def _send(runner, expected: str):
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert expected in result.output
    return result


def _assert_no_token_stored(app, token: str) -> None:
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)):
                assert token not in repr(tuple(row)), table.name


def test_a_queued_email_is_delivered_as_written(app, runner, make, caseworker, smtp):
    ids = make.emma(caseworker, open_round=False)
    message_id = _queue_plain(app, case_id=ids.case)
    _send(runner, "sent 1, failed 0, given up 0")
    [mail] = smtp.received
    assert mail["From"] == "Samstem <samstem@kommune.example>"
    assert mail["To"] == "lise@skole.example" and mail.envelope_to == ["lise@skole.example"]
    assert mail["Subject"] == "Statusmøde"
    assert _text(mail).strip() == "Mødet er flyttet til kl. 10."
    message = _message(app, message_id)
    assert message.status == "sent" and message.attempts == 1 and message.last_error is None
    # Sent once only.
    _send(runner, "sent 0, failed 0, given up 0")
    assert len(smtp.received) == 1


def test_smtp_down_keeps_the_message_and_a_later_run_delivers_it(app, runner):
    port = _free_port()  # nothing listens here yet
    _mail_to(app, port)
    message_id = _queue_plain(app)
    with app.app_context():
        delivery = deliver()
    assert (delivery.sent, delivery.failed, delivery.given_up) == (0, 1, 0)
    message = _message(app, message_id)
    assert message.status == "failed" and message.attempts == 1 and message.sent_at is None
    assert "ConnectionRefusedError" in message.last_error and message.last_attempt_at is not None
    status = runner.invoke(args=["outbox", "status"])
    assert "failed, will be retried: 1" in status.output and "ConnectionRefusedError" in status.output
    collector = Collector()
    controller = _start(collector, port)
    try:
        _send(runner, "sent 1, failed 0, given up 0")
    finally:
        controller.stop()
    assert [m["Subject"] for m in collector.received] == ["Statusmøde"]
    message = _message(app, message_id)
    assert message.status == "sent" and message.attempts == 2


def test_an_invitation_message_carries_the_handed_out_link_that_is_never_stored_plain(
        app, runner, client, make, caseworker, smtp, caplog):
    caplog.set_level(logging.DEBUG, logger="app")
    ids = make.emma(caseworker)
    message_id = _queue_link(app, ids.invitations["mother"])
    _send(runner, "sent 1, failed 0, given up 0")
    [mail] = smtp.received
    token = LINK.search(_text(mail)).group(1)
    assert _text(mail).startswith("Hej Mette\n\nFortæl os, hvordan mødet om Emma gik: http://localhost/r/")
    # Issue 12 item 6: the link in the mail is the one handed out at the meeting (kept sealed), and it works.
    assert token == ids.tokens["mother"]
    assert client.get(f"/r/{token}").status_code == 200
    assert _message(app, message_id).body == BODY
    _assert_no_token_stored(app, token)
    # The log names the message, not the recipient in full, and never the token.
    assert token not in caplog.text and "mette@example.dk" not in caplog.text
    assert f"outbox message {message_id} sent (email to m***@example.dk)" in caplog.text


def test_a_retry_sends_the_same_link_which_keeps_working(app, runner, client, make, caseworker, smtp):
    ids = make.emma(caseworker)
    message_id = _queue_link(app, ids.invitations["mother"])
    smtp.refuse = 1
    _send(runner, "sent 0, failed 1, given up 0")
    first = LINK.search(_text(smtp.refused[0])).group(1)
    message = _message(app, message_id)
    assert message.attempts == 1 and "SMTPDataError" in message.last_error and "451" in message.last_error
    # Issue 12 item 6: no token is minted for a message; it carries the link handed out at the meeting.
    assert first == ids.tokens["mother"]
    _send(runner, "sent 1, failed 0, given up 0")
    second = LINK.search(_text(smtp.received[0])).group(1)
    assert second == first
    assert client.get(f"/r/{second}").status_code == 200
    assert _message(app, message_id).status == "sent"


def _revoke(app, invitation_id: int) -> None:
    with app.test_request_context():
        rounds.revoke(db.session.get(Invitation, invitation_id))
        db.session.commit()


def _expire(app, invitation_id: int) -> None:
    with app.app_context():
        db.session.get(Invitation, invitation_id).expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()


def _lock(app, invitation_id: int) -> None:
    with app.app_context():
        db.session.get(Invitation, invitation_id).round.locked_at = utcnow()
        db.session.commit()


@pytest.mark.parametrize("stop, reason", [
    (_revoke, "the invitation was revoked"),
    (_expire, "the invitation has expired"),
    (_lock, "the round is locked"),
])
def test_a_link_that_must_not_go_out_is_given_up_not_sent(app, runner, make, caseworker, smtp, stop, reason):
    ids = make.emma(caseworker)
    invitation_id = ids.invitations["mother"]
    message_id = _queue_link(app, invitation_id)
    stop(app, invitation_id)
    with app.app_context():
        after = db.session.get(Invitation, invitation_id)
        after = (after.token_hash, after.revoked_at, after.expires_at)
    _send(runner, "sent 0, failed 0, given up 1")
    assert smtp.received == []
    message = _message(app, message_id)
    assert message.status == "given_up" and message.given_up_at is not None and message.attempts == 1
    assert message.last_error.startswith("not sent: ") and reason in message.last_error
    with app.app_context():
        # Nothing was re-issued: a revocation stays, an expiry is not renewed.
        invitation = db.session.get(Invitation, invitation_id)
        assert (invitation.token_hash, invitation.revoked_at, invitation.expires_at) == after
    # Given up is final.
    _send(runner, "sent 0, failed 0, given up 0")
    status = runner.invoke(args=["outbox", "status"]).output
    assert "given up: 1" in status and reason in status


def test_a_status_request_to_a_provider_who_already_answered_is_not_sent(app, runner, client, make, caseworker, smtp):
    """Issue 10, item 3: the outbox never asks for what was already given, and never re-issues the
    link of an answered invitation; an open invitation's request still goes out."""
    ids = make.emma(caseworker, open_round=False)
    goal = make.goal(ids.case)
    make.school(ids.case)
    _round_id, tokens, invitations = make.status_request(ids, roles=("provider", "school"))
    assert client.post(f"/r/{tokens['provider']}/form", data={
        f"goal_{goal}_attainment": "high", "overall": "Emma trives.", "rating": "7", "reviewed": "no",
        "reason": "Mødet er ikke holdt endnu."}).status_code == 302
    with app.app_context():
        before = db.session.get(Invitation, invitations["provider"]).token_hash
    _send(runner, "sent 1, failed 0, given up 1")
    [mail] = smtp.received
    assert mail["To"] == "bente@skole.dk"
    # The provider's link was not re-issued: the one she holds still works.
    assert client.get(f"/r/{tokens['provider']}").status_code == 200
    with app.app_context():
        assert db.session.get(Invitation, invitations["provider"]).token_hash == before
        skipped = db.session.scalar(select(OutboxMessage).where(OutboxMessage.invitation_id == invitations["provider"]))
        assert skipped.status == "given_up" and skipped.sent_at is None
    shown = runner.invoke(args=["outbox", "status"]).output
    assert "given up: 1" in shown and "the invitation was already answered" in shown and "sent: 1" in shown


def test_a_link_to_someone_who_declined_is_not_sent(app, runner, client, make, caseworker, smtp):
    """Issue 10, item 3: "I don't want to answer" is an answer; the link is not sent again."""
    ids = make.emma(caseworker)
    declined, waiting = _queue_link(app, ids.invitations["mother"]), _queue_link(app, ids.invitations["father"])
    make.answer(ids.invitations["mother"], declined=True)
    _send(runner, "sent 1, failed 0, given up 1")
    assert len(smtp.received) == 1
    assert _message(app, waiting).status == "sent"
    assert "the invitation was already declined" in _message(app, declined).last_error
    assert client.get(f"/r/{ids.tokens['mother']}").status_code == 200  # her link was not re-issued


def test_without_mail_server_the_email_is_written_to_the_log_without_the_token(
        app, runner, client, make, caseworker, caplog):
    app.config["PUBLIC_BASE_URL"] = "http://localhost"
    assert app.config["MAIL_SERVER"] is None
    ids = make.emma(caseworker)
    message_id = _queue_link(app, ids.invitations["mother"])
    result = _send(runner, "sent 1, failed 0, given up 0")
    assert "MAIL_SERVER is not set" in result.output
    assert "e-mail not sent (MAIL_SERVER is not set)" in caplog.text
    assert "To: mette@example.dk" in caplog.text and f"Subject: {SUBJECT}" in caplog.text
    assert "Fortæl os, hvordan mødet om Emma gik: http://localhost/r/[token]" in caplog.text
    assert not TOKEN_SHAPED.search(caplog.text)
    # The link sent is the one handed out before (issue 12 item 6): it still works.
    assert client.get(f"/r/{ids.tokens['mother']}").status_code == 200
    assert _message(app, message_id).status == "sent"


def test_the_sms_log_adapter_logs(app, runner, caplog):
    _queue_plain(app, "sms")
    _send(runner, "sent 1, failed 0, given up 0")
    assert "SMS not sent (SMS_SENDER is 'log')" in caplog.text
    assert "To: +45 87 65 43 21" in caplog.text and "Husk mødet i morgen kl. 10." in caplog.text


def test_a_configured_sms_adapter_gets_the_message_with_a_working_link(app, runner, client, make, caseworker):
    app.config.update(SMS_SENDER="tests.test_outbox:RecordingSms", PUBLIC_BASE_URL="http://localhost")
    ids = make.emma(caseworker)
    message_id = _queue_link(app, ids.invitations["mother"], "sms")
    _send(runner, "sent 1, failed 0, given up 0")
    [(recipient, body)] = RecordingSms.sent
    assert recipient == "+45 12 34 56 78"
    short = SMS_LINK.search(body).group(1)
    page = client.get(f"/{short}")
    # The same form as the long link's: its buttons post to the link of this very invitation.
    assert page.status_code == 200 and f"/r/{ids.tokens['mother']}/" in page.get_data(as_text=True)
    assert _message(app, message_id).body == BODY
    _assert_no_token_stored(app, ids.tokens["mother"])
    _assert_no_token_stored(app, short)


def test_an_adapter_error_is_stored_without_the_token(app, runner, client, make, caseworker):
    app.config.update(SMS_SENDER="tests.test_outbox:RecordingSms", PUBLIC_BASE_URL="http://localhost")
    RecordingSms.fail = 1
    ids = make.emma(caseworker)
    message_id = _queue_link(app, ids.invitations["mother"], "sms")
    _send(runner, "sent 0, failed 1, given up 0")
    short = SMS_LINK.search(RecordingSms.tried[0][1]).group(1)
    message = _message(app, message_id)
    assert message.last_error == "RuntimeError: provider refused: " + BODY.replace("{link}", "http://localhost/[token]")
    _assert_no_token_stored(app, short)
    # The link tried is the one handed out (issue 12 item 6): it goes on working.
    assert short == tokens.short_form(ids.tokens["mother"]) and client.get(f"/{short}").status_code == 200


@pytest.mark.parametrize("setting, problem", [
    ("tests.no_such_module:Sms", "cannot import tests.no_such_module"),
    ("tests.test_outbox:NoSuchClass", "tests.test_outbox has no class NoSuchClass"),
    ("twilio", "must be 'log' or 'package.module:ClassName'"),
])
def test_a_bad_sms_sender_fails_clearly_at_delivery(app, runner, setting, problem):
    app.config["SMS_SENDER"] = setting  # create_app accepted it: it is read at delivery
    message_id = _queue_plain(app, "sms")
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 1
    assert f"Error: SMS_SENDER {setting!r}" in result.output or "Error: SMS_SENDER must be" in result.output
    assert problem in result.output
    assert _message(app, message_id).attempts == 0


@pytest.mark.parametrize("settings, problem", [
    ({"MAIL_FROM": None}, "MAIL_FROM must be set when MAIL_SERVER is"),
    ({"MAIL_USE_TLS": True, "MAIL_USE_SSL": True}, "not both"),
])
def test_a_bad_mail_setting_fails_clearly_at_delivery(app, runner, settings, problem):
    _mail_to(app, _free_port())
    app.config.update(settings)
    message_id = _queue_plain(app)
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 1 and problem in result.output
    assert _message(app, message_id).attempts == 0


def test_links_from_the_command_line_need_public_base_url(app, runner, make, caseworker):
    ids = make.emma(caseworker)
    link_id = _queue_link(app, ids.invitations["mother"])
    plain_id = _queue_plain(app)
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 1 and "PUBLIC_BASE_URL must be set when sending from the command line" in result.output
    assert _message(app, link_id).attempts == 0 and _message(app, plain_id).attempts == 0
    # Inside a web request the request's own address is used.
    with app.test_request_context(base_url="http://localhost"):
        delivery = deliver()
    assert delivery.sent == 2


def test_after_max_attempts_the_message_is_given_up(app, runner):
    _mail_to(app, _free_port())
    app.config["OUTBOX_MAX_ATTEMPTS"] = 2
    message_id = _queue_plain(app)
    _send(runner, "sent 0, failed 1, given up 0")
    _send(runner, "sent 0, failed 0, given up 1")
    message = _message(app, message_id)
    assert message.status == "given_up" and message.attempts == 2
    assert message.last_error.startswith("given up after 2 attempts; the last error: ConnectionRefusedError")
    _send(runner, "sent 0, failed 0, given up 0")
    assert _message(app, message_id).attempts == 2
    status = runner.invoke(args=["outbox", "status"]).output
    assert "waiting: 0" in status and "given up: 1" in status and "given up after 2 attempts" in status


def test_one_failure_never_stops_the_others(app, runner, smtp):
    app.config["SMS_SENDER"] = "tests.test_outbox:RecordingSms"
    RecordingSms.fail = 1
    first = _queue_plain(app, "sms")
    second = _queue_plain(app)
    _send(runner, "sent 1, failed 1, given up 0")
    assert _message(app, first).status == "failed" and _message(app, second).status == "sent"
    assert runner.invoke(args=["outbox", "status"]).output.startswith("waiting: 0\nfailed, will be retried: 1\n")


def test_queueing_only_adds_to_the_callers_transaction(app, make, caseworker):
    ids = make.emma(caseworker)
    with app.app_context():
        invitation = db.session.get(Invitation, ids.invitations["mother"])
        message = queue_email("mette@example.dk", SUBJECT, BODY, invitation=invitation)
        assert message.case_id == ids.case and message.attempts == 0
        db.session.rollback()
        assert db.session.scalars(select(OutboxMessage)).all() == []


@pytest.mark.parametrize("kwargs, problem", [
    ({"body": "Svar her: http://localhost/r/0123456789ABCDEFGHJKMNPQRS"}, "holds a personal token"),
    ({"body": "Svar her"}, "has {link} in its body"),
    ({"body": "Svar her: {link}", "invitation": None}, "has {link} in its body"),
    ({"subject": "{link}"}, "belongs in the body"),
    ({"subject": " "}, "needs a subject"),
    ({"recipient": " "}, "needs a recipient"),
    ({"subject": "x" * 201}, "at most 200 characters"),
])
def test_queueing_refuses_a_raw_link_and_a_misplaced_placeholder(app, make, caseworker, kwargs, problem):
    ids = make.emma(caseworker)
    with app.app_context():
        invitation = db.session.get(Invitation, ids.invitations["mother"])
        arguments = {"recipient": "mette@example.dk", "subject": SUBJECT, "body": BODY, "invitation": invitation} | kwargs
        with pytest.raises(ValueError, match=re.escape(problem)):
            queue_email(arguments.pop("recipient"), arguments.pop("subject"), arguments.pop("body"), **arguments)


def test_the_channel_is_checked_by_the_database(app):
    with app.app_context():
        db.session.add(OutboxMessage(channel="fax", recipient="x", body="y"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()

