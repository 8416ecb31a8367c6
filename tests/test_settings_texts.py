"""The texts respondents read, edited per shipped language on /admin/texts (issue 13: "the texts
respondents read … in every shipped language; an edit to the Danish text marks the other
languages as needing review")."""

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.extensions import db
from app.settings.models import Setting
from tests.factories import login

NEW_DA = "Din rådgiver %(caseworker)s og holdet omkring hende læser dine svar."
REVIEW = "Skal gennemses: den danske tekst er ændret."


@pytest.fixture
def admin(app, make, client):
    make.user("admin", role="admin")
    login(client, "admin")
    return client


def _save(client, text, lang, body):
    return client.post("/admin/texts", data={"text": text, "lang": lang, "body": body})


@pytest.mark.parametrize("role", ["caseworker", "team_leader", "leader"])
def test_only_an_administrator_edits_the_texts(app, make, client, role):
    make.user("someone", role=role, team=make.team() if role != "leader" else None)
    assert client.get("/admin/texts").status_code == 302
    login(client, "someone")
    assert client.get("/admin/texts").status_code == 403
    assert _save(client, "who_sees.child", "da", NEW_DA).status_code == 403
    with app.app_context():
        assert db.session.scalars(select(Setting)).all() == []


def test_the_page_shows_every_text_in_every_language(admin):
    page = admin.get("/admin/texts")
    assert page.status_code == 200
    assert "Hvem ser svarene – børn under 10" in page.text and "Privatlivserklæringen: hvorfor vi må" in page.text
    assert "Dine svar hjælper %(caseworker)s med at se" in page.text  # Danish default
    # Nine texts, in every language a respondent may read: Danish, English, Arabic, Ukrainian (issue 18).
    assert page.text.count("<textarea") == 4 * 9
    assert 'id="body-who_sees.child-ar" rows="4" lang="ar" dir="rtl"' in page.text
    assert REVIEW not in page.text


def test_a_danish_edit_reaches_respondents_and_marks_english_for_review_until_it_is_saved(app, admin, make):
    ids = make.emma(make.user("anne", team=make.team()))
    assert _save(admin, "who_sees.child", "da", NEW_DA).status_code == 302
    page = admin.get("/admin/texts")
    # English, Arabic and Ukrainian are marked (issue 18 item 1: every shipped language).
    assert "Teksten er gemt." in page.text and page.text.count(REVIEW) == 3
    child = app.test_client().get(f"/r/{ids.tokens['child']}")
    assert "Din rådgiver Anne Rådgiver og holdet omkring hende læser dine svar." in child.text
    assert _save(admin, "who_sees.child", "en", "The team of %(caseworker)s can see them too.").status_code == 302
    assert admin.get("/admin/texts").text.count(REVIEW) == 2  # Arabic and Ukrainian still to do
    english = app.test_client().get(f"/r/{ids.tokens['child']}?lang=en")
    assert "The team of Anne Rådgiver can see them too." in english.text
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "texts.save")).all()
        assert [(e.detail["text"], e.detail["language"]) for e in events] == [
            ("who_sees.child", "da"), ("who_sees.child", "en")]
    assert "Ændrede en tekst til dem, der svarer" in admin.get("/admin/audit").text


def test_the_privacy_notice_and_accessibility_page_read_the_edited_texts(app, admin):
    _save(admin, "privacy.used_for", "da", "Vi bruger svarene til at hjælpe barnet.")
    _save(admin, "accessibility.about", "da", "Siderne virker med skærmlæser.")
    public = app.test_client()
    assert "Vi bruger svarene til at hjælpe barnet." in public.get("/privatliv").text
    assert "Siderne virker med skærmlæser." in public.get("/tilgaengelighed").text


def test_saving_the_shipped_text_again_clears_the_review_and_keeps_no_copy(app, admin):
    _save(admin, "used_for.adult", "da", "Noget nyt.")
    page = admin.get("/admin/texts")
    start = page.text.index('id="used_for.adult-en"')
    english = page.text[start:].split("<textarea", 1)[1].split(">", 1)[1].split("</textarea>", 1)[0]
    import html
    assert _save(admin, "used_for.adult", "en", html.unescape(english)).status_code == 302
    assert admin.get("/admin/texts").text.count(REVIEW) == 2  # Arabic and Ukrainian
    with app.app_context():
        stored = db.session.get(Setting, "text.used_for.adult").value
        assert "en" not in stored and stored["da"] == "Noget nyt." and stored["review"] == ["ar", "uk"]


@pytest.mark.parametrize("data, message", [
    ({"text": "who_sees.child", "lang": "da", "body": "   "}, "Skriv teksten."),
    ({"text": "who_sees.child", "lang": "da", "body": "x" * 2001}, "Højst 2000 tegn."),
    ({"text": "no.such.text", "lang": "da", "body": "Hej"}, "Vælg en af teksterne på siden."),
    ({"text": "who_sees.child", "lang": "sv", "body": "Hej"}, "Vælg en af teksterne på siden."),
    ({}, "Vælg en af teksterne på siden."),
])
def test_bad_input_is_refused_and_what_was_typed_is_kept(app, admin, data, message):
    response = admin.post("/admin/texts", data=data)
    assert response.status_code == 400 and message in response.text
    if data.get("body", "").strip() and data["text"] == "who_sees.child" and data["lang"] == "da":
        assert data["body"] in response.text
    with app.app_context():
        assert db.session.scalars(select(Setting)).all() == []


def test_the_texts_are_linked_where_an_administrator_lands(admin):
    assert 'href="/admin/texts"' in admin.get("/").text


# ---- issue 18 item 1: every text in every language a respondent may read ----------------------

MISSING = "Mangler på dette sprog: den, der svarer, ser den danske tekst."


def _form_of(page, key, lang):
    """The part of the page that edits one text in one language."""
    start = page.text.index(f'id="{key}-{lang}"')
    return page.text[start:page.text.index("</form>", start)]


@pytest.fixture
def danish_only(monkeypatch):
    """A text Samstem ships in Danish only (no catalogue translates it), whatever the catalogues hold."""
    from flask_babel import lazy_gettext as _l

    from app.respond import notices
    monkeypatch.setitem(notices._DEFAULTS, "who_sees.child",
                        _l("Kun på dansk: %(caseworker)s og holdet omkring hende ser svarene."))


def test_a_text_shipped_only_in_danish_is_shown_missing_and_the_respondent_reads_the_danish(
        app, admin, make, danish_only):
    """Issue 18 item 1: the respondent falls back to Danish only where the admin sees the text missing."""
    ids = make.emma(make.user("anne", team=make.team()))
    page = admin.get("/admin/texts")
    for lang in ("en", "ar", "uk"):
        assert MISSING in _form_of(page, "who_sees.child", lang)
    assert MISSING not in _form_of(page, "who_sees.child", "da")
    assert "English:\n    1 tekst mangler" in page.text  # the summary above the texts
    english = app.test_client().get(f"/r/{ids.tokens['child']}?lang=en")
    assert "Kun på dansk: Anne Rådgiver og holdet omkring hende ser svarene." in english.text
    # The organisation's own Danish is what the other languages fall back to.
    _save(admin, "who_sees.child", "da", NEW_DA)
    english = app.test_client().get(f"/r/{ids.tokens['child']}?lang=en")
    assert "Din rådgiver Anne Rådgiver og holdet omkring hende læser dine svar." in english.text


def test_an_arabic_or_ukrainian_text_written_by_the_admin_is_what_that_reader_reads(app, admin, danish_only):
    from app.respond import notices
    arabic = "يرى فريق %(caseworker)s الإجابات أيضًا."
    assert _save(admin, "who_sees.child", "ar", arabic).status_code == 302
    page = admin.get("/admin/texts")
    assert MISSING not in _form_of(page, "who_sees.child", "ar")
    assert MISSING in _form_of(page, "who_sees.child", "uk")
    assert "organisationens egen tekst" in _form_of(page, "who_sees.child", "ar")
    with app.test_request_context():
        assert notices.text("who_sees.child", "ar") == arabic
        assert notices.text("who_sees.child", "uk").startswith("Kun på dansk")


def test_a_danish_edit_marks_arabic_and_ukrainian_for_review_until_each_is_saved(app, admin):
    _save(admin, "used_for.child", "da", "Dine svar hjælper os.")
    assert REVIEW in _form_of(admin.get("/admin/texts"), "used_for.child", "ar")
    assert _save(admin, "used_for.child", "ar", "إجاباتك تساعدنا.").status_code == 302
    page = admin.get("/admin/texts")
    assert REVIEW not in _form_of(page, "used_for.child", "ar")
    assert REVIEW in _form_of(page, "used_for.child", "uk")
    with app.app_context():
        assert db.session.get(Setting, "text.used_for.child").value["review"] == ["en", "uk"]
