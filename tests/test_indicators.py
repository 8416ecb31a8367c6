"""Resultatdokumentation end to end: the procedure, a case's form and rhythm, scoring by
personal link and by the case worker, the matrix with its spread rule, final scores, the
decision gate and the classification of the next round, and the charts."""

from datetime import date, timedelta

import pytest

from app.cases.models import Case
from app.extensions import db
from app.indicators import services
from app.indicators.matrix import SPREAD_STEPS, is_spread, spread
from app.indicators.models import FinalScore, IndicatorProcedure, StaffScoring
from app.invitations.models import Response, Round
from tests.factories import login, no_script_but_ours

CHILD_FAMILY = ["development", "family_mother", "family_father", "family_siblings", "school", "health",
                "leisure", "self_reliance", "attachment", "crime"]
UNSPLIT = ["development", "family", "school", "health", "leisure", "self_reliance", "attachment", "crime"]


def scored(keys=CHILD_FAMILY, status="3", goal="2", **overrides) -> dict[str, str]:
    """Posted fields: every factor with a status and goal; overrides by field name."""
    data = {}
    for key in keys:
        data[f"{key}-status"] = status
        data[f"{key}-goal"] = goal
    data.update({k.replace("__", "-"): v for k, v in overrides.items()})
    return data


def finals(keys=CHILD_FAMILY, status=3, goal=2) -> dict[str, dict]:
    return {k: {"status": status, "goal": goal} for k in keys}


def stored(app, invitation_id: int) -> list[Response]:
    with app.app_context():
        return db.session.scalars(db.select(Response).where(Response.invitation_id == invitation_id)).all()


# --- the spread rule ---------------------------------------------------------------------------

@pytest.mark.parametrize("statuses, steps, marked", [
    # The spread rule (app/indicators/matrix.py, DESIGN.md E, issue 4): marked when the known
    # statuses differ by 2 or more steps; "ved ikke" and missing take no part; never averaged.
    ([1, 3], 2, True),
    ([2, 3], 1, False),
    ([1, 5, 3], 4, True),
    ([4, 4, 4], 0, False),
    ([2, "dont_know", 4], 2, True),
    ([2, "dont_know", None], None, False),
    ([3], None, False),
    ([], None, False),
    ([0, 2], 2, True),  # the ICF 0–4 scale by the same rule
])
def test_spread_marks_two_steps_or_more(statuses, steps, marked):
    assert SPREAD_STEPS == 2
    assert spread(statuses) == steps
    assert is_spread(statuses) is marked


# --- a rationale where the scorers differ by 2 or more steps -----------------------------------

@pytest.mark.parametrize("posted, spread_keys, needed", [
    # Issue 4: the case worker "sets the final status and goal per factor with a rationale";
    # required where the factor's spread is marked (matrix.is_spread), optional elsewhere.
    ({"final-health-status": "3"}, {"health"}, True),
    ({"final-health-status": "3", "final-health-rationale": "   "}, {"health"}, True),  # blank is no rationale
    ({"final-health-status": "dont_know"}, {"health"}, True),  # "Ved ikke" is a final status too
    ({"final-health-status": "3", "final-health-rationale": "Lægen har set på det."}, {"health"}, False),
    ({"final-health-status": "3"}, set(), False),  # no spread: optional
    ({"final-health-status": "3"}, {"school"}, False),  # another factor's spread
    ({"final-health-goal": ""}, {"health"}, False),  # no final status set: nothing to explain
    ({"final-health-status": "9"}, {"health"}, False),  # a malformed status is reported as that alone
])
def test_a_final_status_on_a_spread_factor_needs_a_rationale(posted, spread_keys, needed):
    from app.indicators import scoring
    from app.indicators.catalogue import DEFAULT_DIRECTORY, load_indicator_forms

    form = load_indicator_forms(DEFAULT_DIRECTORY, ("da", "en")).get("indicators-child-family")
    result = scoring.read_finals(form, form.factors(), posted, spread_keys)
    assert (result.problems.get("final-health-rationale", (None,))[0] == scoring.RATIONALE_NEEDED) is needed
    assert [k for k, (code, _) in result.problems.items() if code == scoring.RATIONALE_NEEDED] == (
        ["final-health-rationale"] if needed else [])


# --- the procedure -----------------------------------------------------------------------------

def test_only_an_administrator_sets_the_procedure(app, make, client, caseworker):
    make.user("admin", role="admin")
    make.user("leader", role="leader")
    for username in ("anne", "leader"):
        login(client, username)
        assert client.get("/admin/indicators").status_code == 403
        assert client.post("/admin/indicators", data={}).status_code == 403
        client.post("/logout")
    login(client, "admin")
    page = client.get("/admin/indicators")
    assert page.status_code == 200 and "Hvem scorer?" in page.text
    assert "Udkast – skal godkendes af organisationen" in page.text  # drafts said as such in the choice
    response = client.post("/admin/indicators", data={
        "scorers": ["caseworker", "school"], "together": "together", "rhythm": "4",
        "default_form": "indicators-youth", "family_split": "no"})
    assert response.status_code == 302
    with app.app_context():
        row = db.session.get(IndicatorProcedure, 1)
        assert (row.scorers, row.together, row.rhythm_months, row.default_form, row.family_split) == (
            ["caseworker", "school"], True, 4, "indicators-youth", False)


@pytest.mark.parametrize("username, role, linked", [
    # Issue 10 item 17: the procedure page is linked where an administrator lands, for no one else.
    ("admin", "admin", True),
    ("anne", "caseworker", False),
    ("leader", "leader", False),
])
def test_the_procedure_is_linked_where_an_administrator_lands(make, client, username, role, linked):
    make.user(username, role=role, team=make.team() if role == "caseworker" else None)
    login(client, username)
    landing = client.get("/")
    assert landing.status_code == 200
    assert ('href="/admin/indicators"' in landing.text) is linked
    if linked:
        assert "Resultatdokumentation: procedure" in landing.text
        assert client.get("/admin/indicators").status_code == 200


@pytest.mark.parametrize("change, message", [
    ({"scorers": []}, "Vælg mindst én, der scorer."),
    ({"rhythm": "5"}, "Vælg en af mulighederne."),
    ({"default_form": "no-such-form"}, "Vælg en af mulighederne."),
    ({"together": ""}, "Vælg, om de scorer hver for sig eller sammen."),
])
def test_a_bad_procedure_is_refused_and_kept(app, make, client, change, message):
    make.user("admin", role="admin")
    login(client, "admin")
    data = {"scorers": ["caseworker"], "together": "separately", "rhythm": "6",
            "default_form": "indicators-youth", "family_split": "yes"} | change
    response = client.post("/admin/indicators", data=data)
    assert response.status_code == 400 and message in response.text
    with app.app_context():
        assert db.session.get(IndicatorProcedure, 1) is None


# --- the case: form, intake, due ---------------------------------------------------------------

def test_the_case_worker_chooses_form_and_intake_and_sees_the_next_measurement(app, make, staff, caseworker):
    ids = make.emma(caseworker, open_round=False)
    page = staff.get(f"/cases/{ids.case}")
    assert "Resultatdokumentation" in page.text and "Vælg skema og startdato" in page.text
    intake = date.today() + timedelta(days=10)
    response = staff.post(f"/cases/{ids.case}/indicators", data={"form_id": "indicators-youth",
                                                                  "intake_on": intake.isoformat()})
    assert response.status_code == 302
    page = staff.get(f"/cases/{ids.case}")
    assert "Indikatorer: unge" in page.text and "Næste måling" in page.text
    bad = staff.post(f"/cases/{ids.case}/indicators", data={"form_id": "indicators-youth", "intake_on": "i morgen"})
    assert bad.status_code == 400 and "Skriv datoen som dag, måned og år, fx 14-03-2026." in bad.text


def test_measurement_due_follows_the_intake_rhythm_and_rounds(app, make, caseworker):
    intake = date.today() - timedelta(days=100)  # the 3-month measurement is due
    ids = make.indicator_case(caseworker, intake=intake)
    with app.test_request_context():
        case = db.session.get(Case, ids.case)
        from app.indicators.schedule import add_months
        # The intake's window closed without a measurement; the 3-month one is due.
        assert services.measurement_due(case, date.today()) == add_months(intake, 3)
    make.indicator_round(ids)  # today's meeting covers it
    with app.test_request_context():
        case = db.session.get(Case, ids.case)
        assert services.measurement_due(case, date.today()) is None
        assert services.next_measurement(case, date.today()) == add_months(intake, 9)
    with app.test_request_context():
        case = db.session.get(Case, make.emma(caseworker, open_round=False).case)
        assert services.measurement_due(case, date.today()) is None  # no form chosen: nothing due


def test_a_draft_form_is_shown_as_a_draft(app, make, staff, caseworker):
    ids = make.indicator_case(caseworker, form="indicators-under-3")
    assert "Udkast – skal godkendes af organisationen" in staff.get(f"/cases/{ids.case}").text
    assert "Udkast – skal godkendes af organisationen" in staff.get(f"/meetings/{ids.meeting}/indicators").text


# --- starting a round ----------------------------------------------------------------------------

def test_starting_a_round_gives_the_external_scorers_links(app, make, staff, caseworker):
    ids = make.indicator_case(caseworker, scorers=["caseworker", "provider", "parents", "school"])
    page = staff.get(f"/meetings/{ids.meeting}/indicators")
    assert "Disse får et personligt link" in page.text and "Lise" in page.text
    response = staff.post(f"/meetings/{ids.meeting}/indicators")
    assert response.status_code == 302 and "/screen" in response.headers["Location"]
    with app.app_context():
        round_ = db.session.scalar(db.select(Round).where(Round.kind == "indicators"))
        roles = sorted(i.person.role for i in round_.invitations)
        assert roles == ["father", "mother", "provider"]  # not the grandmother (network), not the child
        assert all(i.instrument_ids == ["indicators-child-family"] for i in round_.invitations)


def test_a_round_needs_the_case_form_first(app, make, staff, caseworker):
    ids = make.emma(caseworker, open_round=False)
    response = staff.post(f"/meetings/{ids.meeting}/indicators")
    assert response.status_code == 409 and "Vælg først sagens indikatorskema" in response.text


def test_together_means_no_links_and_one_joint_scoring(app, make, staff, caseworker):
    ids = make.indicator_case(caseworker, together=True, family_split=False)
    response = staff.post(f"/meetings/{ids.meeting}/indicators")
    assert response.status_code == 302 and response.headers["Location"].endswith("/indicators/score")
    with app.app_context():
        round_ = db.session.scalar(db.select(Round).where(Round.kind == "indicators"))
        assert round_.invitations == []
    page = staff.get(f"/rounds/{round_.id}/indicators/score")
    assert "Fælles scoring" in page.text and "Hvem var med til at score?" in page.text
    assert 'name="family-status"' in page.text and "family_mother" not in page.text  # split turned off
    data = scored(UNSPLIT) | {"took_part": [str(ids.people["mother"]), str(ids.people["child"])]}
    assert staff.post(f"/rounds/{round_.id}/indicators/score", data=data).status_code == 302
    matrix = staff.get(f"/rounds/{round_.id}/indicators")
    assert "med Emma, Mette" in matrix.text


# --- scoring by personal link -----------------------------------------------------------------

@pytest.fixture
def round_ids(make, caseworker):
    ids = make.indicator_case(caseworker)
    make.indicator_round(ids)
    return ids


def test_the_external_scorer_sees_every_factor_with_step_guidance(app, client, round_ids):
    # The provider is staff: asked every factor, in the form's own words (issue 11 item 1).
    page = client.get(f"/r/{round_ids.tokens['provider']}/form")
    assert page.status_code == 200
    for text in ("Familieforhold: mor", "Familieforhold: søskende", "Tilknytning", "Kriminalitet",
                 "1: Ingen problemer: klarer sig uden støtte", "Ved ikke", "Forslag til mål", "Uddybning (valgfrit)"):
        assert text in page.text
    assert no_script_but_ours(page.text)


def test_a_complete_scoring_is_stored_as_a_response(app, client, round_ids):
    data = scored(development__status="dont_know", development__goal="", health__text="Sover dårligt.")
    response = client.post(f"/r/{round_ids.tokens['mother']}/form", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith("/thanks")
    [answer] = stored(app, round_ids.invitations["mother"])
    # Version 2: the wording for respondents changed (issue 11 "Versions").
    assert answer.instrument_id == "indicators-child-family" and answer.instrument_version == 2
    assert answer.answers["scores"]["development"] == {"status": "dont_know", "goal": None, "text": ""}
    assert answer.answers["scores"]["health"] == {"status": 3, "goal": 2, "text": "Sover dårligt."}
    # What she was not asked is not stored, even when posted (issue 11 item 1).
    assert "crime" not in answer.answers["scores"] and "family_mother" not in answer.answers["scores"]
    # Sent twice (a double click): no second version.
    client.post(f"/r/{round_ids.tokens['mother']}/form", data=data)
    assert len(stored(app, round_ids.invitations["mother"])) == 1


@pytest.mark.parametrize("change, message", [
    ({"crime-status": ""}, "Vælg en status for »Kriminalitet«, eller vælg »Ved ikke«."),
    ({"health-status": "7"}, "Vælg en af mulighederne ved »Sundhed«."),
    ({"health-status": "tre"}, "Vælg en af mulighederne ved »Sundhed«."),
    ({"health-status": "99999999999999999999"}, "Vælg en af mulighederne ved »Sundhed«."),
    ({"health-goal": "0"}, "Vælg en af mulighederne ved »Sundhed«."),
    ({"health-status": "2", "health-goal": "4"}, "Målet for »Sundhed« kan ikke være dårligere end status."),
    ({"health-text": "x" * 1001}, "Teksten ved »Sundhed« er for lang."),
    ({"health-text": "Mors cpr er 010203-1234"}, "Skriv ikke CPR-numre i Samstem."),
])
def test_a_bad_scoring_is_refused_with_everything_typed_kept(app, client, round_ids, change, message):
    # The provider is asked every factor, crime too (issue 11 item 1).
    data = scored(school__text="Går i skole hver dag.") | change
    response = client.post(f"/r/{round_ids.tokens['provider']}/form", data=data)
    assert response.status_code == 400
    assert message in response.text
    assert "Går i skole hver dag." in response.text
    assert 'name="attachment-status" value="3" checked' in response.text
    assert stored(app, round_ids.invitations["provider"]) == []


def test_every_missing_factor_gets_its_own_message(app, client, round_ids):
    response = client.post(f"/r/{round_ids.tokens['provider']}/form", data={"development-status": "2"})
    assert response.status_code == 400
    for name in ("Familieforhold: far", "Skole", "Tilknytning", "Kriminalitet"):
        assert f"Vælg en status for »{name}«, eller vælg »Ved ikke«." in response.text
    assert "Vælg en status for »Udvikling og adfærd«" not in response.text


def test_a_locked_round_no_longer_takes_scores(app, make, client, round_ids):
    make.decide_round(round_ids.round, reason="Ingen nåede at score.")
    response = client.post(f"/r/{round_ids.tokens['mother']}/form", data=scored())
    assert response.status_code == 200 and stored(app, round_ids.invitations["mother"]) == []


# --- the case worker's scoring ----------------------------------------------------------------

def test_the_case_worker_scores_on_a_staff_page(app, staff, round_ids):
    url = f"/rounds/{round_ids.round}/indicators/score"
    bad = staff.post(url, data=scored(crime__status="", health__goal="5"))
    assert bad.status_code == 400
    assert "Vælg en status for »Kriminalitet«" in bad.text and "Målet for »Sundhed«" in bad.text
    assert staff.post(url, data=scored(status="2", goal="1")).status_code == 302
    with app.app_context():
        [scoring] = db.session.scalars(db.select(StaffScoring)).all()
        assert scoring.answers["scores"]["crime"]["status"] == 2


def test_an_empty_scoring_gets_the_form_back_with_what_is_missing(staff, round_ids):
    # Issue 12 item 18: a POST without a body gave a 500 (WTForms reads no form data then).
    response = staff.post(f"/rounds/{round_ids.round}/indicators/score")
    assert response.status_code == 400
    assert "Vælg en status for »Kriminalitet«" in response.text


def test_another_case_s_people_cannot_be_named_as_taking_part(app, make, staff, caseworker):
    ids = make.indicator_case(caseworker, together=True)
    make.indicator_round(ids)
    other = make.emma(caseworker, open_round=False)
    data = scored() | {"took_part": [str(other.people["mother"])]}
    response = staff.post(f"/rounds/{ids.round}/indicators/score", data=data)
    assert response.status_code == 400 and "En af de valgte personer deltog ikke i mødet." in response.text
    with app.app_context():
        assert db.session.scalars(db.select(StaffScoring)).all() == []


def test_a_round_that_is_not_an_indicator_round_has_no_matrix(make, staff, caseworker):
    ids = make.emma(caseworker)
    assert staff.get(f"/rounds/{ids.round}/indicators").status_code == 404
    assert staff.get(f"/rounds/{ids.round}/indicators/score").status_code == 404


# --- the matrix, final scores and the decision ---------------------------------------------------

def test_the_matrix_shows_each_scorer_and_marks_the_spread(app, make, client, staff, round_ids):
    client.post(f"/r/{round_ids.tokens['mother']}/form", data=scored(status="4", goal="3", health__text="Ondt i maven."))
    client.post(f"/r/{round_ids.tokens['provider']}/form", data=scored(status="2", goal="2", crime__status="3"))
    page = staff.get(f"/rounds/{round_ids.round}/indicators")
    assert page.status_code == 200
    assert "Mette" in page.text and "Lise" in page.text and "Ondt i maven." in page.text
    assert 'id="row-health" class="diverges"' in page.text  # 4 against 2
    assert 'id="row-crime" class="diverges"' not in page.text  # only Lise's 3: the mother is not asked it
    # Every factor but crime and family_mother, which the mother is not asked (issue 11 item 1).
    assert page.text.count("Forskel på 2 trin eller mere") == len(CHILD_FAMILY) - 2


def test_final_scores_are_versioned_and_a_family_view_is_kept_beside_them(app, make, client, staff, round_ids):
    client.post(f"/r/{round_ids.tokens['mother']}/form", data=scored(status="4", goal="3"))
    url = f"/rounds/{round_ids.round}/indicators"
    data = {"final-health-status": "2", "final-health-goal": "1", "final-health-rationale": "Lægen siger ok.",
            "final-health-note": "Mor oplever det som sværere."}
    assert staff.post(url, data=data).status_code == 302
    page = staff.get(url)
    assert "Afviger fra den endelige status" in page.text and "Mette (Mor): 4" in page.text
    assert "Mor oplever det som sværere." in page.text
    assert staff.post(url, data=data | {"final-health-status": "3"}).status_code == 302
    with app.app_context():
        rows = db.session.scalars(db.select(FinalScore).where(FinalScore.factor == "health")).all()
        assert [r.status for r in rows] == [2, 3]  # the first is kept
        assert services.final_scores(round_ids.round)["health"].status == 3


@pytest.mark.parametrize("change, message", [
    ({"final-health-status": "2", "final-health-goal": "3"}, "Målet for »Sundhed« kan ikke være dårligere end status."),
    ({"final-health-status": "6"}, "Vælg en af mulighederne ved »Sundhed«."),
    ({"final-health-goal": "2"}, "Vælg en status for »Sundhed«, eller vælg »Ved ikke«."),
    ({"final-health-status": "2", "final-health-rationale": "x" * 4001}, "Teksten ved »Sundhed« er for lang."),
])
def test_bad_final_scores_are_refused_and_kept(app, staff, round_ids, change, message):
    data = {"final-crime-status": "2", "final-crime-rationale": "Intet nyt."} | change
    response = staff.post(f"/rounds/{round_ids.round}/indicators", data=data)
    assert response.status_code == 400 and message in response.text
    assert "Intet nyt." in response.text
    with app.app_context():
        assert db.session.scalars(db.select(FinalScore)).all() == []


def test_a_spread_factor_needs_a_rationale_before_anything_is_saved(app, client, staff, round_ids):
    client.post(f"/r/{round_ids.tokens['mother']}/form", data=scored(status="4", goal="3"))
    client.post(f"/r/{round_ids.tokens['provider']}/form", data=scored(status="2", goal="2", crime__status="3"))
    url = f"/rounds/{round_ids.round}/indicators"
    page = staff.get(url)
    assert "skal udfyldes, når du sætter status, fordi der er forskel på 2 trin eller mere" in page.text
    # Health is spread (4 against 2), crime is not (4 against 3).
    data = {"final-health-status": "3", "final-health-goal": "2", "final-health-note": "Mor synes, det er svært.",
            "final-crime-status": "3"}
    refused = staff.post(url, data=data)
    assert refused.status_code == 400
    message = ("Skriv en begrundelse for den endelige status for »Sundhed«. "
               "Dem, der har scoret, er 2 trin eller mere fra hinanden.")
    assert refused.text.count(message) == 2  # in the summary and next to the factor
    assert "»Kriminalitet«" not in refused.text.split("</h1>")[1].split("<form")[0]
    assert '<a href="#final-health-rationale">' in refused.text
    assert "Mor synes, det er svært." in refused.text
    assert '<option value="3" selected>3</option>' in refused.text
    with app.app_context():
        assert db.session.scalars(db.select(FinalScore)).all() == []
    saved = staff.post(url, data=data | {"final-health-rationale": "Lægen har set på det."})
    assert saved.status_code == 302
    with app.app_context():
        finals_in_force = services.final_scores(round_ids.round)
        assert finals_in_force["health"].rationale == "Lægen har set på det."
        assert finals_in_force["crime"].status == 3 and not finals_in_force["crime"].rationale


DECIDE = {"outcome": "no_adjustment", "reason_text": "Planen virker.", "follow_up": "no"}


def test_the_decision_waits_for_every_final_status_or_a_reason(app, make, staff, round_ids):
    make.final_scores(round_ids.round, finals(CHILD_FAMILY[:-2]))
    url = f"/rounds/{round_ids.round}/reconcile"
    page = staff.get(url)
    assert "Indikatormatrix og endelige scorer" in page.text and "unscored_reason" in page.text
    refused = staff.post(url, data=DECIDE)
    assert refused.status_code == 409
    assert "2 faktorer mangler en endelig status." in refused.text and "Planen virker." in refused.text
    with app.app_context():
        assert not db.session.get(Round, round_ids.round).is_locked
    decided = staff.post(url, data=DECIDE | {"unscored_reason": "Far og skolen kunne ikke nås."})
    assert decided.status_code == 302
    with app.app_context():
        assert db.session.get(Round, round_ids.round).is_locked
        reasons = db.session.scalars(db.select(FinalScore).where(FinalScore.unscored)).all()
        assert sorted(r.factor for r in reasons) == ["attachment", "crime"]
        assert {r.rationale for r in reasons} == {"Far og skolen kunne ikke nås."}
    # Locked: the final scores can no longer change.
    locked = staff.post(f"/rounds/{round_ids.round}/indicators", data={"final-crime-status": "1"})
    assert locked.status_code == 409 and "Runden er afsluttet" in locked.text


def test_with_every_final_status_the_decision_needs_no_reason(app, make, staff, round_ids):
    make.final_scores(round_ids.round, finals() | {"crime": {"dont_know": True}})
    assert staff.post(f"/rounds/{round_ids.round}/reconcile", data=DECIDE).status_code == 302


def test_the_case_view_gates_indicator_rounds_too(app, make, staff, round_ids):
    page = staff.get(f"/cases/{round_ids.case}/reconcile")
    shown = str(round_ids.round)
    refused = staff.post(f"/cases/{round_ids.case}/reconcile", data=DECIDE | {"rounds": shown})
    assert page.status_code == 200 and refused.status_code == 409
    assert "10 faktorer mangler en endelig status." in refused.text


# --- classification at the next round, and charts ------------------------------------------------

def test_the_next_round_classifies_each_factor_against_the_last(app, make, staff, caseworker):
    ids = make.indicator_case(caseworker, intake=date.today() - timedelta(days=200))
    first = make.indicator_round(ids, held_on=date.today() - timedelta(days=100))
    make.final_scores(first, finals() | {"health": {"status": 1, "goal": 1}, "crime": {"status": 2, "goal": 2},
                                         "school": {"status": 4, "goal": 3}, "leisure": {"status": 3, "goal": 3}})
    make.decide_round(first)
    second = make.indicator_round(ids)
    make.final_scores(second, {
        "development": {"status": 2},      # s1 3, g 2, s2 2: improvement goal met
        "family_mother": {"status": 3},    # s2 = s1 with g < s1: no progression
        "health": {"status": 1},           # 1 and 1: no problem
        "crime": {"status": 2},            # hold goal met
        "school": {"status": 5},           # worse: negative progression
        "leisure": {"status": 2},          # hold goal met (better than held)
    })
    page = staff.get(f"/rounds/{second}/indicators")
    with app.test_request_context():
        found = services.classification(db.session.get(Round, second))
    assert found == {
        "development": "improvement_goal_met", "family_mother": "no_progression", "family_father": "not_followed_up",
        "family_siblings": "not_followed_up", "school": "negative_progression", "health": "no_problem",
        "leisure": "hold_goal_met", "self_reliance": "not_followed_up", "attachment": "not_followed_up",
        "crime": "hold_goal_met",
    }
    for label in ("Progressionsmål opfyldt", "Ingen progression", "Uproblematisk", "Fastholdelsesmål opfyldt",
                  "Negativ progression", "Ikke fulgt op", "Siden sidst"):
        assert label in page.text
    case_page = staff.get(f"/cases/{ids.case}")
    assert "Progressionsmål opfyldt" in case_page.text and "Negativ progression" in case_page.text


def test_icf_rounds_show_development_and_the_function_level(app, make, staff, caseworker):
    ids = make.indicator_case(caseworker, form="icf", intake=date.today() - timedelta(days=200))
    first = make.indicator_round(ids, held_on=date.today() - timedelta(days=100))
    make.final_scores(first, {"health": {"status": 2}, "school": {"status": 1}, "leisure": {"status": 3},
                              "function_level": {"level": "C"}})
    make.decide_round(first, reason="Kun tre dimensioner var kendt.")
    second = make.indicator_round(ids)
    # The provider is asked the function level; the parents are not (issue 11 item 1).
    page = staff.get(f"/r/{ids.tokens['provider']}/form")
    assert "Samlet funktionsniveau" in page.text and "C: moderate funktionsnedsættelser" in page.text
    bad = staff.post(f"/r/{ids.tokens['provider']}/form", data={"health-status": "5", "function_level": "F"})
    assert bad.status_code == 400 and "Vælg en af mulighederne ved »Sundhed«." in bad.text
    make.final_scores(second, {"health": {"status": 1}, "school": {"status": 2}, "leisure": {"status": 3},
                               "function_level": {"level": "B"}})
    with app.test_request_context():
        found = services.classification(db.session.get(Round, second))
    assert found == {"health": "positive", "school": "negative", "leisure": "none", "development": "missing",
                     "family": "missing"}
    case_page = staff.get(f"/cases/{ids.case}")
    assert "Positiv udvikling" in case_page.text and "Samlet funktionsniveau ved hver måling (A er bedst)" in case_page.text


def test_the_case_page_charts_each_factor_against_its_goal(app, make, staff, caseworker):
    ids = make.indicator_case(caseworker, intake=date.today() - timedelta(days=200))
    first = make.indicator_round(ids, held_on=date.today() - timedelta(days=100))
    make.final_scores(first, {"health": {"status": 4, "goal": 2}})
    make.decide_round(first, reason="Kun sundhed.")
    second = make.indicator_round(ids)
    make.final_scores(second, {"health": {"status": 3, "goal": 2}})
    page = staff.get(f"/cases/{ids.case}")
    html = page.text
    start = html.index('id="indicators"')
    section = html[start:html.index("</section>", start)]
    assert section.count("<svg") == 1  # only factors with a final status get a chart
    assert 'role="img"' in section and "Lavere er bedre" in section
    assert "Sundhed: endelig status og mål ved hver måling (1 er bedst)." in section
    assert "status 4, mål 2" in section and "status 3, mål 2" in section
    assert "<figcaption>Sundhed: endelig status" in section
    assert "<script" not in section
    nonce = page.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in section.split("<style")[1].split(">")[0]


def test_the_status_chart_puts_the_best_step_on_top():
    from app.indicators.charts import StatusPoint, status_chart

    svg = str(status_chart(title="Sundhed", points=[StatusPoint("1/1-26", 4, 2), StatusPoint("1/4-26", 1, 2)],
                           status_name="Endelig status", goal_name="Mål", direction="Lavere er bedre",
                           description="Sundhed i ord"))
    assert svg.startswith("<svg") and 'aria-label="Sundhed i ord"' in svg and "<title>Sundhed i ord</title>" in svg
    assert "Lavere er bedre" in svg and "Endelig status" in svg and "Mål" in svg
    # The y labels run 1 at the top to 5 at the bottom.
    import re
    labels = re.findall(r'<text[^>]*y="([\d.]+)"[^>]*>([1-5])</text>', svg)
    ys = {int(label): float(y) for y, label in labels}
    assert ys[1] < ys[5]


def test_the_external_scorer_may_decline_and_the_intro_says_how_long(app, client, round_ids):
    intro = client.get(f"/r/{round_ids.tokens['provider']}")
    assert intro.status_code == 200 and "Det tager cirka 10 minutter." in intro.text
    assert client.post(f"/r/{round_ids.tokens['provider']}/decline").status_code == 302
    [answer] = stored(app, round_ids.invitations["provider"])
    assert answer.declined and answer.instrument_id == "indicators-child-family"


# --- the respondent's intro says what an indicator scoring is ---------------------------------

FEEDBACK_WORDS = ("hvordan mødet var for dig", "Hvordan går det?")


@pytest.mark.parametrize("role, says", [
    ("provider", ["Sådan går det for Emma",
                  "beder dig vurdere, hvordan det går for Emma på hvert område",
                  "Du giver hvert område et tal fra 1 til 5. 1 er bedst: ingen problemer.",
                  "Hvem læser svarene? Anne Rådgiver, som er rådgiver.", "Det er frivilligt at svare.",
                  "Det tager cirka 10 minutter.", "Jeg vil ikke svare"]),
    ("child", ["Hej!", "vil gerne vide, hvordan det går for dig på forskellige områder",
               "Du giver hvert område et tal fra 1 til 5. 1 betyder, at det går godt.",
               "Det er Anne Rådgiver, der læser dine svar.", "Du bestemmer selv, om du vil svare.",
               "Det tager cirka 10 minutter."]),
])
def test_the_indicator_intro_says_what_a_scoring_is_and_not_a_meeting_feedback(make, client, caseworker,
                                                                               role, says):
    # From 12 a child may score (issue 11 item 1).
    ids = make.indicator_case(caseworker, scorers=["provider", "child"], child_age=14)
    make.indicator_round(ids)
    intro = client.get(f"/r/{ids.tokens[role]}")
    assert intro.status_code == 200
    for text in says:
        assert text in intro.text, text
    for text in FEEDBACK_WORDS:
        assert text not in intro.text


def test_the_icf_intro_names_its_own_scale(make, client, caseworker):
    ids = make.indicator_case(caseworker, form="icf", scorers=["provider"])
    make.indicator_round(ids)
    intro = client.get(f"/r/{ids.tokens['provider']}")
    assert "Du giver hvert område et tal fra 0 til 4. 0 er bedst: ingen problemer." in intro.text


def test_the_indicator_intro_in_english(make, client, caseworker):
    ids = make.indicator_case(caseworker, scorers=["provider"])
    make.indicator_round(ids)
    intro = client.get(f"/r/{ids.tokens['provider']}?lang=en")
    assert "1 is best" in intro.text and "meeting was" not in intro.text


def test_the_feedback_intro_still_asks_about_the_meeting(make, client, caseworker):
    ids = make.emma(caseworker)
    adult = client.get(f"/r/{ids.tokens['mother']}")
    assert "Hvordan går det?" in adult.text and "og hvordan mødet var for dig." in adult.text
    assert "score" not in adult.text
    child = client.get(f"/r/{ids.tokens['child']}")
    assert "hvordan du har det, og hvordan mødet var for dig." in child.text


@pytest.mark.parametrize("store", ["staff_scoring", "final_scores"])
def test_a_decision_taken_after_the_page_loaded_wins_over_the_case_workers_scoring(app, round_ids, store):
    # The issue "The seams": no scoring is stored after the round is locked; the lock is checked
    # in the transaction that writes, not on the round as the page loaded it.
    from sqlalchemy import func, select, update

    from app.timestamps import utcnow

    with app.test_request_context():
        round_ = db.session.get(Round, round_ids.round)
        user = db.session.get(Case, round_ids.case).caseworker
        assert not round_.is_locked  # what the page saw
        with db.engine.begin() as other:  # meanwhile another request decides
            other.execute(update(Round).where(Round.id == round_ids.round).values(locked_at=utcnow()))
        with pytest.raises(services.RoundLocked, match="Runden er afsluttet"):
            if store == "staff_scoring":
                services.save_staff_scoring(round_, user, {"scores": {}}, together=False, took_part=[])
            else:
                services.save_final_scores(round_, user, {"crime": {"status": 2}})
        db.session.rollback()
        stored = StaffScoring if store == "staff_scoring" else FinalScore
        assert db.session.scalar(select(func.count()).select_from(stored)) == 0
