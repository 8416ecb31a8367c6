"""The administrator's settings pages: the organisation's settings, the texts respondents read,
the form catalogue. Only administrators; every change audited."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.access import admin_required
from app.i18n import LANGUAGE_NAMES, current_language
from app.indicators.catalogue import IndicatorForm
from app.respond.notices import EDITABLE
from app.settings import catalogue, list_page, services, texts
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
    """Every text in every respondent language; a refused one shows what was typed and why.
    Above them, per language, how many texts are missing or need review (issue 18 item 1)."""
    shown = {key: texts.versions(key) for key in EDITABLE}
    every = [version for versions in shown.values() for version in versions]
    summary = [(lang, sum(v.missing for v in every if v.lang == lang), sum(v.needs_review for v in every
                                                                            if v.lang == lang))
               for lang in texts.languages()]
    return render_template("settings/texts.html", labels=EDITABLE, shown=shown, refused=refused,
                           names=LANGUAGE_NAMES, summary=[row for row in summary if row[1] or row[2]])


_DONE = {"approve": _l("Udkastet er godkendt og kan nu vælges."), "deactivate": _l("Skemaet foreslås ikke mere."),
         "activate": _l("Skemaet kan bruges igen.")}
_REFUSED = {"unknown": _l("Vælg et skema og en handling på siden."),
            "not_a_draft": _l("Kun et udkast, der ikke er godkendt, kan godkendes.")}


@bp.route("/admin/forms", methods=["GET", "POST"])
@admin_required
def form_catalogue():
    if request.method == "POST":
        action = request.form.get("action", "")
        refused = catalogue.change(request.form.get("form_id", ""), action)
        if refused is not None:
            return _catalogue_page(str(_REFUSED[refused])), 400
        flash(str(_DONE[action]), "info")
        return redirect(url_for("settings.form_catalogue"))
    return _catalogue_page(None)


def _catalogue_page(error: str | None):
    return render_template("settings/forms.html", entries=catalogue.entries(current_language()), error=error)


@bp.route("/admin/forms/<form_id>")
@admin_required
def form_wording(form_id: str):
    """A form's wording in every shipped language, side by side; read only."""
    form = catalogue.find(form_id)
    if form is None:
        abort(404)
    return render_template("settings/form_wording.html", form=form, indicator=isinstance(form, IndicatorForm),
                           languages=texts.languages(), lang=current_language(), names=LANGUAGE_NAMES)


@bp.route("/admin/lists", methods=["GET", "POST"])
@admin_required
def lists_page():
    """The organisation's lists: rename, add, take out of use (issue 14). One list per save."""
    shown = list_page.views()
    if request.method == "POST":
        name = request.form.get("list", "")
        try:
            typed, changed = list_page.save_from_form(name, request.form)
        except KeyError:  # a list that does not exist: only a changed page sends one
            return render_template("error.html", code=400, message=_("Vælg en af listerne på siden.")), 400
        if typed.error is None:
            flash(_("Listen er gemt.") if changed else _("Der var ingen ændringer at gemme."), "info")
            return redirect(url_for("settings.lists_page", _anchor=f"list-{name}"))
        shown = [typed if v.name == name else v for v in shown]
        return render_template("settings/lists.html", lists=shown, error=None), 400
    return render_template("settings/lists.html", lists=shown, error=None)
