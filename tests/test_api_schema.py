"""Schemathesis over the served OpenAPI document of /api/v1 (issue 17), on both backends.

Every operation gets bounded random and edge-case calls generated from its schema (hypothesis,
EXAMPLES per operation, derandomized, no shrinking), with a key that may read and write, on a
path that reaches Emma's case (random references are 404s, tested in test_api_problems.py):
never a server error, every error a problem document, and every status the document
describes. Bounded: well under a minute per backend.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import status_code_conformance

from app.extensions import db
from app.invitations.models import Invitation
from tests.api_helpers import bearer, make_key
from tests.factories import vas

EXAMPLES = 12


@pytest.fixture
def served_schema(app, make):
    nord = make.team("Team Nord")
    owner = make.user("anne", team=nord)
    ids = make.emma(owner)
    secret = make_key(app, make.user("admin", role="admin", name="Ada Admin"), [nord])
    # The path reaches Emma's case, her mother, the meeting and the round: the bodies and queries vary.
    make.answer(ids.invitations["mother"], {"fit-outcome-child": vas(5, 5, 5, 5)})
    with app.app_context():
        response_id = db.session.get(Invitation, ids.invitations["mother"]).current_responses[0].id
    # The FHIR reads (/api/v1/fhir) name a form, the round and one of the mother's answers.
    reached = {"reference": "Sag-Ø-17", "person_id": ids.people["mother"], "meeting_id": ids.meeting,
               "round_id": ids.round, "questionnaire_id": "fit-outcome-child", "response_id": response_id}
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app), secret, reached


def test_every_operation_answers_random_calls_without_a_server_error(served_schema):
    schema, secret, reached = served_schema
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 16
    for operation in operations:

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            case.path_parameters = {name: reached[name] for name in case.path_parameters or {}}
            response = case.call(headers=bearer(secret))
            assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
            if response.status_code >= 400:
                kind = {name.lower(): value for name, value in response.headers.items()}.get("content-type")
                kind = kind[0] if isinstance(kind, list) else kind
                assert kind.startswith("application/problem+json"), (case.method, case.formatted_path, kind)
            case.validate_response(response, checks=[status_code_conformance])

        run()
