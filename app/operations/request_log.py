"""One log line per request, and every log line as one JSON object when SAMSTEM_LOG_FORMAT=json.

A municipal log platform reads JSON lines. The request line (logger "samstem.request") holds
the request id, the user id, the endpoint's name, the method, the status and the duration in
milliseconds; never the path (a respondent's path holds a token), never a query, a form's
answers or anybody's name. The request id comes from the X-Request-Id header when a proxy set
a well-formed one (so its lines and ours join up), else it is made here; it goes back in the
response's X-Request-Id either way.

In JSON mode the root logger writes every record (Samstem's own, the libraries') as JSON to
standard error, where gunicorn and systemd collect it, through the same token mask as the
access logs (app/logmask.py). Otherwise logging is left as the host configures it.
"""

import logging
import os
import re
import sys
import time
import uuid

from flask import Flask, Response, g, has_request_context, request, session
from flask.logging import default_handler
from pythonjsonlogger.json import JsonFormatter

from app.logmask import MaskTokens
from app.tokens import is_well_formed

log = logging.getLogger("samstem.request")
HEADER = "X-Request-Id"
# A load balancer's id: a UUID, nginx's 32 hex digits, and the like; nothing a log could misread.
_WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")


def request_id_from(header: str | None) -> str:
    """The proxy's request id if it is well-formed and not shaped like a token, else a new one."""
    if header and _WELL_FORMED.fullmatch(header) and not is_well_formed(header):
        return header
    return uuid.uuid4().hex


def _start() -> None:
    g.request_id = request_id_from(request.headers.get(HEADER))
    g.request_started = time.perf_counter()


def _user_id() -> int | None:
    """The logged-in user's id, if this request loaded one (a public page never does).

    Read from the session, not the user: after the request's commit the user's attributes
    are expired, and reading one would cost a statement.
    """
    user = g.get("_login_user")  # where Flask-Login keeps the user it loaded
    if user is None or user.is_anonymous:
        return None
    user_id = session.get("_user_id")
    return int(user_id) if isinstance(user_id, str) and user_id.isdigit() else None


def _finish(response: Response) -> Response:
    request_id = g.get("request_id") or request_id_from(request.headers.get(HEADER))
    response.headers[HEADER] = request_id
    started = g.get("request_started")
    log.info("request", extra={
        "request_id": request_id,
        "user_id": _user_id(),
        "endpoint": request.endpoint,
        "method": request.method,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
    })
    return response


class RequestId(logging.Filter):
    """Give every record written during a request that request's id, so its lines join up."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id") and has_request_context() and "request_id" in g:
            record.request_id = g.request_id
        return True


def json_formatter() -> logging.Formatter:
    return JsonFormatter("%(levelname)s %(name)s %(message)s", timestamp="time",
                         rename_fields={"levelname": "level", "name": "logger"})


def use_json_lines(stream=None) -> logging.Handler:
    """Write every log record as one JSON line to `stream` (standard error); return the handler."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "samstem_json", False)]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.samstem_json = True
    handler.setFormatter(json_formatter())
    handler.addFilter(MaskTokens())
    handler.addFilter(RequestId())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # a line per stylesheet read
    return handler


def init_app(app: Flask) -> None:
    # Register before the other extensions: the id is there for them, and the line is written last.
    app.config.setdefault("LOG_FORMAT", os.environ.get("SAMSTEM_LOG_FORMAT", "text"))
    app.before_request(_start)
    app.after_request(_finish)
    if str(app.config["LOG_FORMAT"]).strip().lower() == "json":
        use_json_lines()
        app.logger.removeHandler(default_handler)  # Flask's own plain-text handler
