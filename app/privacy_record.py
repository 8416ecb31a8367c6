"""The record of processing for the data protection officer, built from the schema itself.

`markdown()` walks every table SQLAlchemy knows (db.metadata) and prints what the models
modules described with app.privacy.describe(); `gaps()` lists every column or table the
descriptions miss, or name wrongly, each said so a developer knows where to add it.
"""

import sys
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import MetaData, Table

from app.extensions import db
from app.privacy import RECORDS, RETENTION, SEEN_BY, Personal, TableRecord
from app.timestamps import local_today

ROOT = Path(__file__).resolve().parent.parent


def _module_defining(table: Table) -> str | None:
    """Return the module that defines the table: its mapped class's, or the module holding it."""
    for mapper in db.Model.registry.mappers:
        if table in mapper.tables:
            return mapper.class_.__module__
    for name, module in list(sys.modules.items()):
        if name.startswith("app.") and any(value is table for value in vars(module).values()):
            return name
    return None


def _path(module: str | None) -> str:
    if module is None:
        return "the models module that defines it"
    return str(Path(sys.modules[module].__file__).resolve().relative_to(ROOT))


def _column_gaps(table: Table, record: TableRecord) -> list[str]:
    where = f'describe("{table.name}", …) in {_path(record.module)}'
    found = [f'{table.name}.{column.name} has no description: add "{column.name}": personal(_l("what it holds '
             f'and why")) or "{column.name}": NOT_PERSONAL to {where}'
             for column in table.columns if column.name not in record.columns]
    found += [f"{table.name}.{name} is described but is no column of the table: remove it from {where}"
              for name in sorted(record.columns.keys() - set(table.columns.keys()))]
    for name, column in record.columns.items():
        if not isinstance(column, Personal):
            continue
        if record.retention_of(column) not in RETENTION:
            found.append(f"{table.name}.{name} holds personal data but has no retention rule: give {where} "
                         f"retention= one of {sorted(RETENTION)}")
        if not record.seen_by_of(column) or not set(record.seen_by_of(column)) <= set(SEEN_BY):
            found.append(f"{table.name}.{name} holds personal data but does not say who sees it: give {where} "
                         f"seen_by= some of {sorted(SEEN_BY)}")
    return found


def gaps(metadata: MetaData) -> list[str]:
    """Every table and column the descriptions miss or name wrongly, with where to fix it."""
    found = []
    for name, table in sorted(metadata.tables.items()):
        record = RECORDS.get(name)
        if record is None:
            found.append(f'table {name} has no description: add describe("{name}", purpose=…, columns={{…}}) '
                         f"to {_path(_module_defining(table))}, naming each of its columns "
                         f"({', '.join(table.columns.keys())}) as personal(…) or NOT_PERSONAL")
        else:
            found += _column_gaps(table, record)
    found += [f'describe("{name}", …) in {_path(RECORDS[name].module)} names no table: remove it'
              for name in sorted(RECORDS.keys() - metadata.tables.keys())]
    return found


def _cell(text) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _table_section(table: Table, record: TableRecord) -> list[str]:
    heads = [_("Kolonne"), _("Hvad den rummer, og hvorfor"), _("Opbevaring"), _("Hvem kan se den")]
    lines = [f"### `{table.name}`", "", _("Formål: %(purpose)s", purpose=_cell(record.purpose)), "",
             "| " + " | ".join(heads) + " |", "|---|---|---|---|"]
    others = []
    for name in table.columns.keys():
        column = record.columns[name]
        if not isinstance(column, Personal):
            others.append(f"`{name}`")
            continue
        seen_by = "; ".join(str(SEEN_BY[who]) for who in record.seen_by_of(column))
        lines.append(f"| `{name}` | {_cell(column.purpose)} | {_cell(RETENTION[record.retention_of(column)])} "
                     f"| {_cell(seen_by)} |")
    if others:
        lines += ["", _("Ikke personoplysninger i sig selv: %(columns)s", columns=", ".join(others))]
    return lines + [""]


def markdown(metadata: MetaData) -> str:
    """The record of processing as Markdown; call gaps() first: it needs every column described."""
    lines = ["# " + _("Fortegnelse over personoplysninger i Samstem"), "",
             _("Lavet af `flask privacy inventory` ud fra databasens tabeller den %(day)s.",
               day=local_today().isoformat()), "",
             _cell(_("Hver tabel og kolonne, der rummer personoplysninger: hvad den rummer og hvorfor, hvor længe "
                     "den gemmes, og hvem der kan se den. Rækkerne i en sags tabeller hører alle til ét barns sag. "
                     "Kolonner, der ikke er personoplysninger i sig selv, er nøgler, indstillinger og tidspunkter "
                     "for behandlingen; de står under hver tabel.")), "",
             _cell(_("Sletning efter sagens lukning: `flask purge`, kørt hver nat (se README), sletter eller "
                     "anonymiserer en sags data SAMSTEM_RETENTION_DAYS dage efter lukningen, når sagens "
                     "beslutninger er journaliseret, og fjerner auditloggens detaljer efter "
                     "SAMSTEM_AUDIT_RETENTION_DAYS dage.")), "",
             "## " + _("Tabeller med personoplysninger"), ""]
    without = []
    for name, table in sorted(metadata.tables.items()):
        record = RECORDS[name]
        if any(isinstance(record.columns[column], Personal) for column in table.columns.keys()):
            lines += _table_section(table, record)
        else:
            without.append(f"- `{name}`: {_cell(record.purpose)}")
    lines += ["## " + _("Tabeller uden personoplysninger"), "", *without, ""]
    return "\n".join(lines)
