"""Staff pages for cases, their people and meetings."""

from datetime import date

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app import audit
from app.auth.access import case_work_required, owned_or_abort
from app.cases import services
from app.cases.forms import CaseForm, MeetingForm, PersonForm
from app.cases.models import Case, Person
from app.extensions import db
from app.i18n import LANGUAGE_NAMES
from app.labels import ROLE_LABELS
from app.reconcile.reconciliation import reconcile_round, undecided_rounds

bp = Blueprint("cases", __name__)


def case_or_abort(case_id: int) -> Case:
    return owned_or_abort(Case, case_id, lambda case: case)


@bp.route("/")
@login_required
def index():
    if not current_user.works_with_cases:
        return render_template("cases/no_case_access.html")
    cases = db.session.scalars(services.visible_cases(current_user)).all()
    return render_template("cases/index.html", cases=cases)


@bp.route("/cases/new", methods=["GET", "POST"])
@case_work_required
def new_case():
    form = CaseForm()
    if form.validate_on_submit():
        case = services.create_case(
            current_user, form.child_first_name.data, form.child_birth_year.data, form.external_ref.data
        )
        db.session.commit()
        return redirect(url_for("cases.show", case_id=case.id))
    return render_template("cases/new.html", form=form)


@bp.route("/cases/<int:case_id>")
@case_work_required
def show(case_id: int):
    case = case_or_abort(case_id)
    audit.record("case.view", case.id)
    db.session.commit()
    latest_round = next((r for m in case.meetings for r in reversed(m.rounds)), None)
    overview = reconcile_round(latest_round) if latest_round else None
    return render_template(
        "cases/show.html", case=case, overview=overview, today=date.today(), undecided=undecided_rounds(case)
    )


def _person_form(obj: Person | None = None) -> PersonForm:
    form = PersonForm(obj=obj)
    form.language.choices = [SelectChoice(code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"]]
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
        db.session.commit()
        return redirect(url_for("cases.show", case_id=case.id))
    return render_template("cases/person.html", case=case, form=form, person=None)


@bp.route("/cases/<int:case_id>/people/<int:person_id>", methods=["GET", "POST"])
@case_work_required
def edit_person(case_id: int, person_id: int):
    case = case_or_abort(case_id)
    person = db.session.get(Person, person_id)
    if person is None or person.case_id != case.id:
        abort(404)
    form = _person_form(person)
    if form.validate_on_submit():
        services.save_person(case, person, form.data)
        db.session.commit()
        return redirect(url_for("cases.show", case_id=case.id))
    return render_template("cases/person.html", case=case, form=form, person=person)


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
        db.session.commit()
        return redirect(url_for("invitations.propose", meeting_id=meeting.id))
    return render_template("cases/meeting.html", case=case, form=form)
