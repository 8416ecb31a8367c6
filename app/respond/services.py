"""What a respondent's token lets them do: open, answer, decline. Checked here only.

Two answers on one link: the same submission (one rendered form, app.forms.SubmissionField)
or the same answer again is stored once; a different one replaces the earlier, which stays
as history (superseded_at). Writes on one link are serialised by
a lock on the invitation's row, taken inside the transaction that writes, and the round's
lock is checked in that same transaction; the request boundary's commit then has nothing
left to race on, so a sender is thanked only for an answer that is stored.
"""

import logging
from collections.abc import Iterable
from datetime import date
from typing import Protocol

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app import tokens
from app.cases import news
from app.cases.models import Case, Meeting
from app.extensions import db
from app.instruments import Instrument, find_form, score
from app.invitations.locks import hold_round_open
from app.invitations.models import Invitation, Response, Round
from app.reconcile.signals import Measurement, signal_level
from app.settings import services as settings
from app.timestamps import utcnow

log = logging.getLogger(__name__)

# The item types a respondent writes in with their own words (app.instruments.catalogue).
TEXT_ITEMS = ("text", "longtext")


class RoundLocked(Exception):
    """The round was locked before the answer could be stored; nothing was stored."""

    def __init__(self, invitation: Invitation) -> None:
        self.invitation = invitation


class Form(Protocol):
    """What a response records of the form it answers: an instrument, an indicator form, an OwnForm."""

    id: str
    version: int


def find_invitation(token: str) -> Invitation | None:
    """Return the invitation a token opens, or None if it is unknown, expired or revoked.

    One statement loads what every respondent page shows: the round, meeting, case, the
    case's people and case worker, and the person asked.
    """
    if not tokens.is_well_formed(token):
        return None
    case = joinedload(Invitation.round).joinedload(Round.meeting).joinedload(Meeting.case)
    invitation = db.session.execute(
        select(Invitation)
        .where(Invitation.token_hash == tokens.hash_token(token))
        .options(joinedload(Invitation.person), case.joinedload(Case.people), case.joinedload(Case.caseworker))
    ).unique().scalar_one_or_none()
    if invitation is None or not invitation.usable():
        log.info("token refused", extra={"invitation": invitation.id if invitation else None})
        return None
    return invitation


def instruments_of(invitation: Invitation) -> list[Instrument]:
    """Return the invitation's forms that the catalogues still hold, outcome before session,
    each in the words of its reader: a child of 9, a young person of 16 and an adult each read
    their own (issue 11 items 4 and 5)."""
    # An indicator round's form lives in forms/indicators/; the engine finds it by id too, with
    # the id, version, minutes and priority a response, the intro page and declining need.
    found = [form for form in map(find_form, invitation.instrument_ids) if form is not None]
    meeting = invitation.round.meeting
    age = meeting.case.child_age(meeting.held_on)
    worded = [form.for_respondent(invitation.person.role, age) if isinstance(form, Instrument) else form
              for form in found]
    return sorted(worded, key=lambda i: (i.priority, i.id))


def mark_opened(invitation: Invitation) -> None:
    """Record the first time the link was opened.

    One UPDATE that keeps an earlier opening, not a change to the loaded object: the request
    boundary's commit then has nothing to flush (the unit of work is a quarter of a form page's cost).
    """
    if invitation.opened_at is None:
        now = utcnow()
        db.session.execute(
            update(Invitation)
            .where(Invitation.id == invitation.id, Invitation.opened_at.is_(None))
            .values(opened_at=now, sealed_token=None)  # an opened link is never shown or sent again
            .execution_options(synchronize_session=False)
        )
        set_committed_value(invitation, "opened_at", now)
        set_committed_value(invitation, "sealed_token", None)
        log.info("invitation %s opened", invitation.id)


def _hold(invitation: Invitation) -> None:
    """Serialise writes on this link and check its round, inside the writing transaction.

    The UPDATE is the transaction's first write: on PostgreSQL it locks the invitation's row,
    so a second request on the link waits here until the first has committed; on SQLite it
    takes the database's write lock, which a concurrent writer waits for. It also records
    the opening, which a posted answer implies. Raises RoundLocked for a locked round.
    """
    now = utcnow()
    db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id)
        .values(opened_at=func.coalesce(Invitation.opened_at, now), sealed_token=None)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(invitation, "sealed_token", None)
    if invitation.opened_at is None:
        set_committed_value(invitation, "opened_at", now)
        log.info("invitation %s opened", invitation.id)
    if not hold_round_open(invitation.round_id):
        raise RoundLocked(invitation)
    # Read again what another request on this link stored while this one waited.
    db.session.expire(invitation, ["responses"])


def _store(invitation: Invitation, answers: Iterable[tuple[Form, dict]], declined: bool, lang: str,
           submission: str | None, given: dict | None = None) -> bool:
    """Store each form's answer as the current response, once per submission; return whether
    anything new was stored.

    The link's lock makes the writes on it take turns, so each sees what the one before
    stored. The database's unique indexes stand behind that: a write that met another
    anyway (none should) is rolled back and made again from the top, where it finds what the
    other stored; the sender is thanked either way, never shown an error.
    """
    answers, invitation_id = list(answers), invitation.id
    try:
        return _write(invitation, answers, declined, lang, submission, given)
    except IntegrityError:
        db.session.rollback()
        log.warning("invitation %s: a write met another on the link; written again", invitation_id)
        return _write(invitation, answers, declined, lang, submission, given)


def _write(invitation: Invitation, answers: list[tuple[Form, dict]], declined: bool, lang: str,
           submission: str | None, given: dict | None = None) -> bool:
    """Store what changed; the same submission again, or an unchanged answer, is not stored again.

    `given`: how the answer came in when not on the respondent's own device (GIVEN_WITH_HELP,
    given_on_paper), stored with each response."""
    _hold(invitation)
    scored = {form.id: _scored(form, answer, declined) for form, answer in answers}
    earlier = _load_responses(invitation, [form for form, _ in answers if scored[form.id]["score_total"] is not None])
    sent = {r.instrument_id: r for r in invitation.responses if submission is not None and r.submission_id == submission}
    if sent and all(_same(sent[form.id], answer, declined) for form, answer in answers if form.id in sent):
        return False  # this very form was stored already (a double tap, a retry): the same thank-you
    # Not stored yet, or sent again changed (a page the browser kept, edited): a new answer.
    now = utcnow()
    current = {r.instrument_id: r for r in invitation.current_responses}
    person = invitation.person
    superseded, new = [], []
    for form, answer in answers:
        old = current.get(form.id)
        if old is not None and _same(old, answer, declined):
            continue  # the same answer sent twice (a double click) is no new version
        if old is not None:
            superseded.append(old.id)
        new.append({"invitation_id": invitation.id, "instrument_id": form.id, "instrument_version": form.version,
                    "answers": answer, "declined": declined, "language": lang, "submitted_at": now,
                    "submission_id": None if form.id in sent else submission,
                    "respondent_role": person.role, "respondent_relation": person.relation,
                    **scored[form.id], "signal_level": _signal(invitation, form, answer, scored[form.id], earlier),
                    **(given or {})})
    # One statement each, the superseded rows first: the database allows one current response per form.
    if superseded:
        db.session.execute(
            update(Response).where(Response.id.in_(superseded)).values(superseded_at=now)
            .execution_options(synchronize_session=False)
        )
    if new:
        db.session.execute(insert(Response), new)
    db.session.expire(invitation, ["responses"])
    return bool(new)


def _scored(form: Form, answer: dict, declined: bool) -> dict:
    """The form's total and mean as the scoring makes them, stored with the answer (issue 14
    item 5): figures read them from columns, not by scoring every answer again."""
    if declined or not isinstance(form, Instrument):
        return {"score_total": None, "score_mean": None}
    scored = score(form, answer)
    return {"score_total": scored.total, "score_mean": scored.mean}


def _load_responses(invitation: Invitation, forms: list[Form]) -> dict[str, list[Measurement]]:
    """Load the link's responses, and with them, in the same statement, the person's earlier
    complete FIT totals on these forms in the case, oldest first by meeting: what the signals of a
    new answer are read against (issue 14 item 5). Returns those by form id; without a FIT form
    with a total the responses load as before, on their own."""
    fit = [form.id for form in forms if isinstance(form, Instrument) and form.is_fit]
    if not fit:
        return {}
    round_ = invitation.round
    meeting = round_.meeting
    earlier = and_(Response.instrument_id.in_(fit), Response.superseded_at.is_(None), Response.declined.is_(False),
                   Response.score_total.is_not(None),
                   or_(Meeting.held_on < meeting.held_on, and_(Meeting.held_on == meeting.held_on, Round.id < round_.id)))
    rows = db.session.execute(
        select(Response, Meeting.held_on)
        .join(Invitation, Invitation.id == Response.invitation_id)
        .join(Round, Round.id == Invitation.round_id)
        .join(Meeting, Meeting.id == Round.meeting_id)
        .where(Invitation.person_id == invitation.person_id, Meeting.case_id == meeting.case_id,
               or_(Response.invitation_id == invitation.id, earlier))
        .order_by(Meeting.held_on, Round.id, Response.id)
    ).all()
    set_committed_value(invitation, "responses", sorted((r for r, _ in rows if r.invitation_id == invitation.id),
                                                        key=lambda r: r.id))
    series: dict[str, list[Measurement]] = {}
    for response, held_on in rows:
        if response.invitation_id != invitation.id:
            series.setdefault(response.instrument_id, []).append(
                Measurement(response.score_total, response.answers or {}, meeting.case.child_age(held_on)))
    return series


def _signal(invitation: Invitation, form: Form, answer: dict, scored: dict,
            earlier: dict[str, list[Measurement]]) -> str | None:
    """The most urgent FIT signal level of the new answer as it is saved (issue 14 item 5), read
    against the person's earlier answers in meeting order; None without a complete FIT total."""
    if scored["score_total"] is None or not isinstance(form, Instrument) or not form.is_fit:
        return None
    meeting = invitation.round.meeting
    latest = Measurement(scored["score_total"], answer, meeting.case.child_age(meeting.held_on))
    return signal_level(form, [*earlier.get(form.id, []), latest])


def _written(instrument: Instrument, answer: dict) -> bool:
    """Tell whether an answer to a questionnaire has words in any of its free-text items."""
    items = instrument.items if isinstance(instrument, Instrument) else ()
    return any(item.type in TEXT_ITEMS and str(answer.get(item.key) or "").strip() for item in items)


def _same(response: Response, answer: dict, declined: bool) -> bool:
    return response.answers == answer and response.declined == declined


# How an answer came in (Response.answered_with), passed as `given` by the hand-over pages (app.handover).
GIVEN_WITH_HELP = {"answered_with": "help"}


def given_on_paper(dated: date) -> dict:
    return {"answered_with": "paper", "paper_dated": dated}


def submit(invitation: Invitation, answers: dict[str, dict], lang: str, submission: str | None = None,
           given: dict | None = None) -> None:
    """Store one current response per form; earlier answers stay as history.

    A new answer with something written in it is news for the case worker (app.cases.news).
    """
    instruments = instruments_of(invitation)
    if _store(invitation, [(i, answers.get(i.id, {})) for i in instruments], False, lang, submission, given) and any(
        _written(i, answers.get(i.id, {})) for i in instruments
    ):
        news.tell_caseworker(invitation.round.meeting.case)
    log.info("invitation %s answered", invitation.id)


def decline(invitation: Invitation, lang: str, submission: str | None = None, given: dict | None = None) -> None:
    """Record "I don't want to answer" as a real answer to every form."""
    _store(invitation, [(i, {}) for i in instruments_of(invitation)], True, lang, submission, given)
    log.info("invitation %s declined", invitation.id)


def organisation() -> str:
    return settings.get("organisation_name")


class OwnForm:
    """A form a round kind draws itself (e.g. the provider status): its id and version for the response."""

    def __init__(self, instrument_id: str, version: int) -> None:
        self.id, self.version = instrument_id, version


def submit_own(invitation: Invitation, form: Form, answers: dict, lang: str, *, submission: str | None = None,
               written: bool = False) -> None:
    """Store the answer to a round kind's own form (anything with an id and a version, such as
    an indicator form), once per submission; an earlier answer stays as history.

    `written`: the caller's word that the answer has free text in it, news for the case worker.
    """
    if _store(invitation, [(form, answers)], False, lang, submission) and written:
        news.tell_caseworker(invitation.round.meeting.case)
    log.info("invitation %s answered", invitation.id)
