"""The base of every staff form: WTForms' own messages in the user's language.

WTForms ships no Danish catalogue, so its built-in messages are mapped to our own
Danish source texts here and translated through the Babel catalogues like the rest.
"""

from flask import request
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm


def _plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular/plural pair for the extractor (keyword `_plural:1,2`)."""
    return singular, plural


# WTForms' English message -> our Danish source text (placeholders kept).
MESSAGES = {
    "This field is required.": _l("Udfyld feltet."),
    "Not a valid choice.": _l("Vælg en af mulighederne."),
    "Invalid Choice: could not coerce.": _l("Vælg en af mulighederne."),
    "Invalid choice(s): one or more data inputs could not be coerced.": _l("Vælg en af mulighederne."),
    "Not a valid integer value.": _l("Skriv et helt tal."),
    "Not a valid date value.": _l("Skriv datoen som åååå-mm-dd."),
    "Invalid input.": _l("Det ser ikke rigtigt ud."),
}
PLURAL_MESSAGES = {
    "'%(value)s' is not a valid choice for this field.": _plural("Vælg en af mulighederne.", "Vælg en af mulighederne."),
    "Field cannot be longer than %(max)d character.": _plural("Højst %(max)d tegn.", "Højst %(max)d tegn."),
    "Field must be at least %(min)d character long.": _plural("Mindst %(min)d tegn.", "Mindst %(min)d tegn."),
}


class _Translations:
    """Hand WTForms' messages to Babel under their Danish source text."""

    def gettext(self, string: str) -> str:
        source = MESSAGES.get(string)
        return str(source) if source else string

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        pair = PLURAL_MESSAGES.get(singular)
        # WTForms fills in the placeholders itself, so no formatting here.
        return get_translations().ungettext(pair[0], pair[1], n) if pair else (singular if n == 1 else plural)


def drop_nul(value):
    """Remove NUL characters, which PostgreSQL cannot store in text; nothing else changes."""
    return value.replace("\x00", "") if isinstance(value, str) else value


# Where a staff form on a GET may find data it had before (app.auth.drafts registers what a
# user typed before their session ended); each is called with the form, first answer wins.
formdata_sources: list = []


class Form(FlaskForm):
    class Meta:
        def wrap_formdata(self, form, formdata):
            wrapped = super().wrap_formdata(form, formdata)
            if wrapped is None and formdata is not None:
                for source in formdata_sources:
                    found = source(form)
                    if found is not None:
                        return found
            return wrapped

        def get_translations(self, form):
            return _Translations()

        def bind_field(self, form, unbound_field, options):
            # Every text a staff form takes in is cleaned of NUL before any check sees it.
            filters = [*unbound_field.kwargs.get("filters", ()), drop_nul]
            return unbound_field.bind(form=form, **{**options, "filters": filters})


def confirmed() -> bool:
    """Tell whether this request is the "yes" of a confirmation page (templates/confirm.html).

    A change asked about first is made only by a POST that carries confirm=yes; a plain POST
    (an old page, a stray button) is answered with the question instead.
    """
    return request.method == "POST" and request.form.get("confirm") == "yes"
