"""Observation links: staff make and revoke them (the public page /o/<token> is in public.py)."""

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
from app.cases.models import Person
from app.forms import confirmed, whole_number
from app.invitations.links import qr_svg
from app.labels import OBSERVATION_KIND_LABELS
from app.observations import services
from app.observations.forms import link_form
from app.observations.links import observation_url
from app.observations.models import ObservationLink

bp = Blueprint("observations", __name__)


@bp.app_context_processor
def labels() -> dict:
    return {
        "observation_kind_labels": OBSERVATION_KIND_LABELS,
    }


# --- staff -----------------------------------------------------------------------------


@bp.route("/cases/<int:case_id>/observation-links/new", methods=["GET", "POST"])
@case_work_required
def new_link(case_id: int):
    case = case_or_abort(case_id)
    form = link_form(case)
    asked_for = whole_number(request.args.get("person"))
    if not form.is_submitted() and asked_for is not None:
        form.person.data = asked_for
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


@bp.route("/cases/<int:case_id>/observation-links/<int:link_id>/revoke", methods=["GET", "POST"])
@case_work_required
def revoke_link(case_id: int, link_id: int):
    """Ask once, then close the link: it works until the case worker has said yes."""
    case = case_or_abort(case_id)
    link = get_by_id(ObservationLink, link_id)
    if link is None or link.case_id != case.id:
        abort(404)
    name = link.person.first_name
    back = url_for("cases.show", case_id=case.id, _anchor="observations")
    if not link.is_revoked and not confirmed():
        return render_template(
            "confirm.html",
            question=_("Vil du lukke linket til %(name)s?", name=name),
            consequence=_("Så virker linket ikke længere. Du kan lave et nyt link bagefter."),
            action=url_for("observations.revoke_link", case_id=case.id, link_id=link.id),
            confirm_label=_("Ja, luk linket"),
            cancel_url=back,
            cancel_label=_("Nej, behold linket"),
        )
    if services.revoke(link):
        flash(_("Linket til %(name)s virker ikke længere.", name=name), "info")
    return redirect(back)
