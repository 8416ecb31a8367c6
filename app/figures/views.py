"""The figures page, its team-meeting print view and the comments on figures."""

from functools import wraps

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from app.figures import page as pages
from app.figures import releases
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
    return render_template(template, page=page, comment_error=comment_error or {}), status


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
