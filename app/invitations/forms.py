"""The form in which the case worker confirms or changes the proposed forms."""

from wtforms.fields.choices import SelectChoice

from app.cases.forms import MultiCheckboxField
from app.cases.models import Meeting
from app.forms import Form
from app.instruments import Catalogue, Instrument, for_feedback
from app.settings.catalogue import active_questionnaire


def field_name(person_id: int) -> str:
    return f"person_{person_id}"


def choices_for(catalogue: Catalogue, role: str, fit_exempt: bool) -> list[Instrument]:
    """Return the forms a person in this role can be given at all."""
    return [
        i
        for i in catalogue.all()
        if for_feedback(i) and any(role in a.roles for a in i.audiences) and not (fit_exempt and i.is_fit)
    ]


def proposal_form_class(meeting: Meeting, catalogue: Catalogue, lang: str) -> type[Form]:
    """Build a form with one set of checkboxes per participant."""
    fields = {}
    for person in meeting.participants:
        # A form the organisation deactivated is offered no more (issue 13).
        options = [i for i in choices_for(catalogue, person.role, person.fit_exempt) if active_questionnaire(i)]
        fields[field_name(person.id)] = MultiCheckboxField(
            person.first_name, choices=[SelectChoice(i.id, i.staff_label(lang)) for i in options]
        )
    return type("ProposalForm", (Form,), fields)
