"""The administrator's audit log: search it, page through it, export a search as CSV.

Only administrators; every search and export is itself written to the audit log.
"""

from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from app import audit
from app.audit_log import services
from app.audit_log.actions import action_label
from app.audit_log.forms import SearchForm
from app.auth.access import admin_required
from app.timestamps import local_today

bp = Blueprint("audit_log", __name__)


def _search_form() -> tuple[SearchForm, services.Search | None]:
    """Read the search from the address; the search, or None when the form says what is wrong."""
    form = SearchForm(formdata=request.args)
    form.user.choices = [SelectChoice("", _("Alle"))] + [
        SelectChoice(str(user.id), f"{user.name} ({user.username})") for user in services.staff().values()]
    form.action.choices = [SelectChoice("", _("Alle"))] + [
        SelectChoice(action, action_label(action)) for action in services.actions()]
    if not form.validate():
        return form, None
    search = services.Search(
        person_id=form.person.data, case_id=form.case.data,
        user_id=int(form.user.data) if form.user.data else None, action=form.action.data or None,
        from_date=form.from_date.data, to_date=form.to_date.data,
    )
    found = services.problems(search)
    for name, message in found.items():
        form[name].errors.append(message)
    return form, None if found else search


def _render(form: SearchForm, page: services.Page | None, status: int = 200):
    # The search as it stands, for the links to other pages and to the export.
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("audit_log/index.html", form=form, page=page, args=args,
                           local_time=services.local_time), status


@bp.route("/admin/audit")
@admin_required
def search():
    form, found = _search_form()
    if found is None:
        return _render(form, None, 400)
    total = services.count(found)
    number = form.page.data or 1
    if number > services.page_count(total):
        form.page.errors.append(_("Søgningen fylder %(pages)d sider. Vælg en side fra 1 til %(pages)d.",
                                  pages=services.page_count(total)))
        return _render(form, None, 400)
    audit.record("audit.search", None, search=found.detail(), page=number)
    return _render(form, services.page(found, number, total))


@bp.route("/admin/audit/export")
@admin_required
def export():
    form, found = _search_form()
    if found is None:
        return _render(form, None, 400)
    audit.record("audit.export", None, search=found.detail())
    filename = f"auditlog-{local_today().isoformat()}.csv"
    return Response(stream_with_context(services.csv_lines(found)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})

