"""What the API shows, read through the areas' own readers; every read of a case is audited
(app.audit.read), naming the API key as the caller."""

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import select

from app import audit
from app.api.models import ApiKey
from app.api.problems import Problem
from app.auth.models import Team
from app.cases.background import current_background
from app.cases.closure import IS_CLOSED
from app.cases.models import Case, Meeting
from app.extensions import db
from app.instruments import Instrument, current_catalogue
from app.invitations import services as invitations
from app.measures.services import measures_for
from app.settings.catalogue import active_questionnaire

CURSOR_SALT = "samstem-api-cursor"


def catalogue_forms() -> list[Instrument]:
    """The questionnaires a round may give: every form of the catalogue the organisation has not switched off."""
    return [form for form in current_catalogue().all() if active_questionnaire(form)]


# --- cursors -------------------------------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=CURSOR_SALT)


def cursor(kind: str, position) -> str:
    """Return an opaque cursor for a position in a list; signed, so a client cannot forge one."""
    return _serializer().dumps([kind, position])


def position(kind: str, given: str | None, default):
    """Return the position an opaque cursor stands for; refuse one of another list or altered."""
    if not given:
        return default
    try:
        found_kind, found = _serializer().loads(given)
    except (BadData, ValueError, TypeError):
        raise Problem("validation_failed", errors={"cursor": ["Not a cursor of this list."]}) from None
    if found_kind != kind:
        raise Problem("validation_failed", errors={"cursor": ["Not a cursor of this list."]})
    return found


# --- cases ---------------------------------------------------------------------------------------

def meeting_summary(meeting: Meeting) -> dict:
    proposed = invitations.proposal(meeting) if not meeting.case.open_closure else {}
    return {"id": meeting.id, "kind": meeting.kind, "held_on": meeting.held_on,
            "participants": [p.id for p in meeting.participants],
            "proposed": {str(pid): [form.id for form in forms] for pid, forms in proposed.items()}}


def case_summary(case: Case) -> dict:
    """The case as the case system knows it: who, which team, its background, measures, people and meetings."""
    audit.read(case.id, api="case")
    background = current_background([case.id]).get(case.id)
    child = case.child
    return {
        "reference": case.external_ref, "team": case.team.name, "caseworker": case.caseworker.username,
        "first_name": child.first_name if child else None, "birth_year": case.child_birth_year,
        "closed": case.open_closure is not None,
        "background": None if background is None else {
            "target_group": background.target_group, "case_type": background.case_type, "gender": background.gender},
        "people": [{"id": p.id, "role": p.role, "first_name": p.first_name, "relation": p.relation,
                    "language": p.language, "fit_exempt": p.fit_exempt} for p in case.people],
        "measures": [{"id": m.measure_id, "kind": m.kind, "provider": m.provider, "started_on": m.started_on,
                      "ended_on": m.ended_on, "end_reason": m.end_reason} for m in measures_for([case.id])],
        "meetings": [meeting_summary(meeting) for meeting in case.meetings],
    }


def case_page(key: ApiKey, limit: int, given: str | None) -> dict:
    """The key's teams' cases with a reference, by id, a page at a time; no child's name (a list)."""
    after = position("cases", given, 0)
    if not isinstance(after, int):
        raise Problem("validation_failed", errors={"cursor": ["Not a cursor of this list."]})
    rows = db.session.execute(
        select(Case.id, Case.external_ref, Case.team_id, IS_CLOSED.label("closed"))
        .where(Case.team_id.in_(key.team_ids or [-1]), Case.external_ref.is_not(None), Case.id > after)
        .order_by(Case.id).limit(limit + 1)).all()
    names = dict(db.session.execute(select(Team.id, Team.name)).all())
    items = [{"reference": row.external_ref, "team": names.get(row.team_id), "closed": bool(row.closed)}
             for row in rows[:limit]]
    more = len(rows) > limit
    return {"items": items, "next_cursor": cursor("cases", rows[limit - 1].id) if more else None}
