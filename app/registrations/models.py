"""Phone follow-ups with each parent, and method registrations.

Phone follow-ups and method registrations are kept as written: a change is a correction,
a new row that names the row it corrects; the earlier one stays in the history. A phone
call that did not reach the parent is an attempt: the next call is recorded the same way,
naming it, so every attempt stays in the line (who tried, when). A partial
unique index allows one first recording per parent and meeting (per meeting for a method
registration; a method offered and not used has no meeting, and each of those is a line of its
own), and a unique `corrects_id` keeps the corrections in one line. Closing and
re-opening a case are recorded in its closures (app.cases.models.CaseClosure), which a
registration with the outcome "closed" points to.
"""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.append_only import refuse_updates
from app.extensions import db
from app.privacy import NOT_PERSONAL, describe, personal
from app.timestamps import UTCDateTime, utcnow

STARTED = ("yes", "partly", "no")
METHODS = ("network_meeting", "family_group_conference")
# Was the method used (a meeting held), offered and not used, or attempted and failed (FIGURES.md K2)?
METHOD_STATUSES = ("held", "not_used", "failed")
# The first family group conference / network meeting on the case, or a follow-up one (FIGURES.md K1, K5).
OCCASIONS = ("first", "follow_up")
# "network_role": the network took on a role instead of a measure (FIGURES.md K7).
METHOD_OUTCOMES = ("closed", "measure", "network_role", "continues")
# What may follow a method that was not used or failed: no meeting closed the case, nor gave the network a role.
OUTCOMES_WITHOUT_MEETING = ("measure", "continues")
# Target group, case type and the failure's reason are codes from the organisation's lists
# (app.settings.lists): no CHECK, the organisation edits the lists (issue 14 item 3).
CODE_LIMIT = 40
ROLE_LIMIT = 300
NOTES_LIMIT = 4000
MAX_COUNT = 99


class RecordIsFinal(Exception):
    """A stored recording was about to change; a change is a correction, a new row."""


class PhoneFollowUp(db.Model):
    """The case worker's phone call with one parent after a meeting (INSTRUMENTS.md §6); a call
    that did not reach the parent (reached false) is an attempt, and the call is still due."""

    __tablename__ = "phone_follow_up"
    __table_args__ = (
        CheckConstraint(f"started IN {STARTED}", name="started"),
        CheckConstraint("helps BETWEEN 1 AND 5", name="helps"),
        Index("uq_phone_follow_up_first", "meeting_id", "person_id", unique=True,
              sqlite_where=text("corrects_id IS NULL"), postgresql_where=text("corrects_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    reached: Mapped[bool]
    # Left empty when the parent was not reached.
    started: Mapped[str | None] = mapped_column(String(10))
    helps: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(Text)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("phone_follow_up.id"), unique=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meeting: Mapped["Meeting"] = relationship()  # noqa: F821
    person: Mapped["Person"] = relationship()  # noqa: F821
    recorded_by: Mapped["User"] = relationship()  # noqa: F821
    corrects: Mapped["PhoneFollowUp | None"] = relationship(remote_side=[id], back_populates="corrected_by")
    corrected_by: Mapped["PhoneFollowUp | None"] = relationship(back_populates="corrects")

    @property
    def is_current(self) -> bool:
        return self.corrected_by is None


class MethodRegistration(db.Model):
    """A network-involving method on a case (DESIGN.md G, issue 14 item 3): held (after a network
    meeting or conference: who took part, how well the plan covers the intervention's purpose,
    the outcome), or offered and not used, or attempted and failed (with a reason). A held
    method belongs to its meeting; one not used may have no meeting, so every registration
    names its case and its date."""

    __tablename__ = "method_registration"
    __table_args__ = (
        CheckConstraint(f"method IN {METHODS}", name="method"),
        CheckConstraint(f"status IN {METHOD_STATUSES}", name="status"),
        CheckConstraint(f"occasion IS NULL OR occasion IN {OCCASIONS}", name="occasion"),
        CheckConstraint(f"outcome IN {METHOD_OUTCOMES}", name="outcome"),
        CheckConstraint(f"network_count BETWEEN 0 AND {MAX_COUNT}", name="network_count"),
        CheckConstraint(f"professional_count BETWEEN 0 AND {MAX_COUNT}", name="professional_count"),
        CheckConstraint("plan_coverage BETWEEN 1 AND 5", name="plan_coverage"),
        CheckConstraint("closure_id IS NULL OR outcome = 'closed'", name="closure"),
        # Participants and plan coverage only when the method was held, and then all of them.
        CheckConstraint("status <> 'held' OR (meeting_id IS NOT NULL AND child_took_part IS NOT NULL AND "
                        "parents_took_part IS NOT NULL AND network_count IS NOT NULL AND "
                        "professional_count IS NOT NULL AND plan_coverage IS NOT NULL)", name="held"),
        CheckConstraint("status = 'held' OR (child_took_part IS NULL AND parents_took_part IS NULL AND "
                        "network_count IS NULL AND professional_count IS NULL AND plan_coverage IS NULL)",
                        name="not_held"),
        # A reason when, and only when, the method was not used or failed.
        CheckConstraint("(status = 'held' AND failure_reason IS NULL AND failure_note IS NULL) OR "
                        "(status <> 'held' AND failure_reason IS NOT NULL)", name="failure_reason"),
        CheckConstraint(f"status = 'held' OR outcome IN {OUTCOMES_WITHOUT_MEETING}", name="outcome_without_meeting"),
        # What the network's role was, when, and only when, that is the outcome.
        CheckConstraint("(outcome = 'network_role') = (network_role IS NOT NULL)", name="network_role"),
        Index("uq_method_registration_first", "meeting_id", unique=True,
              sqlite_where=text("corrects_id IS NULL"), postgresql_where=text("corrects_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    # The meeting held (or planned, when it failed); none for a method offered and not used.
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    # The meeting's day, or the day the method was offered or attempted.
    occurred_on: Mapped[date]
    method: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(10))
    # None only on registrations made before the question was asked (issue 14 item 3).
    occasion: Mapped[str | None] = mapped_column(String(10))
    target_group: Mapped[str] = mapped_column(String(CODE_LIMIT))
    case_type: Mapped[str] = mapped_column(String(CODE_LIMIT))
    failure_reason: Mapped[str | None] = mapped_column(String(CODE_LIMIT))
    failure_note: Mapped[str | None] = mapped_column(Text)
    child_took_part: Mapped[bool | None]
    parents_took_part: Mapped[bool | None]
    network_count: Mapped[int | None]
    professional_count: Mapped[int | None]
    plan_coverage: Mapped[int | None]
    outcome: Mapped[str] = mapped_column(String(20))
    network_role: Mapped[str | None] = mapped_column(String(ROLE_LIMIT))
    # The closing the outcome "closed" records: the case's closure is the one source of truth.
    closure_id: Mapped[int | None] = mapped_column(ForeignKey("case_closure.id"), index=True)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("method_registration.id"), unique=True)
    registered_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped["Case"] = relationship()  # noqa: F821
    meeting: Mapped["Meeting | None"] = relationship()  # noqa: F821
    registered_by: Mapped["User"] = relationship()  # noqa: F821
    closure: Mapped["CaseClosure | None"] = relationship()  # noqa: F821
    corrects: Mapped["MethodRegistration | None"] = relationship(remote_side=[id], back_populates="corrected_by")
    corrected_by: Mapped["MethodRegistration | None"] = relationship(back_populates="corrects")

    @property
    def is_current(self) -> bool:
        return self.corrected_by is None

    @property
    def held(self) -> bool:
        return self.status == "held"


refuse_updates(PhoneFollowUp, RecordIsFinal, "record a correction instead")
refuse_updates(MethodRegistration, RecordIsFinal, "record a correction instead")

# The record of processing (app.privacy): what each column holds, kept next to the models.
describe("phone_follow_up", purpose=_l("Rådgiverens opfølgning i telefonen med hver forælder efter et møde."),
         retention="case", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "meeting_id": NOT_PERSONAL, "person_id": NOT_PERSONAL, "corrects_id": NOT_PERSONAL,
    "recorded_by_id": NOT_PERSONAL, "recorded_at": NOT_PERSONAL,
    "reached": personal(_l("Om forælderen blev nået.")),
    "started": personal(_l("Om det, der blev aftalt, er gået i gang.")),
    "helps": personal(_l("Forælderens svar på, om det hjælper (1–5).")),
    "notes": personal(_l("Rådgiverens noter fra samtalen.")),
})
describe("method_registration", purpose=_l("Metode, deltagere, planens dækning og udfald efter et netværksmøde eller "
                                           "en familierådslagning, eller at metoden ikke blev brugt eller ikke "
                                           "lykkedes, og hvorfor."),
         retention="case", seen_by=("case_team",), columns={
    "id": NOT_PERSONAL, "meeting_id": NOT_PERSONAL, "method": NOT_PERSONAL, "network_count": NOT_PERSONAL,
    "professional_count": NOT_PERSONAL, "plan_coverage": NOT_PERSONAL, "corrects_id": NOT_PERSONAL,
    "registered_by_id": NOT_PERSONAL, "registered_at": NOT_PERSONAL, "closure_id": NOT_PERSONAL,
    "case_id": NOT_PERSONAL, "status": NOT_PERSONAL, "occasion": NOT_PERSONAL,
    "occurred_on": personal(_l("Datoen for mødet, eller for da metoden blev tilbudt eller forsøgt.")),
    "failure_reason": personal(_l("Hvorfor metoden ikke blev brugt eller ikke lykkedes, fx at familien sagde nej tak.")),
    "failure_note": personal(_l("Rådgiverens uddybning af, hvorfor metoden ikke blev til noget, med egne ord.")),
    "network_role": personal(_l("Den rolle, netværket tog på sig i stedet for en indsats, med rådgiverens ord.")),
    "target_group": personal(_l("Målgruppen, fx børn med handicap.")),
    "case_type": personal(_l("Sagens type, fx underretning.")),
    "child_took_part": personal(_l("Om barnet var med.")),
    "parents_took_part": personal(_l("Om forældrene var med.")),
    "outcome": personal(_l("Udfaldet, fx at sagen lukkes.")),
})
