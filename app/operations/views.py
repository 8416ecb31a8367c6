"""/healthz and /readyz: what a load balancer or orchestrator asks, without logging in.

/healthz: the process is up and serving (200 "ok"); it touches nothing else.
/readyz: the database answers and its migrations are the code's (200 "ok", else 503).
Neither says more than that: no versions, no errors (those go to the log). Neither is
rate-limited, sets a cookie, loads a user or writes the audit log.
"""

from flask import Blueprint, Response

from app.extensions import limiter
from app.operations.readiness import is_ready

bp = Blueprint("operations", __name__)
limiter.exempt(bp)


def _plain(body: str, status: int) -> Response:
    return Response(body, status=status, mimetype="text/plain")


@bp.route("/healthz")
def healthz():
    return _plain("ok", 200)


@bp.route("/readyz")
def readyz():
    if is_ready():
        return _plain("ok", 200)
    return _plain("unavailable", 503)
