"""What the API shows, read through the areas' own readers; every read of a case is audited
(app.audit.read), naming the API key as the caller."""

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import audit
from app.api.models import ApiKey
from app.api.problems import Problem
from app.audit import AuditEvent
from app.auth.models import Team
from app.cases.background import current_background
from app.cases.closure import IS_CLOSED
from app.cases.models import Case, Meeting
from app.extensions import db
from app.indicators import services as indicators
from app.instruments import Instrument, current_catalogue
from app.invitations import services as invitations
from app.invitations.models import Round
from app.measures.services import measures_for
from app.reconcile.history import CaseHistory
from app.reconcile.models import Decision
from app.reconcile.reconciliation import reconcile_round
from app.reports.report import report_pdf, summary_text
from app.settings.catalogue import active_questionnaire
from app.timestamps import utcnow

CURSOR_SALT = "samstem-api-cursor"
# The feed shows changes this much older than now (see changes_page); a setting, API_FEED_LAG_SECONDS.
FEED_LAG_SECONDS = 120


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
        raise Problem("validation_failed", errors={"cursor": [_("Markøren hører ikke til denne liste.")]}) from None
    if found_kind != kind:
        raise Problem("validation_failed", errors={"cursor": [_("Markøren hører ikke til denne liste.")]})
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
        raise Problem("validation_failed", errors={"cursor": [_("Markøren hører ikke til denne liste.")]})
    rows = db.session.execute(
        select(Case.id, Case.external_ref, Case.team_id, IS_CLOSED.label("closed"))
        .where(Case.team_id.in_(key.team_ids or [-1]), Case.external_ref.is_not(None), Case.id > after)
        .order_by(Case.id).limit(limit + 1)).all()
    names = dict(db.session.execute(select(Team.id, Team.name)).all())
    items = [{"reference": row.external_ref, "team": names.get(row.team_id), "closed": bool(row.closed)}
             for row in rows[:limit]]
    more = len(rows) > limit
    audit.record("api.list", None, listed="cases", count=len(items))  # no child's name: a call, not a read
    return {"items": items, "next_cursor": cursor("cases", rows[limit - 1].id) if more else None}


# --- rounds: every answer, signals, divergence, decisions, indicator scores ------------------------

def _round_ids(case: Case, after: int, limit: int) -> list[int]:
    return list(db.session.scalars(
        select(Round.id).join(Round.meeting).where(Meeting.case_id == case.id, Round.id > after)
        .order_by(Round.id).limit(limit + 1)))


def _signal(signal) -> dict:
    return {"code": signal.code, "level": signal.level, "value": signal.value, "reference": signal.reference,
            "item_key": signal.item_key}


def _decision(decision) -> dict | None:
    if decision is None:
        return None
    return {"id": decision.id, "outcome": decision.outcome, "text": decision.text, "decided_at": decision.decided_at,
            "follow_up_needed": decision.follow_up_needed, "corrects": decision.corrects_id,
            "filed": decision.filing is not None}


def _indicators(round_: Round) -> dict | None:
    if round_.kind != "indicators" or indicators.indicator_round(round_) is None:
        return None
    finals = indicators.final_scores(round_.id)
    return {"final_scores": {factor: {"status": final.status, "dont_know": final.dont_know, "goal": final.goal,
                                      "level": final.level, "unscored": final.unscored}
                             for factor, final in finals.items()},
            "classification": indicators.classification(round_, finals)}


def round_detail(round_: Round, history: CaseHistory) -> dict:
    """One round as the reconciliation shows it: each person's answers (declined as its own
    state), scores, FIT signals, where the voices diverge, the decision and indicator scores."""
    overview = reconcile_round(round_, history)
    voices = {(voice.invitation.id, table.instrument.id): voice for table in overview.tables
              for voice in table.voices}
    answers = []
    for invitation, status in overview.statuses:
        for response in invitation.current_responses:
            voice = voices.get((invitation.id, response.instrument_id))
            answers.append({
                "person_id": invitation.person_id, "role": response.respondent_role,
                "relation": response.respondent_relation, "instrument": response.instrument_id,
                "instrument_version": response.instrument_version, "declined": response.declined,
                "answers": {} if response.declined else response.answers, "submitted_at": response.submitted_at,
                "score_total": response.score_total, "score_mean": response.score_mean,
                "signal_level": response.signal_level,
                "signals": [_signal(s) for s in voice.signals] if voice is not None else []})
    return {
        "id": round_.id, "kind": round_.kind, "meeting_id": round_.meeting_id, "held_on": round_.meeting.held_on,
        "due_on": round_.due_on, "created_at": round_.created_at, "locked": round_.is_locked,
        "invitations": [{"person_id": invitation.person_id, "forms": list(invitation.instrument_ids),
                         "status": status} for invitation, status in overview.statuses],
        "answers": answers,
        "divergences": [{"instrument": table.instrument.id, "item": key, "spread": float(found.spread),
                         "threshold": float(found.threshold)}
                        for table in overview.tables for key, found in table.divergences.items()],
        "decision": _decision(round_.decision),
        "indicators": _indicators(round_),
    }


def rounds_page(case: Case, limit: int, given: str | None) -> dict:
    """The case's rounds, oldest first, a page at a time (read in one go with the case's history)."""
    after = position(f"rounds:{case.id}", given, 0)
    if not isinstance(after, int):
        raise Problem("validation_failed", errors={"cursor": [_("Markøren hører ikke til denne liste.")]})
    audit.read(case.id, api="rounds")
    ids = _round_ids(case, after, limit)
    history = CaseHistory(case)
    decisions = selectinload(Round.decisions)
    rounds = {r.id: r for r in db.session.scalars(select(Round).where(Round.id.in_(ids[:limit])).options(
        decisions.selectinload(Decision.filing), decisions.selectinload(Decision.corrected_by)))}
    items = [round_detail(rounds[round_id], history) for round_id in ids[:limit]]
    more = len(ids) > limit
    return {"items": items, "next_cursor": cursor(f"rounds:{case.id}", ids[limit - 1]) if more else None}


def goals(case: Case) -> dict:
    """The action plan's goals, each with its wording in force and whether it is still in the plan."""
    audit.read(case.id, api="goals")
    return {"items": [{"id": goal.id, "text": goal.current.text, "domain": goal.current.domain,
                       "kind": goal.current.kind, "responsible": goal.current.responsible,
                       "version": goal.current.number, "created_at": goal.created_at, "closed_at": goal.closed_at}
                      for goal in case.goals], "next_cursor": None}


# --- the feed of changes -----------------------------------------------------------------------

def changes_page(key: ApiKey, limit: int, given: str | None, now=None) -> dict:
    """Every change to the key's teams' cases, in the order of the audit log's ids, a page at a time.

    The cursor is the last id read. An id is taken when a change is flushed, not when it is
    committed, so a change committed late could carry a smaller id than one already read. The
    feed therefore shows only changes older than FEED_LAG (API_FEED_LAG_SECONDS): longer than
    any request's transaction may last (gunicorn's timeout, 60 s), so every id below the
    cursor is committed by the time the cursor passes it.
    """
    after = position("changes", given, 0)
    if not isinstance(after, int):
        raise Problem("validation_failed", errors={"cursor": [_("Markøren hører ikke til denne liste.")]})
    lag = timedelta(seconds=current_app.config.get("API_FEED_LAG_SECONDS", FEED_LAG_SECONDS))
    settled = (now or utcnow()) - lag
    rows = db.session.execute(
        select(AuditEvent.id, AuditEvent.at, AuditEvent.action, Case.external_ref)
        .join(Case, Case.id == AuditEvent.case_id)
        .where(AuditEvent.id > after, AuditEvent.action != audit.VIEW, AuditEvent.at <= settled,
               Case.team_id.in_(key.team_ids or [-1]))
        .order_by(AuditEvent.id).limit(limit + 1)).all()
    items = [{"sequence": row.id, "at": row.at, "action": row.action, "reference": row.external_ref}
             for row in rows[:limit]]
    last = rows[min(len(rows), limit) - 1].id if rows else after
    audit.record("api.list", None, listed="changes", count=len(items))
    return {"items": items, "next_cursor": cursor("changes", last)}


def report(case: Case, round_id: int, format: str) -> bytes | str:
    """The round's case report for the journal, PDF or plain text (app.reports), its export audited."""
    round_ = db.session.get(Round, round_id) if 0 < round_id <= 2**31 - 1 else None
    if round_ is None or round_.meeting.case_id != case.id:
        raise Problem("not_found")
    audit.record("case.export", case.id, round_id=round_.id, format=format)
    history = CaseHistory(case)
    overview = reconcile_round(round_, history)
    return report_pdf(overview, history) if format == "pdf" else summary_text(overview)
