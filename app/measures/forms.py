"""Staff forms: a measure (added or corrected), and its end.

The forms only read what was typed; the rules (the ladder, the lists, dates, overlaps) are
app.measures.services', which the import from the case system shares, and its problems are
shown on the fields they name.
"""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from app.cases.forms import no_cpr
from app.forms import DateField, Form
from app.measures.ladder import Ladder
from app.measures.models import END_NOTE_LIMIT
from app.settings import lists

BLANK = SelectChoice("", "")


def kind_choices(ladder: Ladder, lang: str, keep: str | None = None) -> list[SelectChoice]:
    """The kinds of measure grouped by rung, lowest rung first (an option group each); `keep`, a
    kind the ladder no longer has, stays choosable on the measure that has it."""
    choices = [BLANK]
    if keep and ladder.kind(keep) is None:
        choices.append(SelectChoice(keep, keep))
    for rung in ladder.rungs:
        group = f"{rung.position}. {rung.name(lang)}"
        choices += [SelectChoice(kind.code, kind.name(lang), optgroup=group) for kind in rung.kinds]
    return choices


def _listed(name: str, keep: str | None) -> list[SelectChoice]:
    return [BLANK, *(SelectChoice(code, label) for code, label in lists.choices(name, keep=keep))]


def _text_choice(label, **kwargs) -> SelectField:
    # The service checks the value against the ladder and the lists, with messages naming what is wrong.
    return SelectField(label, choices=[BLANK], validate_choice=False, **kwargs)


class _Ending:
    """The end of a measure: the day, why, and in the case worker's own words."""

    ended_on = DateField(_l("Slutdato"), validators=[Optional()])
    end_reason = _text_choice(_l("Hvorfor sluttede indsatsen?"))
    end_note = TextAreaField(_l("Uddybning (skal udfyldes, hvis grunden er Anden grund)"),
                             validators=[Length(max=END_NOTE_LIMIT), no_cpr])

    def fill_reasons(self, keep: str | None = None) -> None:
        self.end_reason.choices = _listed("measure_end_reason", keep)


class MeasureForm(_Ending, Form):
    kind = _text_choice(_l("Indsats"))
    provider = _text_choice(_l("Udfører"))
    started_on = DateField(_l("Startdato"), validators=[Optional()])
    # The version the page showed, so a change made meanwhile by someone else is not overwritten.
    version = HiddenField()

    def fill_choices(self, ladder: Ladder, lang: str, current=None) -> None:
        self.kind.choices = kind_choices(ladder, lang, keep=current.kind if current else None)
        self.provider.choices = _listed("provider", current.provider if current else None)
        self.fill_reasons(keep=current.end_reason if current else None)

    def fill_from(self, current) -> None:
        for key in ("kind", "provider", "started_on", "ended_on", "end_reason", "end_note"):
            self[key].data = getattr(current, key)
        self.version.data = str(current.number)

    def values(self, ending: bool) -> dict:
        """What was typed, for the service; the end only when the form shows it (a measure that has ended)."""
        keys = ("kind", "provider", "started_on") + (("ended_on", "end_reason", "end_note") if ending else ())
        return {key: self[key].data for key in keys}


class EndForm(_Ending, Form):
    version = HiddenField()

    def values(self) -> dict:
        return {key: self[key].data for key in ("ended_on", "end_reason", "end_note")}
