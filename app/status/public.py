"""The provider's status form at /r/<token>/form, for invitations in status rounds (a public page)."""

from __future__ import annotations

from datetime import date

from flask import request
from werkzeug.datastructures import MultiDict

from app.forms import RespondentForm
from app.i18n import current_language
from app.instruments.blocks import word_problems
from app.invitations.models import Invitation
from app.respond import pages
from app.respond import services as respond
from app.respond.pages import render_page, thank
from app.status import items, services


@pages.register("status")
def status_form(invitation: Invitation, token: str):
    goals = services.goals_at(invitation.round)
    child = invitation.round.meeting.case.child
    form_class = items.status_form_class(goals, date.today(), RespondentForm, child.first_name if child else "")
    if request.method == "GET":
        previous = services.current_status(invitation)
        form = form_class(formdata=MultiDict(services.form_values(previous.answers) if previous else {}))
        respond.mark_opened(invitation)
        status = 200
    else:
        # Everything typed comes back on the page, whatever is wrong with it.
        form = form_class()
        if form.validate():
            services.submit(invitation, items.answers_of(form), current_language(), form.submission.data)
            return thank(token)
        word_problems(form, items.word)
        status = 400
    stale = "csrf_token" in form.errors
    return render_page("status/form.html", invitation, token, goals=goals, form=form, stale=stale,
                       today=date.today()), status
