"""Who carries a message out: SMTP or the log for e-mail, a pluggable adapter for SMS.

Every sender has one method, ``send``, that returns when the message is handed over
and raises any exception when it is not; the outbox counts the attempt either way.

- E-mail: ``SmtpEmail`` when ``MAIL_SERVER`` is set, else ``LogEmail`` (development:
  the message is written to the log instead of being sent).
- SMS: ``SMS_SENDER = "log"`` (the default, ``LogSms``) or ``"package.module:ClassName"``,
  a class constructed with the app config whose ``send(recipient, body)`` talks to a
  provider. Subclassing ``SmsSender`` is optional; having ``send`` is not.
"""

from __future__ import annotations

import importlib
import logging
import re
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any, Protocol

from app import tokens
from app.timestamps import utcnow

log = logging.getLogger(__name__)

# A raw token as it appears in a link: never written to a log or the database.
_TOKEN = re.compile(rf"(?<![0-9A-Za-z])[{tokens.ALPHABET}]{{{tokens.TOKEN_LENGTH}}}(?![0-9A-Za-z])"
                    # and its short form in an SMS link: a path segment of 22 URL-safe base64 characters
                    rf"|(?<=/)[A-Za-z0-9_-]{{{tokens.SHORT_LENGTH}}}(?![A-Za-z0-9_-])")


class OutboxError(RuntimeError):
    """The outbox cannot deliver at all as configured; the message says what to set."""


def redact(text: str) -> str:
    """Return the text with every token-shaped string replaced by "[token]"."""
    return _TOKEN.sub("[token]", text)


def has_token(text: str) -> bool:
    """Tell whether the text holds something shaped like a raw token."""
    return _TOKEN.search(text) is not None


def mask(recipient: str) -> str:
    """Return enough of an address or number to tell messages apart in a log."""
    name, at, domain = recipient.partition("@")
    if at:
        return f"{name[:1]}***@{domain}"
    digits = [c for c in recipient if c.isdigit()]
    return "***" + "".join(digits[-2:])


class EmailSender(Protocol):
    def send(self, recipient: str, subject: str, body: str) -> None: ...


class SmtpEmail:
    """E-mail over SMTP with the standard library: STARTTLS or SSL, optional login."""

    def __init__(self, config: Mapping[str, Any]):
        self.server = config["MAIL_SERVER"]
        self.port = int(config.get("MAIL_PORT") or 25)
        self.username = config.get("MAIL_USERNAME")
        self.password = config.get("MAIL_PASSWORD") or ""
        self.use_tls = bool(config.get("MAIL_USE_TLS"))
        self.use_ssl = bool(config.get("MAIL_USE_SSL"))
        self.sender = config.get("MAIL_FROM")
        self.timeout = float(config.get("MAIL_TIMEOUT") or 10)
        if not self.sender:
            raise OutboxError("MAIL_FROM must be set when MAIL_SERVER is: the address e-mail is sent from")
        if self.use_tls and self.use_ssl:
            raise OutboxError("set MAIL_USE_TLS (STARTTLS) or MAIL_USE_SSL, not both")

    def build(self, recipient: str, subject: str, body: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = recipient
        message["Subject"] = subject
        message["Date"] = format_datetime(utcnow())
        message["Message-ID"] = make_msgid(domain=parseaddr(self.sender)[1].rpartition("@")[2] or "localhost")
        message.set_content(body)
        return message

    def send(self, recipient: str, subject: str, body: str) -> None:
        message = self.build(recipient, subject, body)
        if self.use_ssl:
            smtp = smtplib.SMTP_SSL(self.server, self.port, timeout=self.timeout,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(self.server, self.port, timeout=self.timeout)
        try:
            if self.use_tls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password)
            smtp.send_message(message)
        finally:
            # The server has the message once DATA is accepted; a failed QUIT changes nothing.
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()


class LogEmail:
    """Development: write the e-mail to the log instead of sending it, tokens hidden."""

    def __init__(self, config: Mapping[str, Any]):
        self.config = config

    def send(self, recipient: str, subject: str, body: str) -> None:
        log.warning("e-mail not sent (MAIL_SERVER is not set)\nTo: %s\nSubject: %s\n\n%s",
                    recipient, subject, redact(body))


class SmsSender:
    """The SMS adapter interface: constructed with the app config, ``send`` raises on failure."""

    def __init__(self, config: Mapping[str, Any]):
        self.config = config

    def send(self, recipient: str, body: str) -> None:
        raise NotImplementedError


class LogSms(SmsSender):
    """The shipped adapter: write the SMS to the log, tokens hidden."""

    def send(self, recipient: str, body: str) -> None:
        log.warning("SMS not sent (SMS_SENDER is 'log')\nTo: %s\n\n%s", recipient, redact(body))


def email_sender(config: Mapping[str, Any]) -> EmailSender:
    """Return the SMTP sender if MAIL_SERVER is set, else the log."""
    return SmtpEmail(config) if config.get("MAIL_SERVER") else LogEmail(config)


def sms_sender(config: Mapping[str, Any]) -> SmsSender:
    """Return the adapter SMS_SENDER names: "log", or "package.module:ClassName"."""
    spec = config.get("SMS_SENDER") or "log"
    if spec == "log":
        return LogSms(config)
    module_name, colon, class_name = spec.partition(":")
    if not (colon and module_name and class_name):
        raise OutboxError(f"SMS_SENDER must be 'log' or 'package.module:ClassName', not {spec!r}")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise OutboxError(f"SMS_SENDER {spec!r}: cannot import {module_name}: {error}") from error
    adapter = getattr(module, class_name, None)
    if not isinstance(adapter, type):
        raise OutboxError(f"SMS_SENDER {spec!r}: {module_name} has no class {class_name}")
    try:
        sender = adapter(config)
    except Exception as error:
        raise OutboxError(f"SMS_SENDER {spec!r}: could not be set up: {error}") from error
    if not callable(getattr(sender, "send", None)):
        raise OutboxError(f"SMS_SENDER {spec!r}: the class has no send(recipient, body) method")
    return sender
