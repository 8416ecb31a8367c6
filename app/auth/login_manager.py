"""Flask-Login bound to the staff users: who is logged in, and where to log in."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.extensions import db, login


@login.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def init_app(app: Flask) -> None:
    login.init_app(app)
    login.login_view = "auth.login_view"
    login.login_message = _l("Log ind for at se siden.")
    login.login_message_category = "info"
