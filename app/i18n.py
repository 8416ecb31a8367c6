"""Language choice: the respondent's pick, then the person's language, then Danish."""

from babel import numbers
from flask import Flask, current_app, g, request, session
from flask_babel import format_date, format_decimal, get_locale

from app.extensions import babel


def is_respondent_request() -> bool:
    """Tell whether the request is for a page a respondent reaches (a link's page, its errors)."""
    return request.blueprint in ("respond", "observe") or request.path.startswith(("/r/", "/code", "/o/"))


def offered_languages() -> list[str]:
    """Return the languages this request's page is offered in.

    A respondent's pages speak every language of RESPONDENT_LANGUAGES; the staff pages only
    LANGUAGES (Danish and English).
    """
    key = "RESPONDENT_LANGUAGES" if is_respondent_request() else "LANGUAGES"
    return current_app.config.get(key) or current_app.config["LANGUAGES"]


def select_locale() -> str:
    """Return the language for this request.

    A respondent's language is the one their link remembers (g.lang, set by app.respond.pages),
    never the shared session's: a tablet may be handed from one person to the next.
    """
    if is_respondent_request():
        languages = offered_languages()
        if g.get("lang") in languages:
            return g.lang
        return request.accept_languages.best_match(languages) or "da"
    languages = current_app.config["LANGUAGES"]
    for candidate in (g.get("lang"), session.get("lang")):
        if candidate in languages:
            return candidate
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    """Return the two-letter code of the language in use."""
    return str(get_locale() or "da")


def person_language(person, chosen: str | None = None) -> str:
    """Return the language to write to a person in: the one they chose on their link (chosen),
    else their stored preference, if Samstem speaks it to respondents; else Danish."""
    languages = current_app.config.get("RESPONDENT_LANGUAGES") or current_app.config["LANGUAGES"]
    return next((lang for lang in (chosen, person.language) if lang in languages), "da")


def decimal1(value: float | None, locale: str | None = None) -> str:
    """Show a number with one decimal, with the reader's decimal mark: 7,3 in Danish.

    The language of the request, or the one given (a form built for one language).
    """
    if value is None:
        return ""
    if locale is None:
        return format_decimal(value, format="0.0")
    return numbers.format_decimal(value, format="0.0", locale=locale)


def decimal_mark(locale: str) -> str:
    """Return the decimal mark of a language: "," in Danish, "." in English."""
    return numbers.get_decimal_symbol(locale)


# A date in words, as each language writes it: "14. marts 2026" in Danish, "14 березня 2026" in
# Ukrainian (the month's name in the language's own case), "14 مارس 2026" in Arabic.
DATE_PATTERNS = {"da": ("d. MMMM yyyy", "d. MMMM"), "en": ("d. MMMM yyyy", "d. MMMM")}
DATE_PATTERN_ELSE = ("d MMMM yyyy", "d MMMM")


def long_date(value, year: bool = True) -> str:
    """Show a date in words in the reader's language; "" for none."""
    if value is None:
        return ""
    with_year, without = DATE_PATTERNS.get(current_language(), DATE_PATTERN_ELSE)
    return format_date(value, with_year if year else without)


LANGUAGE_NAMES = {"da": "Dansk", "en": "English", "ar": "العربية", "uk": "Українська"}
RTL_LANGUAGES = {"ar"}


def text_direction(lang: str) -> str:
    """Return "rtl" for a language written right to left (Arabic), else "ltr"."""
    return "rtl" if lang in RTL_LANGUAGES else "ltr"


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)

    app.add_template_filter(decimal1)
    app.add_template_filter(long_date)

    @app.context_processor
    def language_context() -> dict:
        lang = current_language()
        return {
            "lang": lang,
            "text_direction": text_direction(lang),
            "language_names": {code: LANGUAGE_NAMES[code] for code in offered_languages()},
            # A person's language on a staff page, whichever language Samstem speaks to them in.
            "every_language_name": LANGUAGE_NAMES,
        }
