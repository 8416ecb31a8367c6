"""Staff pages of resultatdokumentation, and the external scorer's page (by token)."""

from datetime import date
from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from app import audit
from app.auth.access import case_work_required, owned_or_abort
from app.cases.models import Meeting
from app.cases.views import case_or_abort
from app.extensions import db
from app.i18n import current_language
from app.indicators import scoring, services
from app.indicators.catalogue import current_forms
from app.indicators.forms import CaseIndicatorsForm, ProcedureForm
from app.indicators.matrix import build
from app.indicators.models import RHYTHMS
from app.invitations import issued
from app.invitations.models import Invitation, Round
from app.invitations.views import round_or_abort
from app.respond import pages
from app.respond import services as respond
from app.respond.pages import commit_and_thank, render_page

bp = Blueprint("indicators", __name__)

DRAFT_NOTE = "draft"


def admin_required(view):
    """Only administrators: they set the organisation's procedure, and see no case data here."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_user.role != "admin":
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _form_choices() -> list[SelectChoice]:
    lang = current_language()
    choices = []
    for form in current_forms().all():
        label = form.title(lang)
        if form.draft:
            label = f"{label} · {_('Udkast – skal godkendes af organisationen')}"
        choices.append(SelectChoice(form.id, label))
    return choices


def problem_message(code: str, factor, lang: str) -> str:
    """A scoring problem in words, naming the factor."""
    name = factor.title(lang) if factor is not None else _("Samlet funktionsniveau")
    if code == scoring.MISSING:
        return _("Vælg en status for «%(factor)s», eller vælg «Ved ikke».", factor=name)
    if code == scoring.GOAL_WORSE:
        return _("Målet for «%(factor)s» kan ikke være dårligere end status. Vælg samme trin eller et bedre (lavere).",
                 factor=name)
    if code == scoring.TOO_LONG:
        return _("Teksten ved «%(factor)s» er for lang.", factor=name)
    if code == scoring.CPR:
        return _("Skriv ikke CPR-numre i Samstem.")
    if code == scoring.RATIONALE_NEEDED:
        return _("Skriv en begrundelse for den endelige status for «%(factor)s». Dem, der har scoret, er 2 trin "
                 "eller mere fra hinanden.", factor=name)
    return _("Vælg en af mulighederne ved «%(factor)s».", factor=name)


def _messages(result: scoring.Scoring, lang: str) -> dict[str, str]:
    return {name: problem_message(code, factor, lang) for name, (code, factor) in result.problems.items()}


# --- the organisation's procedure -------------------------------------------------------------

@bp.route("/admin/indicators", methods=["GET", "POST"])
@admin_required
def admin_procedure():

    current = services.procedure()
    form = ProcedureForm()
    form.default_form.choices = _form_choices()
    if not form.is_submitted():
        form.scorers.data = list(current.scorers)
        form.together.data = "together" if current.together else "separately"
        form.rhythm.data = str(current.rhythm_months)
        form.default_form.data = current.default_form
        form.family_split.data = "yes" if current.family_split else "no"
    status = 200
    if form.is_submitted():
        if form.validate() and int(form.rhythm.data) in RHYTHMS:
            services.save_procedure(
                current_user, scorers=form.scorers.data, together=form.together.data == "together",
                rhythm_months=int(form.rhythm.data), default_form=form.default_form.data,
                family_split=form.family_split.data == "yes",
            )
            db.session.commit()
            flash(_("Proceduren er gemt."), "info")
            return redirect(url_for("indicators.admin_procedure"))
        status = 400
    return render_template("indicators/admin.html", form=form), status


# --- the case: form and intake ----------------------------------------------------------------

@bp.route("/cases/<int:case_id>/indicators", methods=["GET", "POST"])
@case_work_required
def case_settings(case_id: int):

    case = case_or_abort(case_id)
    settings = services.case_settings(case)
    form = CaseIndicatorsForm()
    form.form_id.choices = _form_choices()
    if not form.is_submitted():
        form.form_id.data = settings.form_id if settings else services.procedure().default_form
        form.intake_on.data = settings.intake_on if settings else date.today()
    status = 200
    if form.is_submitted():
        if form.validate():
            services.save_case_settings(case, form.form_id.data, form.intake_on.data)
            db.session.commit()
            flash(_("Resultatdokumentationen er gemt."), "info")
            return redirect(url_for("cases.show", case_id=case.id, _anchor="indicators"))
        status = 400
    else:
        audit.record("case.view", case.id, indicators=True)
        db.session.commit()
    return render_template("indicators/case_settings.html", case=case, form=form), status


# --- starting a round -------------------------------------------------------------------------

@bp.route("/meetings/<int:meeting_id>/indicators", methods=["GET", "POST"])
@case_work_required
def start(meeting_id: int):
    meeting = owned_or_abort(Meeting, meeting_id, lambda m: m.case)
    case = meeting.case
    settings = services.case_settings(case)
    proc = services.procedure()
    problem, status = None, 200
    if request.method == "POST":
        try:
            round_, tokens = services.start_round(meeting, current_user)
        except services.IndicatorError as error:
            db.session.rollback()
            problem, status = str(error), 409
        else:
            db.session.commit()
            issued.remember(round_.id, tokens)
            if tokens:
                return redirect(url_for("invitations.screen", round_id=round_.id))
            return redirect(url_for("indicators.score", round_id=round_.id))
    forms = current_forms()
    form = forms.get(settings.form_id) if settings and settings.form_id in forms else None
    scorers = [] if proc.together else services.external_scorers(meeting, proc.scorers)
    return render_template("indicators/start.html", meeting=meeting, case=case, form=form, procedure=proc,
                           scorers=scorers, problem=problem), status


# --- the case worker's own scoring ------------------------------------------------------------

def _indicator_round_or_abort(round_id: int):
    round_ = round_or_abort(round_id)
    info = services.indicator_round(round_)
    if info is None:
        abort(404)
    return round_, info


@bp.route("/rounds/<int:round_id>/indicators/score", methods=["GET", "POST"])
@case_work_required
def score(round_id: int):
    round_, info = _indicator_round_or_abort(round_id)
    form = services.form_of(info)
    if form is None:
        abort(404)
    factors = services.factors_of(info)
    lang = current_language()
    people = round_.meeting.participants
    errors: dict[str, str] = {}
    status = 200
    current = services.staff_scoring(round_)
    values = scoring.values_from_answers(current.answers) if current else {}
    took_part = set(current.took_part) if current else set()
    if request.method == "POST":
        values = scoring.typed_values(form, factors, request.form)
        raw_people = request.form.getlist("took_part")
        known = {p.id for p in people}
        took_part = {int(p) for p in raw_people if p.isdigit() and len(p) < 10 and int(p) in known}
        result = scoring.read_scoring(form, factors, request.form)
        errors = _messages(result, lang)
        if len(took_part) != len(raw_people):
            errors["took_part"] = _("En af de valgte personer deltog ikke i mødet.")
        if round_.is_locked:
            errors["round"] = _("Runden er afsluttet. Scoringen kan ikke ændres.")
        if not errors:
            services.save_staff_scoring(round_, current_user, result.answers, together=info.together,
                                        took_part=sorted(took_part))
            db.session.commit()
            flash(_("Din scoring er gemt."), "info")
            return redirect(url_for("indicators.matrix", round_id=round_.id))
        status = 409 if "round" in errors else 400
    else:
        audit.record("case.view", round_.meeting.case_id, round_id=round_.id, indicators="score")
        db.session.commit()
    return render_template("indicators/score.html", round=round_, info=info, form=form, factors=factors,
                           values=values, errors=errors, people=people, took_part=took_part), status


# --- the matrix and the final scores ----------------------------------------------------------

@bp.route("/rounds/<int:round_id>/indicators", methods=["GET", "POST"])
@case_work_required
def matrix(round_id: int):
    round_, info = _indicator_round_or_abort(round_id)
    lang = current_language()
    built = build(round_)
    form = built.form
    values = scoring.values_from_finals(services.final_scores(round_.id))
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if form is None:
            abort(404)
        factors = services.factors_of(info)
        names = [f"final-{f.key}-{p}" for f in factors for p in ("status", "goal", "rationale", "note")]
        names.append(f"final-{scoring.LEVEL_FIELD}-level")
        values = {n: request.form.get(n, "") for n in names if request.form.get(n)}
        spread = {row.factor.key for row in built.rows if row.spread}
        result = scoring.read_finals(form, factors, request.form, spread)
        errors = _messages(result, lang)
        if round_.is_locked:
            errors["round"] = _("Runden er afsluttet. De endelige scorer kan ikke ændres.")
        if not errors:
            services.save_final_scores(round_, current_user, result.answers)
            db.session.commit()
            flash(_("De endelige scorer er gemt."), "info")
            return redirect(url_for("indicators.matrix", round_id=round_.id))
        status = 409 if "round" in errors else 400
    else:
        audit.record("case.view", round_.meeting.case_id, round_id=round_.id, indicators="matrix")
        db.session.commit()
    return render_template("indicators/matrix.html", m=built, case=round_.meeting.case, values=values,
                           errors=errors), status


# --- the external scorer's page ---------------------------------------------------------------

class _CsrfOnly(FlaskForm):
    """Only the CSRF check; the scoring fields are read by scoring.read_scoring."""


@pages.register("indicators")
def respondent_form(invitation: Invitation, token: str):
    round_: Round = invitation.round
    info = services.indicator_round(round_)
    form = services.form_of(info) if info else None
    if form is None:
        abort(404)
    factors = services.factors_of(info)
    lang = current_language()
    errors: dict[str, str] = {}
    csrf_problem = False
    status = 200
    if request.method == "POST":
        values = scoring.typed_values(form, factors, request.form)
        csrf_problem = not _CsrfOnly().validate()
        result = scoring.read_scoring(form, factors, request.form)
        errors = _messages(result, lang)
        if not errors and not csrf_problem:
            # The form has the id and version a Response records, like an instrument.
            respond.submit_own(invitation, form, result.answers, lang)
            return commit_and_thank(token)
        status = 400
    else:
        previous = [r for r in invitation.current_responses if r.instrument_id == form.id and not r.declined]
        values = scoring.values_from_answers(previous[0].answers) if previous else {}
        respond.mark_opened(invitation)
    return render_page("indicators/respond.html", invitation, token, form=form, factors=factors, values=values,
                       errors=errors, csrf_problem=csrf_problem, csrf_form=_CsrfOnly()), status
