"""Goals in the action plan: written in the family's words, reworded with history, taken out."""

import pytest
from flask_babel import format_datetime
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.auth.models import User
from app.cases import services
from app.cases.models import Case, Goal, GoalVersion, GoalVersionIsFinal
from app.extensions import db
from tests.factories import login

GOAL = {
    "text": "Vi spiser aftensmad sammen mindst fire dage om ugen.",
    "domain": "family",
    "kind": "improve",
    "responsible": "Mor og far",
    "documentation": "Familien fortæller det på opfølgningsmødet",
}


@pytest.fixture
def emma(make, caseworker):
    return make.emma(caseworker, open_round=False)


def _versions(app, goal_id: int) -> list[GoalVersion]:
    with app.app_context():
        goal = db.session.get(Goal, goal_id)
        versions = list(goal.versions)
        db.session.expunge_all()
        return versions


def _goal_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Goal.id)))


def _actions(app, case_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.case_id == case_id).order_by(AuditEvent.id)))


def test_a_goal_is_added_and_shown_on_the_case(staff, app, emma):
    form = staff.get(f"/cases/{emma.case}/goals/new")
    assert form.status_code == 200 and "familiens egne ord" in form.text and "(fastholdelsesmål)" in form.text
    response = staff.post(f"/cases/{emma.case}/goals/new", data=GOAL)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/{emma.case}#goals")
    page = staff.get(f"/cases/{emma.case}").text
    assert "Mål i barnets plan" in page and GOAL["text"] in page
    assert "Familieforhold" in page and "Progressionsmål" in page
    assert "Mor og far" in page and "Familien fortæller det på opfølgningsmødet" in page
    assert "ændret" not in page
    with app.app_context():
        goal = db.session.scalar(select(Goal))
        assert goal.case_id == emma.case and goal.closed_at is None
        version = goal.current
        assert (version.number, version.text, version.domain, version.kind) == (1, GOAL["text"], "family", "improve")
        assert version.written_by.name == "Anne Rådgiver"
    assert "goal.create" in _actions(app, emma.case)


def test_who_is_responsible_and_how_it_is_documented_are_required(staff, app, emma):
    data = GOAL | {"text": "  Emma går til fodbold.  ", "responsible": "   ", "documentation": ""}
    refused = staff.post(f"/cases/{emma.case}/goals/new", data=data)
    assert refused.status_code == 400
    assert "Skriv, hvem der er ansvarlig for målet." in refused.text
    assert "Skriv, hvordan I kan se, at målet er nået" in refused.text
    assert "Emma går til fodbold." in refused.text  # what was typed stays
    assert _goal_count(app) == 0
    data |= {"responsible": "  Far  ", "documentation": " Emma fortæller det "}
    assert staff.post(f"/cases/{emma.case}/goals/new", data=data).status_code == 302
    with app.app_context():
        version = db.session.scalar(select(GoalVersion))
        assert (version.text, version.responsible, version.documentation) == ("Emma går til fodbold.", "Far", "Emma fortæller det")


def test_a_goal_written_before_the_fields_were_required_shows_them_as_missing(staff, make, emma):
    make.goal(emma.case)  # the service still stores a goal without them
    assert "Ikke udfyldt" in staff.get(f"/cases/{emma.case}").text


def test_a_double_click_adds_one_goal(staff, app, emma):
    for _ in range(2):
        assert staff.post(f"/cases/{emma.case}/goals/new", data=GOAL).status_code == 302
    assert _goal_count(app) == 1


def test_rewording_keeps_the_history(client, make, app, caseworker, emma):
    goal_id = make.goal(emma.case, "Emma kommer i skole hver dag.", documentation="skolefravær under 10 procent")
    # A colleague on the same team rewords it.
    with app.app_context():
        team_id = db.session.get(User, caseworker).team_id
    make.user("bo", name="Bo Rådgiver", team=team_id)
    login(client, "bo")
    url = f"/cases/{emma.case}/goals/{goal_id}"
    form = client.get(url).text
    assert "Emma kommer i skole hver dag." in form and 'value="skolefravær under 10 procent"' in form
    response = client.post(url, data={
        "text": "Emma kommer i skole hver dag og har en ven i klassen.", "domain": "school", "kind": "improve",
        "responsible": "Lise, familiebehandler", "documentation": "skolefravær under 10 procent", "version": "1"})
    assert response.status_code == 302
    first, second = _versions(app, goal_id)
    assert (first.number, first.text, first.responsible) == (1, "Emma kommer i skole hver dag.", None)
    assert (second.number, second.text, second.responsible) == (
        2, "Emma kommer i skole hver dag og har en ven i klassen.", "Lise, familiebehandler")
    case_page = client.get(f"/cases/{emma.case}").text
    assert "har en ven i klassen" in case_page and "ændret 1 gang" in case_page
    history = client.get(url).text
    assert "Udgave 1" in history and "Udgave 2" in history
    assert "Emma kommer i skole hver dag.</p>" in history
    assert "Anne Rådgiver" in history and "Bo Rådgiver" in history
    with app.test_request_context():
        for version in (first, second):
            assert format_datetime(version.written_at, "d. MMM yyyy HH:mm") in history
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "goal.reword"))
        assert event.detail == {"goal_id": goal_id, "version": 2, "changed": ["text", "responsible"]}


def test_saving_without_a_change_adds_no_version(staff, app, make, emma):
    goal_id = make.goal(emma.case, **GOAL)
    url = f"/cases/{emma.case}/goals/{goal_id}"
    response = staff.post(url, data=GOAL | {"text": f"  {GOAL['text']}\n", "version": "1"})
    assert response.status_code == 302
    assert "Der var ingen ændringer at gemme." in staff.get(response.headers["Location"]).text
    assert len(_versions(app, goal_id)) == 1
    assert "goal.reword" not in _actions(app, emma.case)


def test_a_double_click_on_rewording_adds_one_version(staff, app, make, emma):
    goal_id = make.goal(emma.case)
    data = GOAL | {"version": "1"}
    for _ in range(2):
        assert staff.post(f"/cases/{emma.case}/goals/{goal_id}", data=data).status_code == 302
    assert [v.number for v in _versions(app, goal_id)] == [1, 2]


@pytest.mark.parametrize("seen", ["1", "", "abc", "99999999999999999999"])
def test_a_rewording_made_meanwhile_is_not_overwritten(staff, app, make, emma, seen):
    goal_id = make.goal(emma.case)
    url = f"/cases/{emma.case}/goals/{goal_id}"
    assert staff.post(url, data=GOAL | {"version": "1"}).status_code == 302
    mine = GOAL | {"text": "Min egen formulering", "version": seen}
    response = staff.post(url, data=mine)
    assert response.status_code == 409
    assert "Målet er blevet ændret, siden du åbnede siden." in response.text
    assert "Min egen formulering</textarea>" in response.text and 'name="version" type="hidden" value="2"' in response.text
    assert len(_versions(app, goal_id)) == 2
    # Saving again from that page stores it on top of the newest version.
    assert staff.post(url, data=mine | {"version": "2"}).status_code == 302
    assert _versions(app, goal_id)[-1].text == "Min egen formulering"


def test_a_goal_is_taken_out_of_the_plan_with_its_history(staff, app, make, emma):
    goal_id = make.goal(emma.case, "Emma sover i egen seng.")
    url = f"/cases/{emma.case}/goals/{goal_id}"
    response = staff.post(f"{url}/close")
    assert response.status_code == 302
    assert "Målet er taget ud af barnets plan." in staff.get(response.headers["Location"]).text
    case_page = staff.get(f"/cases/{emma.case}").text
    assert "1 mål er taget ud af barnets plan" in case_page and "Ingen mål endnu." in case_page
    page = staff.get(url).text
    assert "Målet blev taget ud af barnets plan" in page and "Emma sover i egen seng." in page
    assert "<textarea" not in page and "<h1>Mål <small>" in page
    refused = staff.post(url, data=GOAL | {"version": "1"})
    assert refused.status_code == 409 and "kan ikke ændres" in refused.text
    assert staff.post(f"{url}/close").status_code == 302
    assert _actions(app, emma.case).count("goal.close") == 1
    assert len(_versions(app, goal_id)) == 1


LONG = "x" * 2001


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"text": ""}, "Skriv målet, gerne med familiens egne ord."),
        ({"text": "   \r\n  "}, "Skriv målet, gerne med familiens egne ord."),
        ({"text": LONG}, "Højst 2000 tegn."),
        ({"responsible": "r" * 301}, "Højst 300 tegn."),
        ({"documentation": "d" * 301}, "Højst 300 tegn."),
        ({"domain": "space"}, "Vælg en af mulighederne."),
        ({"domain": ""}, "Vælg en af mulighederne."),
        ({"kind": "worse"}, "Vælg en af mulighederne."),
        ({"text": "Emma, 010203-1234, kommer i skole."}, "Skriv ikke CPR-numre i Samstem."),
        ({"responsible": "Mor 0102031234"}, "Skriv ikke CPR-numre i Samstem."),
        ({"documentation": "se 010203-1234"}, "Skriv ikke CPR-numre i Samstem."),
    ],
)
@pytest.mark.parametrize("editing", [False, True])
def test_bad_goal_input_is_refused_and_nothing_typed_is_lost(staff, app, make, emma, overrides, message, editing):
    goal_id = make.goal(emma.case) if editing else None
    url = f"/cases/{emma.case}/goals/{goal_id}" if editing else f"/cases/{emma.case}/goals/new"
    data = GOAL | {"version": "1"} | overrides
    response = staff.post(url, data=data)
    assert response.status_code == 400
    assert message in response.text
    if data["text"].strip():
        assert f"{data['text']}</textarea>" in response.text
    assert f'value="{data["responsible"]}"' in response.text
    assert f'value="{data["documentation"]}"' in response.text
    assert _goal_count(app) == (1 if editing else 0)
    if editing:
        assert len(_versions(app, goal_id)) == 1


def test_the_longest_goal_is_accepted(staff, app, emma):
    data = GOAL | {"text": "x" * 2000, "responsible": "r" * 300, "documentation": "d" * 300}
    assert staff.post(f"/cases/{emma.case}/goals/new", data=data).status_code == 302
    assert _goal_count(app) == 1


def test_a_goal_of_another_case_is_not_found(staff, make, caseworker, emma):
    other = make.emma(caseworker, open_round=False)
    foreign = make.goal(other.case)
    for path in (f"/cases/{emma.case}/goals/{foreign}", f"/cases/{emma.case}/goals/999999",
                 f"/cases/{emma.case}/goals/99999999999999999999", f"/cases/99999999999999999999/goals/{foreign}"):
        assert staff.get(path).status_code == 404, path
        assert staff.post(path, data=GOAL).status_code == 404, path
        assert staff.post(f"{path}/close").status_code == 404, path
    assert staff.get("/cases/99999999999999999999/goals/new").status_code == 404


def test_opening_a_goal_is_audited_as_a_view_of_the_case(staff, app, make, emma):
    goal_id = make.goal(emma.case)
    staff.get(f"/cases/{emma.case}/goals/{goal_id}")
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.view")).one()
        assert event.detail == {"goal_id": goal_id}


def test_the_service_itself_refuses_what_the_form_refuses(app, make, emma):
    with app.test_request_context():
        case = db.session.get(Case, emma.case)
        for bad in ({"text": "  "}, {"text": "cpr 010203-1234"}, {"domain": "space"}, {"kind": None}):
            with pytest.raises(services.GoalError):
                services.add_goal(case, case.caseworker, GOAL | bad)


def test_a_stored_version_cannot_be_edited(app, make, emma):
    goal_id = make.goal(emma.case)
    with app.app_context():
        version = db.session.get(Goal, goal_id).current
        version.text = "Noget helt andet"
        with pytest.raises(GoalVersionIsFinal):
            db.session.flush()
        db.session.rollback()
    assert _versions(app, goal_id)[0].text == "Emma kommer i skole hver dag."



def test_a_nul_character_is_dropped_rather_than_breaking_the_database(staff, app, emma):
    data = GOAL | {"text": "Emma\x00 sover godt.", "responsible": "Mor\x00"}
    assert staff.post(f"/cases/{emma.case}/goals/new", data=data).status_code == 302
    with app.app_context():
        version = db.session.scalar(select(GoalVersion))
        assert (version.text, version.responsible) == ("Emma sover godt.", "Mor")
