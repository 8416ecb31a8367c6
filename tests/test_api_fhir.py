"""FHIR R4 through /api/v1/fhir (issue 17 item 2): every form as a Questionnaire, a round as a
Bundle, an answer as a QuestionnaireResponse, served as application/fhir+json with the API's
keys, scopes, teams, audit and problem documents; each resource valid with fhirclient's R4 models.

Rules tested: a read key gets valid R4 (the strict models, as tests/test_fhir.py checks app/fhir);
the questionnaires hold no personal data, audited as a call; a round and an answer are the key's
teams' only and audited as a read of the case, with the key's name; free text is never sent;
a wrong scope, another team, a revoked or wrong key and an unknown id are problem documents.
"""

import json
from datetime import timedelta

import pytest
from fhirclient.models.bundle import Bundle
from fhirclient.models.questionnaire import Questionnaire
from fhirclient.models.questionnaireresponse import QuestionnaireResponse
from sqlalchemy import select

from app.api.models import ApiKey
from app.audit import VIEW, AuditEvent
from app.extensions import db
from app.fhir.codes import WITHHELD
from app.timestamps import utcnow
from tests.api_helpers import bearer, make_key
from tests.factories import SESSION_CHILD_KEYS, SESSION_KEYS, vas
from tests.test_fhir import r4_questionnaire_rules, response_fits, valid

FHIR = "/api/v1/fhir"
MEDIA_TYPE = "application/fhir+json"


@pytest.fixture
def emma(app, make):
    nord = make.team("Team Nord")
    owner = make.user("anne", team=nord)
    ids = make.emma(owner)
    admin = make.user("admin", role="admin", name="Ada Admin")
    ids.key = make_key(app, admin, [nord], ("read",), name="DUBU")
    ids.writer = make_key(app, admin, [nord], ("write",), name="DUBU skriver")
    ids.stranger = make_key(app, admin, [make.team("Team Syd")], ("read",), name="SB-SYS")
    make.answer(ids.invitations["mother"], {"fit-outcome-child": vas(2, 2, 2, 2),
                                            "fit-session": vas(9, 9, 9, 9, keys=SESSION_KEYS)})
    make.answer(ids.invitations["child"], {"fit-outcome-child": vas(5, 5, 5, 5),
                                           "fit-session-child": vas(8, 8, 8, 8, keys=SESSION_CHILD_KEYS)})
    make.answer(ids.invitations["network"], declined=True)
    return ids


def _get(client, url, secret, **query):
    return client.get(url, headers=bearer(secret), **({"query_string": query} if query else {}))


def _events(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def _responses(app, round_id):
    from app.invitations.models import Round

    with app.app_context():
        round_ = db.session.get(Round, round_id)
        return [(r.id, r.instrument_id, r.declined) for inv in round_.invitations for r in inv.current_responses]


def test_every_form_of_the_catalogue_is_served_as_a_valid_questionnaire_page_by_page(app, client, emma):
    seen, url, query = [], f"{FHIR}/Questionnaire", {"limit": 7}
    while True:
        reply = _get(client, url, emma.key, **query)
        assert reply.status_code == 200 and reply.mimetype == MEDIA_TYPE, reply.text[:300]
        found = valid(Bundle, reply.json)
        assert found["type"] == "searchset" and len(found.get("entry", [])) <= 7
        for entry in found.get("entry", []):
            r4_questionnaire_rules(valid(Questionnaire, entry["resource"]))
            seen.append(entry["resource"]["id"])
        following = [link["url"] for link in found["link"] if link["relation"] == "next"]
        if not following:
            break
        url, query = following[0].split("localhost", 1)[1], {}
    assert len(seen) == len(set(seen)) == found["total"]
    with app.app_context():
        from app.indicators.catalogue import current_forms
        from app.instruments import current_catalogue

        expected = len(current_catalogue().all()) + len(current_forms().all()) + 1
    assert len(seen) == expected
    # The FIT forms, an indicator form and the provider's status are all there.
    assert {"fit-outcome-child", "fit-session", "provider-status"} <= set(seen)
    # No personal data: audited as a call with the key's name, not as a read of a case.
    calls = _events(app, "api.list")
    assert calls and all(e.detail["api_key"] == "DUBU" and e.case_id is None for e in calls)
    assert calls[-1].detail["listed"] == "questionnaires"


def test_one_questionnaire_by_its_id_and_an_unknown_id_is_a_404_problem(app, client, emma):
    reply = _get(client, f"{FHIR}/Questionnaire/fit-outcome-child", emma.key)
    assert reply.status_code == 200 and reply.mimetype == MEDIA_TYPE
    found = valid(Questionnaire, reply.json)
    assert found["id"] == "fit-outcome-child" and found["item"]
    status = valid(Questionnaire, _get(client, f"{FHIR}/Questionnaire/provider-status", emma.key).json)
    assert status["item"][0]["linkId"] == "goals"
    unknown = _get(client, f"{FHIR}/Questionnaire/no-such-form", emma.key)
    assert unknown.status_code == 404 and unknown.mimetype == "application/problem+json"
    assert unknown.json["code"] == "not_found"
    (first, second) = _events(app, "api.list")[:2]
    assert first.detail == {"listed": "questionnaire", "id": "fit-outcome-child", "api_key": "DUBU"}
    assert second.detail["id"] == "provider-status" and first.case_id is None


def test_a_round_is_a_valid_bundle_of_its_answers_read_and_audited(app, client, emma):
    reply = _get(client, f"{FHIR}/Bundle/round-{emma.round}", emma.key)
    assert reply.status_code == 200 and reply.mimetype == MEDIA_TYPE, reply.text[:300]
    found = valid(Bundle, reply.json)
    assert found["type"] == "collection" and found["id"] == f"round-{emma.round}"
    resources = [entry["resource"] for entry in found["entry"]]
    responses = [valid(QuestionnaireResponse, r) for r in resources if r["resourceType"] == "QuestionnaireResponse"]
    forms = {f"{r['url']}|{r['version']}": valid(Questionnaire, r) for r in resources
             if r["resourceType"] == "Questionnaire"}
    assert len(responses) == len(_responses(app, emma.round)) >= 3
    for response in responses:
        response_fits(forms[response["questionnaire"]], response)
    # Pseudonyms only: no first name of anyone around Emma.
    text = json.dumps(found, ensure_ascii=False)
    for name in ("Emma", "Mette", "Jonas"):
        assert name not in text
    views = _events(app, VIEW)
    assert views[-1].case_id == emma.case and views[-1].detail == {
        "api": "fhir_bundle", "round_id": emma.round, "api_key": "DUBU"}
    assert views[-1].user_id is None


def test_an_answer_is_a_valid_response_and_a_declined_form_a_coded_answer(app, client, emma):
    for response_id, instrument_id, declined in _responses(app, emma.round):
        reply = _get(client, f"{FHIR}/QuestionnaireResponse/response-{response_id}", emma.key)
        assert reply.status_code == 200 and reply.mimetype == MEDIA_TYPE, reply.text[:300]
        found = valid(QuestionnaireResponse, reply.json)
        assert found["status"] == "completed" and instrument_id in found["questionnaire"]
        codes = {a.get("valueCoding", {}).get("code") for item in found["item"] for a in item.get("answer", [])}
        assert (codes == {"declined"}) == declined
        views = _events(app, VIEW)
        assert views[-1].case_id == emma.case and views[-1].detail["response_id"] == response_id
        assert views[-1].detail["api_key"] == "DUBU"
    unknown = _get(client, f"{FHIR}/QuestionnaireResponse/response-99999", emma.key)
    assert unknown.status_code == 404 and unknown.json["code"] == "not_found"
    assert _get(client, f"{FHIR}/Bundle/round-99999", emma.key).json["code"] == "not_found"


def test_free_text_is_never_sent(app, client, make, emma):
    make.answer(emma.invitations["father"], {"fit-outcome-child": vas(5, 5, 5, 5),
                                             "fit-session": vas(9, 9, 9, 9, keys=SESSION_KEYS)})
    from app.invitations.models import Response

    with app.app_context():
        response = db.session.scalars(select(Response).order_by(Response.id.desc())).first()
        response.answers = {**response.answers, "note": "Emma græder om morgenen"}
        db.session.commit()
        response_id = response.id
    found = _get(client, f"{FHIR}/QuestionnaireResponse/response-{response_id}", emma.key).json
    assert "græder" not in json.dumps(found, ensure_ascii=False)
    note = next(item for item in found["item"] if item["linkId"] == "note")
    assert note["answer"][0]["valueCoding"]["code"] == WITHHELD
    bundle = _get(client, f"{FHIR}/Bundle/round-{emma.round}", emma.key).json
    assert "græder" not in json.dumps(bundle, ensure_ascii=False)


ROUTES = ("/Questionnaire", "/Questionnaire/fit-outcome-child", "/Bundle/round-{round}",
          "/QuestionnaireResponse/response-{response}")


@pytest.mark.parametrize("path", ROUTES)
def test_a_wrong_scope_a_wrong_or_revoked_key_are_problem_documents(app, client, emma, path):
    response_id = _responses(app, emma.round)[0][0]
    url = FHIR + path.format(round=emma.round, response=response_id)
    for secret, status, code in ((emma.writer, 403, "scope_missing"), ("samstem_wrong", 401, "key_refused"),
                                 (None, 401, "key_missing")):
        reply = client.get(url, headers=bearer(secret) if secret else {})
        assert (reply.status_code, reply.mimetype, reply.json["code"]) == (
            status, "application/problem+json", code), (path, secret)
    with app.app_context():
        db.session.scalar(select(ApiKey).where(ApiKey.name == "DUBU")).revoked_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert _get(client, url, emma.key).json["code"] == "key_refused"


@pytest.mark.parametrize("path", ROUTES[2:])
def test_another_teams_round_or_answer_is_refused_like_any_read_of_another_team(app, client, emma, path):
    response_id = _responses(app, emma.round)[0][0]
    before = len(_events(app, VIEW))
    reply = _get(client, FHIR + path.format(round=emma.round, response=response_id), emma.stranger)
    assert (reply.status_code, reply.json["code"]) == (403, "team_not_reached")
    # The same problem as another team's case by its reference.
    assert _get(client, "/api/v1/cases/Sag-Ø-17", emma.stranger).json["code"] == "team_not_reached"
    assert len(_events(app, VIEW)) == before


def test_the_fhir_operations_are_in_the_openapi_document_as_fhir_json(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/fhir/Questionnaire", "/api/v1/fhir/Questionnaire/{questionnaire_id}",
                 "/api/v1/fhir/Bundle/round-{round_id}", "/api/v1/fhir/QuestionnaireResponse/response-{response_id}"):
        assert list(paths[path]["get"]["responses"]["200"]["content"]) == [MEDIA_TYPE], path


def test_every_round_and_answer_of_the_demo_is_valid_r4_through_the_api(app, client, make):
    """`flask demo-data`'s case (app/demo.py): feedback, indicator, see-happen and status rounds."""
    from app.cases.models import Case
    from app.demo import create_demo

    with app.test_request_context():
        create_demo()
        db.session.commit()
        case = db.session.scalar(select(Case).where(Case.external_ref == "DEMO-1"))
        team_id = case.team_id
        rounds = {r.id: [resp.id for inv in r.invitations for resp in inv.current_responses]
                  for m in case.meetings for r in m.rounds}
    secret = make_key(app, make.user("fhir-admin", role="admin"), [team_id], ("read",), name="Demo")
    kinds = set()
    for round_id, response_ids in rounds.items():
        found = valid(Bundle, _get(client, f"{FHIR}/Bundle/round-{round_id}", secret).json)
        resources = [entry["resource"] for entry in found.get("entry", [])]
        forms = {f"{r['url']}|{r['version']}": valid(Questionnaire, r) for r in resources
                 if r["resourceType"] == "Questionnaire"}
        responses = [r for r in resources if r["resourceType"] == "QuestionnaireResponse"]
        assert len(responses) == len(response_ids)
        for response in responses:
            response_fits(forms[response["questionnaire"]], valid(QuestionnaireResponse, response))
        for response_id in response_ids:
            reply = _get(client, f"{FHIR}/QuestionnaireResponse/response-{response_id}", secret)
            assert reply.status_code == 200, reply.text[:300]
            kinds.add(valid(QuestionnaireResponse, reply.json)["questionnaire"].split("/")[-1].split("|")[0])
    assert {"fit-outcome-child", "provider-status"} <= kinds and any(k.startswith("indicators") for k in kinds)


def test_the_docs_page_lists_the_fhir_operations_and_says_free_text_is_not_sent(client):
    page = client.get("/api/v1/docs").text
    assert "/api/v1/fhir/Bundle/round-{round_id}" in page and "/api/v1/fhir/Questionnaire" in page
    assert "Fritekst sendes ikke" in page
