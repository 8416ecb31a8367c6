"""An invitation's status is derived from its timestamps and responses (STYLE.md habit 7)."""

from datetime import datetime, timedelta, timezone

import pytest

import app.models  # noqa: F401  (every mapped class must be known before use)
from app.invitations.models import Invitation, Response

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)


def _invitation(*, opened=False, revoked=False, expired=False, responses=()):
    invitation = Invitation(
        instrument_ids=["fit-outcome-child"],
        token_hash="x" * 64,
        issued_at=NOW - timedelta(days=1),
        expires_at=NOW - timedelta(seconds=1) if expired else NOW + timedelta(days=13),
        opened_at=NOW if opened else None,
        revoked_at=NOW if revoked else None,
    )
    for declined, superseded in responses:
        invitation.responses.append(
            Response(instrument_id="fit-outcome-child", instrument_version=1, answers={},
                     declined=declined, language="da", submitted_at=NOW,
                     superseded_at=NOW if superseded else None)
        )
    return invitation


@pytest.mark.parametrize(
    "facts, status",
    [
        ({}, "waiting"),
        ({"opened": True}, "opened"),
        ({"opened": True, "responses": [(False, False)]}, "answered"),
        ({"opened": True, "responses": [(True, False)]}, "declined"),
        # Answering after declining counts: the earlier decline is history.
        ({"opened": True, "responses": [(True, True), (False, False)]}, "answered"),
        ({"expired": True}, "expired"),
        ({"expired": True, "opened": True}, "expired"),
        # An answer given before expiry stays an answer.
        ({"expired": True, "responses": [(False, False)]}, "answered"),
        ({"revoked": True}, "revoked"),
        ({"revoked": True, "responses": [(False, False)]}, "revoked"),
    ],
)
def test_status_from_facts(facts, status):
    assert _invitation(**facts).status(NOW) == status


@pytest.mark.parametrize(
    "facts, usable",
    [({}, True), ({"expired": True}, False), ({"revoked": True}, False), ({"opened": True}, True)],
)
def test_link_is_usable_until_expired_or_revoked(facts, usable):
    # DESIGN.md §3: tokens expire (default 14 days) and are revocable.
    assert _invitation(**facts).usable(NOW) is usable
