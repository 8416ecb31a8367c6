"""Stand-ins for absent case workers: the list of those in force or coming, giving one, ending one early."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.auth.access import leader_of_team_or_admin_required
from app.forms import confirmed, whole_number
from app.stand_ins import services
from app.stand_ins.forms import StandInForm
from app.timestamps import local_today
from app.users.services import Refused

bp = Blueprint("stand_ins", __name__, url_prefix="/stand-ins")


def _with_choices(form: StandInForm) -> StandInForm:
    form.absent.choices = [SelectChoice("", _("Vælg"))] + [
        SelectChoice(user.id, f"{user.name} ({user.team.name})") for user in services.absentees(current_user)]
    form.stand_in.choices = [SelectChoice("", _("Vælg"))] + [
        SelectChoice(user.id, f"{user.name} ({user.team.name})") for user in services.candidates()]
    return form


def _page(form: StandInForm, status: int = 200):
    today = local_today()
    return render_template("stand_ins/index.html", form=form, stand_ins=services.not_over(current_user, today),
                           today=today), status


@bp.route("/", methods=["GET", "POST"])
@leader_of_team_or_admin_required
def index():
    form = _with_choices(StandInForm())
    if not form.is_submitted():
        form.absent.data = whole_number(request.args.get("absent", ""), digits=10)
        return _page(form)
    if form.validate():
        try:
            given = services.give(form.absent.data, form.stand_in.data, form.starts_on.data, form.ends_on.data,
                                  current_user, local_today())
        except Refused as refused:
            form[refused.field].errors = [*form[refused.field].errors, refused.message]
        else:
            flash(_("%(stand_in)s er stedfortræder for %(absent)s fra %(start)s til og med %(end)s.",
                    stand_in=given.stand_in.name, absent=given.absent.name, start=services.long_day(given.starts_on),
                    end=services.long_day(given.ends_on)), "info")
            return redirect(url_for("stand_ins.index"))
    return _page(form, 400)


@bp.route("/<int:stand_in_id>/end", methods=["POST"])
@leader_of_team_or_admin_required
def end(stand_in_id: int):
    found = services.stand_in_or_none(stand_in_id)
    if found is None or not services.may_manage(current_user, found.absent):
        abort(404)
    back = url_for("stand_ins.index")
    if not found.over(local_today()) and not confirmed():
        return render_template(
            "confirm.html",
            question=_("Vil du afslutte %(stand_in)s som stedfortræder for %(absent)s nu?",
                       stand_in=found.stand_in.name, absent=found.absent.name),
            consequence=_("%(stand_in)s kan ikke længere se sagerne fra nu af.", stand_in=found.stand_in.name),
            action=url_for("stand_ins.end", stand_in_id=found.id), confirm_label=_("Ja, afslut nu"),
            cancel_url=back, cancel_label=_("Nej, lad perioden løbe"))
    if services.end(found, current_user, local_today()):
        flash(_("%(stand_in)s er ikke længere stedfortræder for %(absent)s.", stand_in=found.stand_in.name,
                absent=found.absent.name), "info")
    return redirect(back)
