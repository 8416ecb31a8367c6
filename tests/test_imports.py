"""Issue 14 item 6: an administrator imports cases from the case system's CSV or XLSX file.

A dry run shows what would change and every row error by row and column; only a file without
errors is applied, all of it in one transaction or nothing; every bad file gets a clear Danish
message, never a 500 (issue 14, "Bad input").
"""

import csv
import io
import re
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.cases import services as cases
from app.cases.models import Case, Person
from app.extensions import db
from tests.factories import login

YEAR = date.today().year
HEADINGS = ["sagsnummer", "team", "rådgiver", "fornavn", "fødselsår"]
GOOD = [
    ["S-1", "Team Nord", "anne", "Emma", str(YEAR - 9)],
    ["S-2", "Team Nord", "anne", "Oskar", str(YEAR - 12)],
]


def csv_file(rows, headings=HEADINGS, *, delimiter=";", encoding="utf-8-sig") -> bytes:
    """A CSV file as Danish Excel writes it: `;`-separated, UTF-8 with a byte order mark."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_file(rows, headings=HEADINGS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def setting(app, make):
    """Team Nord with case worker anne, Team Syd with bo, and an administrator's client."""
    nord, syd = make.team("Team Nord"), make.team("Team Syd")
    make.user("anne", team=nord, name="Anne Rådgiver")
    make.user("bo", team=syd, name="Bo Berg")
    make.user("root", role="admin", name="Rita Root")
    client = app.test_client()
    login(client, "root")
    return client


def upload(client, data: bytes, name: str = "sager.csv"):
    response = client.post("/admin/import/", data={"file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    # The test client spools a large body to a temporary file it never closes itself.
    response.request.environ["wsgi.input"].close()
    return response


def confirm(client, page: str):
    sealed = re.search(r'name="sealed" type="hidden" value="([^"]+)"', page) or \
        re.search(r'id="sealed" name="sealed" type="hidden" value="([^"]+)"', page)
    assert sealed, "the dry run offers no confirm button"
    return client.post("/admin/import/apply", data={"sealed": sealed.group(1)})


def _cases(app) -> list[tuple]:
    with app.app_context():
        return [(c.external_ref, c.team.name, c.caseworker.username, c.child.first_name, c.child_birth_year)
                for c in db.session.scalars(select(Case).order_by(Case.external_ref))]


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _actions(app) -> list[tuple]:
    with app.app_context():
        return [(e.action, e.case_id, e.detail) for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
                if e.action.startswith(("import.", "case.create"))]


def _existing(app, ref="S-1", first_name="Emma", username="anne", birth_year=YEAR - 9) -> int:
    from flask_login import login_user

    from app.auth.models import User
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.username == username))
        login_user(user)
        case = cases.create_case(user, first_name, birth_year, ref)
        db.session.commit()
        return case.id


# --- good files ----------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["csv-utf8-bom", "csv-cp1252", "csv-comma", "csv-utf8", "xlsx", "csv-sep-line"])
def test_a_good_file_is_checked_then_imported(app, setting, kind):
    """Issue 14 item 6: the dry run shows the new cases; nothing is stored until confirmed."""
    files = {
        "csv-utf8-bom": (csv_file(GOOD), "sager.csv"),
        "csv-cp1252": (csv_file(GOOD, encoding="cp1252"), "sager.csv"),
        "csv-comma": (csv_file(GOOD, delimiter=","), "sager.csv"),
        "csv-utf8": (csv_file(GOOD, encoding="utf-8"), "sager.csv"),
        "xlsx": (xlsx_file([[*row[:4], int(row[4])] for row in GOOD]), "sager.xlsx"),
        "csv-sep-line": (b"sep=;\r\n" + csv_file(GOOD, encoding="utf-8"), "sager.csv"),
    }
    data, name = files[kind]
    page = upload(setting, data, name)
    assert page.status_code == 200, page.text
    assert "2 nye sager" in page.text and "Oskar" in page.text
    assert _count(app, Case) == 0  # the dry run stores nothing
    done = confirm(setting, page.text)
    assert done.status_code == 302
    assert _cases(app) == [("S-1", "Team Nord", "anne", "Emma", YEAR - 9), ("S-2", "Team Nord", "anne", "Oskar", YEAR - 12)]
    assert "Importen er gemt: 2 nye sager" in setting.get("/admin/import/").text


def test_a_known_reference_updates_and_shows_old_and_new(app, make, setting):
    case_id = _existing(app, first_name="Ema")
    page = upload(setting, csv_file([["S-1", "Team Syd", "bo", "Emma", ""]]))
    assert page.status_code == 200
    text = page.text
    assert "1 ændrede sager" in text
    for old, new in [("Team Nord", "Team Syd"), ("anne", "bo"), ("Ema", "Emma")]:
        assert re.search(rf"<td>{old}</td><td>{new}</td>", text), (old, new)
    confirm(setting, text)
    assert _cases(app) == [("S-1", "Team Syd", "bo", "Emma", YEAR - 9)]  # the empty birth year changed nothing
    actions = _actions(app)
    assert ("import.case", case_id, {"changed": ["team", "rådgiver", "fornavn"], "measures": 0}) in actions
    assert actions[-1][0] == "import.apply"
    assert {k: actions[-1][2][k] for k in ("created", "changed", "unchanged", "rows")} == \
        {"created": 0, "changed": 1, "unchanged": 0, "rows": 1}


def test_an_unchanged_file_changes_nothing(app, setting):
    _existing(app)
    page = upload(setting, csv_file([["S-1", "Team Nord", "anne", "Emma", str(YEAR - 9)]]))
    assert page.status_code == 200 and "Filen ændrer ikke noget i Samstem." in page.text
    assert 'name="sealed"' not in page.text


def test_every_import_and_every_case_is_audited(app, setting):
    page = upload(setting, csv_file(GOOD))
    confirm(setting, page.text)
    actions = _actions(app)
    assert [a for a, _, _ in actions].count("import.case") == 2
    assert actions[-1][0] == "import.apply" and actions[-1][2]["created"] == 2 and actions[-1][2]["file"] == "sager.csv"


# --- partly bad files: row errors name the row and the column; nothing is stored -----------------

ROW_ERRORS = [
    # (why, rows, the row, the column, the message)
    ("unknown reference without team", [["S-9", "", "anne", "Emma", "2015"]], 2, "team", "For at oprette sagen"),
    ("unknown team", [["S-9", "Team Vest", "anne", "Emma", "2015"]], 2, "team", "Der er intet team, der hedder Team Vest."),
    ("unknown case worker", [["S-9", "Team Nord", "ukendt", "Emma", "2015"]], 2, "rådgiver",
     "Der er ingen aktiv medarbejder med brugernavnet ukendt."),
    ("case worker of another team", [["S-9", "Team Nord", "bo", "Emma", "2015"]], 2, "rådgiver",
     "bo hører ikke til Team Nord."),
    ("administrator is no case worker", [["S-9", "Team Nord", "root", "Emma", "2015"]], 2, "rådgiver",
     "root er ikke rådgiver i et team."),
    ("birth year not a year", [["S-9", "Team Nord", "anne", "Emma", "to tusind"]], 2, "fødselsår", "Skriv et år mellem"),
    ("birth year too early", [["S-9", "Team Nord", "anne", "Emma", "1950"]], 2, "fødselsår", "Skriv et år mellem"),
    ("missing reference", [["", "Team Nord", "anne", "Emma", "2015"]], 2, "sagsnummer", "Udfyld sagsnummer."),
    ("reference too long", [["S" * 41, "Team Nord", "anne", "Emma", "2015"]], 2, "sagsnummer", "Højst 40 tegn."),
    ("CPR number", [["S-9", "Team Nord", "anne", "Emma 010203-1234", "2015"]], 2, "fornavn",
     "Skriv ikke CPR-numre i Samstem."),
    ("a name too long", [["S-9", "Team Nord", "anne", "E" * 81, "2015"]], 2, "fornavn", "Højst 80 tegn."),
    ("same row twice", [GOOD[0], GOOD[1], GOOD[0]], 4, "sagsnummer", "står også i række 2. Tag den ene række ud."),
    ("same reference, other values", [GOOD[0], ["S-1", "Team Nord", "anne", "Emmy", str(YEAR - 9)]], 3, "fornavn",
     "med andre oplysninger"),
    ("more cells than columns", [[*GOOD[0], "ekstra"]], 2, "", "flere celler, end der er kolonner"),
]


@pytest.mark.parametrize("why, rows, row, column, message", ROW_ERRORS, ids=[r[0] for r in ROW_ERRORS])
def test_row_errors_name_row_and_column_and_nothing_is_stored(app, setting, why, rows, row, column, message):
    """Issue 14 item 6 and "Bad input": a partly bad file is refused whole, its good rows too."""
    page = upload(setting, csv_file([GOOD[1], *rows] if why != "same row twice" else rows))
    assert page.status_code == 400
    text = page.text
    found = re.findall(r"<tr><td>(\d*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", text)
    expected_row = row + 1 if why != "same row twice" else row
    assert any(int(r or 0) == expected_row and c == column and message in m.replace("&#39;", "'")
               for r, c, m in found), found
    assert "Intet fra filen er gemt." in text and 'name="sealed"' not in text
    assert _count(app, Case) == 0


HEADING_ERRORS = [
    ("unknown column", ["sagsnummer", "team", "cpr"], "Kolonnen cpr kendes ikke."),
    ("missing reference column", ["team", "rådgiver"], "Filen mangler kolonnen sagsnummer."),
    ("column twice", ["sagsnummer", "team", "Team"], "Kolonnen team står to gange."),
    ("column spelt without æøå twice", ["sagsnummer", "rådgiver", "raadgiver"], "Kolonnen rådgiver står to gange."),
]


@pytest.mark.parametrize("why, headings, message", HEADING_ERRORS, ids=[h[0] for h in HEADING_ERRORS])
def test_a_wrong_missing_or_repeated_column_is_named(app, setting, why, headings, message):
    page = upload(setting, csv_file([["S-1", "Team Nord", "x"]], headings=headings))
    assert page.status_code == 400 and message in page.text
    assert _count(app, Case) == 0


def test_a_column_without_heading_but_with_values_is_refused(app, setting):
    page = upload(setting, csv_file([["S-1", "hemmeligt", "Team Nord"]], headings=["sagsnummer", "", "team"]))
    assert page.status_code == 400 and "Kolonne 2 har ingen overskrift." in page.text


def test_dates_and_codes_are_read_in_both_forms():
    """Dates as dd-mm-åååå and åååå-mm-dd (issue 14 item 6); other shapes are a clear message."""
    from app.imports.columns import CellRefused, day
    assert day("14-03-2026", None) == day("2026-03-14", None) == date(2026, 3, 14)
    for wrong in ("14/3-2026", "2026-14-03", "31-02-2026", "i går"):
        with pytest.raises(CellRefused, match="Skriv datoen som dag-måned-år"):
            day(wrong, None)


def test_list_values_by_code_or_danish_name(app):
    from app.imports.columns import CellRefused, Known
    with app.test_request_context():
        known = Known()
        assert known.list_code("target_group", "disability") == "disability"
        assert known.list_code("target_group", "børn og unge med funktionsnedsættelse") == "disability"
        with pytest.raises(CellRefused, match="står ikke på listen målgrupper"):
            known.list_code("target_group", "ukendt")


def test_a_file_that_became_wrong_since_the_check_is_refused_on_confirming(app, make, setting):
    """The apply step checks again: a case worker deactivated meanwhile stops the whole import."""
    page = upload(setting, csv_file(GOOD))
    from app.auth.models import User
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "anne")).active = False
        db.session.commit()
    done = confirm(setting, page.text)
    assert done.status_code == 400 and "Der er ingen aktiv medarbejder med brugernavnet anne." in done.text
    assert _count(app, Case) == 0


def test_a_failure_while_storing_leaves_nothing_half_imported(app, setting, monkeypatch):
    """Nothing half-imported: the second case fails to store, so the first is not kept either."""
    from sqlalchemy.exc import IntegrityError

    from app.imports import services
    calls = []
    original = services.cases.create_case

    def failing(*args):
        calls.append(args)
        if len(calls) == 2:
            raise IntegrityError("insert", {}, Exception("boom"))
        return original(*args)

    page = upload(setting, csv_file(GOOD))
    monkeypatch.setattr(services.cases, "create_case", failing)
    done = confirm(setting, page.text)
    assert done.status_code == 400 and "intet fra filen er gemt" in done.text
    assert _count(app, Case) == 0 and _count(app, Person) == 0
    assert [a for a, _, _ in _actions(app)] == []


def test_an_altered_or_someone_elses_confirmation_is_refused(app, make, setting):
    page = upload(setting, csv_file(GOOD))
    sealed = re.search(r'name="sealed" type="hidden" value="([^"]+)"', page.text).group(1)
    assert setting.post("/admin/import/apply", data={"sealed": sealed[:-3] + "abc"}).status_code == 400
    make.user("root2", role="admin")
    other = app.test_client()
    login(other, "root2")
    response = other.post("/admin/import/apply", data={"sealed": sealed})
    assert response.status_code == 400 and "Vælg filen igen." in response.text
    assert _count(app, Case) == 0


# --- hostile files: a clear Danish message, nothing stored, never a 500 ---------------------------

def test_formula_payloads_are_stored_as_plain_text_and_shown_escaped(app, setting):
    payloads = ["=cmd|' /C calc'!A0", "+SUM(1)", "-2+3", "@SUM(A1)", "<script>alert(1)</script>"]
    rows = [[f"F-{i}", "Team Nord", "anne", name, "2016"] for i, name in enumerate(payloads)]
    page = upload(setting, xlsx_file(rows), "sager.xlsx")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text
    confirm(setting, page.text)
    assert sorted(row[3] for row in _cases(app)) == sorted(payloads)


def test_a_formula_cell_in_a_workbook_is_read_as_its_text(app, setting):
    book = Workbook()
    book.active.append(HEADINGS)
    book.active.append(["S-1", "Team Nord", "anne", "=HYPERLINK(\"http://x\",\"klik\")", "=2000+15"])
    out = io.BytesIO()
    book.save(out)
    page = upload(setting, out.getvalue(), "sager.xlsx")
    assert page.status_code == 400 and "Skriv et år mellem" in page.text  # "=2000+15" is never computed


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (60 * 1024 * 1024))
    return out.getvalue()


HOSTILE = [
    ("empty file", b"", "sager.csv", "Filen er tom."),
    ("only blanks", b" \r\n ", "sager.csv", "Filen er tom."),
    ("only headings", csv_file([]), "sager.csv", "Filen har ingen rækker"),
    ("xlsx that is no zip", b"sagsnummer;team\r\nS-1;Team Nord\r\n", "sager.xlsx", "men er ikke en Excel-fil"),
    ("broken zip", b"PK\x03\x04" + b"\x00" * 200, "sager.xlsx", "Excel-filen kan ikke læses."),
    ("zip without a workbook", None, "sager.xlsx", "Excel-filen kan ikke læses."),
    ("zip bomb", "bomb", "sager.xlsx", "fylder for meget, når den pakkes ud"),
    ("old xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "sager.xls", "Gamle Excel-filer (.xls)"),
    ("binary", b"sagsnummer\x00\x01\x02\x03", "sager.csv", "hverken en CSV-fil eller en Excel-fil"),
    ("undecodable bytes", "sagsnummer;fornavn\r\nS-1;Em\x81ma\r\n".encode("latin-1"), "sager.csv",
     "Filens tegn kan ikke læses."),
    ("unclosed quote with a huge field", b'sagsnummer;fornavn\r\nS-1;"' + b"x" * 200_000, "sager.csv",
     "CSV-filen kan ikke læses"),
    ("too many columns", ";".join(f"k{i}" for i in range(50)).encode() + b"\r\n" + b"1;" * 49 + b"1\r\n",
     "sager.csv", "flere end 40 kolonner"),
]


def _hostile_data(data):
    if data is None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("hello.txt", "hej")
        return out.getvalue()
    if data == "bomb":
        return _zip_bomb()
    return data


@pytest.mark.parametrize("why, data, name, message", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_files_get_a_clear_message_and_store_nothing(app, setting, why, data, name, message):
    response = upload(setting, _hostile_data(data), name)
    assert response.status_code == 400, response.text
    assert message in response.text.replace("&#39;", "'")
    assert _count(app, Case) == 0


def test_too_many_rows_are_refused_with_the_limit(app, setting):
    app.config["IMPORT_MAX_ROWS"] = 10
    rows = [[f"S-{i}", "Team Nord", "anne", "Emma", "2016"] for i in range(11)]
    response = upload(setting, csv_file(rows))
    assert response.status_code == 400 and "Filen har flere end 10 rækker." in response.text


@pytest.mark.parametrize("size, status", [(300 * 1024, 400), (3 * 1024 * 1024, 413)], ids=["over-limit", "over-request"])
def test_a_huge_file_is_refused_with_its_limit(app, setting, size, status):
    """Over the import's limit: refused by the reader, or before it is read; both say the limit."""
    app.config["IMPORT_MAX_BYTES"] = 256 * 1024
    data = csv_file([]) + b"S-1;Team Nord;anne;Emma;2016\r\n" * (size // 30)
    response = upload(setting, data)
    assert response.status_code == status
    assert "Filen er for stor: den må højst fylde 256 kB." in response.text


def test_a_file_larger_than_other_requests_may_be_imported(app, setting):
    """The import's limit (2 MB) is above the request limit of other pages (256 kB)."""
    rows = [[f"S-{i}", "Team Nord", "anne", "Emma" + "x" * 60, "2016"] for i in range(3500)]
    data = csv_file(rows)
    assert len(data) > app.config["MAX_CONTENT_LENGTH"]
    page = upload(setting, data)
    assert page.status_code == 200 and "3500 nye sager" in page.text
    assert confirm(setting, page.text).status_code == 302
    assert _count(app, Case) == 3500


def test_no_file_chosen(app, setting):
    response = setting.post("/admin/import/", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Vælg den fil, du vil importere." in response.text


@pytest.mark.parametrize("username", ["anne", "leader"])
def test_only_administrators_import(app, make, setting, username):
    make.user("leader", role="leader")
    client = app.test_client()
    login(client, username)
    assert client.get("/admin/import/").status_code == 403
    assert upload(client, csv_file(GOOD)).status_code == 403
    assert _count(app, Case) == 0


def test_the_page_documents_every_column(app, setting):
    from app.imports.columns import COLUMNS
    page = setting.get("/admin/import/").text
    for column in COLUMNS:
        assert f"<td>{column.heading}</td>" in page
    assert "Importér sager fra fagsystemet" in setting.get("/").text


# --- the case's background and its measures (issue 14 items 1, 2 and 6) ---------------------------

BACKGROUND_HEADINGS = [*HEADINGS, "målgruppe", "sagstype"]


def test_the_background_is_imported_by_code_or_danish_name(app, setting):
    """Issue 14 items 1 and 6: target group and case type from the organisation's lists."""
    rows = [[*GOOD[0], "vulnerable", "Børnefaglig undersøgelse"]]
    page = upload(setting, csv_file(rows, headings=BACKGROUND_HEADINGS))
    assert page.status_code == 200, page.text
    assert "Udsatte børn og unge" in page.text
    assert confirm(setting, page.text).status_code == 302
    from app.cases.background import current_background
    with app.app_context():
        case_id = db.session.scalar(select(Case.id))
        background = current_background([case_id])[case_id]
        assert (background.target_group, background.case_type) == ("vulnerable", "investigation")


@pytest.mark.parametrize("row, column, message", [
    (["vulnerable", ""], "sagstype", "Skriv både målgruppe og sagstype"),
    (["ukendt", "investigation"], "målgruppe", "står ikke på listen målgrupper"),
], ids=["half a background", "unknown code"])
def test_a_wrong_background_is_a_row_error(app, setting, row, column, message):
    page = upload(setting, csv_file([[*GOOD[0], *row]], headings=BACKGROUND_HEADINGS))
    assert page.status_code == 400 and message in page.text and f"<td>{column}</td>" in page.text
    assert _count(app, Case) == 0


MEASURE_HEADINGS = [*HEADINGS, "indsats", "start", "slut", "slutårsag"]


def _kind(app) -> str:
    from app.measures.ladder import current_ladder
    with app.app_context():
        return current_ladder().rungs[1].kinds[0].code


def test_measures_are_added_one_row_each_and_corrected_on_the_next_import(app, setting):
    """Issue 14 items 2 and 6: one row per case and measure; the same kind and start is the same measure."""
    kind = _kind(app)
    rows = [[*GOOD[0], kind, "01-02-2024", "31-12-2024", "goal_met"], [*GOOD[0], kind, "2025-01-01", "", ""]]
    page = upload(setting, csv_file(rows, headings=MEASURE_HEADINGS))
    assert page.status_code == 200, page.text
    assert confirm(setting, page.text).status_code == 302
    from app.measures.services import measures_for
    with app.app_context():
        facts = sorted(measures_for([db.session.scalar(select(Case.id))]), key=lambda f: f.started_on)
        assert [(f.started_on, f.ended_on) for f in facts] == [(date(2024, 2, 1), date(2024, 12, 31)),
                                                               (date(2025, 1, 1), None)]
    again = upload(setting, csv_file([[*GOOD[0], kind, "01-01-2025", "01-03-2025", "planned_end"]],
                                     headings=MEASURE_HEADINGS))
    assert again.status_code == 200 and "01-03-2025" in again.text
    assert confirm(setting, again.text).status_code == 302
    with app.app_context():
        facts = sorted(measures_for([db.session.scalar(select(Case.id))]), key=lambda f: f.started_on)
        assert facts[-1].ended_on == date(2025, 3, 1) and len(facts) == 2
    last_case_entry = [detail for action, _, detail in _actions(app) if action == "import.case"][-1]
    assert last_case_entry == {"changed": [], "measures": 1}


@pytest.mark.parametrize("rows, column, message", [
    ([["x", "01-02-2024", "", ""]], "indsats", "findes ikke på indsatstrappen"),
    ([["KIND", "01-02-2024", "01-01-2024", "goal_met"]], "slut", "før den begyndte"),
    ([["KIND", "01-02-2024", "01-03-2024", ""]], "slutårsag", "hvorfor indsatsen sluttede"),
    ([["KIND", "1/2/24", "", ""]], "start", "Skriv datoen som dag-måned-år"),
    ([["KIND", "01-02-2024", "", ""], ["KIND", "01-02-2024", "", ""]], "indsats", "står også i række 2"),
], ids=["unknown kind", "end before start", "end without reason", "wrong date", "same measure twice"])
def test_a_wrong_measure_is_a_row_error_and_nothing_is_stored(app, setting, rows, column, message):
    """Issue 14 "Bad input": an end before a start, a reason missing, a duplicate row."""
    kind = _kind(app)
    rows = [[*GOOD[0], *[kind if cell == "KIND" else cell for cell in row]] for row in rows]
    page = upload(setting, csv_file(rows, headings=MEASURE_HEADINGS))
    assert page.status_code == 400, page.text
    assert message in page.text and f"<td>{column}</td>" in page.text
    assert _count(app, Case) == 0


def test_two_rows_of_the_same_kind_at_the_same_time_are_refused_in_the_dry_run(app, setting):
    """Issue 14 "Bad input": overlapping measures of the same kind, here both only in the file."""
    kind = _kind(app)
    rows = [[*GOOD[0], kind, "01-02-2024", "", ""], [*GOOD[0], kind, "01-03-2024", "01-04-2024", "goal_met"],
            [*GOOD[1], kind, "01-02-2024", "01-03-2024", "goal_met"], [*GOOD[1], kind, "01-03-2024", "", ""]]
    page = upload(setting, csv_file(rows, headings=MEASURE_HEADINGS))
    assert page.status_code == 400
    assert "samme tid som indsatsen af samme slags i række 2" in page.text
    assert "række 4" not in page.text  # one may start the day the other ends
    assert _count(app, Case) == 0


def test_gender_only_when_the_organisation_records_it(app, setting):
    """Issue 14 item 1: the child's gender is optional and recorded only when the organisation wants it."""
    headings = [*BACKGROUND_HEADINGS, "køn"]
    page = upload(setting, csv_file([[*GOOD[0], "vulnerable", "investigation", "pige"]], headings=headings))
    assert page.status_code == 400 and "Organisationen registrerer ikke barnets køn." in page.text
    page = upload(setting, csv_file([[*GOOD[0], "vulnerable", "investigation", "ved ikke"]], headings=headings))
    assert page.status_code == 400 and "Skriv pige, dreng eller andet." in page.text


def test_a_changed_background_shows_old_and_new_and_adds_a_version(app, setting):
    """Issue 14 item 1: the background keeps its history; the import adds a version, never rewrites one."""
    first = upload(setting, csv_file([[*GOOD[0], "vulnerable", "investigation"]], headings=BACKGROUND_HEADINGS))
    confirm(setting, first.text)
    page = upload(setting, csv_file([["S-1", "", "", "", "", "disability", ""]], headings=BACKGROUND_HEADINGS))
    assert page.status_code == 200, page.text
    assert re.search(r"<td>målgruppe</td><td>Udsatte børn og unge</td><td>Børn og unge med funktionsnedsættelse</td>",
                     page.text)
    assert confirm(setting, page.text).status_code == 302
    from app.cases.background import current_background, history
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert (current_background([case.id])[case.id].target_group, len(history(case))) == ("disability", 2)
        assert current_background([case.id])[case.id].case_type == "investigation"  # an empty cell kept it


def test_the_import_checks_the_csrf_token_itself(app, setting):
    """The page is exempt from the app-wide check (it reads the body under a larger limit) and checks it itself."""
    app.config["WTF_CSRF_ENABLED"] = True
    response = upload(setting, csv_file(GOOD))
    assert response.status_code == 400 and "Siden var for gammel" in response.text
    page = setting.get("/admin/import/").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = setting.post("/admin/import/", data={"file": (io.BytesIO(csv_file(GOOD)), "sager.csv"),
                                                    "csrf_token": token}, content_type="multipart/form-data")
    assert response.status_code == 200 and "2 nye sager" in response.text
    assert _count(app, Case) == 0


def test_someone_else_is_refused_before_a_large_body_is_read(app, setting):
    client = app.test_client()
    login(client, "anne")
    response = upload(client, csv_file([]) + b"S-1;Team Nord;anne;Emma;2016\r\n" * 20_000)
    assert response.status_code == 403


def test_a_reference_two_cases_share_is_refused(app, setting):
    _existing(app, first_name="Emma")
    _existing(app, first_name="Oskar")
    page = upload(setting, csv_file([["S-1", "", "", "Emma", ""]]))
    assert page.status_code == 400 and "Flere sager i Samstem har sagsnummeret S-1." in page.text
