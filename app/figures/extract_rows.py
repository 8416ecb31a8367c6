"""The rows of the analyst's extract (app.figures.extract): every answer item of the meetings held
in a period, one row each (long format), keyed by pseudonyms.

A pseudonym is a keyed hash (HMAC-SHA256, truncated) of a row's id under a secret drawn fresh
for each extract and never stored: one child has one key throughout an extract, and no key of
one extract can be joined with another's. No names, no case references, no birth year: the
child's age band at the meeting. Free text (text items, the provider's and the case worker's
prose) only when asked for.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from app.cases.models import Case, Goal, GoalVersion, Meeting
from app.extensions import db
from app.indicators.models import FinalScore, IndicatorRound, StaffScoring
from app.instruments import current_catalogue
from app.instruments.catalogue import DONT_KNOW
from app.invitations.models import Invitation, Response, Round
from app.status.items import GOAL_TEXTS
from app.timestamps import local_date

COLUMNS = ("child_key", "age_band", "meeting_key", "meeting_kind", "meeting_date", "round_kind", "source",
           "respondent_key", "respondent_role", "instrument_id", "instrument_version", "item_key", "goal_key",
           "goal_domain", "value", "declined", "answered_on")
# The child's age at the meeting, told no finer than this (issue 16 item 3).
AGE_BANDS = ((0, 5, "0–5"), (6, 12, "6–12"), (13, 17, "13–17"), (18, None, "18+"))
KEY_LENGTH = 16  # hex digits of the hash: 64 bits, no collision in any organisation's data
FREE_TEXT_TYPES = frozenset({"text", "longtext"})
# The provider status (app.status): its form's id, what it holds beside the goals, and which of it is prose.
STATUS_FORM = "provider-status"
STATUS_CODED = ("rating", "reviewed", "reviewed_on")
STATUS_PROSE = ("overall", "family_comments", "reason")
# What a final score holds besides the status (app.indicators.models.FinalScore).
FINAL_PROSE = ("rationale", "family_note")
SOURCES = ("response", "staff_scoring", "final_score")


class ExtractTooLarge(Exception):
    """The extract would hold more rows than the limit: a shorter period is needed."""

    def __init__(self, rows: int, limit: int):
        super().__init__(rows)
        self.rows, self.limit = rows, limit


class Pseudonyms:
    """Keys for one extract: a secret drawn now and never stored, a keyed hash per id."""

    def __init__(self) -> None:
        self._secret = secrets.token_bytes(32)

    def key(self, kind: str, row_id: int | None) -> str:
        if row_id is None:
            return ""
        digest = hmac.new(self._secret, f"{kind}:{row_id}".encode(), hashlib.sha256).hexdigest()
        return kind[0].upper() + digest[:KEY_LENGTH]


def age_band(held_on: date, birth_year: int) -> str:
    """Return the child's age band at the meeting; a meeting before the birth year counts as 0."""
    age = max(held_on.year - birth_year, 0)
    return next(label for low, high, label in AGE_BANDS if age >= low and (high is None or age <= high))


# --- what one answer holds, item by item ------------------------------------------------------

Item = tuple[str, int | None, Any]  # item key, goal id (provider status), value


def _value(value: Any) -> Any:
    """A stored value as a cell: yes/no as 1/0, numbers as numbers, the rest as text."""
    if isinstance(value, bool):
        return int(value)
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return value
    return str(value)


def questionnaire_items(instrument_id: str, answers: Mapping[str, Any], free_text: bool) -> Iterator[Item]:
    """A form of forms/: each answered item in the form's order; text items only with free text.

    An item the current form file does not know (an older version's) is free text when its
    value is text that no scale stores, so nothing typed slips out unasked."""
    catalogue = current_catalogue()
    instrument = catalogue.get(instrument_id) if instrument_id in catalogue else None
    known = {item.key: item for item in instrument.items} if instrument else {}
    order = [key for key in known if key in answers] + sorted(key for key in answers if key not in known)
    for key in order:
        value = answers[key]
        item = known.get(key)
        if item is not None:
            prose = item.type in FREE_TEXT_TYPES
        else:
            prose = isinstance(value, str) and value != DONT_KNOW
        if prose and not free_text:
            continue
        yield key, None, value


def indicator_items(answers: Mapping[str, Any], free_text: bool) -> Iterator[Item]:
    """An indicator scoring: each factor's status and goal (and text when asked), then the function level."""
    scores = answers.get("scores") if isinstance(answers.get("scores"), dict) else {}
    for factor, entry in scores.items():
        if not isinstance(entry, dict):
            continue
        for part in ("status", "goal"):
            if entry.get(part) is not None:
                yield f"{factor}.{part}", None, entry[part]
        if free_text and str(entry.get("text") or "").strip():
            yield f"{factor}.text", None, entry["text"]
    if answers.get("function_level"):
        yield "function_level", None, answers["function_level"]


def status_items(answers: Mapping[str, Any], free_text: bool) -> Iterator[Item]:
    """A provider status: per goal its attainment (and prose when asked), then the rating and the review.

    The goal's wording is never written: it is the family's own words; the goal key and domain say which."""
    for goal in answers.get("goals") or ():
        if not isinstance(goal, dict):
            continue
        goal_id = goal.get("goal_id") if isinstance(goal.get("goal_id"), int) else None
        if goal.get("attainment"):
            yield "goal.attainment", goal_id, goal["attainment"]
        for key in GOAL_TEXTS if free_text else ():
            if str(goal.get(key) or "").strip():
                yield f"goal.{key}", goal_id, goal[key]
    for key in STATUS_CODED:
        if answers.get(key) is not None:
            yield key, None, answers[key]
    for key in STATUS_PROSE if free_text else ():
        if str(answers.get(key) or "").strip():
            yield key, None, answers[key]


def final_items(score: FinalScore, free_text: bool) -> Iterator[Item]:
    """The case worker's final status for one factor: status, goal, level; the reasons when asked."""
    if score.unscored:
        yield f"{score.factor}.unscored", None, True
    elif score.dont_know:
        yield f"{score.factor}.status", None, DONT_KNOW
    elif score.status is not None:
        yield f"{score.factor}.status", None, score.status
    if score.goal is not None:
        yield f"{score.factor}.goal", None, score.goal
    if score.level is not None:
        yield "function_level", None, score.level
    for key in FINAL_PROSE if free_text else ():
        if str(getattr(score, key) or "").strip():
            yield f"{score.factor}.{key}", None, getattr(score, key)


# --- the rows -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Context:
    """Where an answer belongs: its child, meeting and round, as the extract names them."""

    child_key: str
    age_band: str
    meeting_key: str
    meeting_kind: str
    meeting_date: str
    round_kind: str


@dataclass(frozen=True)
class Answer:
    """Who gave an answer (a pseudonym and a role, never a name), to which form, and when."""

    source: str
    respondent_key: str
    role: str
    instrument_id: str
    version: int
    declined: bool
    answered: datetime


def row(context: Context, answer: Answer, item: Item, keys: Pseudonyms, domains: Mapping[int, str]) -> list:
    """One row of COLUMNS."""
    key, goal_id, value = item
    return [context.child_key, context.age_band, context.meeting_key, context.meeting_kind, context.meeting_date,
            context.round_kind, answer.source, answer.respondent_key, answer.role, answer.instrument_id,
            answer.version, key, keys.key("goal", goal_id), domains.get(goal_id, "") if goal_id is not None else "",
            _value(value), int(answer.declined), local_date(answer.answered).isoformat()]


def _where(start: date, end: date):
    return Meeting.held_on.between(start, end)


def _context(keys: Pseudonyms, round_kind: str, meeting_id: int, meeting_kind: str, held_on: date,
             case_id: int, birth_year: int) -> Context:
    return Context(keys.key("child", case_id), age_band(held_on, birth_year), keys.key("meeting", meeting_id),
                   meeting_kind, held_on.isoformat(), round_kind)


_MEETING = (Round.kind, Meeting.id, Meeting.kind, Meeting.held_on, Case.id, Case.child_birth_year)


def _responses(start: date, end: date):
    # The role the answer was given in (issue 14 item 5), not the person's role of today.
    return (select(Response.instrument_id, Response.instrument_version, Response.answers, Response.declined,
                   Response.submitted_at, Invitation.person_id, Response.respondent_role, *_MEETING)
            .join(Invitation, Response.invitation_id == Invitation.id)
            .join(Round, Invitation.round_id == Round.id)
            .join(Meeting, Round.meeting_id == Meeting.id)
            .join(Case, Meeting.case_id == Case.id)
            .where(Response.superseded_at.is_(None), _where(start, end)))


def _staff_scorings(start: date, end: date):
    return (select(StaffScoring.answers, StaffScoring.submitted_at, IndicatorRound.form_id,
                   IndicatorRound.form_version, *_MEETING)
            .join(Round, StaffScoring.round_id == Round.id)
            .join(IndicatorRound, IndicatorRound.round_id == Round.id)
            .join(Meeting, Round.meeting_id == Meeting.id)
            .join(Case, Meeting.case_id == Case.id)
            .where(StaffScoring.superseded_at.is_(None), _where(start, end)))


def _final_scores(start: date, end: date):
    # The newest final score per round and factor is the one in force.
    newest = select(func.max(FinalScore.id)).group_by(FinalScore.round_id, FinalScore.factor)
    return (select(FinalScore, IndicatorRound.form_id, IndicatorRound.form_version, *_MEETING)
            .join(Round, FinalScore.round_id == Round.id)
            .join(IndicatorRound, IndicatorRound.round_id == Round.id)
            .join(Meeting, Round.meeting_id == Meeting.id)
            .join(Case, Meeting.case_id == Case.id)
            .where(FinalScore.id.in_(newest), _where(start, end)))


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _goal_domains(case_ids: set[int]) -> dict[int, str]:
    """Each goal's life domain as last worded, for the cases in the extract; one query."""
    if not case_ids:
        return {}
    found = db.session.execute(
        select(GoalVersion.goal_id, GoalVersion.domain).join(Goal, GoalVersion.goal_id == Goal.id)
        .where(Goal.case_id.in_(case_ids)).order_by(GoalVersion.goal_id, GoalVersion.number))
    return {goal_id: domain for goal_id, domain in found}


def answer_rows(start: date, end: date, free_text: bool, keys: Pseudonyms, limit: int) -> list[list]:
    """Every answer item of the meetings held in the period, as rows of COLUMNS.

    Raises ExtractTooLarge before the work when the answers alone pass the limit, and as
    soon as the rows do. Rows are sorted by the keys, so their order tells nothing of ids."""
    queries = (_responses(start, end), _staff_scorings(start, end),
               _final_scores(start, end))
    answers = sum(_count(query) for query in queries)
    if answers > limit:
        raise ExtractTooLarge(answers, limit)
    found = [list(db.session.execute(query)) for query in queries]
    domains = _goal_domains({row[-2] for rows in found for row in rows})
    rows: list[list] = []

    def add(context: Context, answer: Answer, items: Iterator[Item]) -> None:
        for item in items:
            rows.append(row(context, answer, item, keys, domains))
            if len(rows) > limit:
                raise ExtractTooLarge(len(rows), limit)

    for (instrument_id, version, stored, declined, submitted, person_id, role, *meeting) in found[0]:
        answer = Answer("response", keys.key("respondent", person_id), role, instrument_id, version, declined,
                        submitted)
        if declined:
            items: Iterator[Item] = iter([("", None, "")])
        elif instrument_id == STATUS_FORM:
            items = status_items(stored or {}, free_text)
        elif meeting[0] == "indicators":
            items = indicator_items(stored or {}, free_text)
        else:
            items = questionnaire_items(instrument_id, stored or {}, free_text)
        add(_context(keys, *meeting), answer, items)
    for (stored, submitted, form_id, version, *meeting) in found[1]:
        answer = Answer("staff_scoring", "", "caseworker", form_id, version, False, submitted)
        add(_context(keys, *meeting), answer, indicator_items(stored or {}, free_text))
    for (score, form_id, version, *meeting) in found[2]:
        answer = Answer("final_score", "", "caseworker", form_id, version, False, score.set_at)
        add(_context(keys, *meeting), answer, final_items(score, free_text))
    rows.sort(key=lambda r: (r[0], r[4], r[2], [str(cell) for cell in r]))
    return rows
