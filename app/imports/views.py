"""The administrator's import page: choose the case system's file, see what it would change, confirm."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from app.auth.access import admin_required
from app.extensions import csrf
from app.imports import services
from app.imports.columns import COLUMNS
from app.imports.forms import ConfirmForm, UploadForm
from app.imports.reading import FileRefused, read_table, size_text
from app.settings import lists

bp = Blueprint("imports", __name__, url_prefix="/admin/import")
# The file may be larger than other requests: the limit is raised for administrators first, then
# the CSRF check reads the body (app-wide, it would read it under the smaller limit).
csrf.exempt(bp)
# Room for the form's other fields and the multipart framing around the file.
ENVELOPE = 64 * 1024


@bp.before_request
def _larger_limit_for_administrators() -> None:
    # Anyone else is refused by admin_required before the body is read.
    if not (current_user.is_authenticated and current_user.has_role("admin")):
        return
    limit = current_app.config["IMPORT_MAX_BYTES"]
    request.max_content_length = limit + ENVELOPE
    # The confirm step sends the checked file back, signed (services.seal).
    request.max_form_memory_size = 2 * limit + ENVELOPE
    if current_app.config.get("WTF_CSRF_ENABLED", True) and request.method == "POST":
        csrf.protect()


def _page(upload=None, plan=None, confirm=None, refused: str | None = None, filename: str | None = None,
          status: int = 200):
    return render_template("imports/index.html", upload=upload or UploadForm(), plan=plan, confirm=confirm,
                           refused=refused, filename=filename, columns=COLUMNS, list_label=lists.label,
                           max_size=size_text(current_app.config["IMPORT_MAX_BYTES"]),
                           max_rows=current_app.config["IMPORT_MAX_ROWS"]), status


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error):
    # formdata=None: the form must not read the body that was just refused.
    return _page(UploadForm(formdata=None), refused=_("Filen er for stor: den må højst fylde %(size)s. Del den op i flere filer.",
                           size=size_text(current_app.config["IMPORT_MAX_BYTES"])), status=413)


def _read(filename: str, data: bytes):
    return read_table(filename, data, max_bytes=current_app.config["IMPORT_MAX_BYTES"],
                      max_rows=current_app.config["IMPORT_MAX_ROWS"])


@bp.route("/", methods=["GET", "POST"])
@admin_required
def index():
    upload = UploadForm()
    if not upload.is_submitted():
        return _page(upload)
    if not upload.validate():
        return _page(upload, status=400)
    filename = (upload.file.data.filename or "")[:200]
    try:
        table = _read(filename, upload.file.data.read(current_app.config["IMPORT_MAX_BYTES"] + 1))
    except FileRefused as refused:
        return _page(upload, refused=str(refused), filename=filename, status=400)
    plan = services.check(table)
    if not plan.ok:
        return _page(upload, plan=plan, filename=filename, status=400)
    confirm = ConfirmForm(formdata=None, sealed=services.seal(table, filename, current_user.id))
    return _page(upload, plan=plan, confirm=confirm if plan.anything else None, filename=filename)


@bp.route("/apply", methods=["POST"])
@admin_required
def apply():
    confirm = ConfirmForm()
    if not confirm.validate():
        return _page(UploadForm(formdata=None), refused=_("Vælg filen igen, og tjek den, før du importerer."),
                     status=400)
    try:
        filename, table = services.unseal(confirm.sealed.data, current_user.id)
        plan = services.apply(table, filename, current_user._get_current_object())
    except (FileRefused, services.ImportFailed) as refused:
        return _page(UploadForm(formdata=None), refused=str(refused), status=400)
    if not plan.ok:
        # Something changed since the check (a team renamed, a case worker gone): nothing is stored.
        return _page(UploadForm(formdata=None), plan=plan, filename=filename, status=400)
    flash(_("Importen er gemt: %(new)s nye sager, %(changed)s ændrede sager, %(unchanged)s uændrede, "
            "%(measures)s nye eller rettede indsatser.", new=len(plan.new), changed=len(plan.changed),
            unchanged=plan.unchanged, measures=len(plan.measures_added) + len(plan.measures_changed)), "info")
    return redirect(url_for("imports.index"))
