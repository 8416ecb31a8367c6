"""Resultatdokumentation on a case: procedure, the case's form and rhythm, rounds, scorings,
final scores, the decision gate and the classification against the round before."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.cases.models import Case, Meeting
from app.extensions import db
from app.indicators import schedule
from app.indicators.catalogue import (
    YOUNGEST_CHILD,
    Factor,
    IndicatorForm,
    current_forms,
)
from app.indicators.classification import NOT_FOLLOWED_UP, classify
from app.indicators.models import (
    DEFAULT_FORM,
    DEFAULT_SCORERS,
    CaseIndicators,
    FinalScore,
    IndicatorProcedure,
    IndicatorRound,
    StaffScoring,
    scorer_roles,
)
from app.indicators.scoring import LEVEL_FIELD
from app.invitations import services as rounds
from app.invitations.locks import hold_round_open
from app.invitations.models import Round
from app.timestamps import utcnow

PROCEDURE_ID = 1


class IndicatorError(ValueError):
    """The request cannot be carried out; the message tells the case worker why."""


class RoundLocked(IndicatorError):
    """The round was decided (locked) before the scoring could be stored; nothing was stored."""


# --- the procedure --------------------------------------------------------------------------

def procedure() -> IndicatorProcedure:
    """The organisation's procedure; the defaults (not stored) until an administrator saves one."""
    found = db.session.get(IndicatorProcedure, PROCEDURE_ID)
    if found is not None:
        return found
    return IndicatorProcedure(
        id=PROCEDURE_ID, scorers=list(DEFAULT_SCORERS), together=False,
        rhythm_months=schedule.DEFAULT_RHYTHM_MONTHS, default_form=DEFAULT_FORM, family_split=True,
    )


def save_procedure(user: User, *, scorers: Sequence[str], together: bool, rhythm_months: int,
                   default_form: str, family_split: bool) -> IndicatorProcedure:
    row = db.session.get(IndicatorProcedure, PROCEDURE_ID)
    if row is None:
        row = IndicatorProcedure(id=PROCEDURE_ID)
        db.session.add(row)
    row.scorers = list(scorers)
    row.together = together
    row.rhythm_months = rhythm_months
    row.default_form = default_form
    row.family_split = family_split
    row.updated_at = utcnow()
    row.updated_by_id = user.id
    audit.record("indicators.procedure", None, scorers=list(scorers), together=together,
                 rhythm_months=rhythm_months, default_form=default_form, family_split=family_split)
    return row


# --- the case's form and rhythm ---------------------------------------------------------------

def case_settings(case: Case) -> CaseIndicators | None:
    return db.session.scalar(select(CaseIndicators).where(CaseIndicators.case_id == case.id))


def save_case_settings(case: Case, form_id: str, intake_on: date) -> CaseIndicators:
    settings = case_settings(case)
    if settings is None:
        settings = CaseIndicators(case_id=case.id, form_id=form_id, intake_on=intake_on)
        db.session.add(settings)
    else:
        settings.form_id, settings.intake_on, settings.updated_at = form_id, intake_on, utcnow()
    audit.record("indicators.case_settings", case.id, form_id=form_id, intake_on=intake_on.isoformat())
    return settings


def indicator_rounds(case: Case) -> list[tuple[Round, IndicatorRound]]:
    """The case's indicator rounds, oldest meeting first."""
    rows = db.session.execute(
        select(Round, IndicatorRound)
        .join(IndicatorRound, IndicatorRound.round_id == Round.id)
        .join(Round.meeting)
        .where(Meeting.case_id == case.id)
        .order_by(Meeting.held_on, Round.id)
    ).all()
    return [(r, ir) for r, ir in rows]


def measurement_due(case: Case, today: date) -> date | None:
    """The scheduled measurement due for the case now, or None.

    For the due list: the case's rhythm starts at its intake date (case page,
    Resultatdokumentation) and follows the organisation's procedure (every 6 or 4 months
    after the first follow-up at 3 months). A measurement is an indicator round held on a
    meeting; its meeting date covers the scheduled date whose window it lies in
    (schedule.next_due). Returns the first scheduled date not covered whose window is open
    today: before today it is overdue, on or after today it is due. None when the case has
    no indicator form chosen, or no measurement is due yet.
    """
    settings = case_settings(case)
    if settings is None:
        return None
    done = [r.meeting.held_on for r, _ in indicator_rounds(case)]
    return due_from(settings, done, today, procedure().rhythm_months)


def next_measurement(case: Case, today: date) -> date | None:
    """The due measurement if there is one, else the next scheduled date after today."""
    settings = case_settings(case)
    if settings is None:
        return None
    done = [r.meeting.held_on for r, _ in indicator_rounds(case)]
    return next_from(settings, done, today, procedure().rhythm_months)


def due_from(settings: CaseIndicators, done: Sequence[date], today: date, rhythm: int) -> date | None:
    """measurement_due from what is already loaded: the settings, the measured dates, the rhythm."""
    return schedule.next_due(settings.intake_on, list(done), today, rhythm)


def next_from(settings: CaseIndicators, done: Sequence[date], today: date, rhythm: int) -> date | None:
    """next_measurement from what is already loaded: the settings, the measured dates, the rhythm."""
    return schedule.due_or_next(settings.intake_on, done, today, rhythm)


# --- rounds ---------------------------------------------------------------------------------

def indicator_round(round_: Round) -> IndicatorRound | None:
    return db.session.scalar(select(IndicatorRound).where(IndicatorRound.round_id == round_.id))


def form_of(info: IndicatorRound) -> IndicatorForm | None:
    forms = current_forms()
    return forms.get(info.form_id) if info.form_id in forms else None


def factors_of(info: IndicatorRound) -> list[Factor]:
    form = form_of(info)
    return form.factors(info.family_split) if form else []


def asked_factors(info: IndicatorRound, role: str, child_age: int | None, child_name: str = "") -> list[Factor]:
    """The factors of the round someone of this role is asked, in their words (issue 11 item 1)."""
    form = form_of(info)
    return form.asked_factors(info.family_split, role, child_age, child_name) if form else []


def child_age(meeting: Meeting) -> int:
    """The child's age at the meeting, as far as the birth year tells."""
    return meeting.case.child_age(meeting.held_on)


def external_scorers(meeting: Meeting, scorers: Sequence[str]) -> list:
    """The meeting's participants who score with a personal link under these choices."""
    roles = scorer_roles(list(scorers))
    return [p for p in meeting.participants if p.role in roles]


def link_scorers(meeting: Meeting, scorers: Sequence[str], form: IndicatorForm,
                 split: bool) -> tuple[list, list[str]]:
    """The external scorers who get a personal link, and why each of the others gets none.

    Issue 11 item 1: no indicator form goes to a child under YOUNGEST_CHILD (there is no
    child version yet), nor to anyone the form asks nothing of."""
    age = child_age(meeting)
    people, refused = [], []
    for person in external_scorers(meeting, scorers):
        if person.role == "child" and age < YOUNGEST_CHILD:
            refused.append(_("%(name)s er %(age)s år og får ikke et link. Indikatorskemaerne findes endnu ikke i en "
                             "udgave for børn under %(youngest)s år.", name=person.first_name, age=age,
                             youngest=YOUNGEST_CHILD))
        elif not form.asked_factors(split, person.role, age):
            refused.append(_("%(name)s får ikke et link: skemaet har ingen områder, som %(name)s skal score.",
                             name=person.first_name))
        else:
            people.append(person)
    return people, refused


def start_round(meeting: Meeting, user: User) -> tuple[Round, dict[int, str]]:
    """Open an indicator round on the meeting: the case's form; personal links for the
    external scorers when they score separately. Returns the tokens by invitation id."""
    settings = case_settings(meeting.case)
    if settings is None:
        raise IndicatorError(_("Vælg først sagens indikatorskema under Resultatdokumentation."))
    forms = current_forms()
    if settings.form_id not in forms:
        raise IndicatorError(_("Sagens indikatorskema findes ikke længere. Vælg et andet."))
    form = forms.get(settings.form_id)
    proc = procedure()
    split = proc.family_split and form.family_split
    people, refused = ([], []) if proc.together else link_scorers(meeting, proc.scorers, form, split)
    if not proc.together and not people and "caseworker" not in proc.scorers:
        raise IndicatorError(" ".join(refused) or _("Ingen af mødets deltagere skal score efter proceduren."))
    round_, issued = rounds.start_round(meeting, user, "indicators", [(person, [form.id]) for person in people])
    db.session.add(IndicatorRound(
        round_id=round_.id, form_id=form.id, form_version=form.version,
        family_split=split, together=proc.together, scorers=list(proc.scorers),
    ))
    return round_, issued


# --- scorings -------------------------------------------------------------------------------

def staff_scoring(round_: Round) -> StaffScoring | None:
    """The case worker's current scoring of the round."""
    return db.session.scalar(
        select(StaffScoring).where(StaffScoring.round_id == round_.id, StaffScoring.superseded_at.is_(None))
        .order_by(StaffScoring.id.desc())
    )


def save_staff_scoring(round_: Round, user: User, answers: dict, *, together: bool,
                       took_part: Sequence[int]) -> StaffScoring:
    # Checked in the writing transaction: a decision committed after the page loaded wins.
    if not hold_round_open(round_.id):
        raise RoundLocked(_("Runden er afsluttet. Scoringen kan ikke ændres."))
    current = staff_scoring(round_)
    if current is not None:
        if current.answers == answers and current.took_part == list(took_part):
            return current  # the same scoring sent twice
        current.superseded_at = utcnow()
        db.session.flush()
    scoring = StaffScoring(round_id=round_.id, scored_by_id=user.id, together=together,
                           took_part=list(took_part), answers=answers)
    db.session.add(scoring)
    audit.record("indicators.staff_scoring", round_.meeting.case_id, round_id=round_.id)
    return scoring


# --- final scores ---------------------------------------------------------------------------

def final_scores(round_id: int) -> dict[str, FinalScore]:
    """The final score in force per factor: the newest row."""
    return final_scores_of([round_id]).get(round_id, {})


def final_scores_of(round_ids: Sequence[int]) -> dict[int, dict[str, FinalScore]]:
    """The final scores in force per factor of several rounds at once, by round id."""
    found: dict[int, dict[str, FinalScore]] = {}
    if not round_ids:
        return found
    rows = db.session.scalars(
        select(FinalScore).where(FinalScore.round_id.in_(list(round_ids))).order_by(FinalScore.id)
    ).all()
    for row in rows:
        found.setdefault(row.round_id, {})[row.factor] = row
    return found


def indicator_rounds_of(round_ids: Sequence[int]) -> dict[int, IndicatorRound]:
    """The indicator settings of several rounds at once, by round id."""
    if not round_ids:
        return {}
    rows = db.session.scalars(select(IndicatorRound).where(IndicatorRound.round_id.in_(list(round_ids))))
    return {row.round_id: row for row in rows}


def save_final_scores(round_: Round, user: User, entries: Mapping[str, Mapping]) -> int:
    """Add a final score for each factor whose entry differs from the one in force.

    Each entry: status (int | None), dont_know, goal, level, rationale, family_note.
    Returns how many were added."""
    if not hold_round_open(round_.id):
        raise RoundLocked(_("Runden er afsluttet. De endelige scorer kan ikke ændres."))
    current = final_scores(round_.id)
    added = 0
    for factor, entry in entries.items():
        old = current.get(factor)
        fields = {
            "status": entry.get("status"), "dont_know": bool(entry.get("dont_know")), "goal": entry.get("goal"),
            "level": entry.get("level"), "rationale": entry.get("rationale") or "",
            "family_note": entry.get("family_note") or "",
        }
        empty = fields["status"] is None and not fields["dont_know"] and fields["level"] is None
        if old is None and empty and not fields["rationale"] and not fields["family_note"]:
            continue
        if old is not None and not old.unscored and all(getattr(old, k) == v for k, v in fields.items()):
            continue
        db.session.add(FinalScore(round_id=round_.id, factor=factor, set_by_id=user.id, **fields))
        added += 1
    if added:
        audit.record("indicators.final_scores", round_.meeting.case_id, round_id=round_.id, factors=list(entries))
    return added


def unscored_factors(round_: Round) -> list[str]:
    """The keys (factors, and the ICF function level) without a final status."""
    info = indicator_round(round_)
    if info is None:
        return []
    finals = final_scores(round_.id)
    keys = [f.key for f in factors_of(info)]
    form = form_of(info)
    if form is not None and form.is_icf:
        keys.append(LEVEL_FIELD)
    return [k for k in keys if k not in finals or not finals[k].has_status]


def decision_gate(rounds: Sequence[Round], user: User, reason: str) -> str | None:
    """Refuse a decision on an indicator round with unscored factors unless a reason is given.

    INSTRUMENTS.md §4: "a round with unscored factors cannot be reconciled without an
    explicit reason." Returns the problem in words, or None. With a reason, it is kept as
    an `unscored` final-score row for each unscored factor.
    """
    reason = (reason or "").strip()
    missing = {r.id: unscored_factors(r) for r in rounds if r.kind == "indicators"}
    missing = {k: v for k, v in missing.items() if v}
    if not missing:
        return None
    if not reason:
        count = sum(len(v) for v in missing.values())
        return ngettext(
            "%(num)s faktor mangler en endelig status. Sæt status, eller skriv, hvorfor den ikke er scoret.",
            "%(num)s faktorer mangler en endelig status. Sæt status, eller skriv, hvorfor de ikke er scoret.",
            count,
        )
    for round_id, keys in missing.items():
        for key in keys:
            db.session.add(FinalScore(round_id=round_id, factor=key, unscored=True, rationale=reason,
                                      set_by_id=user.id))
    return None


# --- classification -------------------------------------------------------------------------

def previous_round(round_: Round) -> Round | None:
    """The case's indicator round before this one (by meeting date, then id)."""
    rounds = [r for r, _ in indicator_rounds(round_.meeting.case)]
    earlier = rounds[: rounds.index(round_)] if round_ in rounds else []
    return earlier[-1] if earlier else None


def classification(round_: Round, finals: Mapping[str, FinalScore] | None = None) -> dict[str, str]:
    """Each factor's category (INSTRUMENTS.md §4 table) against the previous round's final
    status and goal; {} for the first round. ICF forms: positive/none/negative/missing."""
    info = indicator_round(round_)
    previous = previous_round(round_)
    if info is None or previous is None:
        return {}
    before = final_scores(previous.id)
    now = finals if finals is not None else final_scores(round_.id)
    return classify_factors(info, before, now)


def classify_factors(info: IndicatorRound, before: Mapping[str, FinalScore],
                     now: Mapping[str, FinalScore]) -> dict[str, str]:
    """Each factor's category from the previous round's final scores and this round's."""
    form = form_of(info)
    result: dict[str, str] = {}
    for factor in factors_of(info):
        old, new = before.get(factor.key), now.get(factor.key)
        s1 = old.status_value if old is not None and old.has_status else None
        g = old.goal if old is not None and old.has_status else None
        s2 = new.status_value if new is not None and new.has_status else None
        if form is not None and form.is_icf:
            result[factor.key] = icf_development(s1, s2)
            continue
        try:
            result[factor.key] = classify(s1, g, s2)
        except ValueError:
            result[factor.key] = NOT_FOLLOWED_UP if s2 is None else "not_classifiable"
    return result


def icf_development(before: int | str | None, now: int | str | None) -> str:
    """INSTRUMENTS.md §5: development since the last measurement: positive, none, negative or
    missing (higher is worse on the ICF dimensions)."""
    if not isinstance(before, int) or not isinstance(now, int):
        return "missing"
    if now < before:
        return "positive"
    if now > before:
        return "negative"
    return "none"

