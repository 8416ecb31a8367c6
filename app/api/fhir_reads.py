"""What /api/v1/fhir serves: the catalogue's forms, a round and one answer as FHIR R4 (app.fhir).

The Questionnaires hold no personal data: a call for them is audited as a call (with the key's
name), not as a read of a case. A round's Bundle and an answer are the key's teams' only, and
audited as a read of the case's personal data (app.audit.read). Free text is never sent
(app.fhir's free_text stays False): prose may name the child.
"""

from flask_babel import gettext as _

from app import audit
from app.api.models import ApiKey
from app.api.problems import Problem
from app.api.reads import cursor, position
from app.extensions import db
from app.fhir import (
    NoQuestionnaire,
    bundle,
    questionnaire,
    questionnaire_response,
    status_questionnaire,
)
from app.fhir.codes import BASE, fhir_id
from app.fhir.status import STATUS_ID
from app.indicators.catalogue import current_forms
from app.instruments import current_catalogue
from app.invitations.models import Response, Round

MEDIA_TYPE = "application/fhir+json"
MAX_ID = 2**31 - 1


def _forms() -> dict[str, object]:
    """Every form of the catalogue by its Questionnaire id: instruments, indicator forms, the provider's status."""
    forms: dict[str, object] = {fhir_id(form.id): form for form in (*current_catalogue().all(), *current_forms().all())}
    forms.setdefault(fhir_id(STATUS_ID), STATUS_ID)
    return forms


def _resource(form) -> dict:
    return status_questionnaire() if form == STATUS_ID else questionnaire(form)


def questionnaire_page(limit: int, given: str | None, self_url: str, next_url) -> dict:
    """The catalogue's Questionnaires as a Bundle of type searchset, a page at a time (link next)."""
    after = position("questionnaires", given, 0)
    if not isinstance(after, int) or after < 0:
        raise Problem("validation_failed", errors={"cursor": [_("Markøren hører ikke til denne liste.")]})
    forms = list(_forms().items())
    page = forms[after:after + limit]
    found = {"resourceType": "Bundle", "type": "searchset", "total": len(forms),
             "link": [{"relation": "self", "url": self_url}]}
    if after + limit < len(forms):
        found["link"].append({"relation": "next", "url": next_url(cursor("questionnaires", after + limit))})
    if page:
        found["entry"] = [{"fullUrl": f"{BASE}/Questionnaire/{form_id}", "resource": _resource(form),
                           "search": {"mode": "match"}} for form_id, form in page]
    audit.record("api.list", None, listed="questionnaires", count=len(page))
    return found


def one_questionnaire(questionnaire_id: str) -> dict:
    form = _forms().get(questionnaire_id)
    if form is None:
        raise Problem("not_found", _("Der er intet skema med id'et %(id)s.", id=questionnaire_id))
    audit.record("api.list", None, listed="questionnaire", id=questionnaire_id)
    return _resource(form)


def _reach(key: ApiKey, case) -> None:
    if not key.reaches(case.team_id):
        raise Problem("team_not_reached")


def round_bundle(key: ApiKey, round_id: int) -> dict:
    """The round's current answers and the questionnaires they answer, as a Bundle; audited as a read."""
    round_ = db.session.get(Round, round_id) if 0 < round_id <= MAX_ID else None
    if round_ is None:
        raise Problem("not_found", _("Der er ingen runde med nummeret %(id)s.", id=round_id))
    case = round_.meeting.case
    _reach(key, case)
    audit.read(case.id, api="fhir_bundle", round_id=round_.id)
    return bundle(round_)


def one_response(key: ApiKey, response_id: int) -> dict:
    """One stored answer as a QuestionnaireResponse; audited as a read of its case."""
    response = db.session.get(Response, response_id) if 0 < response_id <= MAX_ID else None
    if response is None:
        raise Problem("not_found", _("Der er intet svar med nummeret %(id)s.", id=response_id))
    case = response.invitation.round.meeting.case
    _reach(key, case)
    try:
        found = questionnaire_response(response)
    except NoQuestionnaire:
        raise Problem("not_found", _("Skemaet, svaret hører til, findes ikke længere.")) from None
    audit.read(case.id, api="fhir_response", response_id=response.id)
    return found
