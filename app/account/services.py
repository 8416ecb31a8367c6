"""Changes a user makes to their own account; each audited."""

from flask_babel import gettext as _

from app import audit
from app.auth import sessions, totp
from app.auth.models import User
from app.users.services import Refused


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; other sessions end, this one goes on."""
    if not user.check_password(current):
        raise Refused(_("Din nuværende adgangskode er forkert."), "current")
    if current == new:
        raise Refused(_("Den nye adgangskode skal være en anden end den nuværende."), "password")
    user.set_password(new)  # raises the session version: every other browser is logged out
    sessions.begin(user)
    audit.record("account.password")


def set_up_totp(user: User, code: str) -> bool:
    """Turn on two-factor login with the secret shown on the page, if the code from the app proves it."""
    if user.totp_secret is not None:
        raise Refused(_("To-trins-login er allerede slået til."))
    if not totp.confirm(user, code):
        return False
    audit.record("totp.setup")
    return True
