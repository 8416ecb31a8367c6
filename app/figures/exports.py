"""Figure tables as files a spreadsheet opens: CSV as Danish Excel reads it, and XLSX.

No text ever becomes a formula (FIGURES.md rule 8, issue 16 item 2): a text that begins with
=, +, -, @, a tab, a carriage return or NUL is written with a leading apostrophe in CSV (Excel's
own sign for "this is text") and as a quoted string cell in XLSX; characters XLSX cannot hold are
dropped. Numbers stay numbers: in CSV a decimal is written with a comma, as Danish Excel reads it.
The tables given here are already protected (app/figures/disclosure.py): a hidden cell is None
and is written as the mark the page shows.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
HIDDEN = "–"  # a hidden cell, as the figure page shows it
SHEET_TITLE_LIMIT = 31  # XLSX's limit on a sheet's name

Value = str | int | float | None


@dataclass
class Sheet:
    """One table: a title, a header row, rows of values, and notes printed under it (the caveat,
    the number of children, why cells are hidden)."""

    title: str
    header: list[str]
    rows: list[list[Value]]
    notes: list[str] = field(default_factory=list)


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def _csv_value(value: Value) -> str:
    if value is None:
        return HIDDEN
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.10g}".replace(".", ",")
    text = str(value).replace("\0", "")
    return "'" + text if is_formula_like(str(value)) else text


def csv_bytes(sheet: Sheet) -> bytes:
    """The table as `;`-separated UTF-8 with a byte-order mark, which Danish Excel opens as columns."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_value(text) for text in sheet.header])
    for row in sheet.rows:
        writer.writerow([_csv_value(value) for value in row])
    if sheet.notes:
        writer.writerow([])
        for note in sheet.notes:
            writer.writerow([_csv_value(note)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _put(ws, row: int, column: int, value: Value) -> None:
    cell = ws.cell(row=row, column=column)
    if value is None:
        cell.value = HIDDEN
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.value = value
        return
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell.value = text
    # Assigned text that starts like a formula is taken for one: keep it a string, shown as typed.
    cell.data_type = "s"
    if is_formula_like(text):
        cell.quotePrefix = True


def _title(text: str, used: set[str]) -> str:
    base = ILLEGAL_CHARACTERS_RE.sub("", "".join(" " if c in "[]:*?/\\" else c for c in text)).strip() or "Ark"
    base = base[:SHEET_TITLE_LIMIT]
    title, number = base, 2
    while title.lower() in used:
        suffix = f" ({number})"
        title, number = base[:SHEET_TITLE_LIMIT - len(suffix)] + suffix, number + 1
    used.add(title.lower())
    return title


def xlsx_bytes(sheets: list[Sheet]) -> bytes:
    """The tables as one workbook, a sheet each, header in bold, notes under the table."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for sheet in sheets:
        ws = workbook.create_sheet(_title(sheet.title, used))
        for column, text in enumerate(sheet.header, start=1):
            _put(ws, 1, column, text)
            ws.cell(row=1, column=column).font = Font(bold=True)
        for row_number, row in enumerate(sheet.rows, start=2):
            for column, value in enumerate(row, start=1):
                _put(ws, row_number, column, value)
        for offset, note in enumerate(sheet.notes, start=len(sheet.rows) + 3):
            _put(ws, offset, 1, note)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
