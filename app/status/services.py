"""The provider status (INSTRUMENTS.md section 3): the request, the form's rules, and what it said.

A status round (Round.kind "status") asks the case's provider and school, with a due
date, for a status per action-plan goal before a meeting. The goals are those open when
the request was made; each answer stores the goal's id, version and wording it was given,
so a later rewording does not change what was answered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import force_locale, format_date, format_datetime
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.cases.models import Case, Goal, GoalVersion, Meeting, Person
from app.cases.services import record_meeting
from app.extensions import db
from app.forms import parse_day
from app.i18n import person_language
from app.instruments.blocks import read, word_problems
from app.invitations import messages
from app.invitations import services as rounds
from app.invitations.models import Invitation, Response, Round
from app.labels import ATTAINMENT_LABELS, ROLE_LABELS
from app.outbox import queue_email
from app.respond.services import OwnForm, submit_own
from app.status import items
from app.status.items import GOAL_TEXTS
from app.timestamps import local_date, utcnow

FORM = OwnForm("provider-status", 1)
RECIPIENT_ROLES = ("provider", "school")


class StatusRequestError(Exception):
    """The request cannot be made as asked; the message tells the case worker why."""


@dataclass(frozen=True)
class GoalSnapshot:
    """A goal as it stood when the status was asked for."""

    goal_id: int
    version: int
    text: str


def goals_at(round_: Round) -> list[GoalSnapshot]:
    """Return the case's goals that were open when the round was opened, worded as they were then."""
    asked_at = round_.created_at or utcnow()
    found = []
    # One query for the goals with their wordings, not one per goal (the respondent's page).
    goals = db.session.scalars(
        select(Goal).where(Goal.case_id == round_.meeting.case_id).order_by(Goal.id)
        .options(joinedload(Goal.versions).lazyload(GoalVersion.written_by))
    ).unique()
    for goal in goals:
        if goal.created_at > asked_at or (goal.closed_at is not None and goal.closed_at <= asked_at):
            continue
        versions = [v for v in goal.versions if v.written_at <= asked_at] or goal.versions[:1]
        found.append(GoalSnapshot(goal.id, versions[-1].number, versions[-1].text))
    return found


def recipients(case: Case) -> list[Person]:
    """Return the people who can be asked for a status: the case's provider and school."""
    return [p for p in case.people if p.role in RECIPIENT_ROLES]


def planned_meetings(case: Case, today: date) -> list[Meeting]:
    """Return the case's meetings on or after today, soonest first."""
    return sorted((m for m in case.meetings if m.held_on >= today), key=lambda m: (m.held_on, m.id))


def request_status(case: Case, user: User, *, meeting: Meeting | None, new_meeting_on: date | None,
                   due_on: date, people: list[Person]) -> tuple[Round, dict[int, str]]:
    """Ask the people for a status before the meeting (or a new follow-up meeting), by e-mail.

    The checks the form makes are made again here, so no caller can skip them.
    """
    today = date.today()
    if not case.open_goals:
        raise StatusRequestError(_("Sagen har ingen mål i barnets plan. Tilføj mindst ét mål, før du beder om status."))
    if not people:
        raise StatusRequestError(_("Vælg mindst én modtager."))
    if any(p.case_id != case.id or p.role not in RECIPIENT_ROLES for p in people):
        raise StatusRequestError(_("Kun sagens udfører og skole kan bedes om status."))
    missing = [p.first_name for p in people if not p.email]
    if missing:
        raise StatusRequestError(_("%(names)s har ingen e-mailadresse. Tilføj den på personens side.", names=", ".join(missing)))
    if meeting is None:
        if new_meeting_on is None or new_meeting_on < today:
            raise StatusRequestError(_("Opfølgningsmødet kan ikke ligge før i dag."))
        meeting = record_meeting(case, "follow_up", new_meeting_on, [p.id for p in case.people])
    elif meeting.case_id != case.id or meeting.held_on < today:
        raise StatusRequestError(_("Vælg et af sagens planlagte møder."))
    if due_on < today:
        raise StatusRequestError(_("Fristen kan ikke ligge før i dag."))
    if due_on > meeting.held_on:
        raise StatusRequestError(_("Fristen skal ligge senest på mødedagen."))
    round_, tokens = rounds.open_round(meeting, user, {p.id: [FORM.id] for p in people}, kind="status", due_on=due_on)
    for invitation in round_.invitations:
        with force_locale(person_language(invitation.person)):
            subject, body = messages.email(invitation)
        queue_email(invitation.person.email, subject, body, invitation=invitation)
    return round_, tokens


# ---- The provider's form -------------------------------------------------------------


def goal_field(goal: GoalSnapshot, name: str) -> str:
    return f"goal_{goal.goal_id}_{name}"


def validate(data: Mapping[str, str], goals: list[GoalSnapshot], today: date) -> tuple[dict, dict[str, str]]:
    """Check a submitted status form; return the answers to store and the problems by field name."""
    form = read(items.status_form_class(goals, today), data)
    return items.answers_of(form), word_problems(form, items.word)


def form_values(answers: Mapping) -> dict[str, str]:
    """Return the form's field values from stored answers, to show them again for changing."""
    values = {key: str(answers.get(key) or "") for key in ("overall", "reviewed", "reviewed_on", "family_comments", "reason")}
    if answers.get("rating") is not None:
        values["rating"] = str(answers["rating"])
    for entry in answers.get("goals", []):
        goal = GoalSnapshot(entry["goal_id"], entry["version"], entry["text"])
        for key in ("attainment", *GOAL_TEXTS):
            values[goal_field(goal, key)] = entry.get(key) or ""
    return values


def submit(invitation: Invitation, answers: dict, lang: str, submission: str | None = None) -> None:
    """Store the status through the supersede-never-overwrite path of every response, once per submission."""
    submit_own(invitation, FORM, answers, lang, submission=submission, written=has_text(answers))


def has_text(answers: Mapping) -> bool:
    """Tell whether the provider wrote anything in the status (news for the case worker)."""
    texts = [answers.get(key) for key in ("overall", "family_comments", "reason")]
    texts += [entry.get(key) for entry in answers.get("goals", []) for key in GOAL_TEXTS]
    return any(str(text or "").strip() for text in texts)


def current_status(invitation: Invitation) -> Response | None:
    return next((r for r in invitation.current_responses if r.instrument_id == FORM.id and not r.declined), None)


def is_late(response: Response | None, round_: Round) -> bool:
    """Tell whether the answer arrived after the due date (it is kept all the same)."""
    return response is not None and round_.due_on is not None and local_date(response.submitted_at) > round_.due_on


def recipient_status(invitation: Invitation) -> str:
    """One of: waiting, answered, answered_late, revoked, expired."""
    response = current_status(invitation)
    if response is not None:
        return "answered_late" if is_late(response, invitation.round) else "answered"
    if invitation.revoked_at is not None:
        return "revoked"
    return "expired" if not invitation.usable() else "waiting"


# ---- What the case worker reads ------------------------------------------------------


@dataclass
class Voice:
    invitation: Invitation
    response: Response | None
    late: bool
    previous_rating: int | None = None
    previous_on: date | None = None
    # The statuses on this link that a newer one replaced, oldest first (issue 10 item 5).
    earlier: list[Response] = field(default_factory=list)

    @property
    def answers(self) -> dict:
        return self.response.answers if self.response else {}

    @property
    def changed(self) -> bool:
        """Whether the current status replaced an earlier one on the same link."""
        return self.response is not None and bool(self.earlier)

    def earlier_goal(self, goal_id: int) -> list[tuple[datetime, str | None]]:
        """The goal's earlier attainments on this link that differ from the current one, oldest first."""
        now = _goal_entry(self.answers, goal_id)
        found = []
        for response in self.earlier:
            was = _goal_entry(response.answers or {}, goal_id)
            if (was or {}).get("attainment") != (now or {}).get("attainment"):
                found.append((response.submitted_at, (was or {}).get("attainment")))
        return found

    def earlier_ratings(self) -> list[tuple[datetime, object]]:
        """The earlier ratings (0–10) on this link that differ from the current one, oldest first."""
        return [(r.submitted_at, (r.answers or {}).get("rating")) for r in self.earlier
                if (r.answers or {}).get("rating") != self.answers.get("rating")]

    @property
    def reviewed_on(self) -> date | None:
        return parse_day(str(self.answers.get("reviewed_on") or ""))


def _goal_entry(answers: dict, goal_id: int) -> dict | None:
    return next((e for e in answers.get("goals", []) if e.get("goal_id") == goal_id), None)


@dataclass
class GoalRow:
    goal_id: int
    text: str
    # One per voice: that voice's answer about the goal, or None.
    answers: list[dict | None] = field(default_factory=list)


@dataclass
class StatusView:
    round: Round
    voices: list[Voice]
    goals: list[GoalRow]
    # The case worker's own attainment per goal id at the round's meeting (issue 14 item 4), shown beside.
    caseworker: dict[int, str] = field(default_factory=dict)

    @property
    def answered(self) -> list[Voice]:
        return [v for v in self.voices if v.response is not None]


def status_view(round_: Round, previous_of: Callable[[Invitation], Response | None] | None = None) -> StatusView:
    """Gather a status round's answers: goals with every voice side by side, each rating beside the last.

    `previous_of` finds a person's earlier status answer from answers already loaded; without
    it, each is looked up in the database.
    """
    voices = []
    for invitation in round_.invitations:
        response = current_status(invitation)
        earlier = sorted((r for r in invitation.responses if r.instrument_id == FORM.id and r.superseded_at is not None
                          and not r.declined), key=lambda r: r.submitted_at)
        voice = Voice(invitation, response, is_late(response, round_), earlier=earlier)
        previous = previous_of(invitation) if previous_of else _previous(invitation, round_)
        if previous is not None:
            voice.previous_rating = previous.answers.get("rating")
            voice.previous_on = previous.dated(previous.invitation.round.meeting.held_on)
        voices.append(voice)
    rows: dict[int, GoalRow] = {}
    for goal in goals_at(round_):
        rows[goal.goal_id] = GoalRow(goal.goal_id, goal.text)
    for voice in voices:
        for entry in voice.answers.get("goals", []):
            rows.setdefault(entry["goal_id"], GoalRow(entry["goal_id"], entry["text"]))
    for row in rows.values():
        for voice in voices:
            row.answers.append(next((e for e in voice.answers.get("goals", []) if e["goal_id"] == row.goal_id), None))
    return StatusView(round_, voices, list(rows.values()))


def _previous(invitation: Invitation, round_: Round) -> Response | None:
    """Return the same person's status answer in the case's latest earlier status round."""
    earlier = db.session.scalars(
        db.select(Response)
        .join(Response.invitation)
        .join(Invitation.round)
        .join(Round.meeting)
        .where(
            Invitation.person_id == invitation.person_id,
            Response.instrument_id == FORM.id,
            Response.superseded_at.is_(None),
            Response.declined.is_(False),
            Round.kind == "status",
            Round.id != round_.id,
            Meeting.case_id == round_.meeting.case_id,
        )
        .order_by(Meeting.held_on.desc(), Round.id.desc())
    ).all()
    mine = (round_.meeting.held_on, round_.id)
    return next((r for r in earlier if (r.invitation.round.meeting.held_on, r.invitation.round_id) < mine), None)


def _earlier_text(earlier: list[tuple[datetime, object]], shown: Callable[[object], str]) -> str:
    """ " (ændret, før 3. dec. 2026 10:00: Delvist opfyldt)" for each earlier value that differs."""
    return "".join(" (" + _("ændret, før %(when)s: %(value)s", when=format_datetime(when, "d. MMM yyyy HH:mm"),
                             value=shown(was) if was is not None else _("intet svar")) + ")" for when, was in earlier)


def status_lines(round_: Round) -> list[str]:
    """Say a status round's content in plain text, for the case system."""
    view = status_view(round_)
    lines = ["", _("Status med frist %(due)s", due=format_date(round_.due_on, "d. MMMM yyyy")) if round_.due_on else _("Status")]
    if not view.answered:
        return [*lines, "  " + _("Ingen status er kommet endnu.")]
    for index, row in enumerate(view.goals, 1):
        lines.append(_("Mål %(num)s: %(text)s", num=index, text=row.text))
        for voice, entry in zip(view.voices, row.answers, strict=True):
            if entry is None:
                continue
            lines.append(f"  {voice.invitation.person.first_name}: {ATTAINMENT_LABELS.get(entry['attainment'], entry['attainment'])}"
                         + _earlier_text(voice.earlier_goal(row.goal_id), lambda a: ATTAINMENT_LABELS.get(a, a)))
            for key, label in (("done", _("Gjort")), ("works", _("Virker")), ("worries", _("Bekymrer")),
                               ("next", _("Skal ske nu")), ("observations", _("Iagttagelser"))):
                if entry.get(key):
                    lines.append(f"    {label}: " + entry[key].replace("\n", "\n      "))
    for voice in view.answered:
        person = voice.invitation.person
        lines.append("")
        lines.append(f"{person.first_name} ({ROLE_LABELS[person.role]})"
                     + (" · " + _("Indsendt efter fristen") if voice.late else "")
                     + (" · " + _("ændrede sin status %(when)s", when=format_datetime(voice.response.submitted_at, "d. MMM yyyy HH:mm"))
                        if voice.changed else ""))
        lines.append("  " + _("Samlet vurdering: %(text)s", text=str(voice.answers.get("overall", "")).replace("\n", "\n    ")))
        rating = _("Tal (0–10): %(value)s", value=voice.answers.get("rating"))
        if voice.previous_rating is not None:
            rating += " (" + _("sidst %(value)s, %(date)s", value=voice.previous_rating,
                                date=format_date(voice.previous_on, "d. MMM yyyy")) + ")"
        lines.append("  " + rating + _earlier_text(voice.earlier_ratings(), str))
        if voice.answers.get("reviewed") == "yes":
            reviewed = voice.reviewed_on
            lines.append("  " + _("Gennemgået med familien %(date)s", date=format_date(reviewed, "d. MMMM yyyy") if reviewed else ""))
            if voice.answers.get("family_comments"):
                lines.append("  " + _("Familiens kommentarer: %(text)s", text=voice.answers["family_comments"]))
        else:
            lines.append("  " + _("Ikke gennemgået med familien: %(reason)s", reason=voice.answers.get("reason", "")))
    return lines
