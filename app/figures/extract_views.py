"""The analyst's extract page (issue 16 item 3): what the extract holds, the order form, the download.

Only analysts; a refused order shows the form again with what was typed and why; every
extract taken is in the audit log (app.figures.extract.take).
"""

from flask import Blueprint, Response, render_template
from flask_babel import format_number
from flask_babel import gettext as _

from app.auth.access import analyst_required
from app.figures import extract
from app.figures.extract_form import ExtractForm
from app.figures.extract_rows import AGE_BANDS
from app.timestamps import local_today

bp = Blueprint("figures_extract", __name__)

PERIOD_MESSAGES = {
    "years": lambda: _("Vælg en dato mellem år 2000 og 2999."),
    "order": lambda: _("Til-datoen ligger før fra-datoen."),
    "too_long": lambda: _("Vælg en periode på højst tre år."),
}


def _page(form: ExtractForm, status: int = 200, problem: str | None = None):
    bands = ", ".join(label for _low, _high, label in AGE_BANDS)
    return render_template("figures/extract.html", form=form, problem=problem, bands=bands), status


@bp.route("/figures/extract", methods=["GET", "POST"])
@analyst_required
def order():
    form = ExtractForm()
    if not form.is_submitted():
        form.start.data, form.end.data = extract.default_period(local_today())
        return _page(form)
    if not form.validate():
        return _page(form, 400)
    choice = extract.Choice(form.start.data, form.end.data, form.free_text.data, form.file_format.data,
                            (form.reason.data or "").strip())
    try:
        file = extract.take(choice, local_today())
    except extract.PeriodError as refused:
        form[refused.field].errors.append(PERIOD_MESSAGES[refused.code]())
        return _page(form, 400)
    except extract.ExtractTooLarge as too_large:
        limit = format_number(too_large.limit)
        return _page(form, 400, _(
            "Udtrækket ville få mere end %(limit)s rækker. Vælg en kortere periode, og hent den næste periode "
            "bagefter.", limit=limit))
    return Response(file.data, mimetype=file.mimetype, headers={
        "Content-Disposition": f'attachment; filename="{file.filename}"', "Cache-Control": "no-store"})
