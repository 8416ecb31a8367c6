"""RFC 9457 problem documents: every error under /api/v1 is one, with a stable code per kind.

A problem is `application/problem+json` with type, title, status, detail and code (and, for a
refused body, `errors` by field). The type points to the problem's entry on the API's readable
page. The codes are the contract: a client branches on `code`, never on the wording.
"""

from dataclasses import dataclass

from flask import Response, json, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

PREFIX = "/api/v1"
MEDIA_TYPE = "application/problem+json"


@dataclass(frozen=True)
class Kind:
    code: str
    status: int
    title: object


KINDS = {kind.code: kind for kind in (
    Kind("malformed_json", 400, _l("Indholdet er ikke gyldig JSON.")),
    Kind("bad_request", 400, _l("Kaldet kunne ikke forstås.")),
    Kind("key_missing", 401, _l("Kaldet mangler en API-nøgle (Authorization: Bearer …).")),
    Kind("key_refused", 401, _l("API-nøglen er forkert eller trukket tilbage.")),
    Kind("scope_missing", 403, _l("API-nøglen må ikke gøre dette.")),
    Kind("team_not_reached", 403, _l("API-nøglen når ikke dette teams sager.")),
    Kind("not_found", 404, _l("Det findes ikke.")),
    Kind("method_not_allowed", 405, _l("Den metode kan ikke bruges her.")),
    Kind("conflict", 409, _l("Det kan ikke lade sig gøre, som sagen står nu.")),
    Kind("reference_collides", 409, _l("Flere sager har dette sagsnummer.")),
    Kind("case_closed", 409, _l("Sagen er lukket.")),
    Kind("round_locked", 409, _l("Runden er afgjort og kan ikke ændres.")),
    Kind("idempotency_in_flight", 409, _l("Det første kald med denne Idempotency-Key er ikke færdigt endnu.")),
    Kind("body_too_large", 413, _l("Indholdet er for stort.")),
    Kind("unsupported_media_type", 415, _l("Indholdet skal være application/json.")),
    Kind("validation_failed", 422, _l("Indholdet kan ikke bruges.")),
    Kind("idempotency_key_reused", 422, _l("Denne Idempotency-Key er brugt til et andet kald.")),
    Kind("too_many_requests", 429, _l("For mange kald. Vent lidt, og prøv igen.")),
    Kind("server_error", 500, _l("Der skete en fejl hos os. Prøv igen om lidt.")),
)}
# The code of a plain HTTP error raised by Flask or Werkzeug.
BY_STATUS = {400: "bad_request", 401: "key_missing", 403: "scope_missing", 404: "not_found",
             405: "method_not_allowed", 409: "conflict", 413: "body_too_large", 415: "unsupported_media_type",
             422: "validation_failed", 429: "too_many_requests"}


class Problem(Exception):
    """Raised anywhere in the API's code to answer with a problem document."""

    def __init__(self, code: str, detail: str | None = None, errors: dict | None = None, headers=None):
        super().__init__(code)
        self.kind = KINDS[code]
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def is_api_request() -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def response(code: str, detail: str | None = None, errors: dict | None = None, headers=None) -> Response:
    kind = KINDS[code]
    body = {"type": f"{PREFIX}/docs#{code}", "title": str(kind.title), "status": kind.status,
            "detail": detail or str(kind.title), "code": code}
    if errors:
        body["errors"] = errors
    reply = Response(json.dumps(body), status=kind.status, mimetype=MEDIA_TYPE)
    for name, value in (headers or {}).items():
        reply.headers[name] = value
    if kind.status == 401:
        reply.headers["WWW-Authenticate"] = 'Bearer realm="samstem"'
    return reply


def of_problem(problem: Problem) -> Response:
    return response(problem.kind.code, problem.detail, problem.errors, problem.headers)


def _messages(data: dict | None) -> dict | None:
    messages = (data or {}).get("messages")
    return messages if isinstance(messages, dict) else None


def of_http_error(error: HTTPException) -> Response:
    """Return the problem document for an HTTP error: webargs' refusals of a body or a query
    (flask-smorest's abort with `messages`), or Flask's own (404, 405, 413, …)."""
    status = error.code or 500
    messages = _messages(getattr(error, "data", None))
    if status == 400 and messages is not None and "json" in messages and _is_bad_json(messages["json"]):
        return response("malformed_json", str(KINDS["malformed_json"].title))
    if status == 422 or messages is not None:
        return response("validation_failed", errors=_plain(messages or {}))
    headers = {}
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    return response(BY_STATUS.get(status, "bad_request" if status < 500 else "server_error"), headers=headers)


def _is_bad_json(messages) -> bool:
    return messages == ["Invalid JSON body."] or (isinstance(messages, list) and any(
        "Invalid JSON" in str(message) for message in messages))


def _plain(messages: dict) -> dict:
    """Return webargs' messages without their location level when there is one location (json)."""
    if set(messages) == {"json"} and isinstance(messages["json"], dict):
        return messages["json"]
    if set(messages) == {"json"}:
        return {"_schema": messages["json"]}
    return messages
