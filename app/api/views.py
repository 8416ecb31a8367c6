"""/api/v1: the integration API's operations (flask-smorest: the schemas validate and document).

Every call but the document itself needs `Authorization: Bearer <key>`; the key's scopes (read,
write) and teams are checked before anything is read or changed, and every call is audited with
the key's name. Writes honour Idempotency-Key (app.api.idempotency). Errors are problem
documents (app.api.problems, installed by app.errors).
"""

from functools import wraps

from flask import current_app, g, make_response, request, url_for
from flask_smorest import Blueprint

from app.api import fhir_reads, idempotency, keys, reads, schemas, writes
from app.api.problems import Problem
from app.cases.models import Case

bp = Blueprint("api", __name__, url_prefix="/api/v1", description="Samstem's integration API.")
BODY_METHODS = ("POST", "PUT", "PATCH")
REFERENCE = "<string(maxlength=40):reference>"


@bp.before_request
def authenticate():
    """Refuse a huge body, a body that is not JSON and a missing or wrong key, before anything else."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    if limit and (request.content_length or 0) > limit:
        raise Problem("body_too_large")
    if request.method in BODY_METHODS and (request.content_length or request.headers.get("Transfer-Encoding")):
        if not request.is_json:
            raise Problem("unsupported_media_type")
    header = request.headers.get("Authorization")
    if not header:
        raise Problem("key_missing")
    key = keys.authenticate(header)
    if key is None:
        raise Problem("key_refused")
    g.api_key, g.api_key_name = key, key.name


def requires(scope: str):
    """Let only keys with the scope through; a write runs once per Idempotency-Key."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            key = g.api_key
            if not key.allows(scope):
                raise Problem("scope_missing")
            if scope == "write":
                return idempotency.run(key, lambda: make_response(view(*args, **kwargs)))
            return view(*args, **kwargs)

        return wrapped

    return decorate


def _case(reference: str) -> Case:
    return writes.case_of(g.api_key, reference)


# --- cases ---------------------------------------------------------------------------------------

@bp.route("/cases", methods=["GET"])
@requires("read")
@bp.arguments(schemas.PageQuery, location="query")
@bp.response(200, schemas.CasePage)
def list_cases(query):
    """The cases of the key's teams that have a reference, a page at a time."""
    return reads.case_page(g.api_key, query["limit"], query.get("cursor"))


@bp.route(f"/cases/{REFERENCE}", methods=["GET"])
@requires("read")
@bp.response(200, schemas.CaseOut)
def get_case(reference):
    """One case by the case system's reference: its people, background, measures and meetings."""
    return reads.case_summary(_case(reference))


@bp.route(f"/cases/{REFERENCE}", methods=["PUT"])
@requires("write")
@bp.arguments(schemas.CaseIn)
@bp.response(200, schemas.CaseOut)
@bp.alt_response(201, schema=schemas.CaseOut, description="The case was created.")
def put_case(data, reference):
    """Create the case with this reference, or change it (the same reference twice is a change).

    A new case needs team, caseworker, first_name and birth_year; nothing else is required."""
    case, new = writes.put_case(g.api_key, reference, data)
    return reads.case_summary(case), 201 if new else 200


@bp.route(f"/cases/{REFERENCE}/people", methods=["POST"])
@requires("write")
@bp.arguments(schemas.PersonIn)
@bp.response(201, schemas.PersonOut)
def add_person(data, reference):
    """Add a person around the child to the case."""
    person = writes.save_person(_case(reference), None, data)
    return {"id": person.id, "role": person.role, "first_name": person.first_name, "relation": person.relation,
            "language": person.language, "fit_exempt": person.fit_exempt}


@bp.route(f"/cases/{REFERENCE}/people/<int:person_id>", methods=["PUT"])
@requires("write")
@bp.arguments(schemas.PersonIn)
@bp.response(200, schemas.PersonOut)
def put_person(data, reference, person_id):
    """Change a person of the case."""
    person = writes.save_person(_case(reference), person_id, data)
    return {"id": person.id, "role": person.role, "first_name": person.first_name, "relation": person.relation,
            "language": person.language, "fit_exempt": person.fit_exempt}


@bp.route(f"/cases/{REFERENCE}/meetings", methods=["POST"])
@requires("write")
@bp.arguments(schemas.MeetingIn)
@bp.response(201, schemas.MeetingOut)
def add_meeting(data, reference):
    """Record a meeting with its participants; the reply says which forms Samstem proposes for each."""
    meeting = writes.record_meeting(_case(reference), data)
    return reads.meeting_summary(meeting)


@bp.route(f"/cases/{REFERENCE}/meetings/<int:meeting_id>/rounds", methods=["POST"])
@requires("write")
@bp.arguments(schemas.RoundIn)
@bp.response(201, schemas.RoundOpened)
def open_round(data, reference, meeting_id):
    """Open a feedback round after the meeting with the forms given (or those proposed).

    The reply holds each participant's personal link and typed code: this once only, for the
    case system to send itself (a retry with the same Idempotency-Key within 24 hours gets it again)."""
    case = _case(reference)
    return writes.open_round(g.api_key, case, writes.meeting_of(case, meeting_id), data)


@bp.route(f"/cases/{REFERENCE}/close", methods=["POST"])
@requires("write")
@bp.arguments(schemas.CloseIn)
@bp.response(200, schemas.Closed)
def close_case(data, reference):
    """Close the case: its open links stop working."""
    return writes.close_case(g.api_key, _case(reference), data)


# --- reads ---------------------------------------------------------------------------------------

@bp.route(f"/cases/{REFERENCE}/rounds", methods=["GET"])
@requires("read")
@bp.arguments(schemas.PageQuery, location="query")
@bp.response(200, schemas.RoundPage)
def list_rounds(query, reference):
    """The case's rounds, oldest first: every answer, signals, divergence, decisions, indicator scores."""
    return reads.rounds_page(_case(reference), query["limit"], query.get("cursor"))


@bp.route(f"/cases/{REFERENCE}/goals", methods=["GET"])
@requires("read")
@bp.response(200, schemas.GoalPage)
def list_goals(reference):
    """The action plan's goals (a short list: one page)."""
    return reads.goals(_case(reference))


@bp.route("/changes", methods=["GET"])
@requires("read")
@bp.arguments(schemas.PageQuery, location="query")
@bp.response(200, schemas.ChangePage)
def changes(query):
    """Every change to the key's teams' cases, oldest first; poll with the next_cursor of the page before.

    The cursor is opaque. The feed shows changes once they are two minutes old, so a change
    committed late is never skipped."""
    return reads.changes_page(g.api_key, query["limit"], query.get("cursor"))


@bp.route(f"/cases/{REFERENCE}/rounds/<int:round_id>/report.pdf", methods=["GET"])
@requires("read")
@bp.response(200, description="The round's case report as PDF, for the journal.",
             content_type="application/pdf")
def report_pdf(reference, round_id):
    """The round's case report as PDF (the same as the staff page's)."""
    data = reads.report(_case(reference), round_id, "pdf")
    return current_app.response_class(data, mimetype="application/pdf")


@bp.route(f"/cases/{REFERENCE}/rounds/<int:round_id>/report.txt", methods=["GET"])
@requires("read")
@bp.response(200, description="The round's case report as plain text, for the journal.",
             content_type="text/plain")
def report_text(reference, round_id):
    """The round's case report as plain text (the same as the staff page's summary)."""
    data = reads.report(_case(reference), round_id, "text")
    return current_app.response_class(data, mimetype="text/plain")


# --- FHIR R4 (app.fhir): the forms, a round and an answer; free text is never sent ---------------

FHIR_ID = "<string(maxlength=64):questionnaire_id>"


def _fhir(resource: dict):
    return current_app.response_class(current_app.json.dumps(resource), mimetype=fhir_reads.MEDIA_TYPE)


@bp.route("/fhir/Questionnaire", methods=["GET"])
@requires("read")
@bp.arguments(schemas.PageQuery, location="query")
@bp.response(200, schemas.FhirBundle, content_type=fhir_reads.MEDIA_TYPE)
def fhir_questionnaires(query):
    """Every form of the catalogue as a FHIR R4 Questionnaire, in a Bundle of type searchset.

    The instruments of forms/, the indicator forms and the provider's status: Danish and English
    text, answer options, the licence note in copyright, who answers. No personal data.
    A page at a time: the Bundle's link "next" while there are more."""
    limit = query["limit"]
    return _fhir(fhir_reads.questionnaire_page(
        limit, query.get("cursor"), request.url,
        lambda cursor: url_for("api.fhir_questionnaires", limit=limit, cursor=cursor, _external=True)))


@bp.route(f"/fhir/Questionnaire/{FHIR_ID}", methods=["GET"])
@requires("read")
@bp.response(200, schemas.FhirQuestionnaire, content_type=fhir_reads.MEDIA_TYPE)
def fhir_questionnaire(questionnaire_id):
    """One form as a FHIR R4 Questionnaire, by its id (the form's id, e.g. fit-outcome-child)."""
    return _fhir(fhir_reads.one_questionnaire(questionnaire_id))


@bp.route("/fhir/Bundle/round-<int:round_id>", methods=["GET"])
@requires("read")
@bp.response(200, schemas.FhirBundle, content_type=fhir_reads.MEDIA_TYPE)
def fhir_round(round_id):
    """A round as a FHIR R4 Bundle of type collection: every current answer as a
    QuestionnaireResponse and each Questionnaire answered.

    The Bundle's id is round-<the round's id> (the round_id of the case's rounds). The case and
    the respondents are pseudonyms, never a name or a CPR number; free text is left out (coded
    free_text_withheld), as it may name the child."""
    return _fhir(fhir_reads.round_bundle(g.api_key, round_id))


@bp.route("/fhir/QuestionnaireResponse/response-<int:response_id>", methods=["GET"])
@requires("read")
@bp.response(200, schemas.FhirQuestionnaireResponse, content_type=fhir_reads.MEDIA_TYPE)
def fhir_response(response_id):
    """One answer as a FHIR R4 QuestionnaireResponse, by its id (response-<the answer's id>).

    "Declined" is its own coded answer in a completed response; free text is left out (coded
    free_text_withheld), as it may name the child."""
    return _fhir(fhir_reads.one_response(g.api_key, response_id))
