"""Staff page: the case worker's goal attainment at a follow-up meeting, beside the provider's."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.attainment import services
from app.attainment.forms import attainment_form, field_name
from app.auth.access import case_work_required, meeting_or_abort
from app.extensions import db
from app.labels import CASEWORKER_ATTAINMENT_LABELS

bp = Blueprint("attainment", __name__)


@bp.app_context_processor
def labels() -> dict:
    return {"caseworker_attainment_labels": CASEWORKER_ATTAINMENT_LABELS,
            "attainment_meeting_kinds": services.ATTAINMENT_MEETING_KINDS}


@bp.route("/meetings/<int:meeting_id>/attainment", methods=["GET", "POST"])
@case_work_required
def meeting(meeting_id: int):
    meeting = meeting_or_abort(meeting_id)
    if not services.takes_attainment(meeting):
        abort(404)
    today = date.today()
    rows = services.page_rows(meeting)
    form = attainment_form([row.goal for row in rows], {row.goal.id: row.current.attainment for row in rows if row.current})
    problem, status = None, 200
    if form.is_submitted():
        status = 400
        if form.validate():
            try:
                stored = services.record(meeting, current_user, form.values, today)
            except services.AttainmentError as error:
                db.session.rollback()
                problem, status = str(error), 409
            except IntegrityError:
                db.session.rollback()
                problem, status = _("Målene er lige blevet vurderet af en anden. Se vurderingerne nedenfor, og ret dem, "
                                    "hvis det er nødvendigt."), 409
            else:
                flash(_("Vurderingen er gemt.") if stored else _("Der var ingen ændringer at gemme."), "info")
                return redirect(url_for("attainment.meeting", meeting_id=meeting.id))
        if status == 409:
            rows = services.page_rows(meeting)
    return render_template("attainment/meeting.html", meeting=meeting, case=meeting.case, rows=rows, form=form,
                           field_name=field_name, problem=problem, held=meeting.held_on <= today,
                           status_asked=services.status_asked(meeting)), status
