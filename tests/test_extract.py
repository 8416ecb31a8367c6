"""The analyst's pseudonymous extract (issue 16 item 3; FIGURES.md rule 8 and "Who sees what").

The files are opened as an analyst's tools open them (openpyxl, zipfile and csv) and checked
for what they must never hold: a name, a case reference, free text nobody asked for, a formula.
"""

import csv
import io
import zipfile
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.audit import AuditEvent
from app.extensions import db
from app.figures.extract_rows import COLUMNS
from tests.factories import EMMA_PEOPLE, SESSION_CHILD_KEYS, SESSION_KEYS, login, vas

TODAY = date.today()
PERIOD = {"start": (TODAY - timedelta(days=60)).isoformat(), "end": (TODAY + timedelta(days=30)).isoformat()}
# Everything of the test data that names or points at a person or a case.
NAMES = ["Emma", "Sag-Ø-17", "Anne Rådgiver", "Team Nord", *(name for _, name, _ in EMMA_PEOPLE),
         *(relation for _, _, relation in EMMA_PEOPLE if len(relation) > 3)]  # not "mor": the codebook says it
COMMENT = "Grete synes, at mødet hos Emma gik godt."
FORMULAS = ['=HYPERLINK("http://evil.example","klik")', "+1+2", "-3+4", "@SUM(A1:A2)", "\t=1+1"]


def _column(rows: list[list], name: str) -> list:
    return [row[COLUMNS.index(name)] for row in rows]


@pytest.fixture
def data(app, make):
    """Emma (9) and a second child (15) on Team Nord, answered; the father declined."""
    owner = make.user(team=make.team())
    emma = make.emma(owner)
    make.answer(emma.invitations["child"], {"fit-outcome-child": vas(7, 6, 5, 6),
                                            "fit-session-child": vas(9, 8, 9, 9, keys=SESSION_CHILD_KEYS)})
    make.answer(emma.invitations["mother"], {"fit-outcome-child": vas(4, 3.5, 5, 4),
                                             "fit-session": vas(8, 7, 8, 8, keys=SESSION_KEYS)})
    make.answer(emma.invitations["father"], declined=True)
    make.answer(emma.invitations["network"], {"participation-network": {"heard_respected": 4, "contributed": "dont_know",
                                                                         "comment": COMMENT}})
    make.answer(emma.invitations["provider"], {"participation-adult": {"heard_respected": 5,
                                                                       "comment": FORMULAS[0]}})
    other = make.emma(owner, child_age=15)
    make.answer(other.invitations["child"], {"fit-outcome-child": vas(2, 3, 4, 5)})
    make.answer(other.invitations["provider"], {"participation-adult": {"heard_respected": 2, "comment": FORMULAS[1]}})
    return emma, other


@pytest.fixture
def analyst(app, make):
    make.user("ana", role="analyst", name="Ana Analytiker")
    client = app.test_client()
    login(client, "ana")
    return client


def _take(client, **changes):
    form = {**PERIOD, "file_format": "xlsx"} | changes
    return client.post("/figures/extract", data={k: v for k, v in form.items() if v is not None})


def _xlsx(response) -> dict[str, list[list]]:
    assert response.status_code == 200, response.text
    workbook = load_workbook(io.BytesIO(response.data))
    return {ws.title: [[cell.value for cell in row] for row in ws.iter_rows()] for ws in workbook.worksheets}


def _answers(sheets: dict[str, list[list]]) -> list[list]:
    header, *rows = sheets["Svar"]
    assert tuple(header) == COLUMNS
    return [[value if value is not None else "" for value in row] for row in rows]


def _every_text(data: bytes) -> str:
    """Every file inside an XLSX or ZIP, decoded: what a search of the download would find."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def _audits(app) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "figures.extract")))


# --- who may take it (FIGURES.md "Who sees what": the analyst only) ---------------------------

def test_the_page_says_what_the_extract_holds_and_offers_the_order(analyst):
    home = analyst.get("/")
    assert home.status_code == 200 and 'href="/figures/extract"' in home.text
    response = analyst.get("/figures/extract")
    assert response.status_code == 200
    assert "Det er ikke med" in response.text and "Navne, kontaktoplysninger, sagsnumre" in response.text
    assert "0–5, 6–12, 13–17, 18+" in response.text
    last_year = TODAY.year - 1
    assert f'value="{last_year}-01-01"' in response.text and f'value="{last_year}-12-31"' in response.text
    assert 'name="free_text"' in response.text and "checked" not in response.text.split('name="free_text"')[1][:40]


@pytest.mark.parametrize("role", ["caseworker", "team_leader", "leader", "admin"])
def test_every_other_role_is_refused(app, make, role):
    make.user("someone", role=role, team=make.team() if role in ("caseworker", "team_leader") else None)
    client = app.test_client()
    login(client, "someone")
    assert client.get("/figures/extract").status_code == 403
    response = _take(client)
    assert response.status_code == 403 and "Du har ikke adgang til denne side." in response.text
    assert _audits(app) == []


def test_anonymous_visitors_are_sent_to_login(app):
    for response in (app.test_client().get("/figures/extract"), _take(app.test_client())):
        assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- what the files hold (issue 16 item 3) ------------------------------------------------------

def test_the_workbook_holds_one_row_per_answer_item_and_no_name(app, data, analyst):
    response = _take(analyst)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="samstem-udtraek-')
    sheets = _xlsx(response)
    assert list(sheets) == ["Svar", "Kodebog"]
    rows = _answers(sheets)
    # Emma's child outcome: four lines, as she answered them.
    emma_outcome = [row for row in rows if row[COLUMNS.index("instrument_id")] == "fit-outcome-child"
                    and row[COLUMNS.index("respondent_role")] == "child" and row[COLUMNS.index("age_band")] == "6–12"]
    assert {r[COLUMNS.index("item_key")]: r[COLUMNS.index("value")] for r in emma_outcome} == {
        "me": 7, "family": 6, "school": 5, "everything": 6}
    assert set(_column(rows, "respondent_role")) == {"child", "mother", "father", "network", "provider"}
    assert set(_column(rows, "meeting_kind")) == {"network_meeting"}
    assert set(_column(rows, "age_band")) == {"6–12", "13–17"}
    assert set(_column(rows, "answered_on")) == {TODAY.isoformat()}
    assert set(_column(rows, "meeting_date")) == {TODAY.isoformat()}
    declined = [row for row in rows if row[COLUMNS.index("declined")] == 1]
    assert [(r[COLUMNS.index("respondent_role")], r[COLUMNS.index("item_key")]) for r in declined] == [
        ("father", ""), ("father", "")]  # his two forms, one row each
    assert "dont_know" in _column(rows, "value")
    text = _every_text(response.data)
    assert [name for name in NAMES if name in text] == []
    assert "Sag-" not in text and "Ana Analytiker" not in text


def test_the_zip_holds_the_same_two_tables_as_csv_files_danish_excel_opens(app, data, analyst):
    workbook_rows = _answers(_xlsx(_take(analyst)))
    response = _take(analyst, file_format="zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert archive.namelist() == ["svar.csv", "kodebog.csv"]
        files = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    assert all(content.startswith("\ufeff") for content in files.values())
    header, *rows = list(csv.reader(io.StringIO(files["svar.csv"][1:]), delimiter=";"))
    assert tuple(header) == COLUMNS and len(rows) == len(workbook_rows)
    assert "3,5" in _column(rows, "value")  # the mother's 3.5, with a Danish decimal comma
    assert [name for name in NAMES if name in files["svar.csv"] + files["kodebog.csv"]] == []


def test_the_codebook_explains_every_column_code_and_item(app, data, analyst):
    header, *rows = _xlsx(_take(analyst))["Kodebog"]
    assert header == ["Del", "Navn", "Skema", "Version", "Type", "Tekst", "Værdier"]
    columns = [row[1] for row in rows if row[0] == "Kolonne"]
    assert columns == list(COLUMNS)
    by_item = {(row[2], row[1]): row for row in rows if row[0] == "Spørgsmål"}
    heard = by_item[("participation-adult", "heard_respected")]
    assert heard[5] == "Jeg følte mig hørt og respekteret"
    assert heard[6].startswith("1 = Helt uenig; 2 = Uenig") and heard[6].endswith("dont_know = Ved ikke")
    assert by_item[("fit-outcome-child", "me")][6].startswith("0–10 med én decimal")
    assert by_item[("participation-adult", "comment")][4] == "fri tekst"
    assert ("indicators-child-family", "development.status") in by_item
    assert ("provider-status", "goal.attainment") in by_item
    codes = {row[1]: row[6] for row in rows if row[0] == "Kolonne"}
    assert "mother = Mor" in codes["respondent_role"] and "family_group_conference = Familierådslagning" in codes[
        "meeting_kind"]
    notes = [row[0] for row in rows if row[0] and row[0] not in ("Kolonne", "Spørgsmål")]
    assert "Fri tekst er ikke med." in notes


# --- pseudonyms: one key per child in an extract, new keys in the next (issue 16 item 3) ------

def test_two_extracts_cannot_be_joined_but_one_child_has_one_key(app, data, analyst):
    first, second = _answers(_xlsx(_take(analyst))), _answers(_xlsx(_take(analyst)))
    for rows in (first, second):
        keys_by_band = {band: {r[0] for r in rows if r[COLUMNS.index("age_band")] == band} for band in ("6–12", "13–17")}
        assert all(len(keys) == 1 for keys in keys_by_band.values())  # each child: one key throughout
        assert keys_by_band["6–12"] != keys_by_band["13–17"]
    for column in ("child_key", "meeting_key", "respondent_key"):
        assert set(_column(first, column)) - {""} and not (set(_column(first, column)) - {""}) & set(
            _column(second, column)), column


# --- free text only when asked for and recorded (FIGURES.md rule 8) ----------------------------

def test_free_text_is_left_out_unless_asked_for(app, data, analyst):
    response = _take(analyst)
    rows = _answers(_xlsx(response))
    assert "comment" not in _column(rows, "item_key")
    assert COMMENT not in _every_text(response.data) and "HYPERLINK" not in _every_text(response.data)
    [event] = _audits(app)
    assert event.detail["free_text"] is False and event.detail["reason"] == ""


def test_free_text_asked_for_with_a_reason_is_there_and_recorded(app, data, analyst):
    reason = "Analyse af, hvad netværket skriver efter netværksmøder."
    rows = _answers(_xlsx(_take(analyst, free_text="y", reason=reason)))
    comments = [r[COLUMNS.index("value")] for r in rows if r[COLUMNS.index("item_key")] == "comment"]
    assert COMMENT in comments
    [event] = _audits(app)
    assert event.detail["free_text"] is True and event.detail["reason"] == reason


def test_formula_payloads_in_free_text_stay_text(app, make, data, analyst):
    # The data's providers wrote the first two; more children's networks write the rest.
    for number, payload in enumerate(FORMULAS[2:]):
        ids = make.emma(make.user(f"owner{number}", team=make.team(f"Team {number}")))
        make.answer(ids.invitations["network"], {"participation-network": {"comment": payload}})
    workbook = load_workbook(io.BytesIO(_take(analyst, free_text="y", reason="Test af formler.").data))
    ws = workbook["Svar"]
    value_column = COLUMNS.index("value") + 1
    cells = {ws.cell(row=r, column=value_column).value: ws.cell(row=r, column=value_column)
             for r in range(2, ws.max_row + 1)}
    for payload in FORMULAS:
        assert cells[payload].data_type == "s", payload
    archive = zipfile.ZipFile(io.BytesIO(_take(analyst, file_format="zip", free_text="y", reason="Test.").data))
    text = archive.read("svar.csv").decode("utf-8")
    values = _column(list(csv.reader(io.StringIO(text[1:]), delimiter=";"))[1:], "value")
    for payload in FORMULAS:
        assert "'" + payload in values, payload
        assert payload not in values


# --- the audit row (issue 16 item 3: who, period, rows, free text and why) ---------------------

def test_every_extract_is_in_the_audit_log(app, data, analyst):
    rows = _answers(_xlsx(_take(analyst, file_format="xlsx")))
    _take(analyst, file_format="zip")
    first, second = _audits(app)
    with app.app_context():
        from app.auth.models import User
        analyst_id = db.session.scalar(select(User.id).where(User.username == "ana"))
    assert first.user_id == analyst_id and first.case_id is None
    assert first.detail == {"period_from": PERIOD["start"], "period_to": PERIOD["end"], "rows": len(rows),
                            "free_text": False, "reason": "", "format": "xlsx"}
    assert second.detail["format"] == "zip" and second.detail["rows"] == len(rows)


# --- indicator scores and the provider's status per goal -----------------------------------------

def test_final_scores_and_the_providers_status_per_goal_without_the_goals_wording(app, make, analyst):
    owner = make.user(team=make.team())
    ids = make.indicator_case(owner)
    goal = make.goal(ids.case, text="Emma kommer i skole hver dag.")
    round_id = make.indicator_round(ids)
    make.final_scores(round_id, {"development": {"status": 3, "goal": 2, "rationale": "Emma har det svært."}})
    _round, tokens, _ = make.status_request(ids)
    app.test_client().post(f"/r/{tokens['provider']}/form", data={
        f"goal_{goal}_attainment": "high", f"goal_{goal}_works": "Morgenruten virker for Emma.", "overall": "Fint.",
        "rating": "7", "reviewed": "no", "reason": "Ikke nået."})
    response = _take(analyst)
    rows = _answers(_xlsx(response))
    final = {r[COLUMNS.index("item_key")]: r[COLUMNS.index("value")] for r in rows
             if r[COLUMNS.index("source")] == "final_score"}
    assert final == {"development.status": 3, "development.goal": 2}
    [attainment] = [r for r in rows if r[COLUMNS.index("item_key")] == "goal.attainment"]
    assert attainment[COLUMNS.index("value")] == "high" and attainment[COLUMNS.index("goal_domain")] == "school"
    assert attainment[COLUMNS.index("goal_key")].startswith("G")
    assert attainment[COLUMNS.index("respondent_role")] == "provider"
    assert {"rating", "reviewed"} <= set(_column(rows, "item_key"))
    assert [name for name in ("Emma", "Morgenruten", "skole hver dag", "svært") if name in _every_text(response.data)] == []


# --- bad input: a clear Danish message, nothing typed lost, never a 500 --------------------------

BAD_ORDERS = [
    ("dates in the wrong order", {"start": "2026-03-01", "end": "2026-01-01"}, "Til-datoen ligger før fra-datoen."),
    ("a malformed date", {"start": "32-13-2026"}, "Skriv datoen som dag, måned og år, fx 14-03-2026."),
    ("no start", {"start": ""}, "Skriv den første dag i perioden."),
    ("no end", {"end": None}, "Skriv den sidste dag i perioden."),
    ("more than three years", {"start": "2020-01-01", "end": "2026-01-01"}, "Vælg en periode på højst tre år."),
    ("a year out of range", {"start": "1999-12-31", "end": "2000-06-01"}, "Vælg en dato mellem år 2000 og 2999."),
    ("free text without a reason", {"free_text": "y", "reason": "   "}, "Skriv, hvorfor du har brug for den frie tekst."),
    ("a CPR number in the reason", {"free_text": "y", "reason": "Barnet 010101-1234"}, "Skriv ikke CPR-numre i Samstem."),
    ("a huge reason", {"free_text": "y", "reason": "x" * 5000}, "Højst 1000 tegn."),
    ("an unknown format", {"file_format": "pdf"}, "Vælg en af mulighederne."),
    ("a huge date", {"start": "9" * 5000}, "Skriv datoen som dag, måned og år, fx 14-03-2026."),
]


@pytest.mark.parametrize("changes, message", [(c, m) for _, c, m in BAD_ORDERS], ids=[n for n, _, _ in BAD_ORDERS])
def test_a_bad_order_is_refused_with_a_message_and_keeps_what_was_typed(app, data, analyst, changes, message):
    response = _take(analyst, **changes)
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert message in response.text
    for name, value in changes.items():
        if name in ("start", "end", "reason") and value and value.strip() and len(value) < 100:
            assert value in response.text, name
    assert _audits(app) == []


def test_hostile_text_in_the_reason_is_shown_back_as_text(app, analyst):
    response = _take(analyst, start="<script>alert(1)</script>", free_text="y", reason="<script>alert(2)</script>")
    assert response.status_code == 400
    assert "<script>alert" not in response.text and "&lt;script&gt;alert(2)&lt;/script&gt;" in response.text


def test_a_huge_extract_asks_for_a_shorter_period(app, data, analyst):
    app.config["EXTRACT_ROW_LIMIT"] = 5
    response = _take(analyst)
    assert response.status_code == 400
    assert "Udtrækket ville få mere end 5 rækker. Vælg en kortere periode" in response.text
    assert PERIOD["start"] in response.text
    assert _audits(app) == []


def test_an_empty_period_gives_the_codebook_and_no_rows(app, data, analyst):
    sheets = _xlsx(_take(analyst, start="2001-01-01", end="2001-12-31"))
    assert _answers(sheets) == [] and len(sheets["Kodebog"]) > 50
    assert _audits(app)[0].detail["rows"] == 0


# --- the work does not grow with the data (STYLE.md habit 16) --------------------------------------

def test_the_number_of_queries_does_not_grow_with_the_cases(app, make, data, analyst):
    from bench.queries import count_queries

    def statements() -> int:
        with app.app_context(), count_queries(db.engine) as counted:
            assert _take(analyst).status_code == 200
        return len(counted.statements)

    before = statements()
    for number in range(3):
        ids = make.emma(make.user(f"more{number}", team=make.team(f"Team mere {number}")))
        make.answer(ids.invitations["mother"], {"fit-outcome-child": vas(1, 2, 3, 4)})
    assert statements() == before


# --- the rules as pure functions (issue 16 item 3) -------------------------------------------------

AGE_BANDS = [  # (meeting day, birth year, band): the age at the meeting, never finer than the band
    (date(2026, 5, 1), 2026, "0–5"), (date(2026, 5, 1), 2021, "0–5"), (date(2026, 5, 1), 2020, "6–12"),
    (date(2026, 5, 1), 2014, "6–12"), (date(2026, 5, 1), 2013, "13–17"), (date(2026, 5, 1), 2009, "13–17"),
    (date(2026, 5, 1), 2008, "18+"), (date(2026, 5, 1), 1990, "18+"), (date(2020, 5, 1), 2024, "0–5"),
]


@pytest.mark.parametrize("held_on, birth_year, band", AGE_BANDS, ids=[f"{b}-born-{y}" for _, y, b in AGE_BANDS])
def test_the_age_band_at_the_meeting(held_on, birth_year, band):
    from app.figures.extract_rows import age_band

    assert age_band(held_on, birth_year) == band


def test_a_pseudonym_is_a_keyed_hash_of_its_own_extract():
    import hashlib
    import hmac

    from app.figures.extract_rows import Pseudonyms

    one, other = Pseudonyms(), Pseudonyms()
    assert one.key("child", 17) == one.key("child", 17) != other.key("child", 17)
    assert one.key("child", 17) != one.key("meeting", 17) and one.key("goal", None) == ""
    assert one.key("child", 17).startswith("C") and len(one.key("child", 17)) == 17
    # Not the plain hash of the id: without the secret nobody can compute it.
    assert one.key("child", 17)[1:] != hashlib.sha256(b"child:17").hexdigest()[:16]
    assert one.key("child", 17)[1:] != hmac.new(b"", b"child:17", hashlib.sha256).hexdigest()[:16]


ITEMS = [  # (stored answers, free text asked, items written): text items only when asked
    ({"heard_respected": 4, "comment": "Tak."}, False, [("heard_respected", 4)]),
    ({"heard_respected": 4, "comment": "Tak."}, True, [("heard_respected", 4), ("comment", "Tak.")]),
    ({"contributed": "dont_know"}, False, [("contributed", "dont_know")]),
    # A key the form file no longer has: text is free text, a number is not.
    ({"old_note": "Mette sagde ja.", "old_scale": 3}, False, [("old_scale", 3)]),
    ({"old_note": "Mette sagde ja."}, True, [("old_note", "Mette sagde ja.")]),
]


@pytest.mark.parametrize("answers, free_text, expected", ITEMS, ids=[f"case-{n}" for n in range(len(ITEMS))])
def test_free_text_items_are_left_out_unless_asked_for(app, answers, free_text, expected):
    from app.figures.extract_rows import questionnaire_items

    with app.app_context():
        found = [(key, value) for key, _goal, value in questionnaire_items("participation-network", answers, free_text)]
    assert found == expected
