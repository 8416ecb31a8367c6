"""Observation links: staff make and revoke them; the public page /o/<token> takes observations."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import case_or_abort, case_work_required, get_by_id
from app.cases.models import Case, Goal, Person
from app.extensions import csrf
from app.i18n import current_language
from app.invitations.links import base_url, qr_svg
from app.labels import OBSERVATION_KIND_LABELS
from app.observations import services
from app.observations.forms import NO_GOAL, link_form, observation_form
from app.observations.models import ObservationLink
from app.respond.pages import choose_language, token_failures
from app.respond.services import organisation

bp = Blueprint("observations", __name__)
public = Blueprint("observe", __name__)
# Like the respondent's form: a failed CSRF check keeps what was typed on the page.
csrf.exempt(public)


@bp.app_context_processor
def labels() -> dict:
    return {
        "observation_kind_labels": OBSERVATION_KIND_LABELS,
    }


def observation_url(token: str) -> str:
    """Return the standing link for a token."""
    return base_url() + url_for("observe.report", token=token)


# --- staff -----------------------------------------------------------------------------


@bp.route("/cases/<int:case_id>/observation-links/new", methods=["GET", "POST"])
@case_work_required
def new_link(case_id: int):
    case = case_or_abort(case_id)
    form = link_form(case)
    if not form.is_submitted() and request.args.get("person", "").isdigit():
        form.person.data = int(request.args["person"])
    if form.validate_on_submit():
        person = get_by_id(Person, form.person.data)
        link, token = services.create_link(case, person, current_user)
        url = observation_url(token)
        # Shown once: the token is in this page only, never stored or kept in the session.
        response = current_app.make_response(
            render_template("observations/link_created.html", case=case, link=link, url=url, qr=qr_svg(url))
        )
        response.headers["Cache-Control"] = "no-store"
        return response
    status = 400 if form.is_submitted() else 200
    return render_template("observations/new_link.html", case=case, form=form), status


@bp.route("/cases/<int:case_id>/observation-links/<int:link_id>/revoke", methods=["POST"])
@case_work_required
def revoke_link(case_id: int, link_id: int):
    case = case_or_abort(case_id)
    link = get_by_id(ObservationLink, link_id)
    if link is None or link.case_id != case.id:
        abort(404)
    if services.revoke(link):
        flash(_("Linket til %(name)s virker ikke længere.", name=link.person.first_name), "info")
    return redirect(url_for("cases.show", case_id=case.id, _anchor="observations"))


# --- the public page -------------------------------------------------------------------


def _load(token: str) -> ObservationLink:
    """Return the link; 404 (counted as a failure) for an unknown token."""
    link = services.find_link(token)
    choose_language(link.person if link else None)
    if link is None:
        abort(404)
    return link


def _render(template: str, link: ObservationLink, token: str, status: int = 200, **context):
    case: Case = link.case
    return render_template(
        template,
        token=token,
        link=link,
        child_name=case.child.first_name if case.child else "",
        caseworker_name=case.caseworker.name,
        organisation=organisation(),
        **context,
    ), status


@public.route("/o/<token>", methods=["GET", "POST"])
@token_failures
def report(token: str):
    link = _load(token)
    if link.is_revoked:
        return _render("observations/revoked.html", link, token, 410)
    form = observation_form(link.case)
    if form.validate_on_submit():
        goal = None
        if form.goal.data != NO_GOAL:
            goal = get_by_id(Goal, int(form.goal.data))
        services.submit(link, form.kind.data, form.text.data, goal, current_language())
        return redirect(url_for("observe.thanks", token=token))
    status = 400 if form.is_submitted() else 200
    return _render("observations/report.html", link, token, status, form=form)


@public.route("/o/<token>/thanks")
@token_failures
def thanks(token: str):
    link = _load(token)
    if link.is_revoked:
        return _render("observations/revoked.html", link, token, 410)
    return _render("observations/thanks.html", link, token)
