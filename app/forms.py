"""The base of every staff form: WTForms' own messages in the user's language.

WTForms ships no Danish catalogue, so its built-in messages are mapped to our own
Danish source texts here and translated through the Babel catalogues like the rest.
"""

from flask_babel import get_translations, gettext, ngettext
from flask_wtf import FlaskForm

# WTForms' English message -> our Danish source text (placeholders kept).
MESSAGES = {
    "This field is required.": "Udfyld feltet.",
    "Not a valid choice.": "Vælg en af mulighederne.",
    "Invalid Choice: could not coerce.": "Vælg en af mulighederne.",
    "Not a valid integer value.": "Skriv et helt tal.",
    "Not a valid date value.": "Skriv datoen som åååå-mm-dd.",
    "Invalid input.": "Det ser ikke rigtigt ud.",
}
PLURAL_MESSAGES = {
    "'%(value)s' is not a valid choice for this field.": ("Vælg en af mulighederne.", "Vælg en af mulighederne."),
    "Field cannot be longer than %(max)d character.": ("Højst %(max)d tegn.", "Højst %(max)d tegn."),
    "Field must be at least %(min)d character long.": ("Mindst %(min)d tegn.", "Mindst %(min)d tegn."),
}


class _Translations:
    """Hand WTForms' messages to Babel under their Danish source text."""

    def gettext(self, string: str) -> str:
        source = MESSAGES.get(string)
        return gettext(source) if source else string

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        pair = PLURAL_MESSAGES.get(singular)
        # WTForms fills in the placeholders itself, so no formatting here.
        return get_translations().ungettext(pair[0], pair[1], n) if pair else (singular if n == 1 else plural)


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return _Translations()


# Listed for the catalogue extractor, which cannot see into the dicts above.
if False:  # pragma: no cover
    gettext("Udfyld feltet.")
    gettext("Vælg en af mulighederne.")
    gettext("Skriv et helt tal.")
    gettext("Skriv datoen som åååå-mm-dd.")
    gettext("Det ser ikke rigtigt ud.")
    ngettext("Vælg en af mulighederne.", "Vælg en af mulighederne.", 1)
    ngettext("Højst %(max)d tegn.", "Højst %(max)d tegn.", 1)
    ngettext("Mindst %(min)d tegn.", "Mindst %(min)d tegn.", 1)
