"""Feedback rounds: proposing forms, issuing, re-issuing and revoking personal links."""

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _

from app import audit, tokens
from app.auth.models import User
from app.cases.models import Meeting, Person
from app.extensions import db
from app.instruments import (
    METHOD_MEETING_KINDS,
    Catalogue,
    Instrument,
    current_catalogue,
    propose,
)
from app.invitations import issued, kinds
from app.invitations.models import Invitation, Round
from app.settings import services as settings
from app.settings.catalogue import active_questionnaire, inactive
from app.timestamps import utcnow


class RoundError(ValueError):
    """A round cannot be opened as asked; the message tells the case worker why."""


def proposal(meeting: Meeting, catalogue: Catalogue | None = None) -> dict[int, list[Instrument]]:
    """Return the forms Samstem proposes for each participant of the meeting; none the organisation
    deactivated (issue 13), the next in line proposed instead."""
    catalogue = catalogue or current_catalogue()
    child_age = meeting.case.child_age(meeting.held_on)
    earlier = follows_method_meeting(meeting)
    most = current_app.config["PROPOSAL_MAX_FORMS"]
    return {
        person.id: [form for form in propose(
            catalogue,
            role=person.role,
            child_age=child_age,
            meeting_kind=meeting.kind,
            fit_exempt=person.fit_exempt,
            max_forms=most + len(inactive()),
            earlier_method_meeting=earlier,
        ) if active_questionnaire(form)][:most]
        for person in meeting.participants
    }


def follows_method_meeting(meeting: Meeting) -> bool:
    """Tell whether a network meeting or family group conference was held on the case before this
    meeting (an earlier date, or the same date recorded first)."""
    return any(
        other.kind in METHOD_MEETING_KINDS and (other.held_on, other.id) < (meeting.held_on, meeting.id)
        for other in meeting.case.meetings
    )


def expiry(issued_at: datetime, due_on: date | None) -> datetime:
    """Return when a link issued now stops working: TOKEN_DAYS on, and never before TOKEN_DAYS past the due date.

    An answer after the due date is still accepted (and marked late), so a link must outlive it.
    """
    days = timedelta(days=settings.get("token_days"))
    expires = issued_at + days
    if due_on is not None:
        # The end of the due day (UTC midnight after it; generous by the zone offset) plus the grace.
        after_due = datetime.combine(due_on + timedelta(days=1), time(), tzinfo=UTC) + days
        expires = max(expires, after_due)
    return expires


def issue_token(invitation: Invitation) -> str:
    """Give the invitation a fresh token and expiry; return the token (stored only hashed and sealed)."""
    token = tokens.new_token()
    invitation.token_hash = tokens.hash_token(token)
    issued.seal(invitation, token)
    invitation.issued_at = utcnow()
    invitation.expires_at = expiry(invitation.issued_at, invitation.round.due_on if invitation.round else None)
    invitation.revoked_at = None
    # A new link: not opened, not reminded of yet.
    invitation.opened_at = invitation.reminded_at = None
    return token


def open_round(
    meeting: Meeting,
    user: User,
    choices: Mapping[int, Sequence[str]],
    *,
    kind: str = "feedback",
    due_on: date | None = None,
) -> tuple[Round, dict[int, str]]:
    """Open a round with one invitation per chosen person; return the tokens by invitation id.

    A feedback or see-happen round asks the meeting's participants for the forms chosen; a
    kind with a form of its own (the status) asks any of the case's people for that form.
    """
    round_kind = kinds.round_kind(kind)
    people = {p.id: p for p in (meeting.case.people if round_kind.asks_whole_case else meeting.participants)}
    chosen = {pid: list(ids) for pid, ids in choices.items() if ids}
    if not chosen:
        raise RoundError(_("Vælg mindst ét skema til mindst én deltager."))
    asked = []
    for person_id, instrument_ids in chosen.items():
        person = people.get(person_id)
        if person is None:
            raise RoundError(_("En af de valgte personer deltog ikke i mødet."))
        asked.append((person, [round_kind.own_form] if round_kind.own_form else _forms_for(person, instrument_ids)))
    return start_round(meeting, user, kind, asked, due_on=due_on)


def _forms_for(person: Person, instrument_ids: Sequence[str]) -> list[str]:
    """Return the chosen questionnaires in the order the page shows them; FIT never for an exempt person."""
    catalogue = current_catalogue()
    instruments = sorted((catalogue.get(i) for i in instrument_ids), key=lambda i: (i.priority, i.id))
    if person.fit_exempt and any(i.is_fit for i in instruments):
        raise RoundError(_("%(name)s er fritaget for FIT og kan ikke få et FIT-skema.", name=person.first_name))
    return [i.id for i in instruments]


def start_round(
    meeting: Meeting, user: User, kind: str, asked: Sequence[tuple[Person, list[str]]], *, due_on: date | None = None
) -> tuple[Round, dict[int, str]]:
    """Open a round of the kind with a personal link per person for their forms (there may be
    none, when staff score together); return the tokens by invitation id."""
    meeting.case.refuse_if_closed()
    round_ = Round(meeting=meeting, created_by_id=user.id, kind=kind, due_on=due_on)
    db.session.add(round_)
    pending: list[tuple[Invitation, str]] = []
    for person, form_ids in asked:
        invitation = Invitation(person=person, instrument_ids=form_ids)
        round_.invitations.append(invitation)
        pending.append((invitation, issue_token(invitation)))
    db.session.flush()
    issued = {invitation.id: token for invitation, token in pending}
    audit.record("round.open", meeting.case_id, round_id=round_.id, kind=kind, invitations=list(issued))
    return round_, issued


def reissue(invitation: Invitation) -> str:
    """Replace the invitation's token: the old link stops working at once, wherever it was
    shown, printed or sent."""
    invitation.round.meeting.case.refuse_if_closed()
    token = issue_token(invitation)
    audit.record("invitation.reissue", invitation.round.meeting.case_id, invitation_id=invitation.id)
    return token


def revoke(invitation: Invitation) -> None:
    """Stop the invitation's link from working, and forget it."""
    invitation.revoked_at = utcnow()
    issued.destroy(invitation)
    audit.record("invitation.revoke", invitation.round.meeting.case_id, invitation_id=invitation.id)
