"""`flask purge`, the retention purge (issue 12 item 15; DESIGN.md section 3 "Retention").

A case closed longer ago than SAMSTEM_RETENTION_DAYS loses its answers, free texts, and people's
names and contact details; the audit log's entries older than SAMSTEM_AUDIT_RETENTION_DAYS lose
their personal details. Never a case with decisions not filed in the case system; never without
retention periods configured; a second run changes nothing more; a dry run changes nothing.
"""

from datetime import date, timedelta

import pytest
from flask_login import login_user
from sqlalchemy import select

from app.audit import AuditEvent
from app.auth.models import User
from app.cases import closure
from app.cases.models import Case, CaseClosure, GoalVersion, Person
from app.extensions import db
from app.indicators.models import FinalScore, StaffScoring
from app.invitations.models import Response, Round
from app.measures.models import MeasureVersion
from app.observations.models import Observation
from app.outbox.models import OutboxMessage
from app.reconcile import filing
from app.reconcile.models import Decision
from app.registrations.models import PhoneFollowUp
from app.timestamps import utcnow
from tests.factories import vas

TODAY = date.today()
SETTINGS = {"RETENTION_DAYS": "365", "AUDIT_RETENTION_DAYS": "730"}


def _full_case(app, make, caseworker, *, closed_days_ago: int = 400, file: bool = True) -> int:
    """Emma's case with every kind of personal data, closed `closed_days_ago` days ago."""
    ids = make.emma(caseworker)
    make.answer(ids.invitations["child"], {"fit-outcome-child": vas(7, 6, 5, 6)})
    make.answer(ids.invitations["mother"], {"fit-outcome-child": vas(5, 5, 5, 5)})
    make.goal(ids.case, text="Emma kommer i skole hver dag.", responsible="Mette", documentation="Fravær under 10 %")
    _link, token = make.observation_link(ids.case, ids.people["network"])
    make.observation(token, text="Emma lo hele vejen hjem.")
    decision = make.decide_round(ids.round, text="Mette og Jonas har det svært.")
    make.measure(ids.case, "family_treatment", TODAY - timedelta(days=600), ended_on=TODAY - timedelta(days=450),
                 end_reason="other", end_note="Mette ville ikke mere.")
    with app.test_request_context():
        user = db.session.get(User, caseworker)
        login_user(user)
        case = db.session.get(Case, ids.case)
        mother = next(p for p in case.people if p.role == "mother")
        mother.email, mother.phone = "mette@example.dk", "+45 11 22 33 44"
        startup = db.session.get(Round, ids.round).meeting  # any meeting holds a call's notes
        db.session.add(PhoneFollowUp(meeting=startup, person=mother, reached=True, started="yes", helps=3,
                                     notes="Mette græd i telefonen.", recorded_by=user, recorded_at=utcnow()))
        db.session.add(StaffScoring(round_id=ids.round, scored_by_id=user.id, answers={"school": {"status": 3}}))
        db.session.add(FinalScore(round_id=ids.round, factor="school", status=3, rationale="Skolen siger ...",
                                  family_note="Mor er uenig.", set_by_id=user.id))
        db.session.add(OutboxMessage(channel="email", recipient="mette@example.dk", subject="Emma",
                                     body="Kære Mette", case_id=case.id))
        if file:
            filing.file_decision(db.session.get(Decision, decision), user, TODAY)
        closure.close_case(case, user, closure.Closing(TODAY - timedelta(days=closed_days_ago), "other",
                                                       note="Familien flyttede til Mettes søster."))
        db.session.commit()
    return ids.case


def _purge(app, runner, *args, **settings):
    app.config.update({**SETTINGS, **settings})
    return runner.invoke(args=["purge", *args])


def _snapshot(app) -> dict[str, list]:
    """Every row of every table, to compare before and after."""
    with app.app_context():
        return {table.name: sorted(map(repr, db.session.execute(select(table)).all()))
                for table in db.metadata.sorted_tables}


def _one(app, query):
    with app.app_context():
        return list(db.session.execute(query).scalars())


# Issue 12 item 15: answers, free texts (observations, decisions, statuses, notes), people's names
# and contact details are deleted or irreversibly anonymised. (what, query, value after the purge)
PURGED = [
    ("answers", select(Response.answers), {}),
    ("the case worker's scorings", select(StaffScoring.answers), {}),
    ("final scores' reasons", select(FinalScore.rationale), ""),
    ("a family member's differing view", select(FinalScore.family_note), ""),
    ("observations", select(Observation.text), ""),
    ("decisions' text", select(Decision.text), ""),
    ("goals' wording", select(GoalVersion.text), ""),
    ("goals' responsible", select(GoalVersion.responsible), None),
    ("goals' documentation", select(GoalVersion.documentation), None),
    ("phone follow-ups' notes", select(PhoneFollowUp.notes), None),
    ("first names", select(Person.first_name), "Slettet"),
    ("relations", select(Person.relation), None),
    # Issue 14 item 5: the relation an answer was given in is the family's own words too.
    ("relations kept with answers", select(Response.respondent_relation), None),
    ("e-mail addresses", select(Person.email), None),
    ("phone numbers", select(Person.phone), None),
    ("the case system's number", select(Case.external_ref), None),
    ("closing notes", select(CaseClosure.note), None),
    ("measures' end notes", select(MeasureVersion.end_note), None),
    ("messages' addresses", select(OutboxMessage.recipient), ""),
    ("messages' text", select(OutboxMessage.body), ""),
]

# What the figures count stays: the unit is the child (FIGURES.md), by role, method and outcome.
KEPT = [
    ("roles", select(Person.role), ["child", "mother", "father", "network", "provider"]),
    ("roles kept with answers (issue 14 item 5)", select(Response.respondent_role), ["child", "child", "mother", "mother"]),
    ("the child's birth year", select(Case.child_birth_year), [TODAY.year - 9]),
    ("decisions' outcome", select(Decision.outcome), ["no_adjustment"]),
    ("the closing's reason", select(CaseClosure.reason), ["other"]),
    ("final statuses", select(FinalScore.status), [3]),
    ("measures' kind, rung and end", select(MeasureVersion.kind + " " + MeasureVersion.rung + " " +
                                            MeasureVersion.end_reason), ["family_treatment supportive other"]),
]


def test_purge_removes_each_kind_of_personal_data_and_keeps_what_the_figures_count(app, runner, make, caseworker):
    case_id = _full_case(app, make, caseworker)
    for what, query, after in PURGED:
        assert any(value != after for value in _one(app, query)), f"{what}: the case holds none to purge"
    result = _purge(app, runner)
    assert result.exit_code == 0, result.output
    assert f"case {case_id} " in result.output and "1 case(s) purged" in result.output
    left = {what: values for what, query, after in PURGED
            if (values := _one(app, query)) and any(value != after for value in values)}
    assert left == {}
    assert {what: sorted(_one(app, query), key=str) for what, query, _ in KEPT} == {
        what: sorted(expected, key=str) for what, _, expected in KEPT}
    with app.app_context():
        closing = db.session.scalar(select(CaseClosure))
        assert closing.purged_at is not None
        message = db.session.scalar(select(OutboxMessage))
        assert message.given_up_at is not None  # never sent now
        purged = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.purge"))
        assert purged.case_id == case_id and purged.detail["answers"] == 3 and purged.detail["people"] == 5


def test_running_twice_changes_nothing_more(app, runner, make, caseworker):
    _full_case(app, make, caseworker)
    assert _purge(app, runner).exit_code == 0
    after_first = _snapshot(app)
    again = _purge(app, runner)
    assert again.exit_code == 0 and "0 case(s) purged" in again.output
    assert _snapshot(app) == after_first


def test_a_dry_run_lists_what_it_would_do_and_changes_nothing(app, runner, make, caseworker):
    case_id = _full_case(app, make, caseworker)
    before = _snapshot(app)
    result = _purge(app, runner, "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"case {case_id} " in result.output and "would purge answers 3" in result.output
    assert "Dry run, nothing changed" in result.output
    assert _snapshot(app) == before
    assert "answers 3" in _purge(app, runner).output  # the real run does what the dry run said


@pytest.mark.parametrize("settings, named", [
    ({"RETENTION_DAYS": None}, "SAMSTEM_RETENTION_DAYS is not set"),
    ({"RETENTION_DAYS": ""}, "SAMSTEM_RETENTION_DAYS is not set"),
    ({"RETENTION_DAYS": "ett år"}, "not a whole number of days"),
    ({"RETENTION_DAYS": "0"}, "not a whole number of days"),
    ({"AUDIT_RETENTION_DAYS": None}, "SAMSTEM_AUDIT_RETENTION_DAYS is not set"),
])
def test_it_refuses_to_run_until_retention_periods_are_configured(app, runner, make, caseworker, settings, named):
    _full_case(app, make, caseworker)
    before = _snapshot(app)
    for args in ((), ("--dry-run",)):
        result = _purge(app, runner, *args, **settings)
        assert result.exit_code != 0 and named in result.output and "Nothing was purged." in result.output
    assert _snapshot(app) == before


def test_a_case_with_decisions_not_filed_is_held_back_until_they_are(app, runner, make, caseworker):
    case_id = _full_case(app, make, caseworker, file=False)
    before = _snapshot(app)
    result = _purge(app, runner)
    assert result.exit_code == 0
    assert f"case {case_id}: held back, 1 decision(s) not yet marked as filed" in result.output
    assert "0 case(s) purged, 1 held back" in result.output
    assert {k: v for k, v in _snapshot(app).items() if k != "audit_event"} == {
        k: v for k, v in before.items() if k != "audit_event"}
    with app.test_request_context():
        decision = db.session.scalar(select(Decision))
        filing.file_decision(decision, db.session.get(User, caseworker), TODAY)
        db.session.commit()
    assert "1 case(s) purged" in _purge(app, runner).output


@pytest.mark.parametrize("closed_days_ago, reopened, purged", [
    (400, False, True),   # closed longer than the retention period ago
    (365, False, True),   # exactly the period
    (364, False, False),  # not yet
    (400, True, False),   # re-opened: not closed, so kept
])
def test_only_cases_closed_for_the_whole_period_are_purged(app, runner, make, caseworker, closed_days_ago, reopened,
                                                           purged):
    case_id = _full_case(app, make, caseworker, closed_days_ago=closed_days_ago)
    if reopened:
        with app.test_request_context():
            closure.reopen_case(db.session.get(Case, case_id), db.session.get(User, caseworker),
                                closure.Reopening(TODAY, "notification"))
            db.session.commit()
    _purge(app, runner)
    assert (_one(app, select(Person.first_name).where(Person.role == "mother")) == ["Slettet"]) is purged


def test_audit_entries_lose_their_personal_details_after_the_audit_retention(app, runner, make, caseworker):
    case_id = _full_case(app, make, caseworker)
    with app.app_context():
        old = AuditEvent(action="case.view", case_id=case_id, user_id=caseworker, detail={"person_id": 3},
                         address="10.1.2.3", at=utcnow() - timedelta(days=731))
        failed = AuditEvent(action="login.failed", detail={"username": "mette"}, address="10.1.2.4",
                            at=utcnow() - timedelta(days=800))
        recent = AuditEvent(action="case.view", case_id=case_id, user_id=caseworker, detail={"person_id": 3},
                            address="10.1.2.5", at=utcnow() - timedelta(days=700))
        db.session.add_all([old, failed, recent])
        db.session.commit()
        ids = old.id, failed.id, recent.id
    result = _purge(app, runner, RETENTION_DAYS="5000")  # no case is due: the audit log has its own retention
    assert "remove the personal details of 2" in result.output and "0 case(s) purged" in result.output
    with app.app_context():
        old, failed, recent = (db.session.get(AuditEvent, i) for i in ids)
        assert (old.detail, old.address, failed.detail, failed.address) == ({}, None, {}, None)
        # Who, what, when and which case stay.
        assert (old.action, old.user_id, old.case_id, failed.action) == ("case.view", caseworker, case_id, "login.failed")
        assert (recent.detail, recent.address) == ({"person_id": 3}, "10.1.2.5")
    assert "remove the personal details of 0" in _purge(app, runner, RETENTION_DAYS="5000").output
