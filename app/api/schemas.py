"""The API's bodies as marshmallow schemas: the OpenAPI document and the validation are one thing.

Every input schema refuses unknown fields (marshmallow's RAISE); every text refuses NUL (which
PostgreSQL cannot store) and is bounded; numbers are bounded to what the columns hold.
"""

from datetime import date

import marshmallow as ma
from marshmallow import validate

from app.cases.models import (
    CHOSEN_CLOSE_REASONS,
    CLOSURE_NOTE_LIMIT,
    MEETING_KINDS,
    PERSON_ROLES,
)
from app.imports.columns import END_NOTE_LIMIT, NAME_LIMIT

MAX_ID = 2**31 - 1
PAGE_LIMIT = 100
FIRST_DAY, LAST_DAY = date(1990, 1, 1), date(2100, 12, 31)


def _no_nul(value: str) -> None:
    if "\x00" in value:
        raise ma.ValidationError("NUL is not allowed in a text.")


def Text(limit: int, least: int = 0, **kwargs) -> ma.fields.String:  # noqa: N802  (a field factory)
    return ma.fields.String(validate=[validate.Length(min=least or None, max=limit), _no_nul], **kwargs)


def Id(**kwargs) -> ma.fields.Integer:  # noqa: N802
    return ma.fields.Integer(strict=True, validate=validate.Range(1, MAX_ID), **kwargs)


def Day(**kwargs) -> ma.fields.Date:  # noqa: N802
    return ma.fields.Date(validate=validate.Range(FIRST_DAY, LAST_DAY), **kwargs)


class Input(ma.Schema):
    class Meta:
        unknown = ma.RAISE


# --- writes ------------------------------------------------------------------------------------

class BackgroundIn(Input):
    target_group = Text(60, metadata={"description": "Code or Danish name from the list target_group."})
    case_type = Text(60, metadata={"description": "Code or Danish name from the list case_type."})
    gender = ma.fields.String(validate=validate.OneOf(("girl", "boy", "other")))


class MeasureIn(Input):
    kind = Text(80, required=True, metadata={"description": "Code or Danish name of a kind on the measure ladder."})
    provider = Text(80, metadata={"description": "Code or Danish name from the list provider."})
    started_on = Day(required=True)
    ended_on = Day()
    end_reason = Text(80)
    end_note = Text(END_NOTE_LIMIT)


class CaseIn(Input):
    team = Text(120, metadata={"description": "The team's name in Samstem (or team_id; needed for a new case)."})
    team_id = Id(metadata={"description": "The team's id in Samstem, instead of its name."})
    caseworker = Text(80, metadata={"description": "The case worker's username (needed for a new case)."})
    first_name = Text(NAME_LIMIT, 1, metadata={
        "description": "The child's first name (needed for a new case)."})
    birth_year = ma.fields.Integer(strict=True, validate=validate.Range(1990, 2100),
                                   metadata={"description": "The child's birth year (needed for a new case)."})
    background = ma.fields.Nested(BackgroundIn)
    measures = ma.fields.List(ma.fields.Nested(MeasureIn), validate=validate.Length(max=50))


class PersonIn(Input):
    role = ma.fields.String(required=True, validate=validate.OneOf(PERSON_ROLES))
    first_name = Text(80, 1, required=True)
    relation = Text(120)
    email = Text(254)
    phone = Text(30)
    language = Text(8, load_default="da")
    fit_exemption = Text(2000, metadata={"description": "A professional reason for giving no FIT forms."})


class MeetingIn(Input):
    kind = ma.fields.String(required=True, validate=validate.OneOf(MEETING_KINDS))
    held_on = Day(required=True)
    participants = ma.fields.List(Id(), required=True, validate=validate.Length(min=1, max=50),
                                  metadata={"description": "Ids of the case's people who took part."})


class RoundIn(Input):
    forms = ma.fields.Dict(keys=ma.fields.String(validate=validate.Length(max=10)),
                           values=ma.fields.List(Text(80), validate=validate.Length(max=20)),
                           validate=validate.Length(max=50), metadata={
                               "description": "The forms given, by the participant's person id. Left out: the "
                                              "forms Samstem proposes."})
    due_on = Day()


class CloseIn(Input):
    closed_on = Day(required=True)
    reason = ma.fields.String(required=True, validate=validate.OneOf(CHOSEN_CLOSE_REASONS))
    note = Text(CLOSURE_NOTE_LIMIT)


# --- queries -----------------------------------------------------------------------------------

class PageQuery(Input):
    limit = ma.fields.Integer(load_default=50, validate=validate.Range(1, PAGE_LIMIT))
    cursor = Text(200, metadata={"description": "The next_cursor of the page before; left out: the first page."})


# --- replies -----------------------------------------------------------------------------------

class PersonOut(ma.Schema):
    id = ma.fields.Integer()
    role = ma.fields.String()
    first_name = ma.fields.String()
    relation = ma.fields.String(allow_none=True)
    language = ma.fields.String()
    fit_exempt = ma.fields.Boolean()


class MeasureOut(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    provider = ma.fields.String(allow_none=True)
    started_on = ma.fields.Date()
    ended_on = ma.fields.Date(allow_none=True)
    end_reason = ma.fields.String(allow_none=True)


class MeetingOut(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    held_on = ma.fields.Date()
    participants = ma.fields.List(ma.fields.Integer())
    proposed = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.List(ma.fields.String()),
                              metadata={"description": "The forms Samstem proposes, by person id."})


class CaseOut(ma.Schema):
    reference = ma.fields.String()
    team = ma.fields.String()
    caseworker = ma.fields.String()
    first_name = ma.fields.String(allow_none=True)
    birth_year = ma.fields.Integer()
    closed = ma.fields.Boolean()
    background = ma.fields.Dict(allow_none=True)
    people = ma.fields.List(ma.fields.Nested(PersonOut))
    measures = ma.fields.List(ma.fields.Nested(MeasureOut))
    meetings = ma.fields.List(ma.fields.Nested(MeetingOut))


class LinkOut(ma.Schema):
    person_id = ma.fields.Integer()
    first_name = ma.fields.String()
    forms = ma.fields.List(ma.fields.String())
    url = ma.fields.String(metadata={"description": "The personal link: shown in this reply only."})
    code = ma.fields.String(metadata={"description": "The typed code: shown in this reply only."})
    expires_at = ma.fields.DateTime()


class RoundOpened(ma.Schema):
    round_id = ma.fields.Integer()
    meeting_id = ma.fields.Integer()
    due_on = ma.fields.Date(allow_none=True)
    links = ma.fields.List(ma.fields.Nested(LinkOut))


class Closed(ma.Schema):
    reference = ma.fields.String()
    closed_on = ma.fields.Date()
    reason = ma.fields.String()
    invitations_revoked = ma.fields.Integer()


class CaseListItem(ma.Schema):
    reference = ma.fields.String()
    team = ma.fields.String()
    closed = ma.fields.Boolean()


class CasePage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CaseListItem))
    next_cursor = ma.fields.String(allow_none=True)


class Change(ma.Schema):
    sequence = ma.fields.Integer()
    at = ma.fields.DateTime()
    reference = ma.fields.String(allow_none=True)
    action = ma.fields.String()


class ChangePage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(Change))
    next_cursor = ma.fields.String(allow_none=True)


class Answer(ma.Schema):
    person_id = ma.fields.Integer()
    role = ma.fields.String()
    relation = ma.fields.String(allow_none=True)
    instrument = ma.fields.String()
    instrument_version = ma.fields.Integer()
    declined = ma.fields.Boolean(metadata={"description": "The person said no to this form: not a stopped answer."})
    answers = ma.fields.Dict(metadata={"description": "Each item's answer by the item's key."})
    submitted_at = ma.fields.DateTime()
    score_total = ma.fields.Float(allow_none=True)
    score_mean = ma.fields.Float(allow_none=True)
    signal_level = ma.fields.String(allow_none=True)
    signals = ma.fields.List(ma.fields.Dict())


class RoundOut(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    meeting_id = ma.fields.Integer()
    held_on = ma.fields.Date()
    due_on = ma.fields.Date(allow_none=True)
    created_at = ma.fields.DateTime()
    locked = ma.fields.Boolean()
    invitations = ma.fields.List(ma.fields.Dict())
    answers = ma.fields.List(ma.fields.Nested(Answer))
    divergences = ma.fields.List(ma.fields.Dict())
    decision = ma.fields.Dict(allow_none=True)
    indicators = ma.fields.Dict(allow_none=True, metadata={
        "description": "Indicator rounds: the final score per factor and each factor's classification."})


class RoundPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(RoundOut))
    next_cursor = ma.fields.String(allow_none=True)


class GoalOut(ma.Schema):
    id = ma.fields.Integer()
    text = ma.fields.String()
    domain = ma.fields.String()
    kind = ma.fields.String()
    responsible = ma.fields.String(allow_none=True)
    version = ma.fields.Integer()
    created_at = ma.fields.DateTime()
    closed_at = ma.fields.DateTime(allow_none=True)


class GoalPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(GoalOut))
    next_cursor = ma.fields.String(allow_none=True)


# --- FHIR R4 (application/fhir+json): the resources' main elements; the rest is R4 as app.fhir makes it ---

class FhirQuestionnaire(ma.Schema):
    resourceType = ma.fields.String(metadata={"description": "Questionnaire"})  # noqa: N815  (FHIR's names)
    id = ma.fields.String()
    url = ma.fields.String()
    version = ma.fields.String()
    name = ma.fields.String()
    title = ma.fields.String()
    status = ma.fields.String()
    copyright = ma.fields.String(metadata={"description": "The form's licence note."})
    item = ma.fields.List(ma.fields.Dict(), metadata={"description": "The questions, each with its linkId."})


class FhirQuestionnaireResponse(ma.Schema):
    resourceType = ma.fields.String(metadata={"description": "QuestionnaireResponse"})  # noqa: N815
    id = ma.fields.String()
    questionnaire = ma.fields.String(metadata={"description": "The canonical of the form answered, with its version."})
    status = ma.fields.String()
    subject = ma.fields.Dict(metadata={"description": "The case, by a pseudonym (urn:samstem:case); no CPR number."})
    source = ma.fields.Dict(metadata={"description": "The respondent, by a pseudonym, with their role."})
    authored = ma.fields.String()
    item = ma.fields.List(ma.fields.Dict())


class FhirBundle(ma.Schema):
    resourceType = ma.fields.String(metadata={"description": "Bundle"})  # noqa: N815
    id = ma.fields.String()
    type = ma.fields.String(metadata={"description": "searchset (the questionnaires) or collection (a round)."})
    total = ma.fields.Integer()
    timestamp = ma.fields.String()
    link = ma.fields.List(ma.fields.Dict(), metadata={"description": "self, and next while there are more."})
    entry = ma.fields.List(ma.fields.Dict(), metadata={"description": "Each resource, with its fullUrl."})
