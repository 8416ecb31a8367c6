"""The public observation page /o/<token>: a network member reports what they saw. No login, no staff data."""

from flask import Blueprint, abort, redirect, request, url_for

from app.extensions import csrf
from app.i18n import current_language
from app.observations import services
from app.observations.forms import observation_form
from app.observations.models import ObservationLink
from app.respond import notices
from app.respond.pages import choose_language, render_public, token_failures

public = Blueprint("observe", __name__)
# Like the respondent's form: a failed CSRF check keeps what was typed on the page.
csrf.exempt(public)


def _load(token: str) -> ObservationLink:
    """Return the link; 404 (counted as a failure) for an unknown token."""
    link = services.find_link(token)
    choose_language(link.person if link else None, link)
    if link is None:
        abort(404)
    return link


def _render(template: str, link: ObservationLink, token: str, status: int = 200, **context):
    return render_public(template, link.case, token, link=link, **context), status


@public.errorhandler(services.LinkRevoked)
def link_revoked(error: services.LinkRevoked):
    return _render("observations/revoked.html", error.link, request.view_args["token"], 410)


@public.route("/o/<token>", methods=["GET", "POST"])
@token_failures
def report(token: str):
    link = _load(token)
    if link.is_revoked:
        raise services.LinkRevoked(link)
    form = observation_form(link.case)
    if form.validate_on_submit():
        # The form accepts only the case's open goals (or none), which it has loaded already.
        goal = next((g for g in link.case.open_goals if str(g.id) == form.goal.data), None)
        services.submit(link, form.kind.data, form.text.data, goal, current_language(), form.submission.data)
        return redirect(url_for("observe.thanks", token=token))
    status = 400 if form.is_submitted() else 200
    return _render("observations/report.html", link, token, status, form=form,
                   notification_url=notices.notification_url())


@public.route("/o/<token>/thanks")
@token_failures
def thanks(token: str):
    link = _load(token)
    if link.is_revoked:
        raise services.LinkRevoked(link)
    return _render("observations/thanks.html", link, token)
