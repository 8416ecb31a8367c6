"""Staff pages of resultatdokumentation (the external scorer's page is in public.py)."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm as Form
from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice

from app.auth.access import (
    admin_required,
    case_or_abort,
    case_work_required,
    meeting_or_abort,
    round_or_abort,
)
from app.extensions import db
from app.forms import whole_number
from app.i18n import current_language
from app.indicators import items, scoring, services
from app.indicators.catalogue import current_forms
from app.indicators.forms import CaseIndicatorsForm, ProcedureForm, TookPartField
from app.indicators.matrix import build
from app.indicators.models import RHYTHMS
from app.instruments.blocks import word_problems
from app.settings import catalogue

bp = Blueprint("indicators", __name__)

DRAFT_NOTE = "draft"


def _form_choices(keep: str | None = None) -> list[SelectChoice]:
    """The indicator forms offered now (issue 13: no unapproved draft, no deactivated form), and the
    one already chosen (`keep`), so a choice made before stays as it was."""
    lang = current_language()
    choices = []
    for form in current_forms().all():
        if not catalogue.offered_indicator(form) and form.id != keep:
            continue
        label = form.title(lang)
        if catalogue.needs_approval(form):
            label = f"{label} · {_('Udkast – skal godkendes af organisationen')}"
        choices.append(SelectChoice(form.id, label))
    return choices


def _waiting_drafts() -> list[str]:
    """The draft forms the organisation has not approved, by title."""
    lang = current_language()
    return [form.title(lang) for form in current_forms().all() if catalogue.needs_approval(form)]


# --- the organisation's procedure -------------------------------------------------------------

@bp.route("/admin/indicators", methods=["GET", "POST"])
@admin_required
def admin_procedure():

    current = services.procedure()
    form = ProcedureForm()
    form.default_form.choices = _form_choices(keep=current.default_form)
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
            flash(_("Proceduren er gemt."), "info")
            return redirect(url_for("indicators.admin_procedure"))
        status = 400
    return render_template("indicators/admin.html", form=form, waiting=_waiting_drafts()), status


# --- the case: form and intake ----------------------------------------------------------------

@bp.route("/cases/<int:case_id>/indicators", methods=["GET", "POST"])
@case_work_required
def case_settings(case_id: int):

    case = case_or_abort(case_id)
    settings = services.case_settings(case)
    form = CaseIndicatorsForm()
    form.form_id.choices = _form_choices(keep=settings.form_id if settings else None)
    if not form.is_submitted():
        form.form_id.data = settings.form_id if settings else services.procedure().default_form
        form.intake_on.data = settings.intake_on if settings else date.today()
    status = 200
    if form.is_submitted():
        if form.validate():
            services.save_case_settings(case, form.form_id.data, form.intake_on.data)
            flash(_("Resultatdokumentationen er gemt."), "info")
            return redirect(url_for("cases.show", case_id=case.id, _anchor="indicators"))
        status = 400
    return render_template("indicators/case_settings.html", case=case, form=form), status


# --- starting a round -------------------------------------------------------------------------

@bp.route("/meetings/<int:meeting_id>/indicators", methods=["GET", "POST"])
@case_work_required
def start(meeting_id: int):
    meeting = meeting_or_abort(meeting_id)
    case = meeting.case
    settings = services.case_settings(case)
    proc = services.procedure()
    forms = current_forms()
    form = forms.get(settings.form_id) if settings and settings.form_id in forms else None
    scorers, refused = [], []
    if form is not None and not proc.together:
        scorers, refused = services.link_scorers(meeting, proc.scorers, form, proc.family_split and form.family_split)
    problem, status = None, 200
    if request.method == "POST":
        try:
            round_, tokens = services.start_round(meeting, current_user)
        except services.IndicatorError as error:
            db.session.rollback()
            problem, status = str(error), 409
            refused = [message for message in refused if message not in problem]
        else:
            for message in refused:
                flash(message, "info")
            if tokens:
                return redirect(url_for("invitations.screen", round_id=round_.id))
            return redirect(url_for("indicators.score", round_id=round_.id))
    return render_template("indicators/start.html", meeting=meeting, case=case, form=form, procedure=proc,
                           scorers=scorers, refused=refused, problem=problem), status


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
    lang = current_language()
    people = round_.meeting.participants
    current = services.staff_scoring(round_)
    factors = services.asked_factors(info, "caseworker", services.child_age(round_.meeting))
    form_class = items.scoring_form_class(form, factors, lang, Form, level=form.asks_level("caseworker"))
    form_class.took_part = TookPartField(choices=[SelectChoice(str(p.id), p.first_name) for p in people])
    if request.method != "POST":
        values = scoring.values_from_answers(current.answers) if current else {}
        filled = form_class(formdata=MultiDict(
            [*values.items(), *(("took_part", str(i)) for i in (current.took_part if current else []))]))
        errors: dict[str, str] = {}
    else:
        filled = form_class()
        filled.validate()
        errors = word_problems(filled, items.wording(lang))
        if not errors:
            try:
                services.save_staff_scoring(round_, current_user, items.scoring_answers(filled),
                                            together=info.together, took_part=sorted(int(i) for i in _took_part(filled)))
            except services.RoundLocked as closed:
                errors["round"] = str(closed)
            else:
                flash(_("Din scoring er gemt."), "info")
                return redirect(url_for("indicators.matrix", round_id=round_.id))
    status = 200 if not errors else 409 if "round" in errors else 400
    took_part = {n for i in _took_part(filled) if (n := whole_number(i, digits=9)) is not None}
    return render_template("indicators/score.html", round=round_, info=info, form=form, scoring=filled,
                           errors=errors, people=people, took_part=took_part), status


def _took_part(filled) -> list[str]:
    """Who was ticked as taking part; none when the form came without a body (WTForms then
    leaves the field's data None, issue 12 item 18)."""
    return filled.took_part.data or []


# --- the matrix and the final scores ----------------------------------------------------------

@bp.route("/rounds/<int:round_id>/indicators", methods=["GET", "POST"])
@case_work_required
def matrix(round_id: int):
    round_, info = _indicator_round_or_abort(round_id)
    lang = current_language()
    built = build(round_)
    form = built.form
    if form is None and request.method == "POST":
        abort(404)
    spread = {row.factor.key for row in built.rows if row.spread}
    form_class = items.finals_form_class(form, services.factors_of(info), lang, spread, Form) if form else None
    errors: dict[str, str] = {}
    if request.method != "POST":
        values = scoring.values_from_finals(services.final_scores(round_.id))
        finals = form_class(formdata=MultiDict(values)) if form_class else None
    else:
        finals = form_class()
        finals.validate()
        errors = word_problems(finals, items.wording(lang))
        if not errors:
            try:
                services.save_final_scores(round_, current_user, items.final_entries(finals))
            except services.RoundLocked as closed:
                errors["round"] = str(closed)
            else:
                flash(_("De endelige scorer er gemt."), "info")
                return redirect(url_for("indicators.matrix", round_id=round_.id))
    status = 200 if not errors else 409 if "round" in errors else 400
    return render_template("indicators/matrix.html", m=built, case=round_.meeting.case, finals=finals,
                           errors=errors), status
