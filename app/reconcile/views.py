"""The case worker's core screen: every voice side by side, signals, and a required decision."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.auth.access import (
    case_or_abort,
    case_work_required,
    decision_or_abort,
    get_by_id,
    round_or_abort,
)
from app.cases.models import Case, Meeting
from app.extensions import db
from app.forms import whole_number
from app.invitations.kinds import no_decision_kinds, round_kind
from app.invitations.models import Round
from app.observations.models import Observation
from app.observations.services import undecided_observations
from app.reconcile import filing, services
from app.reconcile.forms import DecisionForm, FilingForm
from app.reconcile.history import CaseHistory
from app.reconcile.models import Decision
from app.reconcile.pages import (
    latest_decisions,
    load_case,
    load_observations,
    load_round,
    shown_with,
)
from app.reconcile.reconciliation import (
    reconcile_round,
    undecided_rounds,
)
from app.reports.trends import trend_charts
from app.security import csp_nonce

bp = Blueprint("reconcile", __name__)


def _corrected(form: DecisionForm, case: Case) -> Decision | None:
    """Return the decision the form corrects, if it names one of this case's decisions."""
    raw = (form.corrects.data or "").strip()
    if not raw:
        return None
    number = whole_number(raw)
    decision = get_by_id(Decision, number) if number is not None else None
    if decision is None or decision.case_id != case.id:
        raise services.DecisionError(_("Beslutningen hører ikke til denne sag."))
    return decision


def _record(form: DecisionForm, case: Case, rounds: list[Round], observations: list[Observation] = ()) -> str | None:
    """Store the form's decision; return the problem in words, or None when it is stored."""
    try:
        corrects = _corrected(form, case)
        if corrects is None and services.repeated(rounds, current_user, form.outcome.data, form.text, observations):
            return None  # a double click: the decision is already there
        services.decide(
            case,
            rounds,
            current_user,
            outcome=form.outcome.data,
            text=form.text,
            follow_up_on=form.follow_up_on.data if form.follow_up.data == "yes" else None,
            corrects=corrects,
            unscored_reason=(form.unscored_reason.data or "").strip(),
            observations=observations,
        )
    except services.DecisionError as error:
        db.session.rollback()
        return str(error)
    return None


def _saved_message(form: DecisionForm, planned: list[Meeting]) -> str:
    if form.follow_up.data != "yes":
        return _("Beslutningen er gemt.")
    if any(m.held_on == form.follow_up_on.data for m in planned):
        return _("Beslutningen er gemt og knyttet til opfølgningsmødet den %(date)s, som allerede var planlagt.",
                 date=format_date(form.follow_up_on.data, "d. MMMM yyyy"))
    return _("Beslutningen er gemt, og opfølgningsmødet er oprettet.")


def _planned(form: DecisionForm, case: Case) -> list[Meeting]:
    """Return the follow-up meetings planned on the case; a fresh form proposes the soonest one's date."""
    planned = services.planned_follow_ups(case, date.today())
    if planned and not form.is_submitted():
        form.follow_up_on.data = planned[0].held_on
    return planned


@bp.route("/rounds/<int:round_id>/reconcile", methods=["GET", "POST"])
@case_work_required
def round_view(round_id: int):
    round_ = round_or_abort(round_id)
    if round_.kind in no_decision_kinds():
        # Wishes before a meeting are read as one list; nothing is decided on them.
        return redirect(url_for("status.wishes_list", meeting_id=round_.meeting_id))
    case = round_.meeting.case
    form = DecisionForm()
    planned = _planned(form, case)
    problem, status = None, 200
    if form.is_submitted():
        if form.validate():
            problem = _record(form, case, [round_])
            if problem is None:
                flash(_saved_message(form, planned), "info")
                return redirect(url_for("reconcile.round_view", round_id=round_.id))
            status = 409
        else:
            status = 400
    history = CaseHistory(load_case(case))
    overview = reconcile_round(load_round(round_), history)
    return render_template(
        "reconcile/round.html",
        case=case,
        overview=overview,
        charts=trend_charts([overview], nonce=csp_nonce()),
        form=form,
        problem=problem,
        planned_follow_ups=planned,
        filing_today=date.today(),  # _decisions.html offers "Journaliseret i fagsystemet"
        show_unscored_reason=round_kind(round_.kind).asks_unscored_reason,
        **shown_with([overview], history),
    ), status


@bp.route("/cases/<int:case_id>/reconcile", methods=["GET", "POST"])
@case_work_required
def case_view(case_id: int):
    case = case_or_abort(case_id)
    rounds = undecided_rounds(case)
    observations = undecided_observations(case)
    shown = ",".join(str(r.id) for r in rounds)
    shown_observations = ",".join(str(o.id) for o in observations)
    form = DecisionForm()
    planned = _planned(form, case)
    problem, status = None, 200
    if form.is_submitted():
        if not form.validate():
            status = 400
        elif (form.rounds.data or "") != shown or (form.observations.data or "") != shown_observations:
            # New answers or rounds arrived after the page was opened: show them first.
            problem, status = _("Der er kommet nyt til, siden du åbnede siden. Se det igennem, og gem igen."), 409
        else:
            problem = _record(form, case, rounds, observations)
            if problem is None:
                flash(_saved_message(form, planned), "info")
                return redirect(url_for("reconcile.case_view", case_id=case.id))
            status = 409
    form.rounds.data = shown
    form.observations.data = shown_observations
    history = CaseHistory(load_case(case))
    overviews = [reconcile_round(r, history) for r in undecided_rounds(case)]
    return render_template(
        "reconcile/case.html",
        case=case,
        overviews=overviews,
        observations=load_observations(case, observations),
        charts=trend_charts(overviews, nonce=csp_nonce()),
        decisions=latest_decisions(case),
        form=form,
        problem=problem,
        planned_follow_ups=planned,
        filing_today=date.today(),  # _decisions.html offers "Journaliseret i fagsystemet"
        show_unscored_reason=any(round_kind(r.kind).asks_unscored_reason for r in rounds),
        **shown_with(overviews, history),
    ), status



def _back(form: FilingForm, decision: Decision) -> str:
    """The page the filing was marked on (a path on this site), else the case's decisions."""
    back = (form.back.data or "").strip()
    if back.startswith("/") and not back.startswith(("//", "/\\")) and "\\" not in back:
        return back
    return url_for("reconcile.case_view", case_id=decision.case_id)


@bp.route("/decisions/<int:decision_id>/filed", methods=["GET", "POST"])
@case_work_required
def file_decision(decision_id: int):
    """"Journaliseret i fagsystemet": mark the decision as filed in the case system (issue 12 item 15)."""
    decision = decision_or_abort(decision_id)
    form = FilingForm()
    problem, status = None, 200
    if form.is_submitted():
        status = 400
        if form.validate():
            try:
                _filing, new = filing.file_decision(decision, current_user, form.filed_on.data)
            except filing.FilingError as error:
                problem = str(error)
            except IntegrityError:  # marked at the same instant in another tab: the first one stands
                db.session.rollback()
                flash(_("Beslutningen var allerede markeret som journaliseret."), "info")
                return redirect(_back(form, decision))
            else:
                flash(_("Beslutningen er markeret som journaliseret i fagsystemet.") if new
                      else _("Beslutningen var allerede markeret som journaliseret."), "info")
                return redirect(_back(form, decision))
    elif decision.filing is None:
        form.filed_on.data = date.today()
    case = case_or_abort(decision.case_id)
    return render_template("reconcile/file.html", case=case, decision=decision, form=form, problem=problem), status
