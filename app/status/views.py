"""Staff pages: ask for a status, ask for wishes before a meeting, send a link by e-mail or SMS."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.auth.access import (
    case_or_abort,
    case_work_required,
    invitation_or_abort,
    meeting_or_abort,
)
from app.cases.models import Meeting
from app.extensions import db
from app.labels import (
    ATTAINMENT_LABELS,
    MEETING_KIND_LABELS,
    NOT_SENT_LABELS,
    OUTBOX_STATE_LABELS,
    RECIPIENT_STATUS_LABELS,
    ROLE_LABELS,
)
from app.status import sending, services, wishes
from app.status.forms import NEW, SeeHappenForm, StatusRequestForm

bp = Blueprint("status", __name__)


@bp.app_context_processor
def labels() -> dict:
    return {
        "attainment_labels": ATTAINMENT_LABELS,
        "recipient_status_labels": RECIPIENT_STATUS_LABELS,
        "outbox_state_labels": OUTBOX_STATE_LABELS,
        "not_sent_labels": NOT_SENT_LABELS,
    }


def _meeting_label(meeting: Meeting) -> str:
    return f"{MEETING_KIND_LABELS[meeting.kind]} {format_date(meeting.held_on, 'd. MMMM yyyy')}"


@bp.route("/cases/<int:case_id>/status/new", methods=["GET", "POST"])
@case_work_required
def new_request(case_id: int):
    case = case_or_abort(case_id)
    today = date.today()
    if not case.open_goals:
        # A goal-less status request: there would be nothing to write a status about.
        return render_template("status/no_goals.html", case=case), 409 if _posted() else 200
    planned = services.planned_meetings(case, today)
    people = services.recipients(case)
    form = StatusRequestForm()
    form.meeting.choices = [SelectChoice(str(m.id), _meeting_label(m)) for m in planned] + [
        SelectChoice(NEW, _("Et nyt opfølgningsmøde"))]
    form.meeting_dates = {str(m.id): m.held_on for m in planned}
    form.recipients.choices = [SelectChoice(p.id, f"{p.first_name} ({ROLE_LABELS[p.role]})" + (f", {p.email}" if p.email else ""))
                               for p in people]
    if not form.is_submitted():
        form.meeting.data = str(planned[0].id) if planned else NEW
        form.recipients.data = [p.id for p in people if p.email]
    problem, no_email, status = None, [], 200
    if form.is_submitted():
        status = 400
        if form.validate():
            chosen = [p for p in people if p.id in set(form.recipients.data)]
            no_email = [p for p in chosen if not p.email]
            if not no_email:
                meeting = None if form.meeting.data == NEW else next(m for m in planned if str(m.id) == form.meeting.data)
                try:
                    round_, _tokens = services.request_status(
                        case, current_user, meeting=meeting, new_meeting_on=form.new_meeting_on.data,
                        due_on=form.due_on.data, people=chosen)
                except services.StatusRequestError as error:
                    db.session.rollback()
                    problem, status = str(error), 409
                else:
                    flash(_("Anmodningen om status er lagt i udbakken og sendes på e-mail."), "info")
                    return redirect(url_for("invitations.show", round_id=round_.id))
    return render_template("status/request.html", case=case, form=form, people=people, no_email=no_email,
                           problem=problem), status


def _posted() -> bool:
    return request.method == "POST"


@bp.route("/meetings/<int:meeting_id>/wishes/new", methods=["GET", "POST"])
@case_work_required
def ask_wishes(meeting_id: int):
    meeting = meeting_or_abort(meeting_id)
    today = date.today()
    form = SeeHappenForm()
    form.participants.choices = [SelectChoice(p.id, f"{p.first_name} ({ROLE_LABELS[p.role]})") for p in meeting.participants]
    # A child too young for the form is not ticked, and the page says why (issue 11 item 6).
    not_asked = {p.id: reason for p in meeting.participants for reason in wishes.not_asked(meeting, [p])}
    if not form.is_submitted():
        form.participants.data = [p.id for p in meeting.participants if p.id not in not_asked]
    problem, status = None, 200
    if meeting.held_on < today:
        problem, status = _("Mødet er holdt. Spørg om ønsker før et møde, der ligger forude."), (409 if _posted() else 200)
    elif form.is_submitted():
        status = 400
        if form.validate():
            chosen = [p for p in meeting.participants if p.id in set(form.participants.data)]
            try:
                round_, _tokens = wishes.ask(meeting, current_user, chosen, today)
            except wishes.WishesError as error:
                db.session.rollback()
                problem, status = str(error), 409
            else:
                flash(_("Linkene er klar. Del dem med QR-kode, på papir, e-mail eller SMS."), "info")
                return redirect(url_for("invitations.show", round_id=round_.id))
    return render_template("status/ask_wishes.html", meeting=meeting, case=meeting.case, form=form,
                           problem=problem, today=today, not_asked=list(not_asked.values())), status


@bp.route("/meetings/<int:meeting_id>/wishes")
@case_work_required
def wishes_list(meeting_id: int):
    meeting = meeting_or_abort(meeting_id)
    return render_template("status/wishes.html", meeting=meeting, case=meeting.case, wishes=wishes.wish_list(meeting),
                           today=date.today())


@bp.route("/invitations/<int:invitation_id>/send-email", methods=["POST"])
@case_work_required
def send_email(invitation_id: int):
    return _send(invitation_id, "email")


@bp.route("/invitations/<int:invitation_id>/send-sms", methods=["POST"])
@case_work_required
def send_sms(invitation_id: int):
    return _send(invitation_id, "sms")


@bp.route("/invitations/<int:invitation_id>/remind", methods=["POST"])
@case_work_required
def remind(invitation_id: int):
    return _send(invitation_id, None)


def _send(invitation_id: int, channel: str | None):
    """Queue the link by the channel asked, or (None) as a reminder the way it went first."""
    invitation = invitation_or_abort(invitation_id)
    name = invitation.person.first_name
    try:
        if channel is None:
            sending.remind(invitation)
        else:
            sending.send(invitation, channel)
    except sending.SendError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        # The same link as shown and printed: those go on working.
        flash(_("Påmindelsen til %(name)s er lagt i udbakken, med det samme link som før.", name=name) if channel is None
              else _("Beskeden til %(name)s er lagt i udbakken. Den har det samme link som QR-koden og det printede ark.",
                     name=name), "info")
    return redirect(url_for("invitations.show", round_id=invitation.round_id, _anchor="sending"))
