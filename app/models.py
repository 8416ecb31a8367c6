"""Import every model so Flask-Migrate and create_all see the whole schema."""

from app.audit import AuditEvent
from app.auth.models import Department, Draft, Team, User
from app.cases.models import (
    Case,
    CaseClosure,
    Goal,
    GoalVersion,
    Meeting,
    Person,
    meeting_participant,
)
from app.invitations.models import Invitation, Response, Round
from app.outbox.models import OutboxMessage
from app.reconcile.models import Decision, DecisionFiling, decision_round

__all__ = [
    "AuditEvent", "Case", "CaseClosure", "Decision", "DecisionFiling", "Department", "Draft", "Goal", "GoalVersion",
    "Invitation",
    "Meeting", "OutboxMessage", "Person", "Response", "Round", "Team", "User", "decision_round", "meeting_participant",
]
from app.observations.models import Observation, ObservationLink  # noqa: E402
from app.reconcile.models import decision_observation  # noqa: E402
from app.registrations.models import MethodRegistration, PhoneFollowUp  # noqa: E402

__all__ += [
    "MethodRegistration", "Observation", "ObservationLink", "PhoneFollowUp", "decision_observation",
]
from app.settings.models import Setting  # noqa: E402

__all__ += ["Setting"]
from app.attainment.models import GoalAttainment  # noqa: E402

__all__ += ["GoalAttainment"]

from app.measures.models import Measure, MeasureVersion  # noqa: E402

__all__ += ["Measure", "MeasureVersion"]

from app.stand_ins.models import StandIn  # noqa: E402

__all__ += ["StandIn"]

from app.figures.models import FigureComment, FigureRelease  # noqa: E402

__all__ += ["FigureComment", "FigureRelease"]

from app.api.models import ApiKey, IdempotentRequest  # noqa: E402

__all__ += ["ApiKey", "IdempotentRequest"]
