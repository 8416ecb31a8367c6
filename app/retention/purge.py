"""The retention purge (issue 12 item 15; DESIGN.md section 3 "Retention").

A configurable number of days after a case closes (its closing in force, app.cases.closure),
the purge irreversibly removes the case's personal data: its answers, free texts, and people's
names and contact details. What stays is what the figures count: the case's rows, codes,
numbers and dates, the child's birth year, people's roles. It never purges a case with a
decision in force not yet filed in the case system ("Journaliseret i fagsystemet"): that case
is held back and reported. The audit log has its own retention: entries older than it lose
their personal details (detail and address); who, what, when and which case stay.

Each step below names the rows still holding the data and what they become, so counting them
is the dry run, a second run finds nothing left to change, and a restored backup (which brings
the data back) is purged again by the next run. A purged closing is marked, and the purge of
each case is itself audited (with counts, no personal data).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import (
    String,
    Table,
    and_,
    case,
    cast,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.sql.elements import ColumnElement

from app import audit
from app.audit import AuditEvent
from app.cases.models import Case, CaseClosure, Goal, GoalVersion, Meeting, Person
from app.extensions import db
from app.indicators.models import FinalScore, StaffScoring
from app.invitations.models import Invitation, Response, Round
from app.measures.models import Measure, MeasureVersion
from app.observations.models import Observation
from app.outbox.models import OutboxMessage
from app.reconcile.filing import TO_FILE
from app.reconcile.models import Decision
from app.registrations.models import PhoneFollowUp
from app.timestamps import utcnow

# What a person's first name becomes (the row stays, with its role: the figures count people).
PURGED_NAME = "Slettet"


def _holds(column) -> ColumnElement:
    """A JSON column that still holds something (not the empty object the purge leaves)."""
    return cast(column, String) != "{}"


def _rounds_of(ids: Sequence[int]):
    return select(Round.id).join(Meeting, Meeting.id == Round.meeting_id).where(Meeting.case_id.in_(ids))


def _invitations_of(ids: Sequence[int]):
    return select(Invitation.id).where(Invitation.round_id.in_(_rounds_of(ids)))


@dataclass(frozen=True)
class Step:
    """One kind of personal data: the case's rows still holding it, and what they become."""

    name: str
    table: Table
    rows: Callable[[Sequence[int]], ColumnElement]
    values: Callable[[datetime], dict]


CASE_STEPS: tuple[Step, ...] = (
    Step("answers", Response.__table__,
         lambda ids: and_(Response.invitation_id.in_(_invitations_of(ids)),
                          or_(_holds(Response.answers), Response.respondent_relation.is_not(None))),
         lambda now: {"answers": {}, "respondent_relation": None}),
    Step("staff_scorings", StaffScoring.__table__,
         lambda ids: and_(StaffScoring.round_id.in_(_rounds_of(ids)), _holds(StaffScoring.answers)),
         lambda now: {"answers": {}}),
    Step("final_score_texts", FinalScore.__table__,
         lambda ids: and_(FinalScore.round_id.in_(_rounds_of(ids)),
                          or_(FinalScore.rationale != "", FinalScore.family_note != "")),
         lambda now: {"rationale": "", "family_note": ""}),
    Step("observations", Observation.__table__,
         lambda ids: and_(Observation.case_id.in_(ids), Observation.text != ""),
         lambda now: {"text": ""}),
    Step("decisions", Decision.__table__,
         lambda ids: and_(Decision.case_id.in_(ids), Decision.text != ""),
         lambda now: {"text": ""}),
    Step("goals", GoalVersion.__table__,
         lambda ids: and_(GoalVersion.goal_id.in_(select(Goal.id).where(Goal.case_id.in_(ids))),
                          or_(GoalVersion.text != "", GoalVersion.responsible.is_not(None),
                              GoalVersion.documentation.is_not(None))),
         lambda now: {"text": "", "responsible": None, "documentation": None}),
    Step("phone_notes", PhoneFollowUp.__table__,
         lambda ids: and_(PhoneFollowUp.meeting_id.in_(select(Meeting.id).where(Meeting.case_id.in_(ids))),
                          PhoneFollowUp.notes.is_not(None)),
         lambda now: {"notes": None}),
    # A measure's kind, rung, provider, dates and reason stay: the figures count them (FIGURES.md K8, K9).
    Step("measure_notes", MeasureVersion.__table__,
         lambda ids: and_(MeasureVersion.measure_id.in_(select(Measure.id).where(Measure.case_id.in_(ids))),
                          MeasureVersion.end_note.is_not(None)),
         lambda now: {"end_note": None}),
    Step("closure_notes", CaseClosure.__table__,
         lambda ids: and_(CaseClosure.case_id.in_(ids),
                          or_(CaseClosure.note.is_not(None), CaseClosure.reopen_note.is_not(None))),
         lambda now: {"note": None, "reopen_note": None}),
    Step("people", Person.__table__,
         lambda ids: and_(Person.case_id.in_(ids), or_(
             Person.first_name != PURGED_NAME, Person.relation.is_not(None), Person.email.is_not(None),
             Person.phone.is_not(None), Person.fit_exemption.is_not(None))),
         lambda now: {"first_name": PURGED_NAME, "relation": None, "email": None, "phone": None,
                      "fit_exemption": None}),
    Step("case_numbers", Case.__table__,
         lambda ids: and_(Case.id.in_(ids), Case.external_ref.is_not(None)),
         lambda now: {"external_ref": None}),
    # Messages carry a name and an address; one not sent yet is given up (it could not be sent now).
    Step("messages", OutboxMessage.__table__,
         lambda ids: and_(or_(OutboxMessage.case_id.in_(ids), OutboxMessage.invitation_id.in_(_invitations_of(ids))),
                          or_(OutboxMessage.recipient != "", OutboxMessage.body != "",
                              OutboxMessage.subject.is_not(None), OutboxMessage.last_error.is_not(None))),
         lambda now: {"recipient": "", "subject": None, "body": "", "last_error": None, "given_up_at": case(
             (and_(OutboxMessage.sent_at.is_(None), OutboxMessage.given_up_at.is_(None)), now),
             else_=OutboxMessage.given_up_at)}),
)


class RetentionNotSet(Exception):
    """A retention period is missing or not a whole number of days; the message says which."""


def periods(config) -> tuple[int, int]:
    """Return (case retention, audit retention) in days from the settings, or raise RetentionNotSet."""
    found = []
    for key, variable in (("RETENTION_DAYS", "SAMSTEM_RETENTION_DAYS"),
                          ("AUDIT_RETENTION_DAYS", "SAMSTEM_AUDIT_RETENTION_DAYS")):
        raw = str(config.get(key) if config.get(key) is not None else "").strip()
        if not raw.isdigit() or int(raw) < 1:
            raise RetentionNotSet(
                f"{variable} is {'not set' if not raw else f'{raw!r}, not a whole number of days'}: set how many days "
                "after a case closes its data are kept (SAMSTEM_RETENTION_DAYS) and how many days audit entries keep "
                "their personal details (SAMSTEM_AUDIT_RETENTION_DAYS). Nothing was purged.")
        found.append(int(raw))
    return found[0], found[1]


@dataclass
class CasePurge:
    case_id: int
    closed_on: date
    counts: dict[str, int]


@dataclass
class Report:
    """What a run did (or, in a dry run, would do)."""

    closed_before: date
    audit_before: datetime
    dry_run: bool
    purged: list[CasePurge] = field(default_factory=list)
    held_back: dict[int, int] = field(default_factory=dict)  # case id -> decisions not yet filed
    audit_entries: int = 0


def _apply(step: Step, rows: ColumnElement, now: datetime, dry_run: bool) -> int:
    if dry_run:
        return db.session.scalar(select(func.count()).select_from(step.table).where(rows))
    return db.session.execute(update(step.table).where(rows).values(**step.values(now))).rowcount


def due(closed_before: date) -> tuple[list[CaseClosure], dict[int, int]]:
    """Return the closings in force on or before the day and not yet purged whose case may be
    purged, and, for those held back, how many decisions in force are not filed, by case id."""
    closings = db.session.scalars(
        select(CaseClosure).where(CaseClosure.reopened_on.is_(None), CaseClosure.purged_at.is_(None),
                                  CaseClosure.closed_on <= closed_before).order_by(CaseClosure.case_id)
    ).all()
    to_file = dict(db.session.execute(
        select(Decision.case_id, func.count()).where(Decision.case_id.in_([c.case_id for c in closings]), TO_FILE)
        .group_by(Decision.case_id)
    ).all()) if closings else {}
    return [c for c in closings if c.case_id not in to_file], to_file


def purge_case(closing: CaseClosure, now: datetime, dry_run: bool) -> dict[str, int]:
    """Remove (or count) the case's personal data, step by step; mark the closing purged and audit it."""
    counts = {step.name: _apply(step, step.rows([closing.case_id]), now, dry_run) for step in CASE_STEPS}
    if not dry_run:
        db.session.execute(update(CaseClosure.__table__).where(CaseClosure.id == closing.id).values(purged_at=now))
        audit.record("case.purge", closing.case_id, closure_id=closing.id, **counts)
    return counts


# The audit entries that still hold personal details: what a request carried, and from where.
AUDIT_STEP = Step("audit_entries", AuditEvent.__table__,
                  lambda before: and_(AuditEvent.at < before,
                                      or_(_holds(AuditEvent.detail), AuditEvent.address.is_not(None))),
                  lambda now: {"detail": {}, "address": None})


def strip_audit_details(before: datetime, now: datetime, dry_run: bool) -> int:
    """Remove the personal details of audit entries older than `before`; return how many.

    The audit log is append-only (app.audit); this is the retention purge's one exception, made
    inside `audit.purging()`, the one hook the audit log has for it.
    """
    with audit.purging():
        return _apply(AUDIT_STEP, AUDIT_STEP.rows(before), now, dry_run)


def run(today: date, case_days: int, audit_days: int, dry_run: bool,
        after_each: Callable[[], None] = lambda: None) -> Report:
    """Purge every case whose retention has passed, and the audit entries whose retention has.
    `after_each` runs after each case and after the audit log (the command commits there)."""
    now = utcnow()
    report = Report(today - timedelta(days=case_days), now - timedelta(days=audit_days), dry_run)
    closings, report.held_back = due(report.closed_before)
    for closing in closings:
        report.purged.append(CasePurge(closing.case_id, closing.closed_on, purge_case(closing, now, dry_run)))
        after_each()
    report.audit_entries = strip_audit_details(report.audit_before, now, dry_run)
    after_each()
    return report


def has_data(case_id: int) -> bool:
    """Tell whether any step would still change something on the case (for checks and tests)."""
    return any(db.session.scalar(select(exists().where(step.rows([case_id])))) for step in CASE_STEPS)
