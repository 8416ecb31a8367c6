"""The migrations build exactly the schema the models describe, on every backend."""

from datetime import date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import MetaData, create_engine, inspect, make_url, select, text

from app import create_app
from app.extensions import db, migrate
from tests.conftest import _config


def test_migrations_match_the_models(app, backend):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], differences


# --- issue 12 item 14: the closure record takes over re-openings and the method registration's
# "closed", without losing what was stored before ------------------------------------------------

CLOSURE_REVISION = "f3b8d2c6a914"


@pytest.fixture
def empty_database(backend, database_url, tmp_path):
    """A database of its own, empty, for walking the migrations by hand."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path}/walk.sqlite"
        return
    name = f"{make_url(database_url).database}_walk"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _legacy_rows(connection) -> dict[str, int]:
    """The tables as they were before the closure record: re-openings in free text, method
    registrations with an outcome of their own, and a case closed by hand (case.closed_at)."""
    tables = MetaData()
    tables.reflect(connection)
    def insert(table: str, **values) -> int:
        return connection.execute(tables.tables[table].insert().values(**values)).inserted_primary_key[0]

    at = lambda day: datetime.combine(day, datetime.min.time())  # noqa: E731
    team = insert("team", name="Team Nord")
    user = insert("user", username="anne", name="Anne", password_hash="x", role="caseworker", team_id=team, active=True)
    cases = {key: insert("case", team_id=team, caseworker_id=user, child_birth_year=2015, created_at=at(date(2024, 1, 1)),
                         closed_at=at(date(2025, 2, 1)) if key == "by_hand" else None)
             for key in ("closed_and_reopened", "reopened_only", "by_hand", "corrected_away")}

    def meeting(case_key: str, kind: str) -> int:
        return insert("meeting", case_id=cases[case_key], kind=kind, held_on=date(2025, 1, 5), created_at=at(date(2025, 1, 5)))

    def register(meeting_id: int, outcome: str, day: date, corrects: int | None = None) -> int:
        return insert("method_registration", meeting_id=meeting_id, method="family_group_conference",
                      target_group="vulnerable", case_type="notification", child_took_part=True, parents_took_part=True,
                      network_count=2, professional_count=1, plan_coverage=4, outcome=outcome, corrects_id=corrects,
                      registered_by_id=user, registered_at=at(day))

    conference = meeting("closed_and_reopened", "family_group_conference")
    first = register(conference, "closed", date(2025, 1, 10))
    correction = register(conference, "closed", date(2025, 1, 12), corrects=first)
    insert("reopening", case_id=cases["closed_and_reopened"], reopened_on=date(2025, 3, 1),
           reason="Ny underretning fra skolen.", recorded_by_id=user, recorded_at=at(date(2025, 3, 1)))
    insert("reopening", case_id=cases["reopened_only"], reopened_on=date(2025, 4, 1), reason="Mor ringede.",
           recorded_by_id=user, recorded_at=at(date(2025, 4, 1)))
    away = meeting("corrected_away", "network_meeting")
    mistaken = register(away, "closed", date(2025, 1, 10))
    register(away, "measure", date(2025, 1, 11), corrects=mistaken)
    return cases | {"user": user, "conference": conference, "first": first, "correction": correction,
                    "mistaken": mistaken}


def test_the_closure_migration_keeps_every_reopening_and_points_registrations_to_their_closing(empty_database):
    from app.cases.models import CaseClosure
    from app.registrations.models import MethodRegistration

    app = create_app(_config(empty_database))
    with app.app_context():
        before = ScriptDirectory.from_config(migrate.get_config()).get_revision(CLOSURE_REVISION).down_revision
        upgrade(revision=before)
        with db.engine.begin() as connection:
            ids = _legacy_rows(connection)
        upgrade(revision=CLOSURE_REVISION)
        closings = {c.case_id: c for c in db.session.scalars(select(CaseClosure).order_by(CaseClosure.id))}
        # Columns only: later migrations add columns the model knows and this revision does not.
        registrations = dict(db.session.execute(select(MethodRegistration.id, MethodRegistration.closure_id)).all())
        columns = {column["name"] for column in inspect(db.engine).get_columns("case")}
        tables = inspect(db.engine).get_table_names()
        db.session.remove()
        db.engine.dispose()
    assert len(closings) == 3  # the case corrected away from "closed" was never closed
    reopened = closings[ids["closed_and_reopened"]]
    assert (reopened.reason, reopened.meeting_id, reopened.closed_on, reopened.closed_by_id) == (
        "closed_no_measure", ids["conference"], date(2025, 1, 10), ids["user"])
    assert (reopened.reopened_on, reopened.reopen_reason, reopened.reopen_note, reopened.reopened_by_id) == (
        date(2025, 3, 1), "other", "Ny underretning fra skolen.", ids["user"])
    assert registrations[ids["first"]] == registrations[ids["correction"]] == reopened.id
    assert registrations[ids["mistaken"]] is None
    unknown = closings[ids["reopened_only"]]
    assert (unknown.reason, unknown.closed_on, unknown.reopened_on, unknown.reopen_note) == (
        "not_recorded", None, date(2025, 4, 1), "Mor ringede.")
    by_hand = closings[ids["by_hand"]]
    assert (by_hand.reason, by_hand.closed_on, by_hand.reopened_on) == ("not_recorded", date(2025, 2, 1), None)
    assert "closed_at" not in columns and "reopening" not in tables


# --- issue 14 item 3: the fixed lists become data; registrations keep valid and name their case -----

LISTS_REVISION = "3b9e4c71d0a5"


def test_the_lists_migration_keeps_registrations_valid_and_drops_the_fixed_lists(empty_database):
    """Existing registrations were held, after their meeting, on its day; whether it was the first
    or a follow-up was not asked (NULL). Afterwards a code the organisation adds to a list is stored."""
    app = create_app(_config(empty_database))
    with app.app_context():
        before = ScriptDirectory.from_config(migrate.get_config()).get_revision(LISTS_REVISION).down_revision
        upgrade(revision=before)
        with db.engine.begin() as connection:
            tables = MetaData()
            tables.reflect(connection)
            def insert(table: str, **values) -> int:
                return connection.execute(tables.tables[table].insert().values(**values)).inserted_primary_key[0]
            team = insert("team", name="Team Nord")
            user = insert("user", username="anne", name="Anne", password_hash="x", team_id=team, active=True)
            case = insert("case", team_id=team, caseworker_id=user, child_birth_year=2015, created_at=datetime(2025, 1, 1))
            meeting = insert("meeting", case_id=case, kind="network_meeting", held_on=date(2025, 1, 5),
                             created_at=datetime(2025, 1, 5))
            registration = insert("method_registration", meeting_id=meeting, method="network_meeting",
                                  target_group="vulnerable", case_type="notification", child_took_part=True,
                                  parents_took_part=False, network_count=2, professional_count=1, plan_coverage=4,
                                  outcome="measure", registered_by_id=user, registered_at=datetime(2025, 1, 6))
        upgrade(revision=LISTS_REVISION)
        with db.engine.begin() as connection:
            row = connection.execute(text(
                "SELECT case_id, occurred_on, status, occasion, failure_reason, network_role FROM method_registration "
                "WHERE id = :id"), {"id": registration}).one()
            # A code the organisation added to its lists is stored: no CHECK holds the old list any more.
            connection.execute(text(
                "INSERT INTO method_registration (case_id, occurred_on, method, status, occasion, target_group, "
                "case_type, failure_reason, outcome, registered_by_id, registered_at) VALUES (:case, :day, "
                "'network_meeting', 'not_used', 'first', 'refugees', 'school_absence', 'no_time', 'continues', :user, "
                ":at)"), {"case": case, "day": date(2025, 2, 1), "user": user, "at": datetime(2025, 2, 1)})
        db.session.remove()
        db.engine.dispose()
    assert tuple(row[:1]) == (case,) and str(row[1]) == "2025-01-05"
    assert tuple(row[2:]) == ("held", None, None, None)


# --- issue 13: roles in a table of their own; every user keeps the role they had --------------

ROLES_REVISION = "a1c4e7b93d20"


def test_the_roles_migration_keeps_each_user_role(empty_database):
    app = create_app(_config(empty_database))
    with app.app_context():
        before = ScriptDirectory.from_config(migrate.get_config()).get_revision(ROLES_REVISION).down_revision
        upgrade(revision=before)
        with db.engine.begin() as connection:
            tables = MetaData()
            tables.reflect(connection)
            team = connection.execute(tables.tables["team"].insert().values(name="Team Nord")).inserted_primary_key[0]
            users = {role: connection.execute(tables.tables["user"].insert().values(
                username=role, name=role, password_hash="x", role=role, team_id=team, active=True)).inserted_primary_key[0]
                for role in ("caseworker", "team_leader", "leader", "admin")}
        upgrade(revision=ROLES_REVISION)
        with db.engine.connect() as connection:
            held = set(connection.execute(text("SELECT user_id, role FROM user_role")).all())
        db.session.remove()
        db.engine.dispose()
    assert held == {(user_id, role) for role, user_id in users.items()}


# --- issue 14 item 5: answers keep the role and relation they were given in, and their total ----

FACTS_REVISION = "98eb5017e5e0"


def test_the_facts_migration_fills_earlier_answers_from_todays_people_and_marks_them(empty_database):
    app = create_app(_config(empty_database))
    with app.app_context():
        before = ScriptDirectory.from_config(migrate.get_config()).get_revision(FACTS_REVISION).down_revision
        upgrade(revision=before)
        with db.engine.begin() as connection:
            tables = MetaData()
            tables.reflect(connection)

            def insert(table: str, **values) -> int:
                return connection.execute(tables.tables[table].insert().values(**values)).inserted_primary_key[0]

            at = datetime(2025, 1, 5, 10, 0)
            team = insert("team", name="Team Nord")
            user = insert("user", username="anne", name="Anne", password_hash="x", team_id=team, active=True)
            case = insert("case", team_id=team, caseworker_id=user, child_birth_year=2015, created_at=at)
            people = {role: insert("person", case_id=case, role=role, first_name=name, relation=relation, language="da")
                      for role, name, relation in (("child", "Emma", None), ("mother", "Mette", "mor"))}
            meeting = insert("meeting", case_id=case, kind="network_meeting", held_on=date(2025, 1, 5), created_at=at)
            round_ = insert("round", meeting_id=meeting, kind="feedback", created_by_id=user, created_at=at)
            invitations = {role: insert("invitation", round_id=round_, person_id=person, instrument_ids=["fit-outcome-child"],
                                        token_hash=role * 8, issued_at=at, expires_at=at)
                           for role, person in people.items()}

            def respond(role: str, answers: dict, declined: bool = False) -> int:
                return insert("response", invitation_id=invitations[role], instrument_id="fit-outcome-child",
                              instrument_version=1, answers=answers, declined=declined, language="da", submitted_at=at)

            answered = respond("mother", {"me": 5, "family": 6.5, "school": 5, "everything": 7})
            declined = respond("child", {}, declined=True)
        upgrade(revision=FACTS_REVISION)
        with db.engine.connect() as connection:
            responses = {row.id: tuple(row[1:]) for row in connection.execute(text(
                "SELECT id, respondent_role, respondent_relation, role_filled_later, score_total, score_mean, signal_level "
                "FROM response"))}
            asked = dict(connection.execute(text("SELECT id, respondent_role FROM invitation")).all())
            marked = set(connection.execute(text("SELECT role_filled_later FROM invitation")).scalars())
        db.session.remove()
        db.engine.dispose()
    # 23.5 is below the cut-off (32) for a child of 10: an orange signal, as saving it now would give.
    assert responses == {answered: ("mother", "mor", True, 23.5, None, "orange"),
                         declined: ("child", None, True, None, None, None)}
    assert asked == {invitations["mother"]: "mother", invitations["child"]: "child"} and marked == {True}
