"""Resultatdokumentation: the organisation's procedure, each case's form and rhythm, indicator
rounds, the case worker's own scorings and the final scores per round and factor."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.append_only import refuse_updates
from app.extensions import db
from app.privacy import NOT_PERSONAL, describe, personal
from app.timestamps import UTCDateTime, utcnow

# Who may score (DESIGN.md F). "parents" means every mother, father and other carer.
SCORERS = ("caseworker", "provider", "school", "child", "parents")
EXTERNAL_SCORERS = ("provider", "school", "child", "parents")
PARENT_ROLES = ("mother", "father", "carer")
# Months between measurements after the first follow-up (DESIGN.md F: 6; issue 4: or 4).
RHYTHMS = (6, 4)
DEFAULT_FORM = "indicators-child-family"
DEFAULT_SCORERS = ("caseworker", "provider", "parents")
TEXT_LIMIT = 1000


def scorer_roles(scorers: list[str]) -> set[str]:
    """The Person roles that get a personal link for these scorer choices."""
    roles: set[str] = set()
    for scorer in scorers:
        if scorer == "parents":
            roles.update(PARENT_ROLES)
        elif scorer in EXTERNAL_SCORERS:
            roles.add(scorer)
    return roles


class IndicatorProcedure(db.Model):
    """The organisation's procedure: one row, edited by an administrator."""

    __table_args__ = (CheckConstraint("rhythm_months IN (4, 6)", name="rhythm"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scorers: Mapped[list[str]] = mapped_column(JSON)
    # True: one joint scoring, entered by the case worker, noting who took part.
    together: Mapped[bool] = mapped_column(default=False)
    rhythm_months: Mapped[int] = mapped_column(Integer, default=6)
    default_form: Mapped[str] = mapped_column(String(80))
    # Off: family relations is one factor, even where the form file splits it.
    family_split: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class CaseIndicators(db.Model):
    """The case's indicator form and intake date: where its measurement rhythm starts."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), unique=True)
    form_id: Mapped[str] = mapped_column(String(80))
    intake_on: Mapped[date]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped["Case"] = relationship()  # noqa: F821


class IndicatorRound(db.Model):
    """What an indicator round scores: the form and the procedure as they were when it opened."""

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), unique=True)
    form_id: Mapped[str] = mapped_column(String(80))
    form_version: Mapped[int]
    family_split: Mapped[bool]
    together: Mapped[bool]
    scorers: Mapped[list[str]] = mapped_column(JSON)

    round: Mapped["Round"] = relationship()  # noqa: F821


class StaffScoring(db.Model):
    """The case worker's scoring in a round (alone, or jointly with the people who took part).

    A newer scoring supersedes, never overwrites. `answers` has the shape of a Response's.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    scored_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    together: Mapped[bool] = mapped_column(default=False)
    # Person ids of those who scored together with the case worker.
    took_part: Mapped[list[int]] = mapped_column(JSON, default=list)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    scored_by: Mapped["User"] = relationship()  # noqa: F821


class FinalScoreIsFinal(Exception):
    """A stored final score was about to change; a new score is a new row."""


class FinalScore(db.Model):
    """The case worker's final status and goal for one factor in one round.

    Append-only: the newest row per round and factor is in force. `status` is on the form's
    scale (1–5, or 0–4 for ICF); `dont_know` is "ved ikke"; `level` is the ICF function
    level A–E (factor "function_level"). `unscored` rows carry the reason given for deciding
    without a final status.
    """

    __table_args__ = (CheckConstraint("level IS NULL OR level IN ('A', 'B', 'C', 'D', 'E')", name="level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    factor: Mapped[str] = mapped_column(String(40))
    status: Mapped[int | None]
    dont_know: Mapped[bool] = mapped_column(default=False)
    goal: Mapped[int | None]
    level: Mapped[str | None] = mapped_column(String(1))
    rationale: Mapped[str] = mapped_column(Text, default="")
    # A family member's differing view, kept beside the final score.
    family_note: Mapped[str] = mapped_column(Text, default="")
    unscored: Mapped[bool] = mapped_column(default=False)
    set_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def has_status(self) -> bool:
        return not self.unscored and (self.status is not None or self.dont_know or self.level is not None)

    @property
    def status_value(self) -> int | str | None:
        """The status as classify() reads it: a number, "dont_know" or None."""
        if self.dont_know:
            return "dont_know"
        return self.status


refuse_updates(FinalScore, FinalScoreIsFinal, "add a new final score instead")


# The record of processing (app.privacy): what each column holds, kept next to the models.
describe("indicator_procedure", purpose=_l("Organisationens procedure for resultatdokumentation."),
         retention="setting", columns={
    "id": NOT_PERSONAL, "scorers": NOT_PERSONAL, "together": NOT_PERSONAL, "rhythm_months": NOT_PERSONAL,
    "default_form": NOT_PERSONAL, "family_split": NOT_PERSONAL, "updated_at": NOT_PERSONAL,
    "updated_by_id": NOT_PERSONAL,
})
describe("case_indicators", purpose=_l("Sagens indikatorskema, og hvornår målingerne begyndte."),
         retention="case", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "case_id": NOT_PERSONAL, "updated_at": NOT_PERSONAL,
    "form_id": personal(_l("Hvilket indikatorskema sagen bruger: kan sige noget om barnets situation, fx et "
                           "handicap.")),
    "intake_on": personal(_l("Datoen, hvor sagens målinger begyndte.")),
})
describe("indicator_round", purpose=_l("Hvad en indikatorrunde måler: skemaet og proceduren, som de var, da runden "
                                       "begyndte."),
         retention="case", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "round_id": NOT_PERSONAL, "form_id": NOT_PERSONAL, "form_version": NOT_PERSONAL,
    "family_split": NOT_PERSONAL, "together": NOT_PERSONAL, "scorers": NOT_PERSONAL,
})
describe("staff_scoring", purpose=_l("Rådgiverens egen scoring af indikatorerne i en runde, alene eller sammen med "
                                     "familien."),
         retention="case", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "round_id": NOT_PERSONAL, "scored_by_id": NOT_PERSONAL, "together": NOT_PERSONAL,
    "submitted_at": NOT_PERSONAL, "superseded_at": NOT_PERSONAL,
    "took_part": personal(_l("Hvem af personerne omkring barnet der scorede sammen med rådgiveren.")),
    "answers": personal(_l("Scorerne og begrundelserne for hvert område af barnets liv: kan sige noget om helbred "
                           "og familieforhold.")),
})
describe("final_score", purpose=_l("Rådgiverens endelige status og mål for hvert område i en runde."),
         retention="case", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "round_id": NOT_PERSONAL, "factor": NOT_PERSONAL, "unscored": NOT_PERSONAL,
    "set_by_id": NOT_PERSONAL, "set_at": NOT_PERSONAL,
    "status": personal(_l("Barnets endelige status på området.")),
    "dont_know": personal(_l("At status på området ikke kendes.")),
    "goal": personal(_l("Den status, der sigtes mod på området.")),
    "level": personal(_l("Barnets funktionsniveau (A–E).")),
    "rationale": personal(_l("Rådgiverens begrundelse.")),
    "family_note": personal(_l("Et familiemedlems anderledes syn, skrevet ved siden af.")),
})
