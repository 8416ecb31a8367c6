"""The API's writes, each through the service the staff pages and the case system's file import use.

A case is created or changed by its reference through the import (app.imports.services): the
API's JSON becomes the rows of a file, checked and applied by the same rules, so a call and a
file can never disagree. People, meetings, rounds and closing go through app.cases.services,
app.invitations.services and app.cases.closure. A refusal is raised as a Problem (app.api.problems).
"""

from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice

from app.api import reads
from app.api.models import ApiKey
from app.api.problems import Problem
from app.auth.models import Team
from app.cases import closure
from app.cases import services as cases
from app.cases.forms import PersonForm
from app.cases.models import Case, CaseIsClosed, Meeting, Person
from app.extensions import db
from app.imports import services as imports
from app.imports.columns import BY_FIELD, BY_HEADING
from app.imports.reading import Table
from app.invitations import links
from app.invitations import services as invitations
from app.timestamps import local_today

CASE_FIELDS = ("team", "caseworker", "first_name", "birth_year")
BACKGROUND_FIELDS = ("target_group", "case_type", "gender")
MEASURE_FIELDS = ("kind", "provider", "started_on", "ended_on", "end_reason", "end_note")


def _cell(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def _table(reference: str, data: dict) -> Table:
    """Return the call's body as the rows of a case system's file: one row per measure (or one)."""
    fields = ["external_ref", *CASE_FIELDS, *BACKGROUND_FIELDS, *MEASURE_FIELDS]
    case = {"external_ref": reference, **{key: data.get(key) for key in CASE_FIELDS},
            **{key: (data.get("background") or {}).get(key) for key in BACKGROUND_FIELDS}}
    rows = [dict(case, **measure) for measure in data.get("measures") or []] or [case]
    return Table([BY_FIELD[key].heading for key in fields],
                 [(number, [_cell(row.get(key)) for key in fields]) for number, row in enumerate(rows, start=2)])


def _errors(plan: imports.Plan, data: dict) -> dict:
    """Return the import's problems by the API's field names (a measure's under measures.<index>)."""
    errors: dict = {}
    measured = bool(data.get("measures"))
    for problem in plan.problems:
        column = BY_HEADING.get((problem.column or "").lower())
        name = column.field if column else "_schema"
        if column is not None and column.part == "background":
            name = f"background.{name}"
        elif column is not None and column.part == "measure" and measured and problem.row:
            name = f"measures.{problem.row - 2}.{name}"
        errors.setdefault(name, [])
        if problem.message not in errors[name]:
            errors[name].append(problem.message)
    return errors


def cases_by_reference(reference: str) -> list[Case]:
    return list(db.session.scalars(select(Case).where(Case.external_ref == reference).order_by(Case.id)))


def case_of(key: ApiKey, reference: str) -> Case:
    """Return the one case with the reference that the key reaches; 404, 409 or 403 otherwise."""
    found = cases_by_reference(reference)
    if not found:
        raise Problem("not_found", _("Der er ingen sag med sagsnummeret %(ref)s.", ref=reference))
    if len(found) > 1:
        raise Problem("reference_collides", _("Flere sager har sagsnummeret %(ref)s.", ref=reference))
    if not key.reaches(found[0].team_id):
        raise Problem("team_not_reached")
    return found[0]


def _team_by_id(data: dict) -> dict:
    """Name the team the call names by id (the import reads teams by name)."""
    team_id = data.get("team_id")
    if team_id is None:
        return data
    team = db.session.get(Team, team_id)
    if team is None or data.get("team") not in (None, team.name):
        raise Problem("validation_failed", errors={"team_id": [_("Der er intet team med det nummer.")]})
    return {**{k: v for k, v in data.items() if k != "team_id"}, "team": team.name}


def put_case(key: ApiKey, reference: str, data: dict) -> tuple[Case, bool]:
    """Create the case with the reference, or change it; return it and whether it is new."""
    reference = reference.strip()
    found = cases_by_reference(reference)
    if len(found) > 1:
        raise Problem("reference_collides", _("Flere sager har sagsnummeret %(ref)s.", ref=reference))
    if found and not key.reaches(found[0].team_id):
        raise Problem("team_not_reached")
    data = _team_by_id(data)
    table = _table(reference, data)
    plan = imports.check(table)
    if not plan.ok:
        raise Problem("validation_failed", errors=_errors(plan, data))
    for plan_row in plan.new + plan.changed:
        team = plan_row.values.get("team")
        if team is not None and not key.reaches(team.id):
            raise Problem("team_not_reached")
        worker = plan_row.values.get("caseworker")
        if team is None and worker is not None and plan_row.case is None and not key.reaches(worker.team_id):
            raise Problem("team_not_reached")
    try:
        imports.apply(table, f"api:{key.name}", key.created_by)
    except imports.ImportFailed as failed:
        raise Problem("conflict", str(failed)) from failed
    db.session.expire_all()
    case = case_of(key, reference)
    return case, not found


def _person_errors(data: dict) -> dict:
    """Hold a person to the case page's own form (PersonForm): e-mail, phone, no CPR number."""
    given = {key: value for key, value in data.items() if value is not None}
    if data.get("fit_exemption"):
        given["fit_exempt"] = "y"
    form = PersonForm(formdata=MultiDict(given), meta={"csrf": False})
    form.role.choices = [SelectChoice(data.get("role"), "")]
    form.language.choices = [SelectChoice(code, code) for code in current_app.config["LANGUAGES"]]
    form.validate()
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()
            if name in ("first_name", "relation", "email", "phone", "language", "fit_exemption")}


def save_person(case: Case, person_id: int | None, data: dict) -> Person:
    person = None
    if person_id is not None:
        person = next((p for p in case.people if p.id == person_id), None)
        if person is None:
            raise Problem("not_found", _("Sagen har ingen person med det nummer."))
    errors = _person_errors(data)
    if errors:
        raise Problem("validation_failed", errors=errors)
    if person is not None and person.role == "child" and data["role"] != "child":
        raise Problem("conflict", _("Barnet på sagen bliver ved med at være barnet."))
    return cases.save_person(case, person, {**data, "fit_exempt": bool(data.get("fit_exemption"))})


def record_meeting(case: Case, data: dict) -> Meeting:
    people = {person.id for person in case.people}
    unknown = [pid for pid in data["participants"] if pid not in people]
    if unknown:
        raise Problem("validation_failed", errors={"participants": [_("Sagen har ingen person med nummeret "
                                                                      "%(id)s.", id=unknown[0])]})
    return cases.record_meeting(case, data["kind"], data["held_on"], data["participants"])


def meeting_of(case: Case, meeting_id: int) -> Meeting:
    meeting = next((m for m in case.meetings if m.id == meeting_id), None)
    if meeting is None:
        raise Problem("not_found", _("Sagen har intet møde med det nummer."))
    return meeting


def open_round(key: ApiKey, case: Case, meeting: Meeting, data: dict) -> dict:
    """Open a feedback round with the forms given, or those proposed; return each link and code once."""
    if any(r.is_locked for r in meeting.rounds):
        raise Problem("round_locked", _("Mødets runde er afgjort. Registrér et nyt møde for at spørge igen."))
    given = data.get("forms")
    if given is None:
        choices = {pid: [form.id for form in forms] for pid, forms in invitations.proposal(meeting).items()}
    else:
        choices = {}
        for text_id, form_ids in given.items():
            if not (text_id.isascii() and text_id.isdigit()) or int(text_id) not in {
                    p.id for p in meeting.participants}:
                raise Problem("validation_failed", errors={"forms": [_("%(id)s deltog ikke i mødet.", id=text_id)]})
            choices[int(text_id)] = form_ids
        known = {form.id for form in reads.catalogue_forms()}
        unknown = sorted({form_id for ids in choices.values() for form_id in ids} - known)
        if unknown:
            raise Problem("validation_failed", errors={"forms": [_("Skemaet %(id)s findes ikke.", id=unknown[0])]})
    due_on = data.get("due_on")
    if due_on is not None and due_on < local_today():
        raise Problem("validation_failed", errors={"due_on": [_("Fristen er allerede gået.")]})
    try:
        round_, issued = invitations.open_round(meeting, key.created_by, choices, due_on=due_on)
    except invitations.RoundError as refused:
        raise Problem("validation_failed", errors={"forms": [str(refused)]}) from refused
    except CaseIsClosed as closed:
        raise Problem("case_closed") from closed
    handed = links.hand_outs(round_.invitations, issued)
    return {"round_id": round_.id, "meeting_id": meeting.id, "due_on": round_.due_on, "links": [
        {"person_id": hand.invitation.person_id, "first_name": hand.invitation.person.first_name,
         "forms": list(hand.invitation.instrument_ids), "url": hand.url, "code": hand.code,
         "expires_at": hand.invitation.expires_at} for hand in handed]}


def close_case(key: ApiKey, case: Case, data: dict) -> dict:
    closing = closure.Closing(closed_on=data["closed_on"], reason=data["reason"], note=data.get("note"))
    if closing.closed_on > local_today():
        raise Problem("validation_failed", errors={"closed_on": [_("Datoen må ikke ligge efter i dag.")]})
    try:
        found, _new = closure.close_case(case, key.created_by, closing)
    except closure.ClosureError as refused:
        raise Problem("case_closed", str(refused)) from refused
    except IntegrityError as clash:
        raise Problem("conflict") from clash
    return {"reference": case.external_ref, "closed_on": found.closed_on, "reason": found.reason}
