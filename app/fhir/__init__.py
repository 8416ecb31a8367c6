"""Every instrument and answer as FHIR R4 JSON (issue 17 item 2): pure functions, no routes.

- questionnaire(form): an instrument of forms/ or an indicator form of forms/indicators/ as a
  Questionnaire; questionnaires(instruments, indicator_forms) for a whole catalogue (the app's:
  current_catalogue().all() and app.indicators.catalogue.current_forms().all());
  status_questionnaire(): the provider's status form (drawn per case, so one with a repeating
  goal group; needs the app, for its words);
- questionnaire_response(response): one stored answer as a QuestionnaireResponse, its subject
  and source pseudonymous (no name, no CPR number: Samstem holds none);
- bundle(round): a round's current answers, and the questionnaires they answer, as a Bundle
  of type collection.

The API (app/api) serves them; tests/test_fhir.py validates them with fhirclient's R4 models.
"""

from app.fhir.bundle import bundle
from app.fhir.questionnaire import questionnaire, questionnaires
from app.fhir.response import NoQuestionnaire, questionnaire_response
from app.fhir.status import status_questionnaire

__all__ = ["NoQuestionnaire", "bundle", "questionnaire", "questionnaire_response", "questionnaires",
           "status_questionnaire"]
