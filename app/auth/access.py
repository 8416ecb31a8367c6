"""Who may see what: roles and team scope, checked in one place, and every read audited.

Staff views load a case's rows only through the loaders below. Each checks that the row's
case belongs to the user's team, or to an absent case worker the user stands in for today
(app.stand_ins; 403 otherwise, 404 for no such row), and notes the read in the audit log
(app.audit.read), so a page that shows personal data is audited by construction, not by
remembering. A stand-in's read names whom they stand in for.
"""

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, has_request_context
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app import audit
from app.cases.models import Case, Goal, Meeting, Person
from app.extensions import db
from app.invitations.models import Invitation, Round
from app.measures.models import Measure
from app.reconcile.models import Decision, DecisionFiling
from app.registrations.models import MethodRegistration
from app.stand_ins.models import StandIn
from app.timestamps import local_today

T = TypeVar("T")
# The largest id an integer column holds; a larger number from a URL makes the driver raise.
MAX_ID = 2**31 - 1


def listed(cases: Sequence[Case], page: str) -> Sequence[Case]:
    """Note that a list shows these cases' children (their names): one audit entry each, naming
    the absent case worker when the user sees the case as their stand-in."""
    standing_in = stood_in_for(current_user)
    for case in cases:
        if case.team_id != current_user.team_id and case.caseworker_id in standing_in:
            audit.read(case.id, listed=page, stand_in_for=case.caseworker_id)
        else:
            audit.read(case.id, listed=page)
    return cases


def case_work_required(view):
    """Let only case workers and team leaders with a team through."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.works_with_cases:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def admin_required(view):
    """Let only administrators through: settings and the audit log, no case data."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.has_role("admin"):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def stood_in_for(user) -> dict[int, StandIn]:
    """Return the stand-ins in force today in which the user stands in, by the absent case worker's id.

    Computed from the dates each time (once per request): access ends by itself after the last day.
    """
    cache = g.setdefault("stood_in_for", {}) if has_request_context() else {}
    if user.id not in cache:
        today = local_today()
        cache[user.id] = {found.absent_id: found for found in db.session.scalars(
            select(StandIn).options(joinedload(StandIn.absent))
            .where(StandIn.stand_in_id == user.id, StandIn.in_force_on(today))
            .order_by(StandIn.ends_on))}
    return cache[user.id]


def leader_of_team_or_admin_required(view):
    """Let administrators and team leaders with a team through (stand-ins: the service checks whose)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not (current_user.has_role("admin") or (current_user.has_role("team_leader") and current_user.team_id)):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def analyst_required(view):
    """Let only analysts through: the pseudonymous extract of the figures, never a case (FIGURES.md)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.has_role("analyst"):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def check_case_access(case) -> None:
    """Abort with 403 unless the current user's team owns the case, or the user stands in today
    for the case's case worker (their read is then audited as the stand-in's)."""
    if case.team_id == current_user.team_id and current_user.team_id is not None:
        return
    stand_in = stood_in_for(current_user).get(case.caseworker_id)
    if stand_in is None:
        abort(403)
    audit.read(case.id, stand_in_for=stand_in.absent_id)


def get_by_id(model: type[T], object_id: int, options: Sequence = ()) -> T | None:
    """Return the row with this id, or None, also for an id no row can have."""
    return db.session.get(model, object_id, options=options) if 0 < object_id <= MAX_ID else None


def owned_or_abort(model: type[T], object_id: int, case_of: Callable[[T], Any], options: Sequence = ()) -> T:
    """Load a row by id: 404 if there is none, 403 unless its case is the user's team's."""
    found = get_by_id(model, object_id, options)
    if found is None:
        abort(404)
    check_case_access(case_of(found))
    return found


# What every staff page shows of a case (the child's name, the case worker), loaded with it,
# so that no template has to query for it.
CASE_HEADER = (selectinload(Case.people), joinedload(Case.caseworker))


def case_or_abort(case_id: int) -> Case:
    """Load the user's team's case, and audit the read."""
    case = owned_or_abort(Case, case_id, lambda found: found, CASE_HEADER)
    audit.read(case.id)
    return case


def meeting_or_abort(meeting_id: int) -> Meeting:
    """Load a meeting of the user's team's cases, and audit the read."""
    meeting = owned_or_abort(Meeting, meeting_id, lambda found: found.case,
                             (joinedload(Meeting.case).options(*CASE_HEADER), selectinload(Meeting.participants)))
    audit.read(meeting.case_id, meeting_id=meeting.id)
    return meeting


def round_or_abort(round_id: int) -> Round:
    """Load a round of the user's team's cases, and audit the read."""
    round_ = owned_or_abort(Round, round_id, lambda found: found.meeting.case,
                            (joinedload(Round.meeting).joinedload(Meeting.case).options(*CASE_HEADER),
                             selectinload(Round.invitations)))
    audit.read(round_.meeting.case_id, round_id=round_.id)
    return round_


def invitation_or_abort(invitation_id: int) -> Invitation:
    """Load a personal link of the user's team's cases, and audit the read."""
    invitation = owned_or_abort(Invitation, invitation_id, lambda found: found.round.meeting.case)
    audit.read(invitation.round.meeting.case_id, invitation_id=invitation.id)
    return invitation


def _part_of(case: Case, model: type[T], object_id: int, detail: str) -> T:
    """Load a row that belongs to the (already loaded) case: 404 unless it does; audit the read."""
    found = get_by_id(model, object_id)
    if found is None or found.case_id != case.id:
        abort(404)
    audit.read(case.id, **{detail: found.id})
    return found


def goal_or_abort(case: Case, goal_id: int) -> Goal:
    """Load one of the case's goals, and audit the read."""
    return _part_of(case, Goal, goal_id, "goal_id")


def person_or_abort(case: Case, person_id: int) -> Person:
    """Load one of the people around the case's child, and audit the read."""
    return _part_of(case, Person, person_id, "person_id")


def method_registration_or_abort(case: Case, registration_id: int) -> MethodRegistration:
    """Load one of the case's method registrations, and audit the read."""
    return _part_of(case, MethodRegistration, registration_id, "registration_id")


def measure_or_abort(case: Case, measure_id: int) -> Measure:
    """Load one of the case's measures, and audit the read."""
    return _part_of(case, Measure, measure_id, "measure_id")


def decision_or_abort(decision_id: int) -> Decision:
    """Load a decision on one of the user's team's cases, with its filing, and audit the read."""
    decision = owned_or_abort(Decision, decision_id, lambda found: db.session.get(Case, found.case_id),
                              (selectinload(Decision.filing).joinedload(DecisionFiling.filed_by),))
    audit.read(decision.case_id, decision_id=decision.id)
    return decision
