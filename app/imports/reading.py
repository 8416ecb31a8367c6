"""Read an uploaded CSV or XLSX file into a table of text cells, refusing what cannot be read.

The case system's export arrives as Danish Excel writes it: `;`-separated CSV, "CSV UTF-8" with a
byte order mark, plain "CSV" in Windows-1252, or an XLSX workbook. Nothing is evaluated: a
formula in a workbook is read as its text, never computed. Every refusal is a clear Danish
message (FileRefused), never an error page.
"""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

# A workbook is a zip; unpacked it may hold at most this many times the limit (a zip bomb is refused).
UNPACKED_FACTOR = 20
# Columns read from a row; a file with more has something else in it.
MAX_COLUMNS = 40
# One cell's text; a longer cell is cut here and then refused by the column's own limit.
MAX_CELL = 1000
DELIMITERS = (";", ",", "\t")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls


class FileRefused(Exception):
    """The file cannot be read as a table; the message says why and what to do."""


@dataclass(frozen=True)
class Table:
    """The file's first row (the headings) and its other rows, each with its row number in the file."""

    headings: list[str]
    rows: list[tuple[int, list[str]]]


def read_table(filename: str, data: bytes, *, max_bytes: int, max_rows: int) -> Table:
    """Read the file as XLSX or CSV (by its content, then its name) and return its table."""
    if not data or not data.strip():
        raise FileRefused(_("Filen er tom. Vælg den fil, fagsystemet har lavet."))
    if len(data) > max_bytes:
        raise FileRefused(_("Filen er for stor: den må højst fylde %(size)s. Del den op i flere filer.",
                            size=size_text(max_bytes)))
    name = (filename or "").lower()
    if data.startswith(OLE_MAGIC) or name.endswith(".xls"):
        raise FileRefused(_("Gamle Excel-filer (.xls) kan ikke læses. Gem filen i Excel som .xlsx eller som CSV."))
    if data.startswith(ZIP_MAGIC):
        table = _read_xlsx(data, max_bytes, max_rows)
    elif name.endswith((".xlsx", ".xlsm")):
        raise FileRefused(_("Filen hedder .xlsx, men er ikke en Excel-fil. Gem den igen i Excel som "
                            "Excel-projektmappe (.xlsx) eller som CSV."))
    else:
        table = _read_csv(data, max_rows)
    if not any(table.headings):
        raise FileRefused(_("Filens første række skal være kolonnernes navne, fx sagsnummer og team."))
    if not table.rows:
        raise FileRefused(_("Filen har ingen rækker under kolonnernes navne."))
    return table


def size_text(size: int) -> str:
    """Return a byte count as a Danish reader says it: 256 kB, 2 MB."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    return f"{size // 1024} kB"


def _too_many(max_rows: int) -> FileRefused:
    return FileRefused(_("Filen har flere end %(limit)s rækker. Del den op i flere filer.", limit=max_rows))


def _cell(value) -> str:
    """Return a workbook cell as text: a date as yyyy-mm-dd, a whole number without decimals."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def clean(text: str) -> str:
    """Return a cell's text trimmed, without control characters (NUL cannot be stored), in one Unicode form."""
    text = unicodedata.normalize("NFC", text[:MAX_CELL])
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text).strip()


def _table(records, max_rows: int, first_number: int = 1) -> Table:
    """Build the table from the records: empty rows are skipped, trailing empty cells dropped."""
    headings: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, record in enumerate(records, start=first_number):
        cells = [clean(cell) for cell in record[:MAX_COLUMNS + 1]]
        while cells and not cells[-1]:
            cells.pop()
        if headings is None:
            if cells:
                headings = cells
            continue
        if not cells:
            continue
        if len(rows) >= max_rows:
            raise _too_many(max_rows)
        rows.append((number, cells))
    if headings is not None and len(headings) > MAX_COLUMNS:
        raise FileRefused(_("Filen har flere end %(limit)s kolonner. Tag de kolonner ud, som ikke skal importeres.",
                            limit=MAX_COLUMNS))
    return Table(headings or [], rows)


def _read_xlsx(data: bytes, max_bytes: int, max_rows: int) -> Table:
    from openpyxl import load_workbook

    unreadable = FileRefused(_("Excel-filen kan ikke læses. Gem den igen i Excel som Excel-projektmappe (.xlsx) "
                               "eller som CSV."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise unreadable from error
    if unpacked > UNPACKED_FACTOR * max_bytes:
        raise FileRefused(_("Excel-filen fylder for meget, når den pakkes ud. Del den op i flere filer."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            sheet = workbook.worksheets[0]
            # Values only: a formula comes back as its text ("=…"), never as a computed value.
            records = ([_cell(value) for value in row]
                       for row in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True))
            return _table(records, max_rows)
        finally:
            workbook.close()
    except FileRefused:
        raise
    except Exception as error:  # noqa: BLE001  a hostile or broken workbook may fail anywhere inside openpyxl
        raise unreadable from error


def _decode(data: bytes) -> str:
    """Return the text: UTF-8 with or without a byte order mark, UTF-16 with one, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "cp1252"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise FileRefused(_("Filens tegn kan ikke læses. Gem den i Excel som CSV UTF-8 (kommasepareret) eller som "
                            ".xlsx.")) from error


def _read_csv(data: bytes, max_rows: int) -> Table:
    text = _decode(data)
    if "\x00" in text:
        raise FileRefused(_("Filen er hverken en CSV-fil eller en Excel-fil. Gem den i Excel som CSV eller .xlsx."))
    lines = text.splitlines(keepends=True)
    first_number = 1
    # Excel may write "sep=;" as the first line to name the separator.
    match = re.fullmatch(r"sep=(.)\s*", lines[0]) if lines else None
    if match:
        delimiter, lines, first_number = match.group(1), lines[1:], 2
    else:
        header = lines[0] if lines else ""
        delimiter = max(DELIMITERS, key=header.count) if any(d in header for d in DELIMITERS) else ";"
    try:
        return _table(csv.reader(lines, delimiter=delimiter), max_rows, first_number)
    except csv.Error as error:
        raise FileRefused(_("CSV-filen kan ikke læses: et felt er for langt, eller et anførselstegn mangler.")) \
            from error
