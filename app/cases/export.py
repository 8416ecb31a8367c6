"""What Samstem holds about one person, for their right of access (GDPR art. 15; issue 12 item 16).

`person_data` gathers it as plain data, the same for the JSON file and the PDF: the person
record, the meetings they took part in, the links they got and when (and the e-mails and text
messages that carried them), everything they answered with its history (statuses and
indicator scores are answers to status and indicator rounds), the joint scorings they took part
in, their observations, the phone follow-ups with them, and the decisions that concern them.

What others answered about the person (a parent's answers about the child, for instance) is
not theirs to receive through this export, and the export says so.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app import audit
from app.cases.models import Case, Meeting, Person, meeting_participant
from app.extensions import db
from app.i18n import current_language
from app.indicators.models import StaffScoring
from app.instruments import find_form
from app.invitations.models import Invitation, Round
from app.labels import (
    MEETING_KIND_LABELS,
    OUTCOME_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
)
from app.observations.models import Observation, ObservationLink
from app.outbox.models import OutboxMessage
from app.reconcile.models import Decision
from app.registrations.models import PhoneFollowUp
from app.settings import services as settings
from app.timestamps import utcnow


def exported(case: Case, person: Person, format: str) -> dict[str, Any]:
    """Return the person's data for an export in `format` ("json", "pdf"), and audit who took it out."""
    data = person_data(case, person)
    audit.record("person.export", case.id, person_id=person.id, format=format)
    return data


def json_default(value: Any) -> str:
    """Write the dates and times of person_data as ISO 8601 in JSON."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def person_data(case: Case, person: Person) -> dict[str, Any]:
    """Return everything Samstem holds about the person as plain data (dates and times as such)."""
    invitations = _invitations(person)
    messages = _messages([invitation.id for invitation in invitations])
    return {
        "about": _("Det, Samstem har om én person (databeskyttelsesforordningens artikel 15)."),
        "not_included": _("Svar, som andre har givet om personen (fx forældres svar om barnet), er ikke med: de er "
                          "de andres oplysninger. Spørg rådgiveren, hvis du vil vide mere."),
        "organisation": settings.get("organisation_name"),
        "exported_at": utcnow(),
        "caseworker": case.caseworker.name,
        "person": _person(person),
        "meetings": _meetings(person),
        "invitations": [_invitation(invitation, messages.get(invitation.id, [])) for invitation in invitations],
        "answers": [answer for invitation in invitations for answer in _answers(invitation)],
        "joint_scorings": _joint_scorings(case, person),
        "observation_links": _observation_links(person),
        "observations": _observations(person),
        "phone_follow_ups": _phone_follow_ups(person),
        "decisions": _decisions(case, person, invitations),
    }


def _person(person: Person) -> dict[str, Any]:
    return {
        "id": person.id, "role": person.role, "role_label": str(ROLE_LABELS[person.role]),
        "first_name": person.first_name, "relation": person.relation, "email": person.email, "phone": person.phone,
        "language": person.language, "fit_exemption": person.fit_exemption,
    }


def _meetings(person: Person) -> list[dict[str, Any]]:
    meetings = db.session.scalars(
        select(Meeting).join(meeting_participant, meeting_participant.c.meeting_id == Meeting.id)
        .where(meeting_participant.c.person_id == person.id).order_by(Meeting.held_on, Meeting.id)
    )
    return [{"id": m.id, "kind": m.kind, "kind_label": str(MEETING_KIND_LABELS[m.kind]), "held_on": m.held_on}
            for m in meetings]


def _invitations(person: Person) -> list[Invitation]:
    return list(db.session.scalars(
        select(Invitation).where(Invitation.person_id == person.id).order_by(Invitation.issued_at, Invitation.id)
        .options(selectinload(Invitation.responses), joinedload(Invitation.round).joinedload(Round.meeting))
    ).unique())


def _messages(invitation_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    if invitation_ids:
        for message in db.session.scalars(select(OutboxMessage).where(OutboxMessage.invitation_id.in_(invitation_ids))
                                          .order_by(OutboxMessage.id)):
            found.setdefault(message.invitation_id, []).append({
                "channel": message.channel, "to": message.recipient, "written_at": message.created_at,
                "sent_at": message.sent_at})
    return found


def _invitation(invitation: Invitation, messages: list[dict[str, Any]]) -> dict[str, Any]:
    meeting = invitation.round.meeting
    return {
        "id": invitation.id, "round_kind": invitation.round.kind,
        "meeting": {"kind": meeting.kind, "kind_label": str(MEETING_KIND_LABELS[meeting.kind]),
                    "held_on": meeting.held_on},
        "forms": [_form_title(form_id) for form_id in invitation.instrument_ids],
        "issued_at": invitation.issued_at, "expires_at": invitation.expires_at,
        "opened_at": invitation.opened_at, "revoked_at": invitation.revoked_at,
        "status": str(STATUS_LABELS[invitation.status()]),
        "messages": messages,
    }


def _form_title(form_id: str) -> str:
    form = find_form(form_id)
    return form.title(current_language()) if form is not None else form_id


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_plain(inner)}" for key, inner in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_plain(inner) for inner in value)
    return "" if value is None else str(value)


def _readable(form_id: str, answers: dict[str, Any], about_child: bool) -> list[dict[str, str]]:
    """Each answer as a reader sees it: the question as the person was asked it (or the factor
    scored) and the answer in words."""
    lang, form = current_language(), find_form(form_id)
    items = {item.key: item for item in getattr(form, "items", ())}
    rows = []
    for key, value in answers.items():
        item, factor = items.get(key), form.factor(key) if hasattr(form, "factor") else None
        question = item.text(lang, about_child) if item else factor.title(lang) if factor else key
        rows.append({"question": question, "answer": item.display(value, lang) if item else _plain(value)})
    return rows


def _answers(invitation: Invitation) -> list[dict[str, Any]]:
    """The person's answers through this link, the earlier versions too (oldest first)."""
    return [{
        "invitation_id": invitation.id, "round_kind": invitation.round.kind, "form": _form_title(r.instrument_id),
        "form_id": r.instrument_id, "form_version": r.instrument_version, "submitted_at": r.submitted_at,
        "replaced_at": r.superseded_at, "declined": r.declined, "language": r.language,
        "answered_with": r.answered_with, "paper_dated": r.paper_dated,
        "answers": r.answers,
        "readable": _readable(r.instrument_id, r.answers or {}, invitation.person.role != "child"),
    } for r in sorted(invitation.responses, key=lambda r: r.id)]


def _joint_scorings(case: Case, person: Person) -> list[dict[str, Any]]:
    """Indicator scorings the case worker entered together with the person (DESIGN.md F)."""
    scorings = db.session.scalars(
        select(StaffScoring).join(Round, Round.id == StaffScoring.round_id).join(Round.meeting)
        .where(Meeting.case_id == case.id).order_by(StaffScoring.id)
    )
    return [{"round_id": s.round_id, "submitted_at": s.submitted_at, "replaced_at": s.superseded_at,
             "answers": s.answers} for s in scorings if person.id in (s.took_part or [])]


def _observation_links(person: Person) -> list[dict[str, Any]]:
    links = db.session.scalars(select(ObservationLink).where(ObservationLink.person_id == person.id)
                               .order_by(ObservationLink.id))
    return [{"created_at": link.created_at, "revoked_at": link.revoked_at} for link in links]


def _observations(person: Person) -> list[dict[str, Any]]:
    observations = db.session.scalars(
        select(Observation).join(Observation.link).where(ObservationLink.person_id == person.id)
        .order_by(Observation.submitted_at, Observation.id).options(selectinload(Observation.goal))
    )
    return [{"id": o.id, "submitted_at": o.submitted_at, "kind": o.kind, "text": o.text,
             "goal": o.goal_text, "language": o.language} for o in observations]


def _phone_follow_ups(person: Person) -> list[dict[str, Any]]:
    calls = db.session.scalars(select(PhoneFollowUp).where(PhoneFollowUp.person_id == person.id)
                               .order_by(PhoneFollowUp.id).options(joinedload(PhoneFollowUp.meeting)))
    return [{"meeting": {"kind_label": str(MEETING_KIND_LABELS[c.meeting.kind]), "held_on": c.meeting.held_on},
             "recorded_at": c.recorded_at, "reached": c.reached, "started": c.started, "helps": c.helps,
             "notes": c.notes} for c in calls]


def _decisions(case: Case, person: Person, invitations: list[Invitation]) -> list[dict[str, Any]]:
    """The decisions on rounds the person was asked in or on their observations, and those naming them."""
    rounds = {invitation.round_id for invitation in invitations}
    name = re.compile(rf"\b{re.escape(person.first_name)}\b", re.IGNORECASE) if person.first_name else None
    found = []
    for decision in db.session.scalars(select(Decision).where(Decision.case_id == case.id).order_by(Decision.id)
                                       .options(selectinload(Decision.rounds), selectinload(Decision.corrected_by),
                                                selectinload(Decision.observations).joinedload(Observation.link))):
        why = [reason for reason, holds in (
            (_("om runder, personen blev spurgt i"), any(r.id in rounds for r in decision.rounds)),
            (_("om personens observationer"), any(o.link.person_id == person.id for o in decision.observations)),
            (_("nævner personen ved navn"), bool(name and name.search(decision.text))),
        ) if holds]
        if why:
            found.append({"decided_at": decision.decided_at, "outcome": str(OUTCOME_LABELS[decision.outcome]),
                          "text": decision.text, "corrected": not decision.is_current, "why": why})
    return found
