"""The administrator's settings pages: the organisation's settings, the texts respondents read,
the form catalogue. Only administrators; every change audited."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.auth.access import admin_required
from app.settings import services
from app.settings.forms import SettingsForm

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
