"""Staff pages: a case's measures (add, correct, end) for the case's team; the ladder for administrators."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.auth.access import (
    admin_required,
    case_or_abort,
    case_work_required,
    measure_or_abort,
)
from app.cases.models import Case
from app.extensions import db
from app.forms import confirmed, whole_number
from app.i18n import current_language
from app.measures import services
from app.measures.forms import EndForm, MeasureForm
from app.measures.ladder import current_ladder
from app.measures.section import measure_row

bp = Blueprint("measures", __name__)

CHANGED_MEANWHILE = _l("Indsatsen er lige blevet ændret af en anden. Se den, som den står nu, og ret igen, hvis det "
                       "stadig er nødvendigt.")


def _case_url(case: Case) -> str:
    return url_for("cases.show", case_id=case.id, _anchor="measures")


def _show_problems(form, problems: dict[str, str]) -> None:
    """Put each problem the service found on its field, unless the field already says what is wrong."""
    for key, message in problems.items():
        field = form[key] if key in form else form.kind  # the rung follows from the kind
        if not field.errors:
            field.errors = [*field.errors, message]


def _page(template: str, case: Case, form, status: int, **context):
    return render_template(template, case=case, form=form, proposal=services.is_proposal(), today=date.today(),
                           **context), status


@bp.route("/cases/<int:case_id>/measures/new", methods=["GET", "POST"])
@case_work_required
def new_measure(case_id: int):
    case = case_or_abort(case_id)
    form = MeasureForm()
    form.fill_choices(current_ladder(), current_language())
    if not form.is_submitted():
        return _page("measures/measure.html", case, form, 200, measure=None, history=[])
    if form.validate():
        try:
            services.add_measure(case, current_user, form.values(ending=True), double_click=True)
        except services.MeasureError as error:
            db.session.rollback()
            _show_problems(form, error.problems)
        else:
            flash(_("Indsatsen er registreret."), "info")
            return redirect(_case_url(case))
    return _page("measures/measure.html", case, form, 400, measure=None, history=[])


def _history(measure) -> list[tuple]:
    """(row, who, when) for each version, newest first."""
    return [(measure_row(version, 0), version.written_by.name, version.written_at) for version in services.history(measure)]


@bp.route("/cases/<int:case_id>/measures/<int:measure_id>", methods=["GET", "POST"])
@case_work_required
def edit_measure(case_id: int, measure_id: int):
    case = case_or_abort(case_id)
    measure = measure_or_abort(case, measure_id)
    current = measure.current
    form = MeasureForm()
    form.fill_choices(current_ladder(), current_language(), current)
    ended = current.ended_on is not None
    status = 200
    if not form.is_submitted():
        form.fill_from(current)
    else:
        status = 400
        if form.validate():
            try:
                changed = services.change_measure(measure, current_user, form.values(ending=ended),
                                                  based_on=whole_number(form.version.data, 9))
            except (services.MeasureChanged, IntegrityError):  # IntegrityError: two saved the same version at once
                db.session.rollback()
                flash(str(CHANGED_MEANWHILE), "error")
                status = 409
            except services.MeasureError as error:
                db.session.rollback()
                _show_problems(form, error.problems)
            else:
                flash(_("Indsatsen er rettet. Det, der stod før, er gemt i historikken.") if changed
                      else _("Der var ingen ændringer at gemme."), "info")
                return redirect(_case_url(case))
    form.version.data = str(measure.current.number)
    return _page("measures/measure.html", case, form, status, measure=measure_row(measure.current, len(measure.versions) - 1),
                 history=_history(measure), ended=ended)


@bp.route("/cases/<int:case_id>/measures/<int:measure_id>/end", methods=["GET", "POST"])
@case_work_required
def end_measure(case_id: int, measure_id: int):
    case = case_or_abort(case_id)
    measure = measure_or_abort(case, measure_id)
    current = measure.current
    if current.ended_on is not None:
        flash(_("Indsatsen er allerede afsluttet. Ret slutdatoen under Ret indsatsen."), "info")
        return redirect(url_for("measures.edit_measure", case_id=case.id, measure_id=measure.id))
    form = EndForm()
    form.fill_reasons()
    status = 200
    if not form.is_submitted():
        form.ended_on.data = date.today()
    else:
        status = 400
        if form.validate():
            try:
                services.end_measure(measure, current_user, form.values(),
                                     based_on=whole_number(form.version.data, 9))
            except (services.MeasureChanged, IntegrityError):
                db.session.rollback()
                flash(str(CHANGED_MEANWHILE), "error")
                status = 409
            except services.MeasureError as error:
                db.session.rollback()
                _show_problems(form, {key if key in form else "ended_on": message
                                      for key, message in error.problems.items()})
            else:
                flash(_("Indsatsen er afsluttet."), "info")
                return redirect(_case_url(case))
    form.version.data = str(measure.current.number)
    return _page("measures/end.html", case, form, status, measure=measure_row(measure.current, len(measure.versions) - 1))


@bp.route("/admin/ladder", methods=["GET", "POST"])
@admin_required
def ladder():
    """The ladder as its file has it; an administrator confirms the proposal (issue 14 item 2)."""
    if request.method == "POST" and not confirmed():
        return _ladder_page(_("Tryk på knappen Bekræft trappen for at bekræfte indsatstrappen.")), 400
    if request.method == "POST":
        if services.confirm_ladder(current_user):
            flash(_("Indsatstrappen er bekræftet. Den er ikke længere et forslag."), "info")
        else:
            flash(_("Indsatstrappen var allerede bekræftet."), "info")
        return redirect(url_for("measures.ladder"))
    return _ladder_page(None)


def _ladder_page(problem: str | None):
    return render_template("measures/ladder.html", ladder=current_ladder(), lang=current_language(),
                           proposal=services.is_proposal(), confirmation=services.confirmation(), problem=problem)
