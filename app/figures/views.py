"""The figures page, its team-meeting print view, the comments on figures, and the page's tables as
files (XLSX, CSV) and the half-year report (PDF): each file built from the page, so the page's
checks and filters hold for it too."""

from functools import wraps

from flask import (
    Blueprint,
    abort,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from app import audit
from app.figures import page as pages
from app.figures import releases, report, sheets
from app.figures.exports import csv_bytes, xlsx_bytes
from app.security import csp_nonce
from app.settings import services as settings

bp = Blueprint("figures", __name__)


def figures_reader_required(view):
    """Let through whoever may see figures; a leader in pilot mode is told why not."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if pages.audience(current_user, bool(settings.get("pilot_mode"))) is None:
            if pages.pilot_hides(current_user):
                return render_template("error.html", code=403, message=_(
                    "Samstem er i pilotdrift: tallene vises ikke for ledere endnu. Administratoren slår pilotdrift "
                    "fra, når tallene skal bruges.")), 403
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _render(template: str, args, comment_error: dict | None = None):
    try:
        page = pages.build(current_user, args, csp_nonce())
    except pages.Refusal as refusal:
        return render_template("figures/refused.html", message=refusal.message), refusal.status
    status = 400 if comment_error else 200
    return render_template(template, page=page, comment_error=comment_error or {},
                           may_report=report.may_read(current_user)), status


@bp.route("/figures")
@figures_reader_required
def index():
    return _render("figures/index.html", request.args)


@bp.route("/figures/print")
@figures_reader_required
def team_meeting():
    return _render("figures/print.html", request.args)


@bp.route("/figures/comment", methods=["POST"])
@figures_reader_required
def comment():
    form = request.form
    back = {name: form.get(name, "") for name in ("period", "team", "meeting") if form.get(name, "")}
    try:
        pages.save_comment(current_user, form)
    except pages.Refusal as refusal:
        if refusal.status == 403:
            return render_template("figures/refused.html", message=refusal.message), 403
        # Nothing typed is lost: the page again, the text in its field, the message beside it.
        error = {"figure": form.get("figure", ""), "text": form.get("text", ""), "message": refusal.message}
        if back.get("period") not in releases.released_periods():
            back.pop("period", None)
        return _render("figures/index.html", MultiDict(back), error)
    return redirect(url_for("figures.index", **back) + f"#figure-{form.get('figure', '')}")


def _refused(refusal: pages.Refusal):
    return render_template("figures/refused.html", message=refusal.message), refusal.status


def _file(content: bytes, mimetype: str, name: str):
    response = make_response(content)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _filtered(page) -> dict:
    return {"period": page.period, **page.filters}


@bp.route("/figures/export.xlsx")
@figures_reader_required
def export_xlsx():
    try:
        page = pages.build(current_user, request.args, None)
    except pages.Refusal as refusal:
        return _refused(refusal)
    if page.release is None:
        return _refused(pages.Refusal(_("Der er ingen tal endnu. Tallene udgives, når en periode er slut."), 404))
    if not page.figures:
        return _refused(pages.Refusal(_("Der er ingen tal for perioden."), 404))
    content = xlsx_bytes(sheets.sheets(page))
    audit.record("figures.export", None, format="xlsx", version=page.release.version, **_filtered(page))
    return _file(content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 f"samstem-tal-{page.period}.xlsx")


@bp.route("/figures/export.csv")
@figures_reader_required
def export_csv():
    args = request.args.copy()
    wanted = args.poplist("figure")
    try:
        if len(wanted) != 1:
            raise pages.Refusal(_("Vælg ét tal at hente."))
        page = pages.build(current_user, args, None)
    except pages.Refusal as refusal:
        return _refused(refusal)
    view = next((v for v in page.figures if v.figure.id == wanted[0]), None)
    if view is None:
        return _refused(pages.Refusal(_("Det tal findes ikke for perioden."), 404))
    content = csv_bytes(sheets.sheet(view, page))
    audit.record("figures.export", None, format="csv", figure=view.figure.id, version=page.release.version,
                 **_filtered(page))
    return _file(content, "text/csv; charset=utf-8", f"samstem-tal-{page.period}-{view.figure.id}.csv")


@bp.route("/figures/report.pdf")
@figures_reader_required
def half_year_report():
    try:
        page = report.page_for(current_user, request.args)
    except pages.Refusal as refusal:
        return _refused(refusal)
    content = report.report_pdf(page)
    audit.record("figures.export", None, format="pdf", version=page.release.version, **_filtered(page))
    return _file(content, "application/pdf", f"samstem-halvaarsrapport-{page.period}.pdf")
