"""The flask-smorest Api that builds /api/v1's OpenAPI 3 document from the views' marshmallow schemas.

Its own error handler is not installed: it would answer every error of the whole app (the staff
pages too) with its JSON; app.errors answers /api/v1's errors with problem documents
(app.api.problems) instead. Its ReDoc/Swagger pages load third-party scripts, so they are off:
views.py serves the JSON and a page of its own.
"""

import marshmallow as ma
from flask_smorest import Api

TITLE = "Samstem API"
VERSION = "1"


class ProblemSchema(ma.Schema):
    """An RFC 9457 problem document (application/problem+json)."""

    type = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String(required=True)
    code = ma.fields.String(required=True, metadata={"description": "Stable code of the kind of error."})
    errors = ma.fields.Dict(metadata={"description": "What was wrong, by field (a refused body)."})


class SamstemApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        """Leave errors to app.errors, which answers /api/v1's with problem documents."""

    def _register_doc_blueprint(self):
        """No ReDoc/Swagger UI (third-party scripts): the API's own views serve the document."""


SPEC = {
    "info": {"description": "Samstem's integration API: cases by the case system's reference, meetings, "
                            "feedback rounds, answers, decisions and the case report. Errors are RFC 9457 "
                            "problem documents; writes honour Idempotency-Key."},
    "components": {"securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer"}}},
    "security": [{"apiKey": []}],
}


def init_app(app) -> SamstemApi:
    """Return the app's own Api (each app its own document)."""
    app.config.setdefault("API_TITLE", TITLE)
    app.config.setdefault("API_VERSION", VERSION)
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    return SamstemApi(app, spec_kwargs=SPEC)


def document() -> dict:
    """Return the current app's OpenAPI document."""
    from flask import current_app

    document = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    # Every error is a problem document (app.api.problems): say so in the shared error responses.
    for response in document.get("components", {}).get("responses", {}).values():
        content = response.get("content", {})
        if "application/json" in content:
            content["application/problem+json"] = content.pop("application/json")
    return document
