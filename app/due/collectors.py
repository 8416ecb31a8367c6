"""The collectors of the due list, one per kind of obligation (see app/due/items.py).

Each reads plain data its loader (app/due/loaders.py) gathered for every case at once;
none of them touches the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from app.cases.models import Case
from app.due import loaders
from app.due.items import DueItem, collector
from app.i18n import current_language
from app.indicators.catalogue import current_forms
from app.invitations.kinds import round_kind
from app.labels import MEETING_KIND_LABELS, ROLE_LABELS
from app.timestamps import local_date, utcnow


def _waiting_since(round_: loaders.UndecidedRound, now: datetime) -> date | None:
    """Date the wait by the first answer, else by the last expiry once every link has run out
    (expired or revoked, as Invitation.status tells)."""
    if round_.answered:
        return local_date(min(round_.answered))
    if round_.unanswered and all(revoked is not None or now >= expires for revoked, expires in round_.unanswered):
        return local_date(max(expires for _, expires in round_.unanswered))
    return None


@collector(loaders.undecided_rounds)
def decisions_waiting(case: Case, rounds: list[loaders.UndecidedRound] | None, today: date) -> Iterator[DueItem]:
    """A round waits for a decision once someone has answered, or once every link has run out.

    It is dated by the first answer (or the last expiry), so the longest waiting comes first.
    """
    now = utcnow()
    for round_ in rounds or ():
        since = _waiting_since(round_, now)
        if since is None:
            continue
        meeting = round_.meeting
        yield DueItem(
            kind="decision",
            case=case,
            due_on=since,
            what=_("%(kind)s · %(meeting)s %(date)s", kind=round_kind(round_.kind).label,
                   meeting=MEETING_KIND_LABELS[meeting.kind], date=format_date(meeting.held_on)),
            endpoint="reconcile.round_view",
            params=(("round_id", round_.id),),
        )


# A status is asked for this long before a follow-up meeting, so it arrives in time.
STATUS_LEAD = timedelta(days=7)


@collector(loaders.planned_meetings)
def statuses_due(case: Case, planned: list[loaders.PlannedMeeting] | None, today: date) -> Iterator[DueItem]:
    """Provider statuses due: each unanswered status link by its due date, and a planned
    follow-up meeting no status was asked for, STATUS_LEAD before it, when the case has a
    provider or a school to ask."""
    asks_status = any(p.role in ("provider", "school") for p in case.people)
    for entry in planned or ():
        meeting = entry.meeting
        for owed in entry.owed:
            yield DueItem(
                kind="status",
                case=case,
                due_on=owed.due_on,
                what=_("%(name)s (%(role)s) før %(meeting)s %(date)s", name=owed.first_name,
                       role=ROLE_LABELS[owed.role], meeting=MEETING_KIND_LABELS[meeting.kind],
                       date=format_date(meeting.held_on)),
                endpoint="invitations.show",
                params=(("round_id", owed.round_id),),
            )
        if meeting.kind == "follow_up" and not entry.status_asked and asks_status:
            yield DueItem(
                kind="ask_status",
                case=case,
                due_on=meeting.held_on - STATUS_LEAD,
                what=_("%(meeting)s %(date)s", meeting=MEETING_KIND_LABELS[meeting.kind],
                       date=format_date(meeting.held_on)),
                endpoint="cases.show",
                params=(("case_id", case.id),),
            )


def _form_title(form_id: str) -> str:
    forms = current_forms()
    return forms.get(form_id).title(current_language()) if form_id in forms else form_id


@collector(loaders.measurements)
def measurements_due(case: Case, rhythm: loaders.Rhythm | None, today: date) -> Iterator[DueItem]:
    """The indicator measurement due by the case's rhythm (or the next one coming up)."""
    if rhythm is not None and rhythm.next_on is not None:
        yield DueItem(
            kind="measurement",
            case=case,
            due_on=rhythm.next_on,
            what=_form_title(rhythm.form_id),
            endpoint="cases.show",
            params=(("case_id", case.id),),
        )


@collector(loaders.undecided_observations)
def observations_waiting(case: Case, waiting: list[datetime] | None, today: date) -> Iterator[DueItem]:
    """Everyday observations wait for a decision from the day the first one arrived."""
    if waiting:
        yield DueItem(
            kind="observations",
            case=case,
            due_on=local_date(min(waiting)),
            what=ngettext("%(num)s observation", "%(num)s observationer", len(waiting)),
            endpoint="reconcile.case_view",
            params=(("case_id", case.id),),
        )


@collector(loaders.phone_calls)
def phone_follow_ups(case: Case, calls: list[loaders.CallDue] | None, today: date) -> Iterator[DueItem]:
    """One phone follow-up per parent, due 14 days after a start-up, follow-up or notification
    meeting, until a call reaches the parent; the calls that did not are named (issue 10, item 2)."""
    for due in calls or ():
        what = _("%(name)s (%(role)s) efter %(meeting)s %(date)s", name=due.first_name,
                 role=ROLE_LABELS[due.role], meeting=MEETING_KIND_LABELS[due.meeting.kind],
                 date=format_date(due.meeting.held_on))
        yield DueItem(
            kind="phone_follow_up",
            case=case,
            due_on=due.due_on,
            what="; ".join([what] + [_("Forsøgt %(date)s af %(name)s", date=format_date(local_date(a.at)), name=a.by)
                                     for a in due.attempts]),
            endpoint="registrations.phone_follow_up",
            params=(("meeting_id", due.meeting.id), ("person_id", due.person_id)),
        )


@collector(loaders.decisions_to_file, closed_too=True)
def decisions_to_file(case: Case, decided: list[datetime] | None, today: date) -> Iterator[DueItem]:
    """Decisions in force to mark "Journaliseret i fagsystemet", from the day the first was made;
    also on a closed case, whose data is not purged before they are filed (issue 12 item 15)."""
    if decided:
        yield DueItem(
            kind="file_decision",
            case=case,
            due_on=local_date(min(decided)),
            what=ngettext("%(num)s beslutning", "%(num)s beslutninger", len(decided)),
            endpoint="reconcile.case_view",
            params=(("case_id", case.id),),
        )
