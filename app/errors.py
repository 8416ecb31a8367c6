"""Error pages in the user's language; respondents get their own light page."""

from flask import Flask, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app import audit
from app.api import problems
from app.cases.models import CaseIsClosed
from app.extensions import db
from app.i18n import is_respondent_request

MESSAGES = {
    400: _l("Der var en fejl i det, du sendte. Gå tilbage, og prøv igen."),
    403: _l("Du har ikke adgang til denne side."),
    404: _l("Siden findes ikke."),
    405: _l("Det kan man ikke gøre på denne side."),
    # A body over MAX_CONTENT_LENGTH, refused before it was read (the respondent's page says the same).
    413: _l("Det, du sendte, var for langt. Gå tilbage, og gør teksten kortere."),
    429: _l("Der har været for mange forsøg. Vent lidt, og prøv igen."),
    500: _l("Der skete en fejl hos os. Prøv igen om lidt."),
}
CLOSED_MESSAGE = _l("Sagen er lukket, så der kan ikke laves nye links til den. Genåbn sagen først, hvis der skal "
                    "følges op igen.")
CSRF_MESSAGE = _l("Siden var for gammel. Gå tilbage, opdatér siden, og prøv igen.")


def handle_http_error(error: HTTPException):
    code = error.code or 500
    audit.discard_reads()  # an error page shows none of what was loaded
    if problems.is_api_request():
        return problems.of_http_error(error)
    if error.response is not None:
        return error.response  # a page of its own, e.g. the login form when an account is locked
    if is_respondent_request():
        return render_template("respond/error.html", code=code), code
    message = CSRF_MESSAGE if isinstance(error, CSRFError) else MESSAGES.get(code, MESSAGES[400])
    return render_template("error.html", code=code, message=message), code


def handle_closed_case(error: CaseIsClosed):
    """New links for a closed case: say why and lead back to the case (nothing was made)."""
    audit.discard_reads()
    db.session.rollback()
    if problems.is_api_request():
        return problems.response("case_closed")
    return render_template("error.html", code=409, message=CLOSED_MESSAGE, case_id=error.case_id), 409


def handle_unexpected(error: Exception):
    # The endpoint, never the URL: a respondent's URL holds their token. The engine hides
    # statement parameters (hide_parameters), so no answer reaches the traceback either.
    current_app.logger.exception("Unexpected error in %s %s", request.method, request.endpoint)
    db.session.rollback()
    return handle_http_error(InternalServerError())


def handle_problem(problem: problems.Problem):
    """An API call refused (app.api): its problem document; nothing it changed is kept."""
    audit.discard_reads()
    db.session.rollback()
    return problems.of_problem(problem)


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(CaseIsClosed, handle_closed_case)
    app.register_error_handler(problems.Problem, handle_problem)
    if not app.config.get("TESTING"):
        # In tests an unexpected error must fail loudly, not hide behind a page.
        app.register_error_handler(Exception, handle_unexpected)
