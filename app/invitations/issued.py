"""Freshly issued tokens, kept only in the issuing case worker's session.

The database holds hashes only, so the meeting screen and the hand-out PDF can show a
QR code only in the browser session that issued it. Elsewhere, re-issuing the links
that nobody has used yet gives new codes (the old ones stop working).
"""

from flask import session

KEEP_ROUNDS = 3  # a session cookie holds about 4 KB


def remember(round_id: int, issued: dict[int, str]) -> None:
    """Keep the tokens of a round in the session, beside those already kept."""
    kept = dict(session.get("issued", {}))
    merged = {**kept.pop(str(round_id), {}), **{str(k): v for k, v in issued.items()}}
    kept[str(round_id)] = merged
    session["issued"] = dict(list(kept.items())[-KEEP_ROUNDS:])


def recall(round_id: int) -> dict[int, str]:
    """Return the tokens this session issued for the round, by invitation id."""
    return {int(k): v for k, v in session.get("issued", {}).get(str(round_id), {}).items()}


def forget(round_id: int, invitation_id: int) -> None:
    """Drop a token that no longer works."""
    kept = dict(session.get("issued", {}))
    tokens = dict(kept.get(str(round_id), {}))
    if tokens.pop(str(invitation_id), None) is not None:
        kept[str(round_id)] = tokens
        session["issued"] = kept
