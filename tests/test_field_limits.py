"""Issue 12 item 19: every free-text field has a limit well below the request limit, so a text that
is too long gets the form back with a clear message that names the limit and keeps the text; a body
over the request limit (refused before it is read: 413) gets a clear page in the reader's language."""

import re
from datetime import date

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, StringField
from wtforms.validators import Length

from app.config import Config
from app.forms import Form
from tests.hostile import page_forms

TOO_BIG = "x" * (Config.MAX_CONTENT_LENGTH + 1)
# A field filled to its limit with the widest characters (4 bytes, each sent as %XX: 12 characters)
# takes at most a quarter of the request limit: a real answer meets its field's limit first.
FIELD_CEILING = Config.MAX_CONTENT_LENGTH // 4 // 12
TOO_LONG = {"da": "Det, du sendte, var for langt. Gå tilbage, og gør teksten kortere.",
            "en": "What you sent was too long. Go back and make the text shorter."}


# --- a body over the request limit -----------------------------------------------------------

def _respondent_paths(make, caseworker) -> dict[str, str]:
    ids = make.emma(caseworker)
    _, token = make.observation_link(ids.case, ids.people["network"])
    return {"form": f"/r/{ids.tokens['network']}/form", "observation": f"/o/{token}", "code": "/code"}


@pytest.mark.parametrize("where", ["form", "observation", "code"])
@pytest.mark.parametrize("lang, how", [("da", None), ("en", "query")])
def test_a_body_over_the_limit_gets_the_respondents_page_in_their_language(client, make, caseworker, where,
                                                                           lang, how):
    path = _respondent_paths(make, caseworker)[where] + ("?lang=en" if how == "query" else "")
    response = client.post(path, data={"participation-network.comment": TOO_BIG, "text": TOO_BIG, "code": TOO_BIG})
    assert response.status_code == 413
    assert f'<html lang="{lang}"' in response.text
    assert TOO_LONG[lang] in response.text
    assert "respond.css" in response.text  # the respondent's own light page, not the staff one


def test_a_body_over_the_limit_speaks_the_browsers_language_on_the_code_page(client):
    response = client.post("/code", data={"code": TOO_BIG}, headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert response.status_code == 413
    assert TOO_LONG["en"] in response.text and '<html lang="en"' in response.text


def test_a_body_over_the_limit_gets_the_staff_error_page(staff, make, caseworker):
    ids = make.emma(caseworker, open_round=False)
    response = staff.post(f"/cases/{ids.case}/goals/new", data={"text": TOO_BIG, "domain": "school"})
    assert response.status_code == 413
    assert TOO_LONG["da"] in response.text
    assert "Til forsiden" in response.text and "respond.css" not in response.text


# --- every free-text field has a limit -------------------------------------------------------

def _staff_form_classes() -> list[type[Form]]:
    """Every form class of the app on the staff forms' base, defined in a module (not built per request)."""
    import importlib

    found, todo = [], list(Form.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        module = importlib.import_module(cls.__module__)
        if cls.__module__.startswith("app.") and getattr(module, cls.__name__, None) is cls:
            found.append(cls)
    return sorted(set(found), key=lambda c: (c.__module__, c.__name__))


def _text_fields(form):
    return [f for f in form if isinstance(f, StringField) and not isinstance(f, HiddenField)]


def test_every_staff_form_is_found(app):
    names = {cls.__name__ for cls in _staff_form_classes()}
    assert {"CaseForm", "PersonForm", "GoalForm", "DecisionForm", "ObservationForm", "PhoneFollowUpForm",
            "ReopenForm", "CloseForm", "LoginForm"} <= names


def test_every_free_text_field_has_a_limit_its_page_states_and_its_message_names(app):
    checked = []
    with app.test_request_context(method="POST"):
        for cls in _staff_form_classes():
            form = cls(meta={"csrf": False})
            for field in _text_fields(form):
                where = f"{cls.__name__}.{field.name}"
                [limit] = [v.max for v in field.validators if isinstance(v, Length)] or [None]
                assert limit is not None and 0 < limit <= FIELD_CEILING, where
                assert f'maxlength="{limit}"' in field(), where
                field.process(MultiDict({field.name: "æ" * (limit + 1)}))
                field.validate(form)
                assert any(str(limit) in str(error) for error in field.errors), (where, field.errors)
                assert field.data == "æ" * (limit + 1), where  # kept, to be shown again
                checked.append(where)
    assert "GoalForm.text" in checked and "LoginForm.password" in checked


TEXT_INPUTS = {"text", "textarea", "email", "tel", "search", "url", "password"}


def _unlimited(html: str) -> list[str]:
    """The free-text inputs of a page's forms without a maxlength within the ceiling (a VAS line's
    number field is no free text: its pattern says what it takes)."""
    return [name for form in page_forms(html) for name, field in form.fields.items()
            if field.kind in TEXT_INPUTS and not field.decimal
            and not (field.maxlength and field.maxlength <= FIELD_CEILING)]


def test_every_text_input_on_the_respondents_pages_states_its_limit(client, make, caseworker):
    ids = make.emma(caseworker)
    make.goal(ids.case)
    _, link = make.observation_link(ids.case, ids.people["network"])
    _, status, _ = make.status_request(ids)
    pages = [f"/r/{ids.tokens[role]}/form" for role in ("child", "network", "provider")]
    pages += [f"/r/{status['provider']}/form", f"/o/{link}", "/code"]
    for page in pages:
        html = client.get(page).text
        assert page_forms(html), page
        assert _unlimited(html) == [], page


def test_every_text_input_on_the_staff_pages_states_its_limit(staff_walk):
    # Every staff GET page of the demo case, as its case worker (tests/staff_walk.py).
    found = {}
    for page in staff_walk.pages:
        if page.html:
            found[page.url] = _unlimited(page.text)
    assert {url: names for url, names in found.items() if names} == {}
    assert len(found) > 20


# --- a text that is too long: the form again, a message naming the limit, the text kept ---------

def test_a_code_that_is_too_long_is_refused_with_its_limit_and_kept(client):
    typed = "ABCD-" * 20
    response = client.post("/code", data={"code": typed})
    assert response.status_code == 200
    assert re.search(r'<input id="code" name="code" value="ABCD-ABCD-[^"]*"[^>]*maxlength="(\d+)"', response.text)
    limit = re.search(r'maxlength="(\d+)"', response.text).group(1)
    assert f"højst {limit} tegn" in response.text
    assert typed in response.text


def test_an_indicator_text_that_is_too_long_names_the_limit(client, make, caseworker):
    ids = make.indicator_case(caseworker, scorers=["caseworker", "provider", "parents"])
    make.indicator_round(ids)
    text = "Emma har det svært i skolen. " * 40
    response = client.post(f"/r/{ids.tokens['provider']}/form", data={"health-status": "3", "health-text": text})
    assert response.status_code == 400
    assert "Teksten ved »Sundhed« er for lang. Skriv højst 1000 tegn." in response.text
    assert text.strip() in response.text


def test_a_staff_text_that_is_too_long_comes_back_with_its_limit(staff, make, caseworker):
    ids = make.emma(caseworker, open_round=False)
    reason = "Familien bad selv om hjælp igen. " * 80
    response = staff.post(f"/cases/{ids.case}/close",
                          data={"closed_on": date.today().isoformat(), "reason": "other", "note": reason})
    assert response.status_code in (200, 400)
    assert "Højst 2000 tegn." in response.text
    assert reason.strip() in response.text
    assert 'maxlength="2000"' in response.text
