"""The forms of hand-over mode: starting it, picking who answers, the answer, paper's date, unlocking."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    ValidationError,
)

from app.forms import DateField, Form, SubmissionField, new_submission_id
from app.handover.state import HELP, PAPER
from app.timestamps import local_today


class StartForm(Form):
    """The buttons on a round's hand-out page: answer on this device, or type in from paper."""

    # Set by the button pressed, never typed: a hidden value to the form, checked against the two modes.
    mode = HiddenField(validators=[AnyOf((HELP, PAPER), message=_l("Vælg en af mulighederne."))])


class PickForm(Form):
    """One button per participant; the participant is in the address."""


class EndForm(Form):
    """"Afslut": leave hand-over mode (only while the device is unlocked)."""


class UnlockForm(Form):
    password = PasswordField(_l("Din adgangskode"),
                             validators=[DataRequired(_l("Skriv din adgangskode.")), Length(max=200)])


class AnswerForm(FlaskForm):
    """The base of a participant's form on the device: a submission id, and the session's CSRF
    check (the device is logged in; there is no link in the address to bind it to)."""

    submission = SubmissionField(default=new_submission_id, render_kw={"id": False})


class DeclineForm(AnswerForm):
    """"Jeg vil ikke svare", on the device."""


class PaperForm(AnswerForm):
    """A paper form typed in: the date written on the paper, besides the answers."""

    dated = DateField(_l("Datoen på papiret"), validators=[InputRequired(_l("Skriv datoen på papiret."))])

    def __init__(self, *args, held_on: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.held_on = held_on

    def validate_dated(self, field):
        if field.data is None:
            return
        if field.data > local_today():
            raise ValidationError(_l("Datoen kan ikke ligge efter i dag."))
        if field.data < self.held_on:
            raise ValidationError(_l("Datoen kan ikke ligge før mødet."))
