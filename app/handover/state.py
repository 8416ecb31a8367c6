"""The hand-over mode of a staff session, kept in the session on the server's side of the rules.

While the mode is on, the session reaches only the hand-over pages (confine, run before every
request): any other staff address goes to the neutral screen, which shows nothing. The mode
knows one round, and whether it is
- open: the case worker holds the device and picks who answers next (the pick page);
- handed over: one participant's form is on the device (`invitation`), locked until the case
  worker unlocks it again with their password or a fresh login at the identity provider.
After the participant sends or declines, the device stays locked on the neutral screen with no
participant. Paper answers are typed in by the case worker, so paper mode is never locked.
An idle session in the mode is locked on the neutral screen rather than ended on the case.
Every page is sent with Cache-Control: no-store (app.security), so back, reload and history
ask the server again, which answers from this state.
"""

from flask import Flask, redirect, request, session, url_for

from app.invitations.models import Round
from app.respond import pages

KEY = "handover"
HELP, PAPER = "help", "paper"
# What the session may reach while in the mode: the hand-over pages, their styles and scripts,
# and the public notices every respondent page links to.
OPEN_ENDPOINTS = {"static", "respond.privacy", "respond.accessibility"}
# Starting the mode anew is for a case worker outside it: inside it, "Afslut" comes first.
NOT_IN_MODE = {"handover.start"}


def can_hand_over(round_: Round) -> bool:
    """A round whose forms are the questionnaires (not a kind with its own page), still open."""
    return not round_.is_locked and pages.form_page(round_.kind) is None


def current() -> dict | None:
    """Return the session's hand-over state, or None outside the mode."""
    state = session.get(KEY)
    return state if isinstance(state, dict) and isinstance(state.get("round_id"), int) else None


def start(round_id: int, mode: str) -> None:
    session[KEY] = {"round_id": round_id, "mode": mode, "invitation_id": None, "locked": False, "lang": None}


def _save(state: dict) -> None:
    session[KEY] = dict(state)


def hand_over(invitation_id: int, lang: str) -> None:
    """Put one participant's form on the device, in their language: locked to it unless it is paper.
    Nothing of the participant before them carries over, their language choice included."""
    state = current()
    _save({**state, "invitation_id": invitation_id, "locked": state["mode"] == HELP, "lang": lang})


def done() -> None:
    """The participant has sent or declined: nobody's form is on the device any longer."""
    state = current()
    _save({**state, "invitation_id": None})


def lock() -> None:
    """Lock the device on the neutral screen (the session went idle): nobody's form is on it."""
    state = current()
    if state is not None:
        _save({**state, "invitation_id": None, "locked": True})


def unlock() -> None:
    state = current()
    _save({**state, "invitation_id": None, "locked": False, "lang": None})


def choose_language(lang: str) -> None:
    """The participant's language choice, kept for this participant only (a new one starts without it)."""
    _save({**current(), "lang": lang})


def end() -> None:
    session.pop(KEY, None)


def confine():
    """Send every request outside the hand-over pages to the neutral screen while the mode is on."""
    if current() is None or request.endpoint in OPEN_ENDPOINTS:
        return None
    if request.blueprint == "handover" and request.endpoint not in NOT_IN_MODE:
        return None
    return redirect(url_for("handover.returned"))


def init_app(app: Flask) -> None:
    app.before_request(confine)
