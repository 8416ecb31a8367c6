"""The administrator's pages for teams: the list with a new team, one team (rename, move to a department,
merge), and the departments above teams (create, rename, delete an empty one)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from app.auth.access import admin_required
from app.teams import departments, services
from app.teams.forms import DepartmentForm, MergeForm, MoveForm, TeamForm
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
    return _index_page(form=form, status=400 if form.errors else 200)


def _index_page(form=None, department=None, status: int = 200):
    return render_template("teams/index.html", form=form or TeamForm(), department=department or DepartmentForm(),
                           rows=services.overview(), departments=departments.all_departments()), status


def _with_departments(form: MoveForm) -> MoveForm:
    form.department.choices = [SelectChoice("", _("Ingen afdeling"))] + [
        SelectChoice(found.id, found.name) for found in departments.all_departments()]
    return form


def _team_page(team, rename=None, merge=None, move=None, status: int = 200):
    rename = rename or TeamForm(obj=team)
    merge = merge or MergeForm()
    merge.into.choices = [SelectChoice(row.team.id, row.team.name) for row in services.overview()
                          if row.team.id != team.id]
    move = _with_departments(move or MoveForm(department=team.department_id))
    return render_template("teams/edit.html", team=team, rename=rename, merge=merge, move=move), status


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


@bp.route("/<int:team_id>/department", methods=["POST"])
@admin_required
def move(team_id: int):
    team = _team_or_404(team_id)
    form = _with_departments(MoveForm())
    if form.validate_on_submit():
        try:
            departments.move(team, form.department.data)
        except Refused as refused:
            _refused(form, refused)
        else:
            flash(_("Teamets afdeling er gemt."), "info")
            return redirect(url_for("teams.edit_team", team_id=team.id))
    return _team_page(team, move=form, status=400)


@bp.route("/departments", methods=["POST"])
@admin_required
def new_department():
    form = DepartmentForm()
    if form.validate_on_submit():
        try:
            found = departments.create(form.name.data)
        except Refused as refused:
            _refused(form, refused)
        else:
            flash(_("Afdelingen %(name)s er oprettet.", name=found.name), "info")
            return redirect(url_for("teams.index"))
    return _index_page(department=form, status=400)


def _department_or_404(department_id: int):
    found = departments.department_or_none(department_id)
    if found is None:
        abort(404)
    return found


@bp.route("/departments/<int:department_id>", methods=["GET", "POST"])
@admin_required
def edit_department(department_id: int):
    found = _department_or_404(department_id)
    form = DepartmentForm() if request.method == "POST" else DepartmentForm(obj=found)
    if form.validate_on_submit():
        try:
            departments.rename(found, form.name.data)
        except Refused as refused:
            _refused(form, refused)
        else:
            flash(_("Afdelingen hedder nu %(name)s.", name=found.name), "info")
            return redirect(url_for("teams.edit_department", department_id=found.id))
    return render_template("teams/department.html", department=found, form=form,
                           teams=list(found.teams)), 400 if form.errors else 200


@bp.route("/departments/<int:department_id>/delete", methods=["POST"])
@admin_required
def delete_department(department_id: int):
    found = _department_or_404(department_id)
    name = found.name
    try:
        departments.delete(found)
    except Refused as refused:
        flash(refused.message, "error")
        return render_template("teams/department.html", department=found, form=DepartmentForm(obj=found),
                               teams=list(found.teams)), 400
    flash(_("Afdelingen %(name)s er slettet.", name=name), "info")
    return redirect(url_for("teams.index"))
