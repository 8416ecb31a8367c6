"""Staff forms: asking for a status, asking for wishes before a meeting."""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.validators import Optional

from app.cases.forms import MultiCheckboxField
from app.forms import DateField, Form

NEW = "new"


class StatusRequestForm(Form):
    meeting = RadioField(_l("Hvilket møde er statussen til?"), choices=[])
    new_meeting_on = DateField(_l("Dato for nyt opfølgningsmøde"), validators=[Optional()])
    due_on = DateField(_l("Frist for status"), validators=[Optional()])
    recipients = MultiCheckboxField(_l("Hvem skal skrive status?"), coerce=int)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Meeting choice value -> its date; set by the view with the choices.
        self.meeting_dates: dict[str, date] = {}

    def validate(self, extra_validators=None) -> bool:
        """Check each field, then how they fit together: the due date lies from today to the meeting."""
        ok = super().validate(extra_validators)
        today = date.today()
        if not self.meeting.data or self.meeting.data == "None":
            self.meeting.errors = [_l("Vælg et møde, eller vælg at oprette et nyt opfølgningsmøde.")]
            ok = False
        meeting_on = self.meeting_dates.get(self.meeting.data)
        if self.meeting.data == NEW and not self.new_meeting_on.errors:
            meeting_on = self.new_meeting_on.data
            if meeting_on is None:
                self.new_meeting_on.errors = [_l("Skriv datoen for det nye opfølgningsmøde.")]
                ok = False
            elif meeting_on < today:
                self.new_meeting_on.errors = [_l("Mødet kan ikke ligge før i dag.")]
                ok = False
        if not self.due_on.errors:
            due = self.due_on.data
            if due is None:
                self.due_on.errors = [_l("Skriv en frist for statussen.")]
                ok = False
            elif due < today:
                self.due_on.errors = [_l("Fristen kan ikke ligge før i dag.")]
                ok = False
            elif meeting_on is not None and due > meeting_on:
                self.due_on.errors = [_l("Fristen skal ligge senest på mødedagen.")]
                ok = False
        if not self.recipients.errors and not self.recipients.data:
            self.recipients.errors = [_l("Vælg mindst én modtager.")]
            ok = False
        return ok


class SeeHappenForm(Form):
    participants = MultiCheckboxField(_l("Hvem skal spørges?"), coerce=int)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not self.participants.errors and not self.participants.data:
            self.participants.errors = [_l("Vælg mindst én deltager.")]
            ok = False
        return ok
