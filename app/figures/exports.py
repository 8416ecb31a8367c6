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
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
HIDDEN = "–"  # a hidden cell, as the figure page shows it
SHEET_TITLE_LIMIT = 31
BOLD = Font(bold=True)  # XLSX's limit on a sheet's name

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


def _cell(ws, value: Value, bold: bool = False) -> WriteOnlyCell:
    if value is None:
        cell = WriteOnlyCell(ws, value=HIDDEN)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        cell = WriteOnlyCell(ws, value=value)
    else:
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell = WriteOnlyCell(ws, value=text)
        # Text that starts like a formula is taken for one: keep it a string, shown as typed.
        cell.data_type = "s"
        if is_formula_like(text):
            cell.quotePrefix = True
    if bold:
        cell.font = BOLD
    return cell


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
    """The tables as one workbook, a sheet each, header in bold, notes under the table. Written in
    openpyxl's write-only mode: row by row, several times faster for a long extract."""
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for sheet in sheets:
        ws = workbook.create_sheet(_title(sheet.title, used))
        ws.append([_cell(ws, text, bold=True) for text in sheet.header])
        for row in sheet.rows:
            ws.append([_cell(ws, value) for value in row])
        if sheet.notes:
            ws.append([])
            for note in sheet.notes:
                ws.append([_cell(ws, note)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
