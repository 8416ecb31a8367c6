"""Two-factor password login: a one-time code from an authenticator app (TOTP, RFC 6238, pyotp).

A user who has set it up (User.totp_secret) is asked for the 6-digit code after the password;
with SAMSTEM_REQUIRE_TOTP=1 a user without it sets it up at their next login (a QR code of the
provisioning address, and the key to type). The secret is kept sealed with the link keys
(app.sealing, SAMSTEM_LINK_KEY): a copy of the database alone gives no codes. Between the two
steps the session holds only the user's id and when the password was right, for a few minutes.
"""

import time

import pyotp
import qrcode
import qrcode.image.svg
from flask import current_app, session

from app import sealing
from app.auth.models import User

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


def _matches(secret: str, code: str) -> bool:
    code = "".join(code.split())
    return len(code) == 6 and code.isdigit() and pyotp.TOTP(secret).verify(code, valid_window=1)


def check(user: User, code: str) -> bool:
    """Whether the code is the user's code now (or half a minute either side)."""
    secret = sealing.unseal(user.totp_secret) if user.totp_secret else None
    return secret is not None and _matches(secret, code)


def confirm(user: User, code: str) -> bool:
    """Store the new secret on the user if the code is right for it."""
    secret = new_secret()
    if not _matches(secret, code):
        return False
    user.totp_secret = sealing.seal(secret)
    return True
