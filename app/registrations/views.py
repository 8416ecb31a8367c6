"""Staff pages: a meeting's follow-up page, phone follow-ups, method registration."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.auth.access import (
    case_or_abort,
    case_work_required,
    get_by_id,
    meeting_or_abort,
    method_registration_or_abort,
)
from app.cases import background, closure
from app.cases.models import Meeting, Person
from app.extensions import db
from app.labels import (
    METHOD_LABELS,
    METHOD_OUTCOME_LABELS,
    METHOD_STATUS_LABELS,
    OCCASION_LABELS,
    STARTED_LABELS,
)
from app.registrations import services
from app.registrations.forms import MethodForm, PhoneFollowUpForm
from app.settings import lists

bp = Blueprint("registrations", __name__)


@bp.app_context_processor
def labels() -> dict:
    return {
        "started_labels": STARTED_LABELS,
        "method_labels": METHOD_LABELS,
        "method_outcome_labels": METHOD_OUTCOME_LABELS,
        "method_status_labels": METHOD_STATUS_LABELS,
        "occasion_labels": OCCASION_LABELS,
    }


def _meeting_url(meeting: Meeting) -> str:
    return url_for("registrations.meeting", meeting_id=meeting.id)


def _saved_call(reached: bool, stored: bool) -> str:
    if not stored:
        return _("Der var ingen ændringer at gemme.")
    if reached:
        return _("Opkaldet er registreret.")
    return _("Forsøget er registreret. Du fik ikke fat i forælderen, så opkaldet er stadig på listen over det, du skal nå.")


@bp.route("/meetings/<int:meeting_id>/registrations")
@case_work_required
def meeting(meeting_id: int):
    meeting = meeting_or_abort(meeting_id)
    today = date.today()
    meeting.case.people  # noqa: B018  (the child's name in the heading, and each parent, in one query)
    calls = {p.id: services.phone_history(meeting, p) for p in services.parents_at(meeting)}
    recorded = [row for history in calls.values() for row in history]
    due = {(d.meeting.id, d.person.id): d for d in services.follow_ups_due_from([meeting], recorded, today)}
    takes_method = services.takes_method_registration(meeting)
    method_history = services.method_history(meeting) if takes_method else []
    for registration in method_history:
        registration.registered_by  # noqa: B018  (named under the registration)
    return render_template(
        "registrations/meeting.html",
        meeting=meeting,
        case=meeting.case,
        phone=services.needs_phone_follow_up(meeting.kind),
        due=due,
        calls=calls,
        due_on=services.phone_follow_up_due(meeting.held_on),
        takes_method=takes_method,
        method_history=method_history,
        list_labels=_list_labels() if method_history else {},
        today=today,
    )


@bp.route("/meetings/<int:meeting_id>/phone-follow-ups/<int:person_id>", methods=["GET", "POST"])
@case_work_required
def phone_follow_up(meeting_id: int, person_id: int):
    meeting = meeting_or_abort(meeting_id)
    person = get_by_id(Person, person_id)
    if person is None or person.case_id != meeting.case_id or not services.takes_phone_follow_up(meeting, person):
        abort(404)
    history = services.phone_history(meeting, person)
    current = history[-1] if history else None
    form = PhoneFollowUpForm()
    problem, status = None, 200
    if form.is_submitted():
        status = 400
        if form.validate():
            try:
                _recorded, stored = services.record_phone_follow_up(meeting, person, current_user, form.values)
            except IntegrityError:
                db.session.rollback()
                problem, status = _("Opkaldet er lige blevet registreret af en anden. Se den nedenfor, og ret den, hvis det er nødvendigt."), 409
            else:
                flash(_saved_call(form.values["reached"], stored), "info")
                return redirect(_meeting_url(meeting))
    elif current is not None and current.reached:
        # A call that reached the parent is corrected here; after one that did not, the form is the next call.
        form.reached.data = "yes"
        form.started.data = current.started
        form.helps.data = str(current.helps) if current.helps else None
        form.notes.data = current.notes
    history = services.phone_history(meeting, person)
    return render_template(
        "registrations/phone.html", meeting=meeting, case=meeting.case, person=person, form=form,
        history=history, correcting=bool(history) and history[-1].reached,
        attempts=services.attempts_in(history),
        due_on=services.phone_follow_up_due(meeting.held_on), problem=problem,
    ), status



def _closure_message(recorded) -> str | None:
    """What the registration means for the case's closing (issue 12 item 14)."""
    if recorded.outcome == "closed":
        return _("Sagen står som lukket. Dens åbne links virker ikke længere.")
    if recorded.corrects is not None and recorded.corrects.outcome == "closed" and closure.open_closure(recorded.case):
        return _("Sagen er stadig lukket. Genåbn den på sagens side, hvis den ikke skulle være lukket.")
    return None


def _store(form: MethodForm, store) -> tuple[str | None, int, bool]:
    """Validate and store the form through `store(values)`; returns (problem, status, stored)."""
    if not form.validate():
        return None, 400, False
    try:
        recorded, stored = store(form.values)
    except IntegrityError:
        db.session.rollback()
        return _("Metoden er lige blevet registreret af en anden. Se registreringen nedenfor, og ret den, hvis det er "
                 "nødvendigt."), 409, False
    except (closure.ClosureError, services.RegistrationError) as error:  # e.g. "closed" after a meeting not held yet
        db.session.rollback()
        return str(error), 409, False
    flash(_("Metoden er registreret.") if stored else _("Der var ingen ændringer at gemme."), "info")
    if stored and (said := _closure_message(recorded)):
        flash(said, "info")
    return None, 302, True


def _method_page(form, case, history, problem, status, meeting=None, registration=None):
    return render_template(
        "registrations/method.html", meeting=meeting, case=case, form=form, history=history, problem=problem,
        registration=registration, list_labels=_list_labels(),
    ), status


def _list_labels() -> dict:
    """The names of the list codes a registration shows, in the reader's language (built before rendering)."""
    return {name: lists.names(name) for name in ("target_group", "case_type", "method_failure_reason")}


def _preselect_background(form: MethodForm, case) -> None:
    """Pre-select target group and case type from the case's background, when it is set (issue 14 item 3)."""
    current = background.current_background([case.id]).get(case.id)
    if current is not None:
        form.target_group.data = current.target_group if lists.known("target_group", current.target_group) else None
        form.case_type.data = current.case_type if lists.known("case_type", current.case_type) else None


@bp.route("/meetings/<int:meeting_id>/method", methods=["GET", "POST"])
@case_work_required
def method(meeting_id: int):
    meeting = meeting_or_abort(meeting_id)
    if not services.takes_method_registration(meeting):
        abort(404)
    history = services.method_history(meeting)
    form = MethodForm(stored=history[-1] if history else None)
    problem, status = None, 200
    if form.is_submitted():
        problem, status, stored = _store(form, lambda values: services.register_method(meeting, current_user, values))
        if stored:
            return redirect(_meeting_url(meeting))
    elif history:
        form.fill_from(history[-1])
    else:
        form.method.data = meeting.kind
        form.child_took_part.data = "yes" if any(p.role == "child" for p in meeting.participants) else None
        form.parents_took_part.data = "yes" if services.parents_at(meeting) else None
        _preselect_background(form, meeting.case)
    history = services.method_history(meeting)
    return _method_page(form, meeting.case, history, problem, status, meeting=meeting)


def _case_registrations_url(case) -> str:
    return url_for("cases.show", case_id=case.id, _anchor="registrations")


@bp.route("/cases/<int:case_id>/methods/new", methods=["GET", "POST"])
@case_work_required
def new_without_meeting(case_id: int):
    """A method offered and not used, or attempted and failed, with no meeting (FIGURES.md K2)."""
    case = case_or_abort(case_id)
    form = MethodForm(with_date=True)
    form.status.choices = [c for c in form.status.choices if c.value != "held"]
    problem, status = None, 200
    if form.is_submitted():
        problem, status, stored = _store(
            form, lambda values: services.register_without_meeting(case, current_user, values))
        if stored:
            return redirect(_case_registrations_url(case))
    else:
        _preselect_background(form, case)
    return _method_page(form, case, [], problem, status)


@bp.route("/cases/<int:case_id>/methods/<int:registration_id>", methods=["GET", "POST"])
@case_work_required
def correct_without_meeting(case_id: int, registration_id: int):
    """Correct a registration without a meeting; the earlier one stays in the history."""
    case = case_or_abort(case_id)
    registration = method_registration_or_abort(case, registration_id)
    if registration.meeting_id is not None:
        return redirect(url_for("registrations.method", meeting_id=registration.meeting_id))
    history = services.line_of(registration)
    current = history[-1]
    form = MethodForm(stored=current, with_date=True)
    form.status.choices = [c for c in form.status.choices if c.value != "held"]
    problem, status = None, 200
    if form.is_submitted():
        problem, status, stored = _store(
            form, lambda values: services.register_without_meeting(case, current_user, values, corrects=current))
        if stored:
            return redirect(_case_registrations_url(case))
    else:
        form.fill_from(current)
    return _method_page(form, case, services.line_of(current), problem, status, registration=current)
