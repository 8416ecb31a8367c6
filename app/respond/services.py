"""What a respondent's token lets them do: open, answer, decline. Checked here only."""

import logging

from flask import current_app

from app import tokens
from app.extensions import db
from app.instruments import Instrument, find_form
from app.invitations.models import Invitation, Response
from app.timestamps import utcnow

log = logging.getLogger(__name__)


def find_invitation(token: str) -> Invitation | None:
    """Return the invitation a token opens, or None if it is unknown, expired or revoked."""
    if not tokens.is_well_formed(token):
        return None
    invitation = db.session.scalar(
        db.select(Invitation).where(Invitation.token_hash == tokens.hash_token(token))
    )
    if invitation is None or not invitation.usable():
        log.info("token refused", extra={"invitation": invitation.id if invitation else None})
        return None
    return invitation


def instruments_of(invitation: Invitation) -> list[Instrument]:
    """Return the invitation's forms that the catalogues still hold, outcome before session."""
    # An indicator round's form lives in forms/indicators/; the engine finds it by id too, with
    # the id, version, minutes and priority a response, the intro page and declining need.
    found = [form for form in map(find_form, invitation.instrument_ids) if form is not None]
    return sorted(found, key=lambda i: (i.priority, i.id))


def mark_opened(invitation: Invitation) -> None:
    """Record the first time the link was opened."""
    if invitation.opened_at is None:
        invitation.opened_at = utcnow()
        log.info("invitation %s opened", invitation.id)


def _replace(invitation: Invitation, instrument: Instrument, answers: dict, declined: bool, lang: str) -> None:
    now = utcnow()
    for old in invitation.current_responses:
        if old.instrument_id != instrument.id:
            continue
        if old.answers == answers and old.declined == declined:
            return  # the same answer sent twice (a double click) is no new version
        old.superseded_at = now
    # The superseded row must reach the database before the new current one.
    db.session.flush()
    invitation.responses.append(
        Response(
            instrument_id=instrument.id,
            instrument_version=instrument.version,
            answers=answers,
            declined=declined,
            language=lang,
            submitted_at=now,
        )
    )


def submit(invitation: Invitation, answers: dict[str, dict], lang: str) -> None:
    """Store one current response per form; earlier answers stay as history."""
    for instrument in instruments_of(invitation):
        _replace(invitation, instrument, answers.get(instrument.id, {}), False, lang)
    mark_opened(invitation)
    log.info("invitation %s answered", invitation.id)


def decline(invitation: Invitation, lang: str) -> None:
    """Record "I don't want to answer" as a real answer to every form."""
    for instrument in instruments_of(invitation):
        _replace(invitation, instrument, {}, True, lang)
    mark_opened(invitation)
    log.info("invitation %s declined", invitation.id)


def organisation() -> str:
    return current_app.config["ORGANISATION_NAME"]


class OwnForm:
    """A form a round kind draws itself (e.g. the provider status): its id and version for the response."""

    def __init__(self, instrument_id: str, version: int) -> None:
        self.id, self.version = instrument_id, version


def submit_own(invitation: Invitation, form: OwnForm, answers: dict, lang: str) -> None:
    """Store the answer to a round kind's own form (anything with an id and a version, such as
    an indicator form); an earlier answer stays as history."""
    _replace(invitation, form, answers, False, lang)  # type: ignore[arg-type]
    mark_opened(invitation)
    log.info("invitation %s answered", invitation.id)
