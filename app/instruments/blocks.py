"""Item types answered as a few fields about one subject: a goal's status, an indicator factor,
its final score, a function level, and the single fields they are made of.

They sit in fields.FIELD_FACTORIES beside the questionnaire types and are built into WTForms the
same way: a factory per type turns an item into a field (a block into a FormField whose fields
are named <key><separator><part>). The area that uses a type says what its subject and choices
are, so the engine knows nothing of goals or indicator forms.

A check here raises a Problem (a code, the subject, the figures), not a sentence: the area words
it in its reader's language (`word_problems`), and pure callers read the codes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from werkzeug.datastructures import MultiDict
from wtforms import Field, Form, FormField, StringField, TextAreaField
from wtforms.validators import StopValidation, ValidationError

from app.forms import parse_day
from app.instruments.catalogue import DONT_KNOW

# Problem codes.
MISSING = "missing"
MALFORMED = "malformed"
TOO_LONG = "too_long"
FORBIDDEN = "forbidden"
GOAL_WORSE = "goal_worse"
FUTURE = "future"
NEEDED = "needed"

Choices = tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Problem:
    """What is wrong with a field, for the area to word."""

    code: str
    subject: Any = None
    limit: int | None = None
    count: int | None = None

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class Part:
    """One field of a block, or a field on its own: a pick among choices, a prose text, a day."""

    name: str
    type: str  # "pick" (radio buttons), "menu" (a drop-down), "prose", "day"
    label: Any = ""
    choices: Choices = ()
    required: bool = False
    limit: int = 0
    rows: int = 4
    # Checked only while the named field of the same form holds this value (else not kept).
    when: tuple[str, str] | None = None
    forbidden: re.Pattern[str] | None = None
    latest: date | None = None  # a day: no later than this
    subject: Any = None
    # A blank answer is a problem while the named field of the same form has a valid answer.
    needed_with: str | None = None

    @property
    def key(self) -> str:
        return self.name


@dataclass(frozen=True)
class Block:
    """An item answered as several fields about one subject (a goal, a factor)."""

    type: str  # "goal_status", "factor", "final_factor"
    key: str
    subject: Any
    title: str = ""
    label: Any = ""  # the question of the status (or attainment)
    choices: Choices = ()  # what the status (or attainment) may be
    goal_label: Any = ""
    goal_choices: Choices = ()  # what a goal may be; empty = the block asks no goal
    texts: tuple[Part, ...] = ()
    separator: str = "-"
    # Tells whether a goal may go with a status (both whole steps); None = any.
    goal_allowed: Callable[[int, int], bool] | None = None
    # final_factor: a set status needs the first text (the scorers disagree).
    needs_text: bool = False


def clean(value: Any) -> Any:
    """Drop NUL, count a browser's CRLF as one line break, trim."""
    return value.replace("\x00", "").replace("\r\n", "\n").strip() if isinstance(value, str) else value


class PartField(Field):
    """A posted string kept as typed (after `clean`), so a wrong value is shown again."""

    def __init__(self, *args: Any, part: Part, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.part = part
        self.choices = part.choices

    def process_data(self, value: Any) -> None:
        self.data = "" if value is None else str(value)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = clean(str(valuelist[0])) if valuelist else ""

    def _value(self) -> str:
        return self.data or ""


class ProseField(PartField, TextAreaField):
    """A text of several lines with a length limit the page also states (maxlength)."""


class DayField(PartField, StringField):
    """A date: yyyy-mm-dd from a browser's date picker, or as a person typed it where there is
    none (day, month, year: app.forms.parse_day). Shown again as typed; stored as `iso`."""

    @property
    def iso(self) -> str:
        day = parse_day(self.data)
        return day.isoformat() if day else self.data or ""


def _active(form: Form, part: Part) -> bool:
    return part.when is None or form[part.when[0]].data == part.when[1]


def _check_part(form: Form, field: PartField) -> None:
    part = field.part
    if not _active(form, part):
        raise StopValidation()
    value = field.data
    if not value:
        if part.required:
            raise StopValidation(Problem(MISSING, part.subject))
        if part.needed_with and form[part.needed_with].data and not form[part.needed_with].errors:
            raise StopValidation(Problem(NEEDED, part.subject))
        raise StopValidation()
    if part.choices and value not in {str(v) for v, _ in part.choices}:
        raise StopValidation(Problem(MALFORMED, part.subject))
    if part.limit and len(value) > part.limit:
        raise StopValidation(Problem(TOO_LONG, part.subject, part.limit, len(value)))
    if part.forbidden is not None and part.forbidden.search(value):
        raise StopValidation(Problem(FORBIDDEN, part.subject))
    if part.type == "day":
        _check_day(part, value)


def _check_day(part: Part, value: str) -> None:
    day = parse_day(value)
    if day is None:
        raise StopValidation(Problem(MALFORMED, part.subject))
    if part.latest is not None and day > part.latest:
        raise StopValidation(Problem(FUTURE, part.subject))


def _part_field(part: Part, validators: Sequence[Any] = ()) -> Any:
    kwargs: dict[str, Any] = {}
    if part.type == "prose":
        kwargs["render_kw"] = {"rows": part.rows, "maxlength": part.limit}
    elif part.type == "day" and part.latest is not None:
        kwargs["render_kw"] = {"max": part.latest.isoformat()}
    field_class = {"prose": ProseField, "day": DayField}.get(part.type, PartField)
    return field_class(part.label, [_check_part, *validators], part=part, **kwargs)


def _step(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) <= 2 else None


def _goal_check(block: Block, *, needs_status: bool) -> Callable[[Form, Field], None]:
    """A goal goes with a status that allows it; on a final score, a goal needs a status."""

    def check(form: Form, field: Field) -> None:
        status = form["status"]
        if not field.data or field.data == DONT_KNOW or status.errors:
            return
        if not status.data:
            if needs_status:
                raise ValidationError(Problem(MISSING, block.subject))
            return
        status_step, goal_step = _step(status.data), _step(field.data)
        if block.goal_allowed and status_step is not None and goal_step is not None \
                and not block.goal_allowed(status_step, goal_step):
            raise ValidationError(Problem(GOAL_WORSE, block.subject))

    return check


def _subform(block: Block, fields: dict[str, Any]) -> Any:
    fields = {"block": block, **fields}
    return FormField(type(f"{block.key}-block", (Form,), fields), label=block.title, separator=block.separator)


def _goal_status(block: Block, validators: Sequence[Any] = (), lang: str = "") -> Any:
    fields = {"attainment": _part_field(Part("attainment", "pick", block.label, block.choices, required=True,
                                             subject=block.subject))}
    fields.update({t.name: _part_field(t) for t in block.texts})
    return _subform(block, fields)


def _factor(block: Block, validators: Sequence[Any] = (), lang: str = "") -> Any:
    fields = {"status": _part_field(Part("status", "pick", block.label, block.choices, required=True,
                                         subject=block.subject))}
    if block.goal_choices:
        goal = Part("goal", "pick", block.goal_label, block.goal_choices, subject=block.subject)
        fields["goal"] = _part_field(goal, [_goal_check(block, needs_status=False)])
    fields.update({t.name: _part_field(t) for t in block.texts})
    return _subform(block, fields)


def _final_factor(block: Block, validators: Sequence[Any] = (), lang: str = "") -> Any:
    fields = {"status": _part_field(Part("status", "menu", block.label, block.choices, subject=block.subject))}
    if block.goal_choices:
        goal = Part("goal", "menu", block.goal_label, block.goal_choices, subject=block.subject)
        fields["goal"] = _part_field(goal, [_goal_check(block, needs_status=True)])
    for number, text in enumerate(block.texts):
        # The first text is the rationale a set status needs where the scorers disagree.
        needed = number == 0 and block.needs_text
        fields[text.name] = _part_field(replace(text, needed_with="status") if needed else text)
    return _subform(block, fields)


def _single(part: Part, validators: Sequence[Any] = (), lang: str = "") -> Any:
    return _part_field(part, validators)


BLOCK_FACTORIES: dict[str, Callable[..., Any]] = {
    "pick": _single,
    "menu": _single,
    "level": _single,
    "prose": _single,
    "day": _single,
    "goal_status": _goal_status,
    "factor": _factor,
    "final_factor": _final_factor,
}


def read(form_class: type[Form], data: Mapping[str, Any]) -> Form:
    """Return the form filled from posted-like data (a mapping, or a MultiDict) and validated."""
    form = form_class(formdata=data if isinstance(data, MultiDict) else MultiDict(data))
    form.validate()
    return form


def all_fields(form: Form) -> Iterator[Field]:
    """Yield every field of the form, subforms' fields in place of the subform, in order."""
    for field in form:
        if isinstance(field, FormField):
            yield from all_fields(field.form)
        else:
            yield field


def problems(form: Form) -> dict[str, Problem]:
    """Return each field's first problem by field name."""
    return {f.name: f.errors[0] for f in all_fields(form) if f.errors and isinstance(f.errors[0], Problem)}


def word_problems(form: Form, word: Callable[[Field, Problem], str]) -> dict[str, str]:
    """Put each problem in words on its field; return the words by field name, in page order."""
    found: dict[str, str] = {}
    for field in all_fields(form):
        if field.errors and field.type != "CSRFTokenField":  # a stale page is said apart
            field.errors = [word(field, e) if isinstance(e, Problem) else str(e) for e in field.errors]
            found[field.name] = field.errors[0]
    return found
