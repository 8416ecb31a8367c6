"""The record of processing for the data protection officer (issue 12 item 17): `flask privacy
inventory` prints every table and column holding personal data with its purpose, retention and
who sees it, from descriptions kept next to the models; a column nobody described fails here."""

from sqlalchemy import Column, MetaData, String

from app import models  # noqa: F401  (every table in db.metadata)
from app.extensions import db
from app.privacy import RECORDS, TableRecord, personal
from app.privacy_record import gaps


def test_every_column_of_every_model_is_described():
    # Issue 12 item 17: a new column fails here until it is described, as personal data with
    # its purpose, retention and who sees it, or as not personal. The message says where.
    assert gaps(db.metadata) == [], "\n" + "\n".join(gaps(db.metadata))


def _copy() -> MetaData:
    copied = MetaData()
    for table in db.metadata.tables.values():
        table.to_metadata(copied)
    return copied


def test_an_undescribed_column_is_named_with_where_to_describe_it():
    schema = _copy()
    schema.tables["person"].append_column(Column("nickname", String(40)))
    assert gaps(schema) == [
        'person.nickname has no description: add "nickname": personal(_l("what it holds and why")) or '
        '"nickname": NOT_PERSONAL to describe("person", …) in app/cases/models.py'
    ]


def test_an_undescribed_table_is_named_with_the_module_that_defines_it(monkeypatch):
    monkeypatch.delitem(RECORDS, "draft")
    monkeypatch.delitem(RECORDS, "decision_round")  # a plain Table, no mapped class
    assert gaps(db.metadata) == [
        'table decision_round has no description: add describe("decision_round", purpose=…, columns={…}) to '
        "app/reconcile/models.py, naming each of its columns (decision_id, round_id) as personal(…) or NOT_PERSONAL",
        'table draft has no description: add describe("draft", purpose=…, columns={…}) to app/auth/models.py, '
        "naming each of its columns (id, user_id, path, fields, saved_at) as personal(…) or NOT_PERSONAL",
    ]


def test_a_description_of_a_column_that_is_gone_or_of_personal_data_without_rules_is_named(monkeypatch):
    meeting = RECORDS["meeting"]
    columns = {**meeting.columns, "venue": personal("Where")}
    monkeypatch.setitem(RECORDS, "meeting", TableRecord("meeting", meeting.purpose, None, (), columns, meeting.module))
    problems = gaps(db.metadata)
    assert 'meeting.venue is described but is no column of the table: remove it from describe("meeting", …) in ' \
           "app/cases/models.py" in problems
    assert any(p.startswith("meeting.held_on holds personal data but has no retention rule") for p in problems)
    assert any(p.startswith("meeting.kind holds personal data but does not say who sees it") for p in problems)


def _row(output: str, table: str, column: str) -> str:
    section = output.split(f"### `{table}`", 1)[1].split("### ", 1)[0]
    return next(line for line in section.splitlines() if line.startswith(f"| `{column}` |"))


def test_the_inventory_prints_each_personal_column_with_purpose_retention_and_who_sees_it(runner):
    result = runner.invoke(args=["privacy", "inventory"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("# Fortegnelse over personoplysninger i Samstem")
    first_name = _row(out, "person", "first_name")
    assert "Fornavnet: så rådgiveren ved, hvem der svarer." in first_name  # purpose
    assert "Slettes eller anonymiseres en fastsat tid efter, at sagen er lukket" in first_name  # retention
    assert "Rådgivere og teamledere i sagens team; Personen selv, med sit personlige link" in first_name  # who
    assert "Ingen: Samstem bruger den kun til at kontrollere" in _row(out, "user", "password_hash")
    assert "Administratorer (i auditloggen)" in _row(out, "audit_event", "detail")
    assert "Ikke personoplysninger i sig selv: `id`, `case_id`" in out.split("### `person`")[1]
    # Every table is in it, those without personal data in a list of their own.
    for name in db.metadata.tables:
        assert f"`{name}`" in out, name
    assert "- `team`: Organisationens teams" in out.split("## Tabeller uden personoplysninger")[1]


def test_the_inventory_in_english(runner):
    out = runner.invoke(args=["privacy", "inventory", "--lang", "en"]).output
    assert out.startswith("# Record of personal data in Samstem")
    assert "First name: so the case worker knows who is answering." in _row(out, "person", "first_name")


def test_the_inventory_refuses_to_print_an_incomplete_record(runner, monkeypatch):
    monkeypatch.delitem(RECORDS, "draft")
    result = runner.invoke(args=["privacy", "inventory"])
    assert result.exit_code != 0
    assert 'table draft has no description: add describe("draft"' in result.output
