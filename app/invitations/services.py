"""Feedback rounds: proposing forms, issuing, re-issuing and revoking personal links."""

from collections.abc import Mapping, Sequence
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from app import audit, tokens
from app.auth.models import User
from app.cases.models import Meeting
from app.extensions import db
from app.instruments import Catalogue, Instrument, current_catalogue, propose
from app.invitations.models import Invitation, Round
from app.timestamps import utcnow


class RoundError(ValueError):
    """A round cannot be opened as asked; the message tells the case worker why."""


def proposal(meeting: Meeting, catalogue: Catalogue | None = None) -> dict[int, list[Instrument]]:
    """Return the forms Samstem proposes for each participant of the meeting."""
    catalogue = catalogue or current_catalogue()
    child_age = meeting.case.child_age(meeting.held_on)
    return {
        person.id: propose(
            catalogue,
            role=person.role,
            child_age=child_age,
            meeting_kind=meeting.kind,
            fit_exempt=person.fit_exempt,
            max_forms=current_app.config["PROPOSAL_MAX_FORMS"],
        )
        for person in meeting.participants
    }


def _issue(invitation: Invitation) -> str:
    """Give the invitation a fresh token and expiry; return the token (never stored)."""
    token = tokens.new_token()
    invitation.token_hash = tokens.hash_token(token)
    invitation.issued_at = utcnow()
    invitation.expires_at = invitation.issued_at + timedelta(days=current_app.config["TOKEN_DAYS"])
    invitation.revoked_at = None
    return token


def open_round(meeting: Meeting, user: User, choices: Mapping[int, Sequence[str]]) -> tuple[Round, dict[int, str]]:
    """Open a round with one invitation per chosen participant; return the tokens by invitation id."""
    catalogue = current_catalogue()
    people = {p.id: p for p in meeting.participants}
    chosen = {pid: list(ids) for pid, ids in choices.items() if ids}
    if not chosen:
        raise RoundError(_("Vælg mindst ét skema til mindst én deltager."))
    round_ = Round(meeting=meeting, created_by_id=user.id)
    db.session.add(round_)
    pending: list[tuple[Invitation, str]] = []
    for person_id, instrument_ids in chosen.items():
        person = people.get(person_id)
        if person is None:
            raise RoundError(_("En af de valgte personer deltog ikke i mødet."))
        instruments = sorted((catalogue.get(i) for i in instrument_ids), key=lambda i: (i.priority, i.id))
        if person.fit_exempt and any(i.is_fit for i in instruments):
            raise RoundError(_("%(name)s er fritaget for FIT og kan ikke få et FIT-skema.", name=person.first_name))
        invitation = Invitation(person=person, instrument_ids=[i.id for i in instruments])
        round_.invitations.append(invitation)
        pending.append((invitation, _issue(invitation)))
    db.session.flush()
    issued = {invitation.id: token for invitation, token in pending}
    audit.record("round.open", meeting.case_id, round_id=round_.id, invitations=list(issued))
    return round_, issued


def reissue(invitation: Invitation) -> str:
    """Replace the invitation's token: the old link stops working at once."""
    token = _issue(invitation)
    audit.record("invitation.reissue", invitation.round.meeting.case_id, invitation_id=invitation.id)
    return token


def revoke(invitation: Invitation) -> None:
    """Stop the invitation's link from working."""
    invitation.revoked_at = utcnow()
    audit.record("invitation.revoke", invitation.round.meeting.case_id, invitation_id=invitation.id)
