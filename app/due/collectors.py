"""The collectors of the due list, one per kind of obligation (see app/due/items.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from app.cases.models import Case
from app.due.items import DueItem, collector
from app.labels import MEETING_KIND_LABELS
from app.reconcile.reconciliation import undecided_rounds
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
            what=_("%(meeting)s %(date)s", meeting=MEETING_KIND_LABELS[meeting.kind], date=format_date(meeting.held_on)),
            endpoint="reconcile.round_view",
            params=(("round_id", round_.id),),
        )
