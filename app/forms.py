"""The bases of forms: every staff form (WTForms' own messages in the user's language), and
every public form a token opens (a submission id, and a CSRF check that needs no cookie).

WTForms ships no Danish catalogue, so its built-in messages are mapped to our own
Danish source texts here and translated through the Babel catalogues like the rest.
"""

import re
import secrets
from datetime import date

from flask import request
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadData, URLSafeTimedSerializer
from wtforms import DateField as _WTFormsDateField
from wtforms import HiddenField, ValidationError
from wtforms.csrf.core import CSRF

from app import tokens


def _plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular/plural pair for the extractor (keyword `_plural:1,2`)."""
    return singular, plural


# A wrong date is explained in the order the browser's date field shows it (issue 11, item 10).
DATE_MESSAGE = _l("Skriv datoen som dag, måned og år, fx 14-03-2026.")

# WTForms' English message -> our Danish source text (placeholders kept).
MESSAGES = {
    "This field is required.": _l("Udfyld feltet."),
    "Not a valid choice.": _l("Vælg en af mulighederne."),
    "Invalid Choice: could not coerce.": _l("Vælg en af mulighederne."),
    "Invalid choice(s): one or more data inputs could not be coerced.": _l("Vælg en af mulighederne."),
    "Not a valid integer value.": _l("Skriv et helt tal."),
    "Not a valid date value.": DATE_MESSAGE,
    "Invalid input.": _l("Det ser ikke rigtigt ud."),
}
PLURAL_MESSAGES = {
    "'%(value)s' is not a valid choice for this field.": _plural("Vælg en af mulighederne.", "Vælg en af mulighederne."),
    "Field cannot be longer than %(max)d character.": _plural("Højst %(max)d tegn.", "Højst %(max)d tegn."),
    "Field must be at least %(min)d character long.": _plural("Mindst %(min)d tegn.", "Mindst %(min)d tegn."),
}


# Day, month, year with one separator throughout (14-03-2026, 14.3.2026, 14/03/2026), or ISO.
_DAY_FIRST = re.compile(r"^([0-9]{1,2})([-./])([0-9]{1,2})\2([0-9]{4})$")
_ISO = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")


def parse_day(text: str | None) -> date | None:
    """Return the date a person typed, or None if it holds none.

    A browser with a date picker sends yyyy-mm-dd; one without sends what the person typed,
    most likely as the picker shows it in Danish: day, month, year.
    """
    text = (text or "").strip()
    day_first, iso = _DAY_FIRST.match(text), _ISO.match(text)
    if day_first:
        day, _, month, year = day_first.groups()
    elif iso:
        year, month, day = iso.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


class DateField(_WTFormsDateField):
    """A date field that reads what `parse_day` reads; what was typed is shown again if wrong."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = parse_day(" ".join(valuelist))
        if self.data is None:
            raise ValueError(str(DATE_MESSAGE))


class _Translations:
    """Hand WTForms' messages to Babel under their Danish source text."""

    def gettext(self, string: str) -> str:
        source = MESSAGES.get(string)
        return str(source) if source else string

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        pair = PLURAL_MESSAGES.get(singular)
        # WTForms fills in the placeholders itself, so no formatting here.
        return get_translations().ungettext(pair[0], pair[1], n) if pair else (singular if n == 1 else plural)


def whole_number(text: str | None, digits: int = 18) -> int | None:
    """Return the whole number written in the digits 0-9 (at most `digits` of them), or None.

    An id, a version or a position sent as text: str.isdigit() also says yes to "²" and to
    5,000 digits, which int() refuses (issue 12, item 18).
    """
    text = text or ""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= digits else None


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


# --- public forms, reached by a token ------------------------------------------------------

SUBMISSION_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_submission_id() -> str:
    return secrets.token_urlsafe(16)


class SubmissionField(HiddenField):
    """The id of one rendered form: random when the page is rendered, posted back with the answer.

    The database keeps each submission id once (issue 12 item 4), so the same form sent twice
    (a double tap, a retry after a dropped connection) is stored once. A post without a
    well-formed id (a page from before ids, a hand-made post) gets a new one: it is a new submission.
    """

    def process_formdata(self, valuelist):
        if valuelist and SUBMISSION_ID.fullmatch(valuelist[0]):
            self.data = valuelist[0]


class _LinkCSRF(CSRF):
    """A CSRF token bound to the link the page was served for, not to a session cookie.

    On a public page the token in the address is the key, so the check needs no cookie: a
    browser that keeps none can still answer. It still tells a page Samstem rendered for
    this link from a post that never saw one (the page then says it was too old, answers kept).
    """

    def setup_form(self, form):
        self.meta = form.meta
        return super().setup_form(form)

    def _signer(self) -> URLSafeTimedSerializer:
        link = (request.view_args or {}).get("token", "")
        return URLSafeTimedSerializer(self.meta.csrf_secret, salt="respondent-form:" + tokens.hash_token(link))

    def generate_csrf_token(self, csrf_token_field) -> str:
        return self._signer().dumps(1)

    def validate_csrf_token(self, form, field) -> None:
        try:
            self._signer().loads(field.data or "", max_age=self.meta.csrf_time_limit)
        except BadData:
            raise ValidationError(_l("Siden var for gammel. Gå tilbage, opdatér siden, og prøv igen.")) from None


class PublicForm(FlaskForm):
    """The base of every public form: its CSRF check is bound to the link, not to a cookie."""

    class Meta:
        csrf_class = _LinkCSRF


class RespondentForm(PublicForm):
    """The base of every form that answers through a token: the questionnaire, a status, a
    scoring, an observation, declining. Its hidden fields (hidden_tag) carry the submission id
    and the link's CSRF token."""

    # No id attribute: a page may hold two such forms (answering and declining).
    submission = SubmissionField(default=new_submission_id, render_kw={"id": False})
