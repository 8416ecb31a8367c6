"""Dates as a person types them: day, month and year as the browser's date field shows them, or ISO."""

import importlib
from datetime import date
from pathlib import Path

import pytest
import wtforms
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

from app import forms
from app.forms import DATE_MESSAGE, DateField, Form, parse_day

ROOT = Path(__file__).resolve().parent.parent
MESSAGE = "Skriv datoen som dag, måned og år, fx 14-03-2026."

# Issue 11, item 10: a browser without a date picker sends what the person typed, so
# dd-mm-yyyy, dd.mm.yyyy, dd/mm/yyyy and ISO yyyy-mm-dd are all accepted; anything else is refused.
ACCEPTED = [
    ("14-03-2026", date(2026, 3, 14)),
    ("14.03.2026", date(2026, 3, 14)),
    ("14/03/2026", date(2026, 3, 14)),
    ("2026-03-14", date(2026, 3, 14)),  # what a browser with a date picker sends
    ("4-3-2026", date(2026, 3, 4)),  # no leading zeros
    ("4.3.2026", date(2026, 3, 4)),
    (" 14-03-2026 ", date(2026, 3, 14)),  # spaces around
    ("29-02-2028", date(2028, 2, 29)),  # a leap day
    ("31.12.1999", date(1999, 12, 31)),
]
REFUSED = [
    "",
    "   ",
    "14-03-26",  # a two-digit year
    "14/3",  # no year
    "9/3 2026",
    "14-03/2026",  # two different separators
    "2026/03/14",  # the year first only as ISO
    "2026.03.14",
    "31-02-2026",  # no such day
    "29-02-2027",
    "32-01-2026",
    "14-13-2026",  # month 13
    "03-14-2026",  # month first (American)
    "2026-02-30",
    "14032026",
    "22-11-2026x",
    "i går",
    "١٤-٠٣-٢٠٢٦",  # digits of another script
    "14 - 03 - 2026",
]


@pytest.mark.parametrize(("typed", "day"), ACCEPTED)
def test_a_date_typed_day_first_or_iso_is_read(typed, day):
    assert parse_day(typed) == day


@pytest.mark.parametrize("typed", REFUSED)
def test_anything_else_is_no_date(typed):
    assert parse_day(typed) is None


class _Meeting(Form):
    class Meta:
        csrf = False

    held_on = DateField("Dato")


@pytest.mark.parametrize(("typed", "day"), ACCEPTED)
def test_a_staff_date_field_takes_what_was_typed(app, typed, day):
    with app.test_request_context():
        form = _Meeting(formdata=MultiDict({"held_on": typed}))
        assert form.validate() and form.held_on.data == day


@pytest.mark.parametrize("typed", [t for t in REFUSED if t.strip()])
def test_a_staff_date_field_refuses_the_rest_in_words_and_keeps_the_text(app, typed):
    with app.test_request_context():
        form = _Meeting(formdata=MultiDict({"held_on": typed}))
        assert not form.validate()
        assert form.held_on.errors == [MESSAGE]
        assert f'value="{typed}"' in form.held_on()


def test_the_message_names_the_order_the_date_field_shows(app):
    with app.test_request_context():
        assert str(DATE_MESSAGE) == MESSAGE
        with force_locale("en"):
            assert str(DATE_MESSAGE) == "Write the date as day, month and year, e.g. 14-03-2026."


def _staff_form_modules() -> list[str]:
    return sorted(".".join(p.relative_to(ROOT).with_suffix("").parts) for p in (ROOT / "app").rglob("forms.py"))


def test_every_staff_date_field_reads_day_first_dates():
    """Issue 11, item 10: everywhere a date field is, the same dates are read."""
    found = []
    for name in _staff_form_modules():
        module = importlib.import_module(name)
        for form in vars(module).values():
            if isinstance(form, type) and issubclass(form, wtforms.Form) and form.__module__ == name:
                for key, unbound in vars(form).items():
                    if getattr(unbound, "field_class", None) is not None and issubclass(
                            unbound.field_class, wtforms.DateField):
                        found.append((name, form.__name__, key, unbound.field_class))
    assert len(found) >= 6, found
    assert [entry for entry in found if entry[3] is not forms.DateField] == []
