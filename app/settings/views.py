"""The administrator's settings pages: the organisation's settings, the texts respondents read,
the form catalogue. Only administrators; every change audited."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.auth.access import admin_required
from app.respond.notices import EDITABLE
from app.settings import services, texts
from app.settings.forms import SettingsForm, TextForm

bp = Blueprint("settings", __name__)


@bp.route("/admin/settings", methods=["GET", "POST"])
@admin_required
def organisation():
    form = SettingsForm()
    if not form.is_submitted():
        for name in form.values():
            form[name].data = services.get(name)
    if form.is_submitted():
        if form.validate():
            services.save(form.values())
            flash(_("Indstillingerne er gemt."), "info")
            return redirect(url_for("settings.organisation"))
        return render_template("settings/organisation.html", form=form), 400
    return render_template("settings/organisation.html", form=form)


@bp.route("/admin/texts", methods=["GET", "POST"])
@admin_required
def respondent_texts():
    form = TextForm()
    if form.is_submitted():
        if form.validate():
            texts.save(form.text.data, form.lang.data, form.body.data)
            flash(_("Teksten er gemt."), "info")
            return redirect(url_for("settings.respondent_texts", _anchor=f"{form.text.data}-{form.lang.data}"))
        return _texts_page(form), 400
    return _texts_page(None)


def _texts_page(refused: TextForm | None):
    """Every text in every language; a refused one shows what was typed and why."""
    shown = {key: texts.versions(key) for key in EDITABLE}
    return render_template("settings/texts.html", labels=EDITABLE, shown=shown, refused=refused)
