"""The administrator's pages for teams: the list with a new team, and one team (rename, merge)."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from app.auth.access import admin_required
from app.teams import services
from app.teams.forms import MergeForm, TeamForm
from app.users.services import Refused

bp = Blueprint("teams", __name__, url_prefix="/admin/teams")


def _refused(form, refused: Refused) -> None:
    if refused.field and refused.field in form:
        form[refused.field].errors = [*form[refused.field].errors, refused.message]
    else:
        flash(refused.message, "error")


@bp.route("/", methods=["GET", "POST"])
@admin_required
def index():
    form = TeamForm()
    if form.validate_on_submit():
        try:
            team = services.create(form.name.data)
        except Refused as refused:
            _refused(form, refused)
        else:
            flash(_("Teamet %(name)s er oprettet.", name=team.name), "info")
            return redirect(url_for("teams.index"))
    return render_template("teams/index.html", form=form, rows=services.overview()), 400 if form.errors else 200


def _team_page(team, rename=None, merge=None, status: int = 200):
    rename = rename or TeamForm(obj=team)
    merge = merge or MergeForm()
    merge.into.choices = [SelectChoice(row.team.id, row.team.name) for row in services.overview()
                          if row.team.id != team.id]
    return render_template("teams/edit.html", team=team, rename=rename, merge=merge), status


def _team_or_404(team_id: int):
    team = services.team_or_none(team_id)
    if team is None:
        abort(404)
    return team


@bp.route("/<int:team_id>", methods=["GET", "POST"])
@admin_required
def edit_team(team_id: int):
    team = _team_or_404(team_id)
    form = TeamForm()
    if not form.is_submitted():
        return _team_page(team)
    if form.validate():
        try:
            services.rename(team, form.name.data)
        except Refused as refused:
            _refused(form, refused)
        else:
            flash(_("Teamet hedder nu %(name)s.", name=form.name.data), "info")
            return redirect(url_for("teams.edit_team", team_id=team.id))
    return _team_page(team, rename=form, status=400)


@bp.route("/<int:team_id>/merge", methods=["POST"])
@admin_required
def merge(team_id: int):
    team = _team_or_404(team_id)
    form = MergeForm()
    # Any team id is a choice here: the service says what is wrong with a bad one (itself, none).
    form.into.choices = [SelectChoice(row.team.id, row.team.name) for row in services.overview()]
    if form.validate_on_submit():
        name = team.name
        try:
            services.merge(team, form.into.data)
        except Refused as refused:
            _refused(form, refused)
        else:
            flash(_("%(name)s er slået sammen med det andet team.", name=name), "info")
            return redirect(url_for("teams.index"))
    return _team_page(team, merge=form, status=400)
