"""Keep respondents' tokens out of every log line: a token in a path is a key to a person's answers.

The paths /r/<token>… and /o/<token>… are written as /r/… and /o/…, and a short SMS link
/<22 characters> as /…. Samstem's own log lines
never name a path (errors.py logs the endpoint); this masks the lines other parts write: the
development server's access log (logger "werkzeug") and, through gunicorn.conf.py, gunicorn's
access and error logs. A proxy in front must be told the same (README, "Logs").
"""

import logging
import re

from flask import Flask

_TOKEN_IN_PATH = re.compile(r"(/[ro]/)[^/?#\s\"']+")
# A short SMS link, /<22 characters> (app.tokens.short_form), at the start of a path.
_SHORT_LINK = re.compile(r"(^|[\s\"'])/[A-Za-z0-9_-]{22}(?=[/?#\s\"']|$)")


def mask(text: str) -> str:
    return _SHORT_LINK.sub(r"\1/…", _TOKEN_IN_PATH.sub(r"\1…", text))


def _masked(value):
    return mask(value) if isinstance(value, str) else value


class MaskTokens(logging.Filter):
    """Rewrite a record's message and arguments with the tokens masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _masked(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_masked(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _masked(v) for k, v in record.args.items()}
        return True


def init_app(app: Flask) -> None:
    server_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, MaskTokens) for f in server_log.filters):
        server_log.addFilter(MaskTokens())
