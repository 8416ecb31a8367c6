"""The provider's status form at /r/<token>/form, for invitations in status rounds."""

from __future__ import annotations

from datetime import date

from flask import request
from flask_wtf import FlaskForm

from app.i18n import current_language
from app.invitations.models import Invitation
from app.respond import pages
from app.respond import services as respond
from app.respond.pages import commit_and_thank, render_page
from app.status import services


class CsrfOnly(FlaskForm):
    """The CSRF check; the status's fields are read and checked by services.validate."""


@pages.register("status")
def status_form(invitation: Invitation, token: str):
    goals = services.goals_at(invitation.round)
    form = CsrfOnly()
    errors: dict[str, str] = {}
    stale = False
    if request.method == "GET":
        previous = services.current_status(invitation)
        values = services.form_values(previous.answers) if previous is not None else {}
        respond.mark_opened(invitation)
        status = 200
    else:
        # Everything typed comes back on the page, whatever is wrong with it.
        values = {key: services.clean(value) for key, value in request.form.items() if key != "csrf_token"}
        answers, errors = services.validate(request.form, goals, date.today())
        if not form.validate():
            stale = True
        elif not errors:
            services.submit(invitation, answers, current_language())
            return commit_and_thank(token)
        status = 400
    return render_page(
        "status/form.html", invitation, token,
        goals=goals, values=values, errors=errors, form=form, stale=stale,
        attainments=services.ATTAINMENTS, goal_texts=services.GOAL_TEXTS, ratings=services.RATINGS,
        goal_field=services.goal_field, today=date.today(),
        limits={"goal": services.GOAL_TEXT_LIMIT, "overall": services.OVERALL_LIMIT,
                "comments": services.COMMENTS_LIMIT, "reason": services.REASON_LIMIT},
    ), status
