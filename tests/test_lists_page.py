"""The lists page /admin/lists (issue 14): an administrator renames (Danish and English), adds,
takes out of use and back in use; the rules of app.settings.lists hold; every change audited;
clear Danish messages, nothing typed lost, never a 500."""

import re

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.extensions import db
from app.settings import list_page, lists
from tests.factories import login


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def admin(app, make):
    make.user("root", role="admin")
    client = app.test_client()
    login(client, "root")
    return client


def _form(app, name: str, **change) -> dict:
    """The list as the page posts it, unchanged, with `change` on top."""
    with app.test_request_context():
        rows = lists.entries(name, include_inactive=True)
    data = {"list": name, "code": [e.code for e in rows]}
    for i, entry in enumerate(rows):
        data[f"da-{i}"] = entry.labels.get("da", "")
        data[f"en-{i}"] = entry.labels.get("en", "")
        if entry.active:
            data[f"active-{i}"] = "yes"
    return {**data, **change}


def _entries(app, name):
    with app.test_request_context():
        return {e.code: (e.label, e.active) for e in lists.entries(name, include_inactive=True)}


def test_the_page_shows_every_list_and_is_linked_from_the_administration(app, admin):
    page = admin.get("/admin/lists")
    assert page.status_code == 200
    text = _text(page.text)
    for title in ("Målgrupper", "Sagstyper", "Grunde til at genåbne en sag", "Udførere",
                  "Grunde til at en indsats sluttede"):
        assert title in text
    assert "Udsatte børn og unge" in page.text  # the shipped wording, as a hint
    assert "/admin/lists" in admin.get("/").text


def test_rename_take_out_of_use_and_add(app, admin):
    data = _form(app, "target_group", **{"da-0": "Børn i udsatte positioner", "en-0": "Children at risk"})
    del data["active-4"]  # "other" out of use
    data.update(new_da="Uledsagede flygtningebørn", new_en="Unaccompanied refugee children")
    response = admin.post("/admin/lists", data=data)
    assert response.status_code == 302
    entries = _entries(app, "target_group")
    assert entries["vulnerable"] == ("Børn i udsatte positioner", True)
    assert entries["other"] == ("Anden målgruppe", False)
    assert entries["uledsagede_flygtningeboern"] == ("Uledsagede flygtningebørn", True)  # the code made from the name
    with app.test_request_context():
        assert "other" not in lists.codes("target_group")
    with app.app_context():
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "lists.save")).all()
        assert event.detail["list"] == "target_group"
    # Back in use.
    assert admin.post("/admin/lists", data=_form(app, "target_group", **{"active-4": "yes"})).status_code == 302
    assert _entries(app, "target_group")["other"][1] is True


def test_a_typed_code_and_a_list_that_was_empty(app, admin):
    response = admin.post("/admin/lists", data={"list": "provider", "new_code": "familiehuset",
                                                "new_da": "Familiehuset", "new_en": ""})
    assert response.status_code == 302
    assert _entries(app, "provider") == {"familiehuset": ("Familiehuset", True)}
    # The same name again gets a code of its own.
    assert admin.post("/admin/lists", data=_form(app, "provider", new_da="Familiehuset")).status_code == 302
    assert set(_entries(app, "provider")) == {"familiehuset", "familiehuset_2"}


def test_saving_nothing_new_changes_nothing(app, admin):
    response = admin.post("/admin/lists", data=_form(app, "case_type"))
    assert response.status_code == 302
    assert "Der var ingen ændringer at gemme." in _text(admin.get("/admin/lists").text)
    with app.app_context():
        assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "lists.save")).all() == []


# Issue 14 "Bad input": wrong, missing, hostile and huge values give a clear Danish message, the
# list is not saved and what was typed is shown again; never a 500.
BAD = [
    ("unknown-list", {"list": "everything"}, "Vælg en af listerne på siden."),
    ("no-list", {"list": None}, "Vælg en af listerne på siden."),
    ("removed-entry", {"code": ["vulnerable", "disability", "young_adults", "infants"]}, "kan tages ud af brug, men ikke slettes"),
    ("new-without-danish", {"new_en": "Refugees"}, "Skriv et dansk navn til den nye linje."),
    ("bad-code", {"new_code": "Ny Kode!", "new_da": "Ny"}, "Koden må kun have små bogstaver"),
    ("duplicate-code", {"new_code": "vulnerable", "new_da": "Igen"}, "Koden vulnerable står to gange."),
    ("long-name", {"da-0": "x" * 121}, "Et navn må højst være 120 tegn."),
    ("huge-name", {"new_da": "x" * 100_000}, "Et navn må højst være 120 tegn."),
    ("name-only-symbols", {"new_da": "!!!"}, "Koden må kun have små bogstaver"),
    ("too-many-rows", {"code": ["x"] * 400}, "Listen har for mange linjer."),
]


@pytest.mark.parametrize(("change", "message"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_lists_bad_input(app, admin, change, message):
    data = {k: v for k, v in {**_form(app, "target_group"), **change}.items() if v is not None}
    before = _entries(app, "target_group")
    response = admin.post("/admin/lists", data=data)
    assert response.status_code == 400 and message in _text(response.text)
    assert _entries(app, "target_group") == before
    if change.get("new_da", "").startswith("Ny"):
        assert 'value="Ny"' in response.text  # nothing typed is lost


def test_hostile_names_are_shown_as_text(app, admin):
    data = _form(app, "provider", new_da="<script>alert(1)</script>")
    assert admin.post("/admin/lists", data=data).status_code == 302
    page = admin.get("/admin/lists").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize("name, code", [("Skolefravær", "skolefravaer"), ("  Mor & far  ", "mor_far"),
                                         ("Ældre søskende", "aeldre_soeskende"), ("x" * 60, "x" * 40)])
def test_codes_made_from_names(name, code):
    assert list_page.code_from(name) == code


@pytest.mark.parametrize("username", ["anne", "boss"])
def test_only_administrators(app, make, username):
    make.user("anne", team=make.team())
    make.user("boss", role="leader")
    client = app.test_client()
    login(client, username)
    assert client.get("/admin/lists").status_code == 403
    assert client.post("/admin/lists", data={"list": "provider", "new_da": "X"}).status_code == 403
    assert _entries(app, "provider") == {}
