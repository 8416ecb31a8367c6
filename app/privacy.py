"""What each table and column holds, for the record of processing (GDPR art. 30).

Every models module describes its tables right below the models, with `describe()`: the
table's purpose, its retention rule and who can see it, and for every column either
`personal("what it holds and why")` or NOT_PERSONAL. `flask privacy inventory`
(app.privacy_record) prints the record from the tables SQLAlchemy knows, and
tests/test_privacy.py fails for a column no description names, so the record cannot drift
from the schema.
"""

import sys
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# Who can see a table's (or a column's) data. A staff role sees only what its pages show:
# case workers and team leaders the cases of their own team; leaders no single case.
SEEN_BY = {
    "case_team": _l("Rådgivere og teamledere i sagens team"),
    "admin": _l("Administratorer (i auditloggen)"),
    "respondent": _l("Personen selv, med sit personlige link, mens linket virker"),
    "self": _l("Medarbejderen selv"),
    "nobody": _l("Ingen: Samstem bruger den kun til at kontrollere"),
}

# How long data is kept. The purge after a case closes is issue 12 item 15 (`flask purge`).
RETENTION = {
    "case": _l("Slettes eller anonymiseres en fastsat tid efter, at sagen er lukket, og først når sagens "
               "beslutninger er journaliseret i fagsystemet."),
    "staff": _l("Så længe medarbejderen har en konto. En lukket konto bevares, fordi sager, beslutninger og "
                "auditloggen peger på den."),
    "audit": _l("Auditloggens egen opbevaringstid: derefter fjerner `flask purge` indgangens detaljer og adresse. "
                "Ellers kan indgange ikke ændres eller slettes i Samstem."),
    "draft": _l("Gives tilbage én gang, når medarbejderen er logget ind igen, og slettes så. Tekst over "
                "12 timer gammel gives ikke tilbage og slettes ved næste login eller næste gemte tekst."),
    "setting": _l("Så længe organisationen bruger indstillingen."),
}


@dataclass(frozen=True)
class Personal:
    """A column holding personal data: what it is and why it is kept; retention and who sees it
    when they differ from the table's."""

    purpose: str
    retention: str | None = None
    seen_by: tuple[str, ...] | None = None


class NotPersonal:
    """A column that says nothing about a person by itself: a key, a setting, a time of processing."""

    def __repr__(self) -> str:
        return "NOT_PERSONAL"


NOT_PERSONAL = NotPersonal()


def personal(purpose, retention: str | None = None, seen_by: tuple[str, ...] | None = None) -> Personal:
    return Personal(purpose, retention, seen_by)


@dataclass(frozen=True)
class TableRecord:
    name: str
    purpose: str
    retention: str | None
    seen_by: tuple[str, ...]
    columns: dict[str, Personal | NotPersonal]
    module: str

    def retention_of(self, column: Personal) -> str | None:
        return column.retention or self.retention

    def seen_by_of(self, column: Personal) -> tuple[str, ...]:
        return column.seen_by or self.seen_by


RECORDS: dict[str, TableRecord] = {}


def describe(table: str, *, purpose, columns: dict, retention: str | None = None,
             seen_by: tuple[str, ...] = ()) -> None:
    """Describe a table for the record of processing; called in the module that defines it."""
    module = sys._getframe(1).f_globals["__name__"]
    if table in RECORDS and RECORDS[table].module != module:
        raise ValueError(f"{table} is already described in {RECORDS[table].module}")
    RECORDS[table] = TableRecord(table, purpose, retention, tuple(seen_by), dict(columns), module)
