"""What a respondent is told about where the answers go, and what the privacy notice fills in.

One place for these texts (issue 11 item 2, DESIGN.md §3). Every form says who sees the answers
and what they are used for, in words for adults and in words for children: the case worker's
team can see the case, a summary goes into the case's journal, parents can ask to see the case
file (aktindsigt) and so can the child from 10 (partsstatus under Barnets Lov), and the answers
count, without names, in figures. The defaults below ship in every language through the Babel
catalogues. An administrator changes them per language on /admin/texts (stored as the setting
"text.<key>", app.settings); the configuration's NOTICE_TEXTS still overrides a default where
no administrator has:

    NOTICE_TEXTS = {"who_sees.child": {"da": "…", "en": "…"}}

A text may name %(caseworker)s and %(child)s; they are filled in by plain replacement, so an
edited text with any other % in it still shows as written.

The privacy notice and the accessibility page read the organisation's facts from settings
(SAMSTEM_DPO_CONTACT and the others, README); a fact not configured shows a placeholder that
names its setting, so an administrator sees what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.i18n import current_language
from app.settings import services as settings

ADULT, CHILD, CHILD_PARTY = "adult", "child", "child_party"
# The language every text is written in first, and falls back to.
SOURCE_LANGUAGE = "da"
# From this age a child is party to the case and may see its file (GLOSSARY.md: partsstatus).
PARTY_AGE = 10

_DEFAULTS = {
    "who_sees.adult": _l("Rådgiverens team kan også se sagen, og et kort resumé kommer i sagens journal. "
                         "Forældrene kan bede om at se sagen (aktindsigt), og fra 10 år kan %(child)s også."),
    "used_for.adult": _l("Det bruges til at følge med i, hvordan det går med %(child)s, og om hjælpen virker. "
                         "Uden navne tæller det også med i tal om, hvordan det går for mange børn."),
    "who_sees.child": _l("De voksne, der arbejder sammen med %(caseworker)s, kan også se dem, og %(caseworker)s "
                         "skriver det vigtigste ned i din sag. Dine forældre kan bede om at se, hvad der står i "
                         "den. Fra du er 10 år, kan du også selv."),
    "who_sees.child_party": _l("De voksne, der arbejder sammen med %(caseworker)s, kan også se dem, og "
                               "%(caseworker)s skriver det vigtigste ned i din sag. Du og dine forældre kan bede "
                               "om at se, hvad der står i den."),
    "used_for.child": _l("Dine svar hjælper %(caseworker)s med at se, om hjælpen virker for dig. De bliver også "
                         "talt med i tal om, hvordan det går for mange børn, men uden dit navn."),
}
_DEFAULTS["used_for.child_party"] = _DEFAULTS["used_for.child"]
# The privacy notice's "what we use it for" and the accessibility page's promise.
_DEFAULTS["privacy.used_for"] = _l(
    "Til at følge med i, hvordan det går med barnet, og om hjælpen virker. Barnets rådgiver læser svarene, og "
    "rådgiverens team kan også se sagen. Et kort resumé kommer i sagens journal. Forældrene kan bede om at se "
    "sagen (aktindsigt), og det kan barnet også fra 10 år.")
_DEFAULTS["accessibility.about"] = _l(
    "Siderne kan bruges på en telefon, med tastatur og med skærmlæser. De virker også uden JavaScript og henter "
    "intet fra andre steder.")

# The texts /admin/texts edits, in its order, each with where a respondent reads it.
EDITABLE = {
    "who_sees.adult": _l("Hvem ser svarene – voksne"),
    "used_for.adult": _l("Hvad svarene bruges til – voksne"),
    "who_sees.child": _l("Hvem ser svarene – børn under 10"),
    "who_sees.child_party": _l("Hvem ser svarene – børn fra 10"),
    "used_for.child": _l("Hvad svarene bruges til – børn under 10"),
    "used_for.child_party": _l("Hvad svarene bruges til – børn fra 10"),
    "privacy.used_for": _l("Privatlivserklæringen: hvad oplysningerne bruges til"),
    "privacy.legal_basis": _l("Privatlivserklæringen: hvorfor vi må"),
    "accessibility.about": _l("Tilgængelighed: hvad siderne kan"),
}

# The legal basis most municipalities give for child-welfare follow-up; SAMSTEM_PRIVACY_LEGAL_BASIS
# replaces it with the organisation's own wording.
LEGAL_BASIS = _l("Kommunen skal efter Barnets Lov følge op på hjælpen til børn og unge. Det er "
                 "myndighedsudøvelse (databeskyttelsesforordningens artikel 6, stk. 1, litra e, og for "
                 "følsomme oplysninger artikel 9, stk. 2).")

# Each fact of the privacy and accessibility pages: its setting, the variable that sets it, and
# the placeholder shown while it is not set.
_FACTS = {
    "controller_contact": ("CONTROLLER_CONTACT", "SAMSTEM_CONTROLLER_CONTACT",
                           _l("[Organisationens kontaktoplysninger mangler — indstil %(setting)s]")),
    "dpo_contact": ("DPO_CONTACT", "SAMSTEM_DPO_CONTACT",
                    _l("[Databeskyttelsesrådgiverens kontakt mangler — indstil %(setting)s]")),
    "retention": ("PRIVACY_RETENTION", "SAMSTEM_PRIVACY_RETENTION",
                  _l("[Hvor længe svarene gemmes, mangler — indstil %(setting)s]")),
    "accessibility_url": ("ACCESSIBILITY_URL", "SAMSTEM_ACCESSIBILITY_URL",
                          _l("[Linket til tilgængelighedserklæringen mangler — indstil %(setting)s]")),
}


def audience(role: str, child_age: int | None) -> str:
    """Return whose words a respondent reads: a child's (a party to the case from 10), or an adult's.

    The age comes from the birth year alone, so only a child at least 11 by it is surely 10.
    """
    if role != "child":
        return ADULT
    return CHILD_PARTY if child_age is not None and child_age > PARTY_AGE else CHILD


def default_text(key: str, lang: str) -> str:
    """Return the shipped text in this language, or the configuration's NOTICE_TEXTS for it."""
    configured = ((current_app.config.get("NOTICE_TEXTS") or {}).get(key) or {}).get(lang)
    if configured:
        return configured
    if key == "privacy.legal_basis" and (current_app.config.get("PRIVACY_LEGAL_BASIS") or "").strip():
        return current_app.config["PRIVACY_LEGAL_BASIS"].strip()
    with force_locale(lang):
        return str(LEGAL_BASIS if key == "privacy.legal_basis" else _DEFAULTS[key])


def translated_default(key: str, lang: str) -> str | None:
    """Return the shipped text in this language, or None where it has none of its own (the
    catalogue gives back the Danish): the text is missing in that language."""
    default = default_text(key, lang)
    if lang != SOURCE_LANGUAGE and default == default_text(key, SOURCE_LANGUAGE):
        return None
    return default


def text(key: str, lang: str | None = None) -> str:
    """Return the text a respondent reads: the administrator's, else the default, in the language;
    a language with neither reads the Danish, the organisation's if it changed it (the admin
    page shows that language as missing: app/settings/texts.py)."""
    lang = lang or current_language()
    stored = settings.stored(f"text.{key}") or {}
    return (stored.get(lang) or translated_default(key, lang) or stored.get(SOURCE_LANGUAGE)
            or default_text(key, SOURCE_LANGUAGE))



def where_answers_go(reader: str, caseworker: str, child: str) -> list[str]:
    """Return who else sees the answers and what they are used for, in the reader's words."""
    lang = current_language()
    texts = [text(f"who_sees.{reader}", lang), text(f"used_for.{reader}", lang)]
    return [text.replace("%(caseworker)s", caseworker).replace("%(child)s", child) for text in texts]


@dataclass(frozen=True)
class Fact:
    """A fact the organisation configures: its value, or a placeholder naming its setting."""

    text: str
    missing: bool


def fact(name: str) -> Fact:
    key, variable, placeholder = _FACTS[name]
    value = (current_app.config.get(key) or "").strip()
    if value:
        return Fact(value, False)
    return Fact(str(placeholder) % {"setting": variable}, True)


def legal_basis() -> str:
    return text("privacy.legal_basis")


def notification_url() -> str | None:
    """Return the organisation's page on making an underretning, or None (borger.dk is named instead)."""
    return (current_app.config.get("NOTIFICATION_URL") or "").strip() or None
