"""The analyst's order of an extract: the period, the file format, and free text with its reason."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, StopValidation, ValidationError

from app.cases.forms import no_cpr
from app.forms import DateField, Form

REASON_LIMIT = 1000
FORMAT_LABELS = {
    "xlsx": _l("Et Excel-ark (XLSX) med to faner: svarene og kodebogen"),
    "zip": _l("En ZIP-fil med to CSV-filer: svarene og kodebogen"),
}


class _Day(DateField):
    """A date field where an empty field is no date, not a wrongly written one."""

    def process_formdata(self, valuelist):
        if valuelist and not "".join(valuelist).strip():
            self.data = None
            return
        super().process_formdata(valuelist)


def _required_day(message):
    """Say what is missing when no date was written; a wrongly written one already says how to write it."""

    def check(form, field) -> None:
        if field.data is None and not field.process_errors:
            raise StopValidation(str(message))

    return check


class ExtractForm(Form):
    start = _Day(_l("Fra og med dato"), validators=[_required_day(_l("Skriv den første dag i perioden."))])
    end = _Day(_l("Til og med dato"), validators=[_required_day(_l("Skriv den sidste dag i perioden."))])
    file_format = RadioField(_l("Filformat"), choices=[SelectChoice(code, label) for code, label in FORMAT_LABELS.items()], default="xlsx",
                             validators=[InputRequired(_l("Vælg et filformat."))])
    free_text = BooleanField(_l("Tag fri tekst med"), default=False)
    reason = TextAreaField(_l("Hvorfor har du brug for den frie tekst?"),
                           validators=[Length(max=REASON_LIMIT), no_cpr])

    def validate_reason(self, field) -> None:
        if self.free_text.data and not (field.data or "").strip():
            raise ValidationError(_l("Skriv, hvorfor du har brug for den frie tekst. Grunden gemmes i auditloggen."))
