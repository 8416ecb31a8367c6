"""Filing decisions in the case system: "Journaliseret i fagsystemet" (DESIGN.md section 3).

Samstem is linked to the municipality's case system, never dependent on it: the case worker
files a decision there by hand (the report PDF, the plain text) and marks it here, with the
day and who. A decision in force not yet filed stays on the due list, also on a closed case,
and holds back the retention purge of its case (issue 12 item 15). A corrected decision holds
nothing back: the decision that corrects it is the one to file.
"""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import and_, exists
from sqlalchemy.orm import aliased

from app import audit
from app.auth.models import User
from app.cases.models import Case
from app.extensions import db
from app.reconcile.models import Decision, DecisionFiling
from app.timestamps import local_date, utcnow

_LATER = aliased(Decision)
# A decision in force that is not filed yet; usable in any query that selects Decision.
TO_FILE = and_(~exists().where(_LATER.corrects_id == Decision.id),
               ~exists().where(DecisionFiling.decision_id == Decision.id))
# True for a case with a decision still to file; usable in any query that selects Case.
HAS_DECISIONS_TO_FILE = exists().where(Decision.case_id == Case.id, TO_FILE)


class FilingError(Exception):
    """The filing cannot be recorded as asked; the message says why, for the case worker."""


def file_decision(decision: Decision, user: User, filed_on: date) -> tuple[DecisionFiling, bool]:
    """Mark the decision as filed in the case system on `filed_on`, by the user; audited.

    Returns the filing and whether it is new: a decision is filed once, and marking it again
    (a double click, a second tab) keeps the first. A unique index backs this for two at once.
    """
    if decision.filing is not None:
        return decision.filing, False
    decided_on = local_date(decision.decided_at)
    if filed_on < decided_on:
        raise FilingError(_("Beslutningen kan ikke være journaliseret før den %(date)s, hvor den blev truffet.",
                            date=format_date(decided_on, "d. MMMM yyyy")))
    filing = DecisionFiling(decision=decision, filed_on=filed_on, filed_by=user, recorded_at=utcnow())
    db.session.add(filing)
    db.session.flush()
    audit.record("decision.file", decision.case_id, decision_id=decision.id, filed_on=filed_on.isoformat())
    return filing, True
