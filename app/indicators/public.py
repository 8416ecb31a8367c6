"""The external scorer's page at /r/<token>/form, for invitations in indicator rounds (a public page)."""

from __future__ import annotations

from flask import abort, request
from werkzeug.datastructures import MultiDict

from app.forms import RespondentForm
from app.i18n import current_language
from app.indicators import items, scoring, services
from app.indicators.catalogue import STAFF_ROLES
from app.instruments.blocks import word_problems
from app.invitations.models import Invitation
from app.respond import pages
from app.respond import services as respond
from app.respond.pages import render_page, thank


@pages.register("indicators")
def respondent_form(invitation: Invitation, token: str):
    info = services.indicator_round(invitation.round)
    form = services.form_of(info) if info else None
    if form is None:
        abort(404)
    lang = current_language()
    # Only what this person is asked, in their words (issue 11 item 1).
    person, meeting = invitation.person, invitation.round.meeting
    child = meeting.case.child
    factors = services.asked_factors(info, person.role, services.child_age(meeting), child.first_name if child else "")
    if not factors:
        # A link issued before the form stopped asking this person (a child under 12): nothing to answer.
        return render_page("indicators/respond.html", invitation, token, form=form, scoring=None, errors={},
                           staff=False)
    form_class = items.scoring_form_class(form, factors, lang, RespondentForm, level=form.asks_level(person.role))
    if request.method == "POST":
        filled = form_class()
        if filled.validate():
            # The form has the id and version a Response records, like an instrument.
            answers = items.scoring_answers(filled)
            respond.submit_own(invitation, form, answers, lang, submission=filled.submission.data,
                               written=items.has_text(answers))
            return thank(token)
        status = 400
    else:
        previous = [r for r in invitation.current_responses if r.instrument_id == form.id and not r.declined]
        filled = form_class(formdata=MultiDict(scoring.values_from_answers(previous[0].answers) if previous else {}))
        respond.mark_opened(invitation)
        status = 200
    errors = word_problems(filled, items.wording(lang))
    return render_page("indicators/respond.html", invitation, token, form=form, scoring=filled, errors=errors,
                       csrf_problem="csrf_token" in filled.errors, staff=person.role in STAFF_ROLES), status
