"""The external scorer's page at /r/<token>/form, for invitations in indicator rounds (a public page)."""

from __future__ import annotations

from flask import abort, request
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from app.i18n import current_language
from app.indicators import items, scoring, services
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
    form_class = items.scoring_form_class(form, services.factors_of(info), lang, FlaskForm)
    if request.method == "POST":
        filled = form_class()
        if filled.validate():
            # The form has the id and version a Response records, like an instrument.
            respond.submit_own(invitation, form, items.scoring_answers(filled), lang)
            return thank(token)
        status = 400
    else:
        previous = [r for r in invitation.current_responses if r.instrument_id == form.id and not r.declined]
        filled = form_class(formdata=MultiDict(scoring.values_from_answers(previous[0].answers) if previous else {}))
        respond.mark_opened(invitation)
        status = 200
    errors = word_problems(filled, items.wording(lang))
    return render_page("indicators/respond.html", invitation, token, form=form, scoring=filled, errors=errors,
                       csrf_problem="csrf_token" in filled.errors), status
