"""Flask-Login bound to the staff users: who is logged in, for how long, and where to log in."""

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from app import forms
from app.auth import drafts, oidc, sessions
from app.auth.models import User
from app.extensions import db, login

LOGIN_MESSAGE = _l("Log ind for at se siden.")


@login.user_loader
def load_user(user_id: str) -> User | None:
    """Return the session's user while the session may act for them (app.auth.sessions)."""
    if not user_id.isdigit():
        return None
    # With the team and roles: the pages name them, and a template must not have to query for it.
    user = db.session.get(User, int(user_id), options=[joinedload(User.team), joinedload(User.role_rows)])
    if user is None or not user.active:
        return None
    reason = sessions.why_ended(user)
    if reason is not None:
        sessions.refuse(reason)
        return None
    return user


def _page_to_return_to() -> str:
    """The page to come back to after logging in: this one, or for a form's post, its page."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    try:
        current_app.url_map.bind_to_environ(request.environ).match(request.path, method="GET")
        return request.path
    except (MethodNotAllowed, NotFound, RequestRedirect):
        referrer, host = request.referrer or "", request.host_url
        return "/" + referrer[len(host):] if referrer.startswith(host) else url_for("cases.index")


def unauthorized():
    """Send the user to the login page, saying why, and keep what an ended session was sending."""
    reason = sessions.ended_reason()
    page = _page_to_return_to()
    kept = request.method == "POST" and reason is not None and drafts.keep(page)
    for key in [k for k in session if not k.startswith("_flashes")]:
        session.pop(key)
    if reason is not None:
        flash(sessions.message(reason), "info")
        if kept:
            flash(_l("Det, du var ved at skrive, er gemt til dig. Du finder det igen, når du har logget ind."), "info")
    else:
        flash(LOGIN_MESSAGE, "info")
    return redirect(url_for("auth.login_view", next=page))


def init_app(app: Flask) -> None:
    login.init_app(app)
    login.login_view = "auth.login_view"
    login.unauthorized_handler(unauthorized)
    sessions.init_app(app)
    oidc.init_app(app)
    if drafts.give_back not in forms.formdata_sources:
        forms.formdata_sources.append(drafts.give_back)
