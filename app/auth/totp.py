"""Two-factor password login: a one-time code from an authenticator app (TOTP, RFC 6238, pyotp).

A user who has set it up (User.totp_secret) is asked for the 6-digit code after the password;
with SAMSTEM_REQUIRE_TOTP=1 a user without it sets it up at their next login (a QR code of the
provisioning address, and the key to type). The secret is kept sealed with the link keys
(app.sealing, SAMSTEM_LINK_KEY): a copy of the database alone gives no codes. Between the two
steps the session holds only the user's id and when the password was right, for a few minutes.

A code is used once (RFC 6238 §5.2): the time step of the code that logged the user in is
stored (User.totp_last_step), and a code of that step or an earlier one is refused. The step is
claimed with one compare-and-set UPDATE, so of two logins sending the same code at the same
moment only one passes (on PostgreSQL the second waits for the first's row lock, then finds the
step taken).
"""

import hmac
import time

import pyotp
import qrcode
import qrcode.image.svg
from flask import current_app, session
from sqlalchemy import or_, update
from sqlalchemy.orm import attributes as sqla_attributes

from app import sealing
from app.auth.models import User
from app.extensions import db

PENDING, SINCE, NEW_SECRET = "totp_user", "totp_since", "totp_new"
# Minutes the code may be typed in after the password was right.
PENDING_SECONDS = 5 * 60


def wanted(user: User) -> bool:
    """Whether the password login of this user must be followed by a code."""
    return user.totp_secret is not None or bool(current_app.config["REQUIRE_TOTP"])


def hold(user: User) -> None:
    """Remember, between the two steps, that the user's password was right."""
    session[PENDING], session[SINCE] = user.id, int(time.time())


def pending_id() -> int | None:
    if session.get(PENDING) is None or int(time.time()) - int(session.get(SINCE, 0)) > PENDING_SECONDS:
        return None
    return int(session[PENDING])


def release() -> None:
    for key in (PENDING, SINCE, NEW_SECRET):
        session.pop(key, None)


def new_secret() -> str:
    """A fresh secret for setting up, kept sealed in the session until the first code proves it."""
    if session.get(NEW_SECRET) is None or sealing.unseal(session[NEW_SECRET]) is None:
        session[NEW_SECRET] = sealing.seal(pyotp.random_base32())
    return sealing.unseal(session[NEW_SECRET])


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name="Samstem")


def qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage,
                        error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    return image.to_string(encoding="unicode")


def step_of(secret: str, code: str, at: float | None = None) -> int | None:
    """Return the time step whose code this is: now's, or half a minute either side; None if none."""
    code = "".join(code.split())
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(time.time() if at is None else at)
    for step in (now, now - 1, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def claim(user: User, step: int) -> bool:
    """Mark the time step as used by the user; False if it (or a later one) already was.

    One UPDATE that only changes the row when the stored step is older: it decides, not a read
    before it, so two requests with the same code cannot both pass.
    """
    claimed = db.session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        return False
    sqla_attributes.set_committed_value(user, "totp_last_step", step)
    return True


def check(user: User, code: str) -> bool:
    """Whether the code is the user's code now (or half a minute either side), and not used before."""
    secret = sealing.unseal(user.totp_secret) if user.totp_secret else None
    step = step_of(secret, code) if secret is not None else None
    return step is not None and claim(user, step)


def confirm(user: User, code: str) -> bool:
    """Store the new secret on the user if the code is right for it; the code counts as used."""
    secret = new_secret()
    step = step_of(secret, code)
    if step is None:
        return False
    user.totp_secret = sealing.seal(secret)
    user.totp_last_step = step
    session.pop(NEW_SECRET, None)
    return True


def reset(user: User) -> None:
    """Forget the user's two-factor set-up (a lost phone): the next login sets it up anew."""
    user.totp_secret = None
    user.totp_last_step = None
