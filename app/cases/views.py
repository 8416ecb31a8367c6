"""Staff pages for cases, their people, meetings and the action plan's goals."""

import json
from datetime import date

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    url_for,
)
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from app.auth.access import (
    case_or_abort,
    case_work_required,
    goal_or_abort,
    listed,
    person_or_abort,
    stood_in_for,
)
from app.cases import background, closure, export, services
from app.cases.forms import (
    BackgroundForm,
    CaseForm,
    CloseForm,
    GoalForm,
    MeetingForm,
    PersonForm,
    ReopenForm,
)
from app.cases.models import Case, Person
from app.cases.page import build_case_page
from app.extensions import db
from app.forms import whole_number
from app.i18n import LANGUAGE_NAMES
from app.instruments import METHOD_MEETING_KINDS
from app.labels import MEETING_KIND_LABELS, ROLE_LABELS
from app.pdf import render_pdf
from app.settings import lists

bp = Blueprint("cases", __name__)


@bp.route("/")
@login_required
def index():
    if not current_user.works_with_cases:
        return render_template("cases/no_case_access.html")
    cases = listed(db.session.scalars(services.visible_cases(current_user)).all(), "cases")
    # A team leader's home also leads to each case worker's due list.
    team = services.team_case_workers(current_user.team_id) if current_user.has_role("team_leader") else []
    closed = closure.closed_case_ids([case.id for case in cases])
    return render_template("cases/index.html", cases=cases, team=team, closed=closed,
                           standing_in=stood_in_for(current_user), may_give_stand_ins=current_user.has_role("team_leader"))


@bp.route("/cases/new", methods=["GET", "POST"])
@case_work_required
def new_case():
    form = CaseForm()
    if form.validate_on_submit():
        case = services.create_case(
            current_user, form.child_first_name.data, form.child_birth_year.data, form.external_ref.data
        )
        return redirect(url_for("cases.show", case_id=case.id))
    return render_template("cases/new.html", form=form)


@bp.route("/cases/<int:case_id>")
@case_work_required
def show(case_id: int):
    case = case_or_abort(case_id)
    today = date.today()
    return render_template("cases/show.html", page=build_case_page(case, today), today=today)


def _person_form(obj: Person | None = None) -> PersonForm:
    form = PersonForm(obj=obj)
    form.language.choices = [SelectChoice(code, LANGUAGE_NAMES[code])
                             for code in current_app.config["RESPONDENT_LANGUAGES"]]
    if obj is not None and not form.is_submitted():
        form.fit_exempt.data = obj.fit_exempt
    return form


@bp.route("/cases/<int:case_id>/people/new", methods=["GET", "POST"])
@case_work_required
def new_person(case_id: int):
    case = case_or_abort(case_id)
    form = _person_form()
    if form.validate_on_submit():
        services.save_person(case, None, form.data)
        return redirect(url_for("cases.show", case_id=case.id))
    return render_template("cases/person.html", case=case, form=form, person=None)


@bp.route("/cases/<int:case_id>/people/<int:person_id>", methods=["GET", "POST"])
@case_work_required
def edit_person(case_id: int, person_id: int):
    case = case_or_abort(case_id)
    person = person_or_abort(case, person_id)
    form = _person_form(person)
    if form.validate_on_submit():
        services.save_person(case, person, form.data)
        return redirect(url_for("cases.show", case_id=case.id))
    return render_template("cases/person.html", case=case, form=form, person=person)


def _download(body: str | bytes, mimetype: str, filename: str):
    response = make_response(body)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/cases/<int:case_id>/people/<int:person_id>/export.json")
@case_work_required
def export_person(case_id: int, person_id: int):
    """Everything Samstem holds about the person, as JSON (GDPR art. 15; issue 12 item 16). Audited."""
    case = case_or_abort(case_id)
    person = person_or_abort(case, person_id)
    data = export.exported(case, person, "json")
    return _download(json.dumps(data, ensure_ascii=False, indent=2, default=export.json_default), "application/json; charset=utf-8",
                     f"samstem-person-{person.id}.json")


@bp.route("/cases/<int:case_id>/people/<int:person_id>/export.pdf")
@case_work_required
def export_person_pdf(case_id: int, person_id: int):
    """The same as a PDF to read and hand over. Audited."""
    case = case_or_abort(case_id)
    person = person_or_abort(case, person_id)
    data = export.exported(case, person, "pdf")
    html = render_template("cases/person_export.html", data=data)
    return _download(render_pdf(html), "application/pdf", f"samstem-person-{person.id}.pdf")


@bp.route("/cases/<int:case_id>/meetings/new", methods=["GET", "POST"])
@case_work_required
def new_meeting(case_id: int):
    case = case_or_abort(case_id)
    form = MeetingForm()
    form.participants.choices = [SelectChoice(p.id, f"{p.first_name} ({ROLE_LABELS[p.role]})") for p in case.people]
    if not form.is_submitted():
        form.held_on.data = date.today()
        form.participants.data = [p.id for p in case.people]
    if form.validate_on_submit():
        meeting = services.record_meeting(case, form.kind.data, form.held_on.data, form.participants.data)
        return redirect(url_for("invitations.propose", meeting_id=meeting.id))
    return render_template("cases/meeting.html", case=case, form=form)


def _version_seen(form: GoalForm) -> int:
    """Return the version number the page showed; -1 (never current) if it is missing or garbled."""
    raw = (form.version.data or "").strip()
    number = whole_number(raw, digits=9)
    return -1 if number is None else number


def _goals_url(case: Case) -> str:
    return url_for("cases.show", case_id=case.id, _anchor="goals")


@bp.route("/cases/<int:case_id>/goals/new", methods=["GET", "POST"])
@case_work_required
def new_goal(case_id: int):
    case = case_or_abort(case_id)
    form = GoalForm()
    problem = None
    if form.validate_on_submit():
        try:
            services.add_goal(case, current_user, form.data)
        except services.GoalError as error:
            db.session.rollback()  # the session may hold what the refused change flushed
            problem = str(error)
        else:
            flash(_("Målet er føjet til barnets plan."), "info")
            return redirect(_goals_url(case))
    status = 400 if form.is_submitted() else 200
    return render_template("cases/goal.html", case=case, form=form, goal=None, problem=problem), status


@bp.route("/cases/<int:case_id>/goals/<int:goal_id>", methods=["GET", "POST"])
@case_work_required
def edit_goal(case_id: int, goal_id: int):
    case = case_or_abort(case_id)
    goal = goal_or_abort(case, goal_id)
    form = GoalForm(obj=goal.current)
    problem, status = None, 200
    if form.is_submitted():
        status = 400
        if form.validate():
            try:
                changed = services.reword_goal(goal, current_user, form.data, based_on=_version_seen(form))
            except services.GoalError as error:
                db.session.rollback()  # the session may hold what the refused change flushed
                problem, status = str(error), 409
            else:
                flash(_("Målet er ændret. Den tidligere formulering er gemt i historikken.") if changed
                      else _("Der var ingen ændringer at gemme."), "info")
                return redirect(_goals_url(case))
    # The newest version, so saving again after a conflict builds on what is now stored.
    form.version.data = str(goal.current.number)
    return render_template("cases/goal.html", case=case, form=form, goal=goal, problem=problem), status


@bp.route("/cases/<int:case_id>/goals/<int:goal_id>/close", methods=["POST"])
@case_work_required
def close_goal(case_id: int, goal_id: int):
    case = case_or_abort(case_id)
    goal = goal_or_abort(case, goal_id)
    if services.close_goal(goal):
        flash(_("Målet er taget ud af barnets plan. Historikken er gemt."), "info")
    return redirect(_goals_url(case))


def _case_url(case: Case) -> str:
    return url_for("cases.show", case_id=case.id)


def _method_meetings(case: Case) -> list[SelectChoice]:
    """The network meetings and family group conferences held on the case, newest first."""
    today = date.today()
    return [SelectChoice("", "")] + [
        SelectChoice(str(m.id), f"{MEETING_KIND_LABELS[m.kind]} {format_date(m.held_on, 'd. MMMM yyyy')}")
        for m in case.meetings if m.kind in METHOD_MEETING_KINDS and m.held_on <= today
    ]


@bp.route("/cases/<int:case_id>/close", methods=["GET", "POST"])
@case_work_required
def close_case(case_id: int):
    """Luk sagen: the day, the reason from the list; its open links are revoked (issue 12 item 14)."""
    case = case_or_abort(case_id)
    form = CloseForm()
    form.meeting.choices = _method_meetings(case)
    problem, status = None, 200
    if form.is_submitted():
        status = 400
        if form.validate():
            closing = closure.Closing(form.closed_on.data, form.reason.data, form.note.data, form.meeting_id)
            try:
                closure.close_case(case, current_user, closing)
            except (closure.ClosureError, IntegrityError) as error:
                db.session.rollback()
                problem, status = _closing_problem(error), 409
            else:
                flash(_("Sagen er lukket. Dens åbne links virker ikke længere."), "info")
                return redirect(_case_url(case))
    elif closure.open_closure(case) is not None:
        flash(_("Sagen er allerede lukket."), "info")
        return redirect(_case_url(case))
    else:
        form.closed_on.data = date.today()
    return render_template("cases/close.html", case=case, form=form, problem=problem), status


def _closing_problem(error: Exception) -> str:
    if isinstance(error, closure.ClosureError):
        return str(error)
    return _("Sagen er lige blevet lukket af en anden. Se lukningen på sagens side.")


@bp.route("/cases/<int:case_id>/reopen", methods=["GET", "POST"])
@case_work_required
def reopen_case(case_id: int):
    """Genåbn sagen: the day and the reason; filled into the closing in force (issue 12 item 14)."""
    case = case_or_abort(case_id)
    current = closure.open_closure(case)
    form = ReopenForm()
    problem, status = None, 200
    if form.is_submitted():
        status = 400
        if form.validate():
            reopening = closure.Reopening(form.reopened_on.data, form.reason.data, form.note.data)
            try:
                closure.reopen_case(case, current_user, reopening)
            except closure.ClosureError as error:
                db.session.rollback()
                problem, status = str(error), 409
            else:
                flash(_("Sagen er genåbnet. Lav nye links, når der skal spørges igen."), "info")
                return redirect(_case_url(case))
    elif current is None:
        flash(_("Sagen er ikke lukket."), "info")
        return redirect(_case_url(case))
    else:
        form.reopened_on.data = date.today()
    return render_template("cases/reopen.html", case=case, form=form, closure=current, problem=problem), status


@bp.route("/cases/<int:case_id>/background", methods=["GET", "POST"])
@case_work_required
def edit_background(case_id: int):
    """Sagens baggrund: target group, case type, and the child's gender when the organisation
    records it (issue 14 item 1). Each change is a new version; the earlier ones stay."""
    case = case_or_abort(case_id)
    history = background.history(case)
    current = history[0] if history else None
    record_gender = background.records_gender()
    form = BackgroundForm(stored=current, record_gender=record_gender)
    problem, status = None, 200
    if form.is_submitted():
        status = 400
        if form.validate():
            try:
                _row, stored = background.set_background(case, current_user, form.values)
            except background.BackgroundError as error:
                db.session.rollback()
                problem, status = str(error), 400
            else:
                flash(_("Sagens baggrund er gemt. Den tidligere udgave er gemt i historikken.") if stored and current
                      else _("Sagens baggrund er gemt.") if stored else _("Der var ingen ændringer at gemme."), "info")
                return redirect(url_for("cases.show", case_id=case.id, _anchor="background"))
    elif current is not None:
        form.target_group.data = current.target_group
        form.case_type.data = current.case_type
        if record_gender:
            form.gender.data = current.gender
    names = {"target_group": lists.names("target_group"), "case_type": lists.names("case_type")}
    return render_template("cases/background.html", case=case, form=form, history=history, names=names,
                           problem=problem), status
