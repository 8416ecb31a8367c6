"""The request boundary: one commit for a request that succeeded, a rollback for any other.

Services add and flush; views never commit. A response below 400 commits what the request
changed; any other response (a refused form, a conflict, an error page) rolls it back.
The reads the access loaders noted (app.audit.read) are written either way, in the same
commit, unless the response is a redirect or an error page (neither shows what was read;
the error handlers discard the reads). A service that must commit in steps says why (the
outbox commits after each message, so one failure never loses another's state).
"""

from flask import Flask, Response
from sqlalchemy import insert

from app import audit
from app.extensions import db


def finish(response: Response) -> Response:
    """Commit or roll back this request's work; write its audited reads."""
    if response.status_code >= 400:
        db.session.rollback()
    reads = audit.pending_reads()
    if reads and (response.status_code < 300 or response.status_code >= 400):
        # One statement however many cases a list shows.
        db.session.execute(insert(audit.AuditEvent), reads)
    db.session.commit()
    return response


def init_app(app: Flask) -> None:
    app.after_request(finish)
