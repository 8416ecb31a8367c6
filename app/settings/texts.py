"""The texts respondents read (app/respond/notices.py), as an administrator changes them per
shipped language on /admin/texts.

Stored as the setting "text.<key>": {"da": …, "en": …, "ar": …, "uk": …, "review": [languages]}.
Every language a respondent may choose (Config.RESPONDENT_LANGUAGES) is edited here, not only the
staff pages' languages (issue 18 item 1). A language left out reads the shipped default; where
Samstem ships none in that language either, the respondent reads the Danish and the page shows
the language as missing. A change to the Danish text, the source every translation is made from,
marks the other languages as needing review, until each is saved again.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from app import audit
from app.respond import notices
from app.settings import services as settings

SOURCE_LANGUAGE = "da"
TEXT_LIMIT = 2000


@dataclass(frozen=True)
class Version:
    """One text in one language, as the page shows it."""

    key: str
    lang: str
    text: str
    own: bool  # the organisation's wording, not the shipped one
    needs_review: bool
    # Neither the organisation nor Samstem has the text in this language: the respondent reads
    # the Danish (`text` is then the Danish they read).
    missing: bool = False


def _stored(key: str) -> dict:
    return dict(settings.stored(f"text.{key}") or {})


def languages() -> list[str]:
    """The languages a respondent may read: each text is edited in every one."""
    return list(current_app.config.get("RESPONDENT_LANGUAGES") or current_app.config["LANGUAGES"])


def versions(key: str) -> list[Version]:
    stored = _stored(key)
    review = set(stored.get("review", ()))
    return [Version(key, lang, notices.text(key, lang), bool(stored.get(lang)), lang in review,
                    missing=not stored.get(lang) and notices.translated_default(key, lang) is None)
            for lang in languages()]


def save(key: str, lang: str, body: str) -> bool:
    """Store the text in this language; returns whether it changed. The caller checked key and lang."""
    stored = _stored(key)
    before = notices.text(key, lang)
    if body == notices.default_text(key, lang):
        stored.pop(lang, None)
    else:
        stored[lang] = body
    review = set(stored.get("review", ()))
    changed = body != before
    if lang == SOURCE_LANGUAGE:
        if changed:
            review |= set(languages()) - {SOURCE_LANGUAGE}
    else:
        review.discard(lang)
    stored["review"] = sorted(review)
    settings.put(f"text.{key}", stored)
    audit.record("texts.save", None, text=key, language=lang, changed=changed, review=stored["review"])
    return changed
