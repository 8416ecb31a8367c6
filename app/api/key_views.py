"""The administrator's pages for API keys: the list, a new key (its secret shown once), revoking one."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.api import keys
from app.api.key_forms import SCOPE_LABELS, ApiKeyForm
from app.auth.access import admin_required
from app.forms import confirmed

bp = Blueprint("api_keys", __name__, url_prefix="/admin/api-keys")


def _form() -> ApiKeyForm:
    form = ApiKeyForm()
    form.teams.choices = [SelectChoice(team.id, team.name) for team in keys.teams()]
    return form


def _page(form: ApiKeyForm, status: int = 200):
    teams = {team.id: team.name for team in keys.teams()}
    return render_template("api/keys.html", form=form, keys=keys.all_keys(), teams=teams,
                           scope_labels=SCOPE_LABELS), status


@bp.route("/", methods=["GET", "POST"])
@admin_required
def index():
    form = _form()
    if not form.is_submitted():
        return _page(form)
    if form.validate():
        try:
            new = keys.create(form.name.data, set(form.scopes.data), set(form.teams.data), current_user)
        except keys.KeyRefused as refused:
            form.name.errors = [*form.name.errors, str(refused)]
        else:
            # The secret is in this page only: never in a redirect, a flash message or a log.
            return render_template("api/key_made.html", new=new)
    return _page(form, 400)


@bp.route("/<int:key_id>/revoke", methods=["POST"])
@admin_required
def revoke(key_id: int):
    key = keys.key_or_none(key_id)
    if key is None:
        abort(404)
    back = url_for("api_keys.index")
    if not key.is_revoked and not confirmed():
        return render_template(
            "confirm.html", question=_("Vil du trække nøglen %(name)s tilbage?", name=key.name),
            consequence=_("Fagsystemet kan ikke bruge nøglen mere. Det kan ikke fortrydes."),
            action=url_for("api_keys.revoke", key_id=key.id), confirm_label=_("Ja, træk den tilbage"),
            cancel_url=back, cancel_label=_("Nej, behold den"))
    if keys.revoke(key):
        flash(_("Nøglen %(name)s er trukket tilbage.", name=key.name), "info")
    return redirect(back)
