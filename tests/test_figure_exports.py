"""Exports of a release's figure tables and the half-year report (issue 16 items 2 and 4): the
same readers, filters and protected tables as the figures page; hidden cells stay hidden; text a
leader typed never becomes a formula or a script; bad input gets a clear message, never a 500."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.audit import AuditEvent
from app.auth.models import User
from app.extensions import db
from app.figures import catalogue
from app.figures import page as pages
from app.settings import services as settings
from tests.factories import login
from tests.figure_data import last_years_quarter, organisation

FORMULA = '=HYPERLINK("http://evil.example","klik")'
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def released(app, make, runner):
    """Two teams of three case workers and six children each, a team of one with two children, a
    leader, a team leader of Team Nord, an administrator; last year's first quarter and half released."""
    period, day = last_years_quarter()
    org = organisation(app, {"Team Nord": (3, 6), "Team Syd": (3, 6), "Team Vest": (1, 2)}, day)
    make.user("boss", role="leader")
    make.user("admin", role="admin")
    make.user("lead", role=("team_leader", "caseworker"), team=org.teams["Team Nord"])
    org.period, org.half = period, period.replace("Q1", "H1")
    for code in (org.period, org.half):
        result = runner.invoke(args=["figures", "release", "--period", code])
        assert result.exit_code == 0, result.output
    return org


def _as(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def _page(app, username, **args):
    """The figures page as the reader sees it, built as the page builds it."""
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.username == username))
        page = pages.build(user, MultiDict(args), None)
        return [(view.figure.id, [(label, [c.get("hidden") for c in cells], [c.get("shown") for c in cells])
                                  for label, cells in view.grid.rows]) for view in page.figures]


def _events(app, action="figures.export"):
    with app.app_context():
        return [e.detail for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == action))]


def _comment(app, username, period, scope, text, figure="I1"):
    response = _as(app, username).post("/figures/comment", data={"figure": figure, "period": period, "scope": scope,
                                                                  "text": text})
    assert response.status_code == 302


def _check_workbook(book, page) -> int:
    """The workbook holds the page's tables cell for cell; returns how many cells are hidden."""
    assert len(book.worksheets) == len(page) >= 5
    hidden_seen = 0
    for sheet, (figure_id, rows) in zip(book.worksheets, page):
        values = [[cell.value for cell in row] for row in sheet.iter_rows()]
        assert values[0][0] == f"{figure_id} · {catalogue.FIGURES[figure_id].title}"
        for (label, hidden, shown), written in zip(rows, values[1:]):
            assert written[0] == label
            for is_hidden, text, value in zip(hidden, shown, written[1:]):
                # A hidden cell is the page's mark in the file too; a shown one is the page's number.
                assert (value == "–") == bool(is_hidden), (figure_id, label)
                if not is_hidden and text:
                    number = float(text.replace(" %", "").replace(",", "."))
                    assert isinstance(value, (int, float)) and round(value, 2) == pytest.approx(number, abs=0.05)
                hidden_seen += bool(is_hidden)
        notes = [row[0] for row in values[len(rows) + 1:] if row and row[0]]
        assert str(catalogue.FIGURES[figure_id].caveat) in notes
        assert any(str(note).startswith(("Tallet hviler på", "Antallet af børn", "Der er ingen børn")) for note in notes)
    return hidden_seen


def test_the_workbook_has_a_sheet_per_figure_with_the_pages_table_hidden_cells_and_notes(app, released):
    response = _as(app, "boss").get(f"/figures/export.xlsx?period={released.period}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"] and response.headers["Cache-Control"] == "no-store"
    _check_workbook(load_workbook(io.BytesIO(response.data)), _page(app, "boss", period=released.period))
    assert _events(app) == [{"format": "xlsx", "period": released.period, "version": 1}]
    # A team's page hides cells (six children); its workbook hides the same ones (rules 1–3, never recomputed).
    team = _as(app, "teamnord-0").get("/figures/export.xlsx")
    assert team.status_code == 200
    assert _check_workbook(load_workbook(io.BytesIO(team.data)), _page(app, "teamnord-0")) > 0


def test_the_csv_of_one_figure_opens_in_danish_excel_and_matches_the_page(app, released):
    team = str(released.teams["Team Nord"])
    response = _as(app, "boss").get(f"/figures/export.csv?figure=I1&period={released.period}&team={team}")
    assert response.status_code == 200 and response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    page = dict(_page(app, "boss", period=released.period, team=team))["I1"]
    assert rows[0][0].startswith("I1 · ")
    for (label, hidden, _shown), written in zip(page, rows[1:]):
        assert written[0] == label
        assert [value == "–" for value in written[1:]] == [bool(h) for h in hidden]
    assert any(any(hidden) for _label, hidden, _shown in page)  # this table hides cells, and so does the file
    assert "Tallet hviler på 6 børn." in [row[0] for row in rows if row] or \
        "Antallet af børn vises ikke, så en lille gruppe ikke kan regnes ud." in [row[0] for row in rows if row]
    assert _events(app) == [{"format": "csv", "figure": "I1", "period": released.period, "team": team, "version": 1}]


def test_a_team_only_exports_its_own_figures_and_they_match_its_page(app, released):
    client = _as(app, "teamnord-0")
    assert client.get("/figures/export.xlsx").status_code == 200
    assert _events(app)[0]["team"] == str(released.teams["Team Nord"])
    other = client.get(f"/figures/export.csv?figure=I1&team={released.teams['Team Syd']}")
    assert other.status_code == 403 and "Du kan kun se dit eget teams tal." in other.text


def test_formula_and_script_in_a_comment_stay_text_in_the_workbook_and_the_csv(app, released):
    _comment(app, "boss", released.period, "organisation", FORMULA)
    _comment(app, "boss", released.period, "organisation", SCRIPT, figure="P1")
    client = _as(app, "boss")
    book = load_workbook(io.BytesIO(client.get(f"/figures/export.xlsx?period={released.period}").data))
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value in (FORMULA, SCRIPT):
                    found[cell.value] = cell
    assert set(found) == {FORMULA, SCRIPT}
    assert found[FORMULA].data_type == "s" and found[FORMULA].quotePrefix  # text, shown as typed, never a formula
    assert not any(cell.data_type == "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)
    rows = list(csv.reader(io.StringIO(client.get(f"/figures/export.csv?figure=I1&period={released.period}")
                                       .data.decode("utf-8-sig")), delimiter=";"))
    assert ["'" + FORMULA] in rows  # Excel's own sign for text
    assert any(row and row[0].startswith("Kommentar (skrevet af") for row in rows)


def test_the_half_year_report_has_a_title_page_every_figure_and_the_comments_and_no_script(app, released):
    with app.test_request_context():
        settings.put("organisation_name", "Sønderby Kommune")
        db.session.commit()
        settings.forget()
    _comment(app, "boss", released.half, "organisation", "Flere forældre svarer nu. " + SCRIPT)
    response = _as(app, "boss").get(f"/figures/report.pdf?period={released.half}")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    first = reader.pages[0].extract_text()
    assert "Halvårsrapport" in first and "Sønderby Kommune" in first and released.half in first
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", " ", text)
    for figure_id in ("I1", "I2", "P1", "F1", "D1"):
        assert f"{figure_id} · " in flat
    assert "Flere forældre svarer nu." in flat and "Tallene beskriver, de beviser ikke" in flat
    # The script is printed as the words typed; the file holds no script or action.
    assert b"/JavaScript" not in response.data and b"/JS" not in response.data and b"/OpenAction" not in response.data
    assert len(reader.pages) >= 1 + len(_page(app, "boss", period=released.half))  # a title page, a page a figure
    assert _events(app) == [{"format": "pdf", "period": released.half, "version": 1}]


def test_a_team_leader_gets_the_teams_half_year_report_and_a_case_worker_none(app, released):
    response = _as(app, "lead").get("/figures/report.pdf")  # the newest half-year
    assert response.status_code == 200
    assert "Team Nord" in PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    refused = _as(app, "teamnord-0").get(f"/figures/report.pdf?period={released.half}")
    assert refused.status_code == 403 and "Halvårsrapporten er for ledere og teamledere." in refused.text


@pytest.mark.parametrize("url", ["/figures/export.xlsx", "/figures/export.csv?figure=I1", "/figures/report.pdf"])
def test_an_administrator_gets_no_file(app, released, url):
    response = _as(app, "admin").get(url)
    assert response.status_code == 403 and "I1 · " not in response.text
    assert _events(app) == []


@pytest.mark.parametrize("url", ["/figures/export.xlsx", "/figures/report.pdf"])
def test_pilot_mode_keeps_the_files_from_a_leader(app, released, url):
    with app.test_request_context():
        settings.put("pilot_mode", True)
        db.session.commit()
        settings.forget()
    response = _as(app, "boss").get(url)
    assert response.status_code == 403 and "pilotdrift" in response.text


@pytest.mark.parametrize("url, status, message", [
    ("/figures/export.xlsx?period=2001-Q1", 404, "Der er ingen tal for 2001-Q1"),
    ("/figures/export.xlsx?period=2026-Q9", 400, "Perioden skal skrives som"),
    ("/figures/export.xlsx?period=" + "9" * 5000, 400, "Perioden skal skrives som"),
    ("/figures/export.xlsx?team=1&meeting=other&age=9", 400, "Tallene kan kun vælges efter periode, team, afdeling og mødetype."),
    ("/figures/export.xlsx?meeting=secret", 400, "Den mødetype kender Samstem ikke."),
    ("/figures/export.xlsx?team=abc", 400, "Det team findes ikke."),
    ("/figures/export.csv", 400, "Vælg ét tal at hente."),
    ("/figures/export.csv?figure=I1&figure=I2", 400, "Vælg ét tal at hente."),
    ("/figures/export.csv?figure=Z9", 404, "Det tal findes ikke for perioden."),
    ("/figures/export.csv?figure=" + "<script>" * 500, 404, "Det tal findes ikke for perioden."),
    ("/figures/export.csv?figure=I1&period=2001-Q1", 404, "Der er ingen tal for 2001-Q1"),
    ("/figures/export.csv?figure=I1&caseworker=1", 400, "Tallene kan kun vælges efter periode, team, afdeling og mødetype."),
    ("/figures/report.pdf?period=2001-H1", 404, "Der er ingen tal for 2001-H1"),
    ("/figures/report.pdf?period=2026-Q1", 400, "Halvårsrapporten dækker et halvår"),
    ("/figures/report.pdf?period=H1", 400, "Perioden skal skrives som"),
    ("/figures/report.pdf?team=1&meeting=other&age=9", 400, "Tallene kan kun vælges efter periode, team, afdeling og mødetype."),
], ids=["no-release", "bad-period", "huge-period", "third-filter", "meeting", "team-text", "csv-no-figure",
        "csv-two-figures", "csv-unknown-figure", "csv-hostile-figure", "csv-no-release", "csv-unknown-filter",
        "pdf-no-release", "pdf-quarter", "pdf-bad-period", "pdf-third-filter"])
def test_bad_input_gets_a_clear_message_and_no_file(app, released, url, status, message):
    response = _as(app, "boss").get(url)
    assert response.status_code == status and message in response.text
    assert response.headers["Content-Type"].startswith("text/html") and "<script><script>" not in response.text
    assert _events(app) == []


def test_a_small_team_cannot_be_exported(app, released):
    response = _as(app, "boss").get(f"/figures/export.xlsx?team={released.teams['Team Vest']}")
    assert response.status_code == 400 and "færre end 5 børn" in response.text


def test_the_page_links_to_the_files(app, released):
    html = _as(app, "boss").get(f"/figures?period={released.half}").text
    assert f"/figures/export.xlsx?period={released.half}" in html
    assert f"/figures/export.csv?figure=I1&amp;period={released.half}" in html
    assert f"/figures/report.pdf?period={released.half}" in html
    assert "/figures/report.pdf" not in _as(app, "teamnord-0").get("/figures").text
