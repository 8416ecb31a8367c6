"""Hostile input for the property-based tests (issue 12, items 18 and 19): which fields a page's
forms hold, the values to attack them with, and what every answer must show.

A form is read from the rendered page, so a field added to a template is attacked too. What an
answer must show (DESIGN.md §3, "bad input never gives a 500"):
- never a server error (TESTING re-raises an unexpected one, app/errors.py);
- a redirect (it was accepted), or a page with a clear message: an error page, or the form
  again with an error text in Danish, never an empty page;
- nothing typed is lost: a form that comes back shows each printable text that was posted
  again, HTML-escaped.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlsplit

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from markupsafe import escape
from werkzeug.datastructures import MultiDict


def hostile(examples: int) -> settings:
    """Bounded, reproducible runs: the same examples on every run and in CI, no example database.
    The whole property suite stays within about a minute per backend on two cores; a deeper probe
    by hand: HOSTILE_EXAMPLES=500 python -m pytest -m hostile."""
    examples = int(os.environ.get("HOSTILE_EXAMPLES", examples))
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None, print_blob=False,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large, HealthCheck.large_base_example])


# Inputs a person types into; their value comes back when the form does.
TYPED = {"text", "textarea", "date", "number", "email", "tel", "search", "url"}


@dataclass
class FormField:
    name: str
    kind: str  # an input's type, "textarea", "select" or "button"
    choices: list[str] = field(default_factory=list)
    value: str = ""  # what the page shows in it
    maxlength: int | None = None
    decimal: bool = False  # a number shown in the reader's form (a VAS line), not as typed

    @property
    def typed(self) -> bool:
        return self.kind in TYPED


@dataclass
class PageForm:
    action: str
    method: str
    fields: dict[str, FormField] = field(default_factory=dict)


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: FormField | None = None
        self._textarea: FormField | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = PageForm(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is None or not a.get("name") and tag != "option":
            return
        elif tag == "input":
            self._input(a)
        elif tag == "button" and a.get("value") is not None:
            self._add(a["name"], "button").choices.append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = self._add(a["name"], "textarea", maxlength=_int(a.get("maxlength")))
        elif tag == "select":
            self._select = self._add(a["name"], "select")
        elif tag == "option" and self._select is not None:
            self._select.choices.append(a.get("value", ""))

    def _input(self, a: dict[str, str]) -> None:
        kind = a.get("type", "text").lower()
        if kind in ("submit", "reset", "image", "file"):
            return
        found = self._add(a["name"], kind, maxlength=_int(a.get("maxlength")), decimal="data-decimal" in a)
        if kind in ("radio", "checkbox"):
            found.choices.append(a.get("value", "on"))
        else:
            found.value = a.get("value", "")

    def _add(self, name: str, kind: str, **attributes) -> FormField:
        fields = self._form.fields
        if name not in fields:
            fields[name] = FormField(name, kind, **attributes)
        return fields[name]

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def page_forms(html: str) -> list[PageForm]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def fields_posting_to(html: str, page_url: str, post_url: str, method: str = "post") -> dict[str, FormField] | None:
    """Return the fields of the page's forms that send to post_url (all of them, merged), or None
    if no form on the page sends there."""
    target = urlsplit(post_url).path
    found: dict[str, FormField] | None = None
    for form in page_forms(html):
        if form.method == method and urlsplit(form.action or page_url).path == target:
            found = found or {}
            for name, one in form.fields.items():
                found.setdefault(name, one)
    return found


# --- values to attack with ---------------------------------------------------------------

# Issue 12 item 18: injection, numbers a parser chokes on, dates that are no dates, invisible
# and right-to-left characters, emoji, what other programs treat as code.
NASTY = [
    "a\x00b", "\x00", "", " ", "\t\r\n", "\x1b[31mrød\x1b[0m", "\x7f\x08", "\u202eevil\u202c", "\u200f\u200e",
    "\ufeff", "\u2028\u2029", "👍🏽👨‍👩‍👧", "𝕊𝕒𝕞𝕤𝕥𝕖𝕞", "Zalgơ̵̢̗", "Ærø Østergård Åse",
    "'; DROP TABLE cases; --", "' OR '1'='1", "1; SELECT pg_sleep(1)", "\\", "%s%n%x", "{{7*7}}", "${7*7}",
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "</textarea><b>x</b>", "&amp;&lt;",
    "javascript:alert(1)", "../../etc/passwd", "=CMD()", "+45 12 34 56 78", "null", "None", "true", "[]", "{}",
    "6,7", "6.7", "1e309", "-1e309", "NaN", "inf", "-0", "-1", "0", "11", "10.05", "99999999999999999999",
    "2147483648", "-2147483649", "9223372036854775808",  # past PostgreSQL's integer and bigint
    "9" * 5000, "0x1F", "½", "²", "٣", "１２",  # "²" is a digit to str.isdigit(), not to int()
    "31-02-2026", "2026-13-01", "0000-00-00", "9999-12-31", "1-1-1", "29-02-2025", "00-00-0000",
    "0101011234", "010101-1234",  # shaped like a CPR number
]

_CHARACTERS = st.characters(codec="utf-8", exclude_categories=["Cs"])
_LONG_UNITS = ["x", "æ", "👍", "<", "\u202e", " ", "\n", "&"]


def _long(limit: int | None) -> st.SearchStrategy[str]:
    """Text at the field's limit, one over it, and far over it (a field without a limit: long)."""
    lengths = [limit, limit + 1, 3 * limit] if limit else [300, 5000, 60_000]
    return st.builds(lambda unit, n: (unit * n)[:n], st.sampled_from(_LONG_UNITS), st.sampled_from(lengths))


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(NASTY), st.sampled_from(NASTY), st.text(_CHARACTERS, max_size=40))


def _good(one: FormField) -> st.SearchStrategy[str]:
    """A value the field would accept, so the attack reaches the checks behind the first ones."""
    if one.choices:
        return st.sampled_from(one.choices)
    if one.kind == "date":
        return st.just(date.today().isoformat())
    if one.decimal:
        return st.sampled_from(["7,5", "6.7", "3", "10"])
    plain = [one.value] if one.value.strip() else []
    return st.sampled_from([*plain, "Emma går i skole hver dag.", "3", date.today().strftime("%d-%m-%Y")])


def value_for(one: FormField) -> st.SearchStrategy[str]:
    return st.one_of(_good(one), hostile_text())


def _attack(one: FormField) -> st.SearchStrategy[list[str]]:
    """What is sent for one field: nothing, a value, the field several times, or a very long text
    (at the field's limit, one over it, far over it)."""
    return st.one_of(st.lists(hostile_text(), min_size=1, max_size=1), st.just([]),
                     st.lists(value_for(one), min_size=2, max_size=3), st.lists(_long(one.maxlength), min_size=1,
                                                                                 max_size=1))


def _focused(fields: dict[str, FormField]) -> st.SearchStrategy[dict[str, list[str]]]:
    """A form filled in as a person would, with one to three fields attacked: the attack gets past
    the first checks to the ones behind them, and to what stores the answer."""
    good = st.fixed_dictionaries({name: st.lists(_good(one), min_size=1, max_size=1)
                                  for name, one in sorted(fields.items())})
    names = st.lists(st.sampled_from(sorted(fields)), min_size=1, max_size=3, unique=True)
    typed = sorted(name for name, one in fields.items() if one.typed and not one.decimal)
    if typed:  # most often the texts: what a hostile text does once it is stored and shown
        names = st.lists(st.sampled_from(typed), min_size=1, max_size=2, unique=True) | names
    attacked = names.flatmap(lambda chosen: st.fixed_dictionaries({n: _attack(fields[n]) for n in chosen}))
    return st.builds(lambda base, changed: base | changed, good, attacked)


def _chaos(fields: dict[str, FormField]) -> st.SearchStrategy[dict[str, list[str]]]:
    """Every field missing, sent once, or sent several times, with any value."""
    return st.fixed_dictionaries({
        name: st.one_of(st.just([]), st.lists(value_for(one), min_size=1, max_size=1),
                        st.lists(value_for(one), min_size=2, max_size=3))
        for name, one in sorted(fields.items())
    })


def form_data(fields: dict[str, FormField]) -> st.SearchStrategy[MultiDict]:
    """A posted form, mostly as a person would fill it in with a few fields attacked, sometimes
    all of it at random; strange field names besides."""
    values = st.one_of(_focused(fields), _focused(fields), _chaos(fields)) if fields else st.just({})
    stray = st.lists(st.tuples(st.sampled_from(["", "x", "csrf_token", "confirm", "../name", "a" * 300,
                                                "<b>", "\x00"]), hostile_text()), max_size=2)
    return st.builds(_pairs, values, stray)


def _pairs(values: dict[str, list[str]], stray: list[tuple[str, str]]) -> MultiDict:
    return MultiDict([*((name, v) for name, vs in values.items() for v in vs), *stray])


# --- what an answer must show --------------------------------------------------------------

# WTForms' own English messages (app/forms.py hands the known ones to our Danish texts).
_ENGLISH = re.compile(r"Not a valid|This field|Invalid |Field must|Field cannot|Number must|Date must|CSRF"
                      r"|Choices cannot|must be")
_ERROR_CLASSES = {"error", "error-summary"}
_VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr"}
_TAGS = re.compile(r"<[^>]+>")


class _Errors(HTMLParser):
    """The texts of the elements marked as errors (class "error" or "error-summary")."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        if self._depth:
            self._depth += 1
        elif _ERROR_CLASSES & set((dict(attrs).get("class") or "").split()):
            self._depth = 1
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag not in _VOID:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.texts[-1] += data


def error_texts(html: str) -> list[str]:
    parser = _Errors()
    parser.feed(html)
    return [" ".join(text.split()) for text in parser.texts]


def _visible_text(html: str) -> str:
    body = html.split("<main", 1)[-1] if "<main" in html else html
    return _TAGS.sub(" ", body).strip()


def shown_again(value: str) -> str | None:
    """Return how a posted text must appear on the page again, or None if the check does not apply
    (a text with invisible or control characters, which a filter may drop, or only blanks)."""
    if not value.isprintable() or not value.strip():
        return None
    return str(escape(value.strip()))


def check_answer(response, posted: MultiDict, fields: dict[str, FormField], post_url: str,
                 method: str = "post") -> None:
    """Assert what a person sees after sending `posted` to a form of `fields` at post_url."""
    status = response.status_code
    assert status < 500, status
    if 300 <= status < 400:
        return
    assert 400 <= status < 500 or status == 200, status
    html = response.get_data(as_text=True)
    assert _visible_text(html), "an empty page"
    if status == 413:  # over the request limit: the page says what to do (issue 12, item 19)
        assert "Det, du sendte, var for langt. Gå tilbage, og gør teksten kortere." in html
        return
    errors = error_texts(html)
    for text in errors:
        assert text and not _ENGLISH.search(text), f"an error text not in Danish: {text!r}"
    again = fields_posting_to(html, post_url, post_url, method) or {}
    typed_again = {name for name, one in again.items() if one.typed}
    if status >= 400 and not typed_again:
        assert "<h1" in html, "an error page without a heading"
        return
    if not typed_again:
        return
    if method == "post":  # a search (GET) shows its form again with what it found
        assert errors, "the form came back without saying what is wrong"
    _check_kept(html, posted, fields, typed_again)


def _check_kept(html: str, posted: MultiDict, fields: dict[str, FormField], typed_again: set[str]) -> None:
    for name in sorted(typed_again):
        one = fields.get(name)
        values = posted.getlist(name)
        if one is None or not one.typed or not values:
            continue
        expected = shown_again(values[0])
        if expected is None or (one.decimal and _is_number(values[0])):
            continue
        assert expected in html, f"{name}: what was typed is gone: {values[0][:80]!r}"


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"\s*\d{1,2}([.,]\d)?\s*", text))
