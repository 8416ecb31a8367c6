"""Figure tables as CSV and XLSX (issue 16 item 2; FIGURES.md rule 8): Danish Excel's CSV, hidden
cells kept hidden, and no text ever a formula. The files are read back with csv and openpyxl."""

import csv
import io

import pytest
from openpyxl import load_workbook

from app.figures.exports import HIDDEN, Sheet, csv_bytes, xlsx_bytes

PAYLOADS = ["=HYPERLINK(\"http://evil\",\"klik\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\tcmd", "\rcmd",
            "=cmd|' /C calc'!A0", "\0=1+1"]


def _sheet(texts):
    return Sheet("Invitationer efter rolle", ["Rolle", "Besvaret", "Andel"],
                 [[text, 12, 0.25] for text in texts] + [["Far", None, None]], notes=["Tallene beskriver."])


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())  # the BOM makes Excel read UTF-8 (æ, ø, å)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_csv_is_what_danish_excel_opens():
    rows = _csv_rows(csv_bytes(_sheet(["Mor"])))
    assert rows[0] == ["Rolle", "Besvaret", "Andel"]
    assert rows[1] == ["Mor", "12", "0,25"]  # a decimal comma: Danish Excel reads it as a number
    assert rows[2] == ["Far", HIDDEN, HIDDEN]  # hidden stays hidden
    assert rows[-1] == ["Tallene beskriver."]


@pytest.mark.parametrize("payload", PAYLOADS, ids=[f"payload{i}" for i in range(len(PAYLOADS))])
def test_no_text_becomes_a_formula_in_csv(payload):
    cell = _csv_rows(csv_bytes(_sheet([payload])))[1][0]
    assert cell.startswith("'") and payload.replace("\0", "") in cell


@pytest.mark.parametrize("payload", PAYLOADS, ids=[f"payload{i}" for i in range(len(PAYLOADS))])
def test_no_text_becomes_a_formula_in_xlsx(payload):
    workbook = load_workbook(io.BytesIO(xlsx_bytes([_sheet([payload])])))
    cell = workbook.active.cell(row=2, column=1)
    assert cell.data_type == "s" and cell.quotePrefix
    assert cell.value == payload.replace("\0", "").replace("\r", "\n")  # XML keeps a line break as \n
    assert workbook.active.cell(row=2, column=2).value == 12  # numbers stay numbers


def test_xlsx_keeps_hidden_cells_and_unique_sheet_names():
    long = "Fordeling af svar: [forældre] / netværk * år?" * 2
    workbook = load_workbook(io.BytesIO(xlsx_bytes([_sheet(["Mor"]), Sheet(long, ["a"], []), Sheet(long, ["a"], [])])))
    assert workbook.sheetnames[0] == "Invitationer efter rolle"
    assert len(set(workbook.sheetnames)) == 3 and all(len(name) <= 31 for name in workbook.sheetnames)
    assert [c.value for c in workbook.active[3]] == ["Far", HIDDEN, HIDDEN]
