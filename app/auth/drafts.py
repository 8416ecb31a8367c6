"""What a case worker was typing when their session ended, kept for them until they are back.

A form posted on an ended session (idle, too old, or ended elsewhere) cannot be saved: the
user must log in again. Its fields are kept here for the user the session belonged to,
if the post carries that session's valid CSRF token (so nobody can plant text for
someone else), and given back once: the first time that user opens the same page after
logging in again, the page's form is filled with them (app.forms.Form) and says so.
Nothing is saved until the user sends the form again. Kept DRAFT_HOURS at most.
"""

from datetime import timedelta

from flask import current_app, flash, request, session
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import ValidationError, validate_csrf
from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict

from app.auth.models import Draft
from app.extensions import db
from app.timestamps import utcnow

DRAFT_HOURS = 12
NOT_KEPT = {"csrf_token"}


def _csrf_ok() -> bool:
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return False
    return True


def keep(page: str) -> bool:
    """Keep the posted fields of an ended session for its user, to give back on `page`."""
    user_id = session.get("_user_id")
    fields = [[k, v] for k, v in request.form.items(multi=True) if k not in NOT_KEPT and v.strip()]
    if not (user_id and str(user_id).isdigit() and fields and _csrf_ok()):
        return False
    db.session.execute(delete(Draft).where(Draft.user_id == int(user_id), Draft.path == page))
    forget_old()
    db.session.add(Draft(user_id=int(user_id), path=page, fields=fields))
    return True


def forget_old() -> None:
    """Delete every kept text older than DRAFT_HOURS, whoever's it was: none is given back after that."""
    db.session.execute(delete(Draft).where(Draft.saved_at < utcnow() - timedelta(hours=DRAFT_HOURS)))


def take(user_id: int, page: str, names: set[str]) -> MultiDict | None:
    """Return (and forget) the user's kept fields for this page, if they belong to a form with `names`."""
    draft = db.session.scalar(
        select(Draft).where(Draft.user_id == user_id, Draft.path == page).order_by(Draft.id.desc()).limit(1)
    )
    if draft is None:
        return None
    if draft.saved_at < utcnow() - timedelta(hours=DRAFT_HOURS):
        db.session.delete(draft)
        return None
    if not {name for name, _ in draft.fields} <= names:
        return None  # another form on the page: leave it for the right one
    db.session.delete(draft)
    return MultiDict(draft.fields)


def give_back(form) -> MultiDict | None:
    """The staff forms' source of data on a GET (app.forms): what the user typed before their
    session ended, if it was on this page and for this form."""
    if request.method != "GET" or not current_user.is_authenticated:
        return None
    kept = take(current_user.id, request.path, set(form._fields))
    if kept is not None:
        flash(_("Det, du skrev, før du blev logget ud, er sat ind igen. Se det igennem, og gem det."), "info")
    return kept
