"""Language choice: the respondent's pick, then the person's language, then Danish."""

from babel import numbers
from flask import Flask, current_app, g, request, session
from flask_babel import format_decimal, get_locale

from app.extensions import babel


def select_locale() -> str:
    """Return the language for this request."""
    languages = current_app.config["LANGUAGES"]
    for candidate in (g.get("lang"), session.get("lang")):
        if candidate in languages:
            return candidate
    if request.blueprint == "respond":
        return request.accept_languages.best_match(languages) or "da"
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    """Return the two-letter code of the language in use."""
    return str(get_locale() or "da")


def person_language(person) -> str:
    """Return the language to write to a person in: theirs if Samstem speaks it, else Danish."""
    return person.language if person.language in current_app.config["LANGUAGES"] else "da"


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


LANGUAGE_NAMES = {"da": "Dansk", "en": "English", "ar": "العربية", "uk": "Українська"}
RTL_LANGUAGES = {"ar"}


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)

    app.add_template_filter(decimal1)

    @app.context_processor
    def language_context() -> dict:
        lang = current_language()
        return {
            "lang": lang,
            "text_direction": "rtl" if lang in RTL_LANGUAGES else "ltr",
            "language_names": {code: LANGUAGE_NAMES[code] for code in app.config["LANGUAGES"]},
        }
