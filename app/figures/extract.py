"""The analyst's pseudonymous extract (FIGURES.md rule 8, issue 16 item 3): the period's answers,
one row per answer item, and a codebook, as one XLSX workbook or a ZIP of two CSV files.

Only the analyst role takes it (the view checks); every extract is recorded in the audit log
with who, the period, the number of rows, and whether free text was asked for and why.
The pseudonyms and what the rows hold: app.figures.extract_rows.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date

from flask import current_app

from app import audit
from app.extensions import db
from app.figures.exports import Sheet, csv_bytes, xlsx_bytes
from app.figures.extract_codebook import codebook
from app.figures.extract_rows import COLUMNS, ExtractTooLarge, Pseudonyms, answer_rows

__all__ = ["Choice", "ExtractTooLarge", "File", "PeriodError", "check_period", "default_period", "take"]

MAX_DAYS = 3 * 366 + 1  # a period of at most three years (issue 16 item 3: "at most a few years")
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)
# The most answer rows one extract holds (config EXTRACT_ROW_LIMIT); more asks for a shorter period.
# XLSX is the slow format: bench/extract.py wrote 35,190 rows as XLSX in 8.8 s (openpyxl alone: 8.7 s), as a
# ZIP of CSV files in 1.1 s, on a 2-core machine shared with other work. 30,000 rows stay well inside gunicorn's 60 s.
DEFAULT_ROW_LIMIT = 30_000
FORMATS = ("xlsx", "zip")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATA_FILE, CODEBOOK_FILE = "svar.csv", "kodebog.csv"


class PeriodError(Exception):
    """The period cannot be extracted as asked; `field` names the date at fault, `code` why."""

    def __init__(self, field: str, code: str):
        super().__init__(code)
        self.field, self.code = field, code


@dataclass(frozen=True)
class Choice:
    """What the analyst asked for; the reason only counts with free text."""

    start: date
    end: date
    free_text: bool
    format: str
    reason: str = ""


@dataclass(frozen=True)
class File:
    """The extract as a file to download, and how many answer rows it holds."""

    data: bytes
    filename: str
    mimetype: str
    rows: int


def check_period(start: date, end: date) -> None:
    """Raise PeriodError unless the period lies in the years 2000–2999, runs forward, and spans three years at most."""
    for name, day in (("start", start), ("end", end)):
        if not FIRST_DAY <= day <= LAST_DAY:
            raise PeriodError(name, "years")
    if end < start:
        raise PeriodError("end", "order")
    if (end - start).days + 1 > MAX_DAYS:
        raise PeriodError("end", "too_long")


def row_limit() -> int:
    return int(current_app.config.get("EXTRACT_ROW_LIMIT") or DEFAULT_ROW_LIMIT)


def default_period(today: date) -> tuple[date, date]:
    """The period the form suggests: the last whole calendar year."""
    return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)


def take(choice: Choice, today: date) -> File:
    """Build the extract the analyst asked for and record it in the audit log.

    Raises PeriodError for a period that cannot be extracted and ExtractTooLarge for one
    with more rows than the limit; nothing is recorded then."""
    check_period(choice.start, choice.end)
    if choice.format not in FORMATS:
        raise ValueError(choice.format)
    rows = answer_rows(choice.start, choice.end, choice.free_text, Pseudonyms(), row_limit())
    sheets = [Sheet("Svar", list(COLUMNS), rows),
              codebook(choice.start, choice.end, choice.free_text, len(rows), today)]
    name = f"samstem-udtraek-{choice.start.isoformat()}-{choice.end.isoformat()}"
    if choice.format == "xlsx":
        file = File(xlsx_bytes(sheets), f"{name}.xlsx", XLSX, len(rows))
    else:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(DATA_FILE, csv_bytes(sheets[0]))
            archive.writestr(CODEBOOK_FILE, csv_bytes(sheets[1]))
        file = File(out.getvalue(), f"{name}.zip", "application/zip", len(rows))
    audit.record("figures.extract", None, period_from=choice.start.isoformat(), period_to=choice.end.isoformat(),
                 rows=file.rows, free_text=choice.free_text, reason=choice.reason if choice.free_text else "",
                 format=choice.format)
    db.session.flush()
    return file
