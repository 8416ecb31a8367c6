"""What a respondent is told about where the answers go, where to get help now, and the privacy
and accessibility pages (issue 11 items 2 and 3; DESIGN.md §3)."""

import html
import re

import pytest

from tests.factories import no_script_but_ours

# The first line each page had already; kept, and followed by who else sees it and what it is for.
ADULT = ["Hvem læser svarene? Anne Rådgiver, som er rådgiver.",
         "Rådgiverens team kan også se sagen, og et kort resumé kommer i sagens journal.",
         "Forældrene kan bede om at se sagen (aktindsigt), og fra 10 år kan Emma også.",
         "Det bruges til at følge med i, hvordan det går med Emma, og om hjælpen virker.",
         "Uden navne tæller det også med i tal om, hvordan det går for mange børn."]
CHILD = ["Det er Anne Rådgiver, der læser dine svar.",
         "De voksne, der arbejder sammen med Anne Rådgiver, kan også se dem, og Anne Rådgiver skriver det "
         "vigtigste ned i din sag.",
         "Dine svar hjælper Anne Rådgiver med at se, om hjælpen virker for dig.",
         "De bliver også talt med i tal om, hvordan det går for mange børn, men uden dit navn."]
# Partsstatus from 10 (GLOSSARY.md): the age is known from the birth year only.
UNDER_TEN = "Dine forældre kan bede om at se, hvad der står i den. Fra du er 10 år, kan du også selv."
PARTY = "Du og dine forældre kan bede om at se, hvad der står i den."
HELPLINE = ("Har du brug for at tale med nogen? Ring til BørneTelefonen på 116 111. "
            "Det er gratis, og de har åbent hele døgnet.")
WEIGHT_LIMIT = 20 * 1024  # respondent pages: under 20 KB (bench/page_weight.py)


def text(page: str) -> str:
    """Return what a reader sees: the words without tags, spaces folded."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).replace(" .", ".")


@pytest.fixture
def emma(make, caseworker):
    return make.emma(caseworker)


# --- who sees the answers, and what they are used for (item 2) ------------------------------

@pytest.mark.parametrize("role", ["mother", "father", "network", "provider"])
def test_an_adult_reads_who_else_sees_the_answers_and_what_they_are_for(client, emma, role):
    page = text(client.get(f"/r/{emma.tokens[role]}").text)
    for line in ADULT:
        assert line in page, line
    assert "dine forældre" not in page and HELPLINE not in page


@pytest.mark.parametrize("age, own_file", [(9, UNDER_TEN), (10, UNDER_TEN), (11, PARTY), (15, PARTY)])
def test_a_child_reads_it_in_a_childs_words_and_from_ten_may_see_the_file(make, caseworker, client, age, own_file):
    ids = make.emma(caseworker, child_age=age)
    page = text(client.get(f"/r/{ids.tokens['child']}").text)
    for line in [*CHILD, own_file]:
        assert line in page, line
    assert (PARTY if own_file == UNDER_TEN else UNDER_TEN) not in page
    assert "aktindsigt" not in page and "Rådgiverens team" not in page


def test_the_texts_are_shipped_in_english_too(client, emma):
    child = text(client.get(f"/r/{emma.tokens['child']}?lang=en").text)
    assert "The adults who work with Anne Rådgiver can see them too" in child
    assert "They are also counted in figures about how children are doing overall, but without your name." in child
    assert "Do you need someone to talk to? Call BørneTelefonen on 116 111." in child
    mother = text(client.get(f"/r/{emma.tokens['mother']}?lang=en").text)
    assert "The case worker's team can also see the case, and a short summary goes into the case file." in mother
    assert "and so can Emma from the age of 10" in mother
    assert "Rådgiverens team" not in mother


def test_a_configured_text_replaces_the_default_in_its_language_only(app, client, emma):
    # The settings page of "Administration" writes NOTICE_TEXTS; a stray % stays as written.
    app.config["NOTICE_TEXTS"] = {"who_sees.child": {"da": "Kun %(caseworker)s og 100 % fortroligt."}}
    page = text(client.get(f"/r/{emma.tokens['child']}").text)
    assert "Kun Anne Rådgiver og 100 % fortroligt." in page and "De voksne, der arbejder" not in page
    english = text(client.get(f"/r/{emma.tokens['child']}?lang=en").text)
    assert "The adults who work with Anne Rådgiver can see them too" in english


def test_the_status_and_the_observation_pages_say_it_to_the_adult(make, client, emma):
    make.goal(emma.case)
    make.school(emma.case)
    _, tokens, _ = make.status_request(emma, roles=("school",))
    status = text(client.get(f"/r/{tokens['school']}").text)
    _, token = make.observation_link(emma.case, emma.people["network"])
    observation = text(client.get(f"/o/{token}").text)
    for page in (status, observation):
        for line in ADULT[1:]:
            assert line in page, line


def test_the_indicator_intro_says_it_to_the_young_scorer_in_her_words(make, client, caseworker):
    ids = make.indicator_case(caseworker, scorers=["provider", "child"], child_age=14)
    make.indicator_round(ids)
    child = text(client.get(f"/r/{ids.tokens['child']}").text)
    assert PARTY in child and CHILD[1] in child and HELPLINE in child
    provider = text(client.get(f"/r/{ids.tokens['provider']}").text)
    assert ADULT[1] in provider and HELPLINE not in provider


# --- help now (item 3) -------------------------------------------------------------------------

def test_every_page_of_a_child_shows_the_childrens_helpline(client, emma):
    token = emma.tokens["child"]
    pages = [client.get(f"/r/{token}"), client.get(f"/r/{token}/form"),
             client.post(f"/r/{token}/form", data={}), client.get(f"/r/{token}/thanks")]
    for page in pages:
        assert HELPLINE in text(page.text)
        assert 'href="tel:116111"' in page.text
    for role in ("mother", "network"):
        assert "116 111" not in client.get(f"/r/{emma.tokens[role]}/form").text


def test_the_observation_page_says_it_is_not_read_at_once_112_and_how_to_notify(app, make, client, emma):
    _, token = make.observation_link(emma.case, emma.people["network"])
    page = client.get(f"/o/{token}")
    words = text(page.text)
    assert "Det, du skriver, bliver ikke læst med det samme. Er nogen i fare, så ring 112." in words
    assert ("Det, du skriver her, er ikke en underretning. Er du bekymret for et barn? "
            "Så kan du lave en underretning til kommunen.") in words
    # Unconfigured: a plain link to borger.dk, nothing loaded from it.
    assert '<a href="https://www.borger.dk">borger.dk</a>' in page.text
    assert 'href="tel:112"' in page.text
    app.config["NOTIFICATION_URL"] = "https://kommune.example/underretning"
    page = client.get(f"/o/{token}?lang=en").text
    assert '<a href="https://kommune.example/underretning">How to notify the municipality</a>' in page
    assert "If someone is in danger, call" in text(page) and "borger.dk" not in page


# --- the privacy notice and the accessibility statement ----------------------------------------

def test_every_respondent_page_links_to_the_privacy_notice_and_the_accessibility_page(make, client, emma):
    _, token = make.observation_link(emma.case, emma.people["network"])
    pages = [f"/r/{emma.tokens['mother']}", f"/r/{emma.tokens['child']}/form", f"/o/{token}", "/code",
             "/r/0123456789ABCDEFGHJKMNPQRS"]
    for url in pages:
        page = client.get(url).text
        assert '<a href="/privatliv?lang=da">Dine oplysninger</a>' in page, url
        assert '<a href="/tilgaengelighed?lang=da">Tilgængelighed</a>' in page, url
    english = client.get(f"/r/{emma.tokens['mother']}?lang=en").text
    assert '<a href="/privatliv?lang=en">Your information</a>' in english


PLACEHOLDERS = {
    "da": ["[Organisationens kontaktoplysninger mangler — indstil SAMSTEM_CONTROLLER_CONTACT]",
           "[Databeskyttelsesrådgiverens kontakt mangler — indstil SAMSTEM_DPO_CONTACT]",
           "[Hvor længe svarene gemmes, mangler — indstil SAMSTEM_PRIVACY_RETENTION]"],
    "en": ["[The organisation's contact details are missing — set SAMSTEM_CONTROLLER_CONTACT]",
           "[The data protection officer's contact details are missing — set SAMSTEM_DPO_CONTACT]",
           "[How long answers are kept is missing — set SAMSTEM_PRIVACY_RETENTION]"],
}
# GDPR art. 13: who is responsible, purpose, legal basis, rights, the right to complain.
PRIVACY = {
    "da": ["Samstem Kommune er dataansvarlig for oplysningerne.", "Hvad bruger vi oplysningerne til?",
           "artikel 6, stk. 1, litra e", "Dine rettigheder", "få forkerte oplysninger rettet",
           "kan du klage til Datatilsynet"],
    "en": ["Samstem Kommune is the data controller for the information.", "What do we use the information for?",
           "Article 6(1)(e)", "Your rights", "have wrong information corrected",
           "you can complain to the Danish Data Protection Agency (Datatilsynet)"],
}


def light(page) -> None:
    """A respondent page: no script but static/respond.js (it works without it), nothing from elsewhere, under 20 KB."""
    assert page.status_code == 200
    assert no_script_but_ours(page.text)
    assert not re.search(r'(src|rel="stylesheet" href)="(https?:)?//', page.text)
    assert len(page.data) < WEIGHT_LIMIT


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_privacy_notice_shows_what_is_missing_until_it_is_configured(client, lang):
    page = client.get(f"/privatliv?lang={lang}")
    light(page)
    assert f'<html lang="{lang}"' in page.text
    words = text(page.text)
    for line in PLACEHOLDERS[lang] + PRIVACY[lang]:
        assert line in words, line
    assert '<a href="https://www.datatilsynet.dk">www.datatilsynet.dk</a>' in page.text


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_privacy_notice_shows_the_configured_facts(app, client, lang):
    app.config.update(CONTROLLER_CONTACT="Rådhuset, 1234 Samstem, tlf. 11 22 33 44",
                      DPO_CONTACT="dpo@samstem.example", PRIVACY_RETENTION="Svarene slettes 5 år efter, at sagen er lukket.",
                      PRIVACY_LEGAL_BASIS="Barnets Lov § 140 og databeskyttelsesforordningens artikel 6, stk. 1, litra e.")
    words = text(client.get(f"/privatliv?lang={lang}").text)
    for value in ("Rådhuset, 1234 Samstem, tlf. 11 22 33 44", "dpo@samstem.example",
                  "Svarene slettes 5 år efter, at sagen er lukket.", "Barnets Lov § 140"):
        assert value in words
    assert "SAMSTEM_" not in words and "Kommunen skal efter Barnets Lov" not in words


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_accessibility_page_links_to_the_statement_or_says_it_is_missing(app, client, lang):
    page = client.get(f"/tilgaengelighed?lang={lang}")
    light(page)
    missing = {"da": "[Linket til tilgængelighedserklæringen mangler — indstil SAMSTEM_ACCESSIBILITY_URL]",
               "en": "[The link to the accessibility statement is missing — set SAMSTEM_ACCESSIBILITY_URL]"}
    assert missing[lang] in text(page.text)
    app.config["ACCESSIBILITY_URL"] = "https://www.was.digst.dk/samstem-kommune-dk"
    page = client.get(f"/tilgaengelighed?lang={lang}").text
    assert 'href="https://www.was.digst.dk/samstem-kommune-dk"' in page
    assert "SAMSTEM_ACCESSIBILITY_URL" not in page


def test_the_pages_with_the_new_texts_stay_light(make, client, emma):
    _, token = make.observation_link(emma.case, emma.people["network"])
    for url in (f"/r/{emma.tokens['child']}", f"/r/{emma.tokens['mother']}", f"/o/{token}"):
        light(client.get(url))

