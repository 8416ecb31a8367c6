"""How long a staff session lives, and how it ends.

A session begins at login and remembers three things in the signed session cookie: the
user's session version then, when it began, and when it was last used. It ends
- at logout, a password change or deactivation, for every browser at once: each raises
  the user's session_version, and a session whose number is older is refused;
- after SESSION_IDLE_MINUTES without use (default 30; pages warn before, static/session.js);
- SESSION_MAX_HOURS after login (default 12), used or not.
The round page's own reloads (?live=1) are not use: a page left open does not keep a
session alive. An ended session's user is logged out, and the login page says why.
"""

import time

from flask import Flask, current_app, g, request, session
from flask_babel import lazy_gettext as _l

from app.auth.models import User

VERSION, BEGAN, SEEN = "auth_version", "auth_began", "auth_seen"
# Written again at most this often, so a session cookie is not re-sent with every request.
TOUCH_SECONDS = 30

WHY = {
    "ended": _l("Du er logget ud, fordi din adgangskode er ændret, eller du er logget ud et andet sted."),
    "idle": _l("Du er logget ud, fordi du ikke har brugt Samstem i et stykke tid. Log ind igen for at fortsætte."),
    "expired": _l("Du har været logget ind længe, så du skal logge ind igen."),
}


def begin(user: User) -> None:
    now = int(time.time())
    session[VERSION], session[BEGAN], session[SEEN] = user.session_version, now, now


def idle_seconds() -> int:
    return int(current_app.config["SESSION_IDLE_MINUTES"]) * 60


def why_ended(user: User) -> str | None:
    """Return why this request's session may no longer act for the user, or None if it may."""
    now = int(time.time())
    if session.get(VERSION) != user.session_version:
        return "ended"
    if now - int(session.get(SEEN, 0)) > idle_seconds():
        return "idle"
    if now - int(session.get(BEGAN, 0)) > int(current_app.config["SESSION_MAX_HOURS"]) * 3600:
        return "expired"
    return None


def refuse(reason: str) -> None:
    """Forget the ended session's login; the login page will say why."""
    g.session_ended = reason


def ended_reason() -> str | None:
    return getattr(g, "session_ended", None)


def message(reason: str):
    return WHY[reason]


# Requests a page makes by itself, which are not the user's use of Samstem.
NOT_USE = {"auth.session_left", "static"}


def touch(response):
    """Note that a logged-in user used Samstem now (not for the round page's own reloads)."""
    used = (SEEN in session and "_user_id" in session and not request.args.get("live")
            and request.endpoint not in NOT_USE and getattr(g, "_login_user", None) is not None
            and ended_reason() is None)
    now = int(time.time())
    if used and now - int(session[SEEN]) >= TOUCH_SECONDS:
        session[SEEN] = now
    return response


def keep() -> None:
    session[SEEN] = int(time.time())


def seconds_left() -> int:
    """Seconds until this session ends for idleness (for the page's warning)."""
    return max(0, idle_seconds() - (int(time.time()) - int(session.get(SEEN, 0))))


def init_app(app: Flask) -> None:
    app.after_request(touch)
    app.jinja_env.globals["session_seconds_left"] = seconds_left


def past_max_hours() -> bool:
    """Whether this session began longer ago than SESSION_MAX_HOURS (used or not)."""
    return int(time.time()) - int(session.get(BEGAN, 0)) > int(current_app.config["SESSION_MAX_HOURS"]) * 3600
