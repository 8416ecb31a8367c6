"""Staff login, logout, and the two requests of the warning before an unused session ends."""

import math
import secrets
import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app import audit
from app.auth import drafts, idp_users, oidc, sessions, totp
from app.auth.forms import CodeForm, LoginForm
from app.auth.models import User
from app.extensions import db, limiter
from app.timestamps import utcnow

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    """Accept only a local path as the place to return to after login."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _account() -> str:
    """The limit on failed logins counts per user name, known or not, whatever the address."""
    return "login:" + request.form.get("username", "").strip().lower()[:80]


def _account_locked(limit):
    """Say how long to wait as the configured limit has it (LOGIN_FAILURE_LIMIT), never a fixed time."""
    form = LoginForm()
    form.validate()
    # reset_at is rounded up to the next whole second.
    minutes = max(1, math.ceil((limit.reset_at - 1 - time.time()) / 60))
    flash(ngettext("Der har været for mange forkerte forsøg med dette brugernavn. Vent %(num)d minut, "
                   "og prøv igen, eller bed en administrator om hjælp.",
                   "Der har været for mange forkerte forsøg med dette brugernavn. Vent %(num)d minutter, "
                   "og prøv igen, eller bed en administrator om hjælp.", minutes), "error")
    return make_response(_login_page(form), 429)


def _login_page(form: LoginForm) -> str:
    return render_template("auth/login.html", form=form, oidc=oidc.configured(),
                           password_login=current_app.config["PASSWORD_LOGIN"])


def _begin(user: User, method: str):
    """Begin the staff session of a user who has proved who they are; return where to go."""
    next_page = request.args.get("next") if method == "password" else session.pop("login_next", None)
    login_user(user)
    user.last_login_at = utcnow()
    sessions.begin(user)
    drafts.forget_old()
    audit.record("login", method=method)
    return redirect(_safe_next(next_page) or url_for("cases.index"))


def _check(username: str, password: str) -> User | None:
    """Return the user if the password is theirs. An unknown name takes the same hash check as a
    known one, so a refusal never tells whether the name exists."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        check_password_hash(_unknown_user_hash(), password)
        return None
    if not (user.check_password(password) and user.active):
        return None
    return user


def _unknown_user_hash() -> str:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if _UNKNOWN.get(method) is None:
        _UNKNOWN[method] = generate_password_hash(secrets.token_hex(16), method)
    return _UNKNOWN[method]


_UNKNOWN: dict[str, str] = {}


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"], deduct_when=lambda r: r.status_code != 302)
@limiter.limit(lambda: current_app.config["LOGIN_FAILURE_LIMIT"], key_func=_account, methods=["POST"],
               deduct_when=lambda r: r.status_code != 302, on_breach=_account_locked)
def login_view():
    if current_user.is_authenticated:
        return redirect(url_for("cases.index"))
    form = LoginForm()
    if request.method == "POST" and not current_app.config["PASSWORD_LOGIN"]:
        flash(_("Der logges ind med kommunens login."), "error")
        return _login_page(form), 403
    if form.validate_on_submit():
        username = form.username.data.strip()
        user = _check(username, form.password.data)
        if user is not None and totp.wanted(user):
            totp.hold(user)
            session["login_next"] = _safe_next(request.args.get("next"))
            return redirect(url_for("auth.login_code"))
        if user is not None:
            return _begin(user, "password")
        known = db.session.scalar(select(User.id).where(User.username == username))
        audit.record("login.failed", user=known)  # never the name typed: it may be a password
        flash(_("Brugernavn eller adgangskode er forkert."), "error")
    return _login_page(form), 200


def _code_account() -> str:
    """The limit on wrong codes counts per user whose password was right."""
    return f"totp:{session.get(totp.PENDING)}"


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"], deduct_when=lambda r: r.status_code != 302)
@limiter.limit(lambda: current_app.config["LOGIN_FAILURE_LIMIT"], key_func=_code_account, methods=["POST"],
               deduct_when=lambda r: r.status_code != 302)
def login_code():
    """The second step of a password login: the code from the user's app (set up here the first time)."""
    user_id = totp.pending_id()
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None or not user.active or not current_app.config["PASSWORD_LOGIN"]:
        totp.release()
        flash(_("Log ind igen: der gik for lang tid, før koden blev skrevet."), "info")
        return redirect(url_for("auth.login_view"))
    setting_up = user.totp_secret is None
    form = CodeForm()
    if form.validate_on_submit():
        if totp.confirm(user, form.code.data) if setting_up else totp.check(user, form.code.data):
            totp.release()
            response = _begin(user, "password+totp")
            if setting_up:
                audit.record("totp.setup")
            return response
        audit.record("login.failed", user=user.id, method="totp")
        flash(_("Koden passer ikke. Skriv den 6-cifrede kode, som din app viser lige nu."), "error")
    secret = totp.new_secret() if setting_up else None
    qr = totp.qr_svg(totp.provisioning_uri(user, secret)) if secret else None
    return render_template("auth/login_code.html", form=form, secret=secret, qr=qr), 200


@bp.route("/login/oidc")
@limiter.limit("10 per minute")
def oidc_login():
    """Go to the identity provider's login."""
    if not oidc.configured():
        abort(404)
    session["login_next"] = _safe_next(request.args.get("next"))
    try:
        return oidc.start()
    except oidc.TokenRefused as error:
        current_app.logger.warning("OpenID Connect login could not start: %s", error)
        flash(_("Kommunens login svarer ikke lige nu. Prøv igen om lidt."), "error")
        return redirect(url_for("auth.login_view"))


@bp.route("/login/oidc/callback")
@limiter.limit("10 per minute")
def oidc_callback():
    """Back from the identity provider: check its answer, find the user, begin their session."""
    if not oidc.configured():
        abort(404)
    try:
        user = idp_users.user_for(oidc.finish())
    except oidc.TokenRefused as error:
        current_app.logger.warning("OpenID Connect login refused: %s", error)
        audit.record("login.failed", method="oidc", reason="token")
        flash(_("Login gennem kommunens login lykkedes ikke. Prøv igen."), "error")
        return redirect(url_for("auth.login_view"))
    except idp_users.Refused as refused:
        audit.record("login.failed", user=refused.user_id, method="oidc", reason=refused.reason)
        flash(idp_users.WHY[refused.reason], "error")
        return redirect(url_for("auth.login_view"))
    return _begin(user, "oidc")


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out here and everywhere else the user is logged in."""
    current_user.end_sessions()
    audit.record("logout")
    logout_user()
    flash(_("Du er logget ud."), "info")
    return redirect(url_for("auth.login_view"))


# The two requests static/session.js makes answer 401 for an ended session rather than
# going to the login page, which would forget the session a form's post still needs to
# keep what the user typed (app.auth.drafts).


@bp.route("/session/keep", methods=["POST"])
def keep_session():
    """The page's "Bliv logget ind" button: the user is still here."""
    if not current_user.is_authenticated:
        return {"left": 0}, 401
    sessions.keep()
    return {"left": sessions.seconds_left()}


@bp.route("/session/left")
def session_left():
    """Seconds until the session ends unused; asked by static/session.js, and not itself use."""
    return {"left": sessions.seconds_left() if current_user.is_authenticated else 0}
