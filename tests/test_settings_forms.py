"""The form catalogue on /admin/forms (issue 13, "the form catalogue"): which forms are active,
which drafts need the organisation's approval, approving and deactivating, each form's wording
in every language."""

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.extensions import db
from app.settings.models import Setting
from tests.factories import login

DRAFT = "indicators-under-3"


@pytest.fixture
def admin(app, make, client):
    make.user("admin", role="admin")
    login(client, "admin")
    return client


def _act(client, form_id, action):
    return client.post("/admin/forms", data={"form_id": form_id, "action": action})


@pytest.mark.parametrize("role", ["caseworker", "team_leader", "leader"])
def test_only_an_administrator_runs_the_catalogue(app, make, client, role):
    make.user("someone", role=role, team=make.team() if role != "leader" else None)
    assert client.get("/admin/forms").status_code == 302
    login(client, "someone")
    for url in ("/admin/forms", f"/admin/forms/{DRAFT}", "/admin/forms/fit-outcome-child"):
        assert client.get(url).status_code == 403, url
    assert _act(client, DRAFT, "approve").status_code == 403
    with app.app_context():
        assert db.session.scalars(select(Setting)).all() == []


def test_the_page_lists_questionnaires_and_indicator_forms_with_the_drafts_as_such(admin):
    page = admin.get("/admin/forms")
    assert page.status_code == 200 and "Spørgeskemaer" in page.text and "Indikatorskemaer" in page.text
    row = page.text.split(f'id="form-{DRAFT}"', 1)[1].split("</tr>", 1)[0]
    assert "Udkast – skal godkendes af organisationen" in row and 'value="approve"' in row
    child_family = page.text.split('id="form-indicators-child-family"', 1)[1].split("</tr>", 1)[0]
    assert "I brug" in child_family and 'value="approve"' not in child_family
    assert 'id="form-fit-outcome-child"' in page.text


def test_an_unapproved_draft_is_not_offered_until_approved(app, admin, make):
    procedure = admin.get("/admin/indicators")
    assert f'value="{DRAFT}"' not in procedure.text
    assert "Udkast – skal godkendes af organisationen" in procedure.text  # named, with where to approve it
    refused = admin.post("/admin/indicators", data={"scorers": ["caseworker"], "together": "separately",
                                                    "rhythm": "6", "default_form": DRAFT, "family_split": "yes"})
    assert refused.status_code == 400
    assert _act(admin, DRAFT, "approve").status_code == 302
    assert "Udkastet er godkendt og kan nu vælges." in admin.get("/admin/forms").text
    assert f'value="{DRAFT}"' in admin.get("/admin/indicators").text
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "forms.approve"))
        assert event.detail == {"form": DRAFT, "version": 2}
    assert "Godkendte et udkast til et skema" in admin.get("/admin/audit").text


def test_a_deactivated_indicator_form_is_not_offered_but_a_case_using_it_keeps_it(app, admin, make):
    caseworker = make.user("anne", team=make.team())
    ids = make.indicator_case(caseworker, form="indicators-youth")
    assert _act(admin, "indicators-youth", "deactivate").status_code == 302
    assert 'value="indicators-youth"' not in admin.get("/admin/indicators").text
    staff = app.test_client()
    login(staff, "anne")
    assert 'selected value="indicators-youth"' in staff.get(f"/cases/{ids.case}/indicators").text
    other = make.emma(caseworker, open_round=False)
    assert 'value="indicators-youth"' not in staff.get(f"/cases/{other.case}/indicators").text
    assert _act(admin, "indicators-youth", "activate").status_code == 302
    assert 'value="indicators-youth"' in admin.get("/admin/indicators").text


def test_a_deactivated_questionnaire_is_proposed_no_more_and_its_answers_stay(app, admin, make):
    from app.cases.models import Meeting
    from app.invitations.services import proposal

    caseworker = make.user("anne", team=make.team())
    ids = make.emma(caseworker)
    with app.test_request_context():
        before = {i.id for forms in proposal(db.session.get(Meeting, ids.meeting)).values() for i in forms}
    assert "fit-outcome-child" in before
    assert _act(admin, "fit-outcome-child", "deactivate").status_code == 302
    with app.test_request_context():
        after = {i.id for forms in proposal(db.session.get(Meeting, ids.meeting)).values() for i in forms}
    assert "fit-outcome-child" not in after and after
    staff = app.test_client()
    login(staff, "anne")
    assert staff.get(f"/rounds/{ids.round}").status_code == 200  # the round asking it stays as it was
    with app.app_context():
        detail = db.session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "forms.deactivate"))
        assert detail["form"] == "fit-outcome-child"


@pytest.mark.parametrize("data", [
    {"form_id": "no-such-form", "action": "approve"},
    {"form_id": "indicators-child-family", "action": "approve"},  # not a draft
    {"form_id": DRAFT, "action": "delete"},
    {},
])
def test_bad_input_is_refused_with_a_clear_message(app, admin, data):
    response = admin.post("/admin/forms", data=data)
    assert response.status_code == 400
    assert ("Vælg et skema og en handling på siden." in response.text
            or "Kun et udkast, der ikke er godkendt, kan godkendes." in response.text)
    with app.app_context():
        assert db.session.scalars(select(Setting)).all() == []


@pytest.mark.parametrize("form_id, danish, english", [
    ("fit-outcome-child", "da", "en"),
    (DRAFT, "da", "en"),
])
def test_each_forms_wording_is_shown_in_every_language(admin, form_id, danish, english):
    page = admin.get(f"/admin/forms/{form_id}")
    assert page.status_code == 200
    assert f'<td lang="{danish}">' in page.text and f'<td lang="{english}">' in page.text
    assert "Kun til at læse." in page.text and "<form method=\"post\"" not in page.text.split("<main", 1)[-1]


def test_a_forms_arabic_and_ukrainian_wording_is_shown_with_its_translator_check(admin):
    """Issue 18 item 1: the wording in every respondent language, and which texts are a first
    translation the organisation must have a translator check (translator_check in the file)."""
    page = admin.get("/admin/forms/fit-outcome-child")
    assert '<td lang="ar" dir="rtl">كيف حالك؟</td>' in page.text
    assert '<td lang="uk">Як у тебе справи?</td>' in page.text
    assert page.text.count("Første oversættelse: lad en oversætter tjekke den") == 2


def test_an_indicator_forms_staff_words_are_not_shown_missing_in_arabic(admin):
    """The form's own factor titles only staff read (da, en); the child's words exist in every language."""
    page = admin.get("/admin/forms/indicators-child-family")
    assert "(kun på dansk og engelsk: det læser kun fagfolk)" in page.text
    assert "<small>أنت وعائلتك</small>" in page.text and "(mangler)" not in page.text


def test_an_unknown_form_is_not_found(admin):
    assert admin.get("/admin/forms/no-such-form").status_code == 404


def test_the_catalogue_is_linked_where_an_administrator_lands(admin):
    assert 'href="/admin/forms"' in admin.get("/").text
