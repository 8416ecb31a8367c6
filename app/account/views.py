"""The user's own account page ("Min konto"): a new password, and setting up two-factor login
with a QR code (drawn here as inline SVG: no outside service sees the secret)."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.account import services
from app.account.forms import OwnPasswordForm
from app.auth import totp
from app.auth.forms import CodeForm
from app.extensions import limiter
from app.labels import STAFF_ROLE_LABELS
from app.users.forms import MIN_PASSWORD
from app.users.services import Refused

bp = Blueprint("account", __name__, url_prefix="/account")


def _page(password=None, code=None, status: int = 200):
    password_login = current_app.config["PASSWORD_LOGIN"] and not current_user.from_idp
    setting_up = password_login and current_user.totp_secret is None
    secret = totp.new_secret() if setting_up else None
    return render_template(
        "account/index.html", password_login=password_login, password=password or OwnPasswordForm(),
        code=code or CodeForm(), secret=secret,
        qr=totp.qr_svg(totp.provisioning_uri(current_user, secret)) if secret else None,
        role_labels=STAFF_ROLE_LABELS, min_password=MIN_PASSWORD), status


@bp.route("/")
@login_required
def index():
    return _page()


@bp.route("/password", methods=["POST"])
@limiter.limit("10 per minute")
@login_required
def password():
    form = OwnPasswordForm()
    if not current_app.config["PASSWORD_LOGIN"] or current_user.from_idp:
        flash(_("Du logger ind med kommunens login, så adgangskoden skiftes der."), "error")
        return _page(status=400)
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.password.data)
        except Refused as refused:
            form[refused.field].errors = [*form[refused.field].errors, refused.message]
        else:
            flash(_("Din adgangskode er skiftet. Du er logget ud alle andre steder."), "info")
            return redirect(url_for("account.index"))
    return _page(password=form, status=400)


@bp.route("/totp", methods=["POST"])
@limiter.limit("10 per minute")
@login_required
def set_up_totp():
    form = CodeForm()
    if not current_app.config["PASSWORD_LOGIN"] or current_user.from_idp:
        flash(_("Du logger ind med kommunens login. To-trins-login hører til login med adgangskode."), "error")
        return _page(status=400)
    if form.validate_on_submit():
        try:
            confirmed = services.set_up_totp(current_user, form.code.data)
        except Refused as refused:
            flash(refused.message, "error")
            return _page(status=400)
        if confirmed:
            flash(_("To-trins-login er slået til. Næste gang du logger ind, skal du også skrive koden fra din app."),
                  "info")
            return redirect(url_for("account.index"))
        form.code.errors = [*form.code.errors, _("Koden passer ikke. Skriv den 6-cifrede kode, som din app viser "
                                                 "lige nu.")]
    return _page(code=form, status=400)
