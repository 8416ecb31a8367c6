"""The collectors of the due list, one per kind of obligation (see app/due/items.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from app.cases.models import Case
from app.due.items import DueItem, collector
from app.i18n import current_language
from app.indicators.catalogue import current_forms
from app.indicators.services import case_settings, next_measurement
from app.labels import MEETING_KIND_LABELS, ROLE_LABELS, ROUND_KIND_LABELS
from app.observations.services import undecided_observations
from app.reconcile.reconciliation import undecided_rounds
from app.registrations.services import phone_follow_ups_due
from app.timestamps import local_date


@collector
def decisions_waiting(case: Case, today: date) -> Iterator[DueItem]:
    """A round waits for a decision once someone has answered, or once every link has run out.

    It is dated by the first answer (or the last expiry), so the longest waiting comes first.
    """
    for round_ in undecided_rounds(case):
        answered = [r.submitted_at for i in round_.invitations for r in i.current_responses]
        if answered:
            since = local_date(min(answered))
        elif round_.invitations and all(i.status() in ("expired", "revoked") for i in round_.invitations):
            since = local_date(max(i.expires_at for i in round_.invitations))
        else:
            continue
        meeting = round_.meeting
        yield DueItem(
            kind="decision",
            case=case,
            due_on=since,
            what=_("%(kind)s · %(meeting)s %(date)s", kind=ROUND_KIND_LABELS[round_.kind],
                   meeting=MEETING_KIND_LABELS[meeting.kind], date=format_date(meeting.held_on)),
            endpoint="reconcile.round_view",
            params=(("round_id", round_.id),),
        )


# A status is asked for this long before a follow-up meeting, so it arrives in time.
STATUS_LEAD = timedelta(days=7)


@collector
def statuses_due(case: Case, today: date) -> Iterator[DueItem]:
    """Provider statuses due: each unanswered status link by its due date, and a planned
    follow-up meeting no status was asked for, STATUS_LEAD before it, when the case has a
    provider or a school to ask."""
    asks_status = any(p.role in ("provider", "school") for p in case.people)
    for meeting in case.meetings:
        if meeting.held_on < today:
            continue
        requests = [r for r in meeting.rounds if r.kind == "status"]
        for round_ in requests:
            if round_.is_locked or round_.due_on is None:
                continue
            for invitation in round_.invitations:
                if invitation.status() in ("waiting", "opened", "expired"):
                    yield DueItem(
                        kind="status",
                        case=case,
                        due_on=round_.due_on,
                        what=_("%(name)s (%(role)s) før %(meeting)s %(date)s", name=invitation.person.first_name,
                               role=ROLE_LABELS[invitation.person.role], meeting=MEETING_KIND_LABELS[meeting.kind],
                               date=format_date(meeting.held_on)),
                        endpoint="invitations.show",
                        params=(("round_id", round_.id),),
                    )
        if meeting.kind == "follow_up" and not requests and asks_status:
            yield DueItem(
                kind="ask_status",
                case=case,
                due_on=meeting.held_on - STATUS_LEAD,
                what=_("%(meeting)s %(date)s", meeting=MEETING_KIND_LABELS[meeting.kind], date=format_date(meeting.held_on)),
                endpoint="cases.show",
                params=(("case_id", case.id),),
            )


def _form_title(form_id: str) -> str:
    forms = current_forms()
    return forms.get(form_id).title(current_language()) if form_id in forms else form_id


@collector
def measurements_due(case: Case, today: date) -> Iterator[DueItem]:
    """The indicator measurement due by the case's rhythm (or the next one coming up)."""
    due = next_measurement(case, today)
    if due is not None:
        settings = case_settings(case)
        yield DueItem(
            kind="measurement",
            case=case,
            due_on=due,
            what=_form_title(settings.form_id) if settings else "",
            endpoint="cases.show",
            params=(("case_id", case.id),),
        )


@collector
def observations_waiting(case: Case, today: date) -> Iterator[DueItem]:
    """Everyday observations wait for a decision from the day the first one arrived."""
    waiting = undecided_observations(case)
    if waiting:
        yield DueItem(
            kind="observations",
            case=case,
            due_on=min(local_date(o.submitted_at) for o in waiting),
            what=ngettext("%(num)s observation", "%(num)s observationer", len(waiting)),
            endpoint="reconcile.case_view",
            params=(("case_id", case.id),),
        )


@collector
def phone_follow_ups(case: Case, today: date) -> Iterator[DueItem]:
    """One phone follow-up per parent, due 14 days after a start-up, follow-up or notification meeting."""
    for due in phone_follow_ups_due(case, today):
        yield DueItem(
            kind="phone_follow_up",
            case=case,
            due_on=due.due_on,
            what=_("%(name)s (%(role)s) efter %(meeting)s %(date)s", name=due.person.first_name,
                   role=ROLE_LABELS[due.person.role], meeting=MEETING_KIND_LABELS[due.meeting.kind],
                   date=format_date(due.meeting.held_on)),
            endpoint="registrations.phone_follow_up",
            params=(("meeting_id", due.meeting.id), ("person_id", due.person.id)),
        )
