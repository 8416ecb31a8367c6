"""The case report: PDF rendered by WeasyPrint and read back, and the plain-text summary."""

import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.extensions import db
from app.pdf import local_only_fetcher, render_pdf
from tests.factories import SESSION_CHILD_KEYS, SESSION_KEYS, vas
from tests.qr import pdf_pages_text


def pdf_text(data: bytes) -> str:
    """Return the PDF's text as a reader would copy it, spaces squeezed."""
    return " ".join(pdf_pages_text(data))


@pytest.fixture
def decided(make, caseworker, staff):
    """Emma's case: two rounds answered by Emma and Mette; today's decided with a follow-up."""
    ids = make.emma(caseworker)
    make.earlier_round(ids, date.today() - timedelta(days=60), {
        "child": {"fit-outcome-child": vas(5, 5, 5, 5), "fit-session-child": vas(9, 9, 9, 9, keys=SESSION_CHILD_KEYS)},
        "mother": {"fit-outcome-child": vas(6, 6, 6, 6), "fit-session": vas(9.5, 9.5, 9.5, 9.5, keys=SESSION_KEYS)},
    })
    make.answer(ids.invitations["child"], {"fit-outcome-child": vas(7, 8, 9, 8), "fit-session-child": vas(9, 9, 9, 9, keys=SESSION_CHILD_KEYS)})
    make.answer(ids.invitations["mother"], {"fit-outcome-child": vas(3, 4, 2, 5), "fit-session": vas(9, 8.5, 9, 9, keys=SESSION_KEYS)})
    make.answer(ids.invitations["provider"], {"participation-adult": {
        "heard_respected": 4, "contributed": 5, "childs_view": 2, "plan_realistic": "dont_know", "backs_plan": 4,
        "own_part": 5, "comment": "Emma virker gladere.\nMen skolen bekymrer.",
    }})
    ids.follow_up = date.today() + timedelta(days=30)
    response = staff.post(f"/rounds/{ids.round}/reconcile", data={
        "outcome": "action", "action_text": "Skolen inddrages i planen.", "follow_up": "yes",
        "follow_up_on": ids.follow_up.isoformat(),
    })
    assert response.status_code == 302
    return ids


def test_the_pdf_holds_meeting_people_answers_signals_charts_and_decision(staff, decided, app):
    response = staff.get(f"/rounds/{decided.round}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    text = pdf_text(response.data)
    for words in [
        "Emma, født", "Sag-Ø-17", "Netværksmøde", "Rådgiver: Anne Rådgiver",
        "Mette", "Jonas", "Grete", "Lise", "familiebehandler",  # everyone invited, with status
        "Sidst: 5,0",  # Emma's previous answer beside the new one
        "Uenige: 7,0 fra hinanden",  # school: Emma 9, Mette 2
        "Kommet sig", "Pålidelig tilbagegang",  # signals in words
        "Emma virker gladere.", "Men skolen bekymrer.",  # free text in full
        "Emma · Hvordan har du det?", "Højere er bedre", "Klinisk grænse",  # the charts, drawn
        "Giver anledning til handling", "Skolen inddrages i planen.",
    ]:
        assert words in text, words
    assert f"Nyt opfølgningsmøde: {decided.follow_up.day}." in text
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.export")).all()
        assert [e.detail["format"] for e in events] == ["pdf"]


def test_a_report_before_any_decision_says_so(staff, make, caseworker):
    ids = make.emma(caseworker)
    text = pdf_text(staff.get(f"/rounds/{ids.round}/report.pdf").data)
    assert "Der er endnu ikke taget stilling til runden." in text


def test_the_plain_text_says_the_same_for_the_case_system(staff, decided):
    page = staff.get(f"/rounds/{decided.round}/summary")
    assert page.status_code == 200
    text = html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", page.text, re.S).group(1))
    lines = text.splitlines()
    assert lines[0].startswith("Samstem: feedback efter netværksmøde")
    assert "Barn: Emma, født" in text and "Sag: Sag-Ø-17" in text
    assert "  Hvordan går det i skolen?: Emma: 9,0 (sidst 5,0) · Mette: 2,0 (sidst 6,0)" in lines
    assert "    Uenige: 7,0 fra hinanden; højest Emma (9,0), lavest Mette (2,0)." in lines
    assert "    Emma, grøn: Kommet sig: pålidelig fremgang siden første måling (+12,0) og nu over grænsen." in lines
    assert "    Lise: Emma virker gladere." in lines and "      Men skolen bekymrer." in lines
    assert "  Skolen inddrages i planen." in lines
    assert any(line.startswith("  Nyt opfølgningsmøde: ") for line in lines)
    # Without JavaScript the copy button stays hidden; the text can be selected by hand.
    assert re.search(r'<button type="button" class="copy"[^>]*hidden', page.text)


def test_the_report_fetcher_refuses_files_and_outside_addresses():
    fetcher = local_only_fetcher()
    for url in ["file:///etc/hostname", "http://example.org/x.png", "https://example.org/x.css", "ftp://example.org/x"]:
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,hej").read() == b"hej"


def test_an_outside_image_in_the_html_is_left_out_not_fetched(caplog):
    # WeasyPrint logs the refusal and renders the rest; nothing is read from disk.
    pdf = render_pdf('<p>Rapport</p><img src="file:///etc/hostname"><img src="http://127.0.0.1:9/x.png">')
    assert pdf_text(pdf) == "Rapport"
    refused = [r.getMessage() for r in caplog.records if "disallowed protocol" in r.getMessage()]
    assert len(refused) == 2


def test_the_reconciliation_page_allows_only_its_own_chart_styles(staff, decided):
    response = staff.get(f"/rounds/{decided.round}/reconcile")
    nonce = re.search(r"style-src 'self' 'nonce-([\w-]+)'", response.headers["Content-Security-Policy"]).group(1)
    styles = re.findall(r"<style[^>]*>", response.text)
    assert styles and all(f'nonce="{nonce}"' in tag for tag in styles)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


# --- a one-item scale is named by itself (issue 10 item 10) -------------------------------------

@pytest.fixture
def ruler(make, caseworker):
    """Emma answers her FIT forms and the well-being ruler (one 0–10 line) with 6.7."""
    ids = make.emma(caseworker, extra={"child": ["wellbeing-ruler"]})
    make.answer(ids.invitations["child"], {
        "fit-outcome-child": vas(7, 8, 9, 8), "fit-session-child": vas(9, 9, 9, 9, keys=SESSION_CHILD_KEYS),
        "wellbeing-ruler": {"number": 6.7, "why": "Jeg har fået en ven."},
    })
    return ids


def answers_table(page: str, caption: str) -> str:
    """Return the HTML of the answers table whose caption holds this text."""
    [found] = [t for t in page.split('<table class="answers">')[1:] if caption in t.split("</caption>")[0]]
    return found.split("</table>")[0]


def squeezed(html_text: str) -> str:
    """Return the page's text as a reader sees it: tags out, spaces squeezed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", html_text)).split())


def test_a_one_item_scale_shows_its_own_name_and_range_on_screen(staff, ruler):
    page = staff.get(f"/rounds/{ruler.round}").text
    shown = squeezed(answers_table(page, "Trivselslinealen"))
    assert "Trivsel (0–10, højere er bedre) 6,7" in shown
    assert "Total" not in shown and "0–40" not in shown
    # A form of four lines is still a total of 0–40.
    assert "Total (0–40, højere er bedre) 32,0" in squeezed(answers_table(page, "fit-outcome-child"))


def test_a_one_item_scale_shows_its_own_name_and_range_in_the_pdf_and_text(staff, ruler):
    text = pdf_text(staff.get(f"/rounds/{ruler.round}/report.pdf").data)
    assert "Trivsel (0–10, højere er bedre) 6,7" in text
    assert "højere er bedre) 6,7" not in text.replace("Trivsel (0–10, højere er bedre) 6,7", "")
    assert "Total (0–40, højere er bedre) 32,0" in text
    page = staff.get(f"/rounds/{ruler.round}/summary")
    lines = html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", page.text, re.S).group(1)).splitlines()
    assert "  Emma: Trivsel (0–10, højere er bedre) 6,7" in lines
    assert "  Emma: Total (0–40, højere er bedre) 32,0" in lines
    assert not any(line.startswith("  Emma i alt") for line in lines)


# --- an indicator round's report carries the matrix (issue 10 item 4) -----------------------------

@pytest.fixture
def indicators_decided(make, caseworker, client, staff):
    """Emma's second indicator round: Mette and Lise scored, final scores set and classified
    against the first round, and the round decided."""
    from tests.test_indicators import finals, scored

    ids = make.indicator_case(caseworker, intake=date.today() - timedelta(days=200))
    first = make.indicator_round(ids, held_on=date.today() - timedelta(days=100))
    make.final_scores(first, finals() | {"health": {"status": 4, "goal": 2}})
    make.decide_round(first)
    second = make.indicator_round(ids)
    client.post(f"/r/{ids.tokens['mother']}/form", data=scored(status="4", goal="3", health__text="Ondt i maven."))
    client.post(f"/r/{ids.tokens['provider']}/form", data=scored(status="2", goal="2"))
    make.final_scores(second, finals() | {
        "health": {"status": 2, "goal": 1, "rationale": "Lægen siger, det går bedre.",
                   "family_note": "Mor oplever det som sværere."},
        "school": {"status": 4, "goal": 3, "rationale": "Mange fraværsdage."},
    })
    decided = staff.post(f"/rounds/{second}/reconcile",
                         data={"outcome": "no_adjustment", "reason_text": "Planen virker.", "follow_up": "no"})
    assert decided.status_code == 302
    return ids


def test_an_indicator_rounds_pdf_holds_the_matrix(staff, indicators_decided):
    text = pdf_text(staff.get(f"/rounds/{indicators_decided.round}/report.pdf").data)
    section = text.split("Svarene side om side")[1].split("Faglig vurdering")[0]
    for words in [
        "Indikatorer: børn og familie",  # the form
        "Mette", "Lise",  # both scorers
        "Udvikling og adfærd", "Familieforhold: mor", "Sundhed", "Skole", "Kriminalitet",  # the factors
        "Status 4 Mål 3", "Status 2 Mål 2", "Ondt i maven.",  # each scorer's score and words
        "Status 2 · Mål 1", "Lægen siger, det går bedre.",  # final status, goal and rationale
        "Afviger fra den endelige status: Mette (Mor): 4", "Mor oplever det som sværere.",  # the family's view
        "Siden sidst", "Progressionsmål opfyldt", "Ingen progression", "Negativ progression",  # classification
    ]:
        assert words in section, words
    assert "Planen virker." in text


def test_an_indicator_rounds_plain_text_holds_the_matrix(staff, indicators_decided):
    page = staff.get(f"/rounds/{indicators_decided.round}/summary")
    lines = html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", page.text, re.S).group(1)).splitlines()
    at = lines.index("  Sundhed")
    assert lines[at:at + 7] == [
        "  Sundhed",
        "    Mette (Mor): status 4, mål 3. Ondt i maven.",
        "    Lise (Udfører): status 2, mål 2",
        "    Endelig: status 2, mål 1. Begrundelse: Lægen siger, det går bedre.",
        "    Afviger fra den endelige status: Mette (Mor): 4",
        "    Note om familiens syn: Mor oplever det som sværere.",
        "    Siden sidst: Progressionsmål opfyldt",
    ]
    at = lines.index("  Skole")
    assert "    Endelig: status 4, mål 3. Begrundelse: Mange fraværsdage." in lines[at:at + 6]
    assert "    Siden sidst: Negativ progression" in lines[at:at + 7]
    assert "Indikatorer: børn og familie" in lines
    assert "  Planen virker." in lines


# --- a changed answer is shown with what it replaced (issue 10 item 5) ---------------------------

@pytest.fixture
def changed(app, make, caseworker):
    """Emma answers, then (two days later, on the same link) changes only her school line from 9 to 3."""
    from flask_babel import format_datetime

    from app.invitations.models import Response

    ids = make.emma(caseworker)
    session = vas(9, 9, 9, 9, keys=SESSION_CHILD_KEYS)
    make.answer(ids.invitations["child"], {"fit-outcome-child": vas(7, 8, 9, 8), "fit-session-child": session})
    first_sent = datetime.now(UTC) - timedelta(days=2)
    with app.app_context():
        db.session.execute(db.update(Response).values(submitted_at=first_sent))
        db.session.commit()
    make.answer(ids.invitations["child"], {"fit-outcome-child": vas(7, 8, 3, 8), "fit-session-child": session})
    with app.test_request_context():
        latest = db.session.scalar(select(Response).where(Response.superseded_at.is_(None))
                                   .where(Response.instrument_id == "fit-outcome-child"))
        ids.when = {"then": format_datetime(first_sent, "d. MMM yyyy HH:mm"),
                    "now": format_datetime(latest.submitted_at, "d. MMM yyyy HH:mm")}
    return ids


def test_the_round_page_marks_a_changed_answer_and_shows_the_earlier_one(staff, changed):
    shown = squeezed(answers_table(staff.get(f"/rounds/{changed.round}").text, "fit-outcome-child"))
    assert f"Ændret Emma ændrede sine svar {changed.when['now']}" in shown
    assert f"Hvordan går det i skolen? 3,0 Før ændringen {changed.when['then']}: 9,0" in shown
    assert shown.count("Før ændringen") == 1  # only the line that changed
    # The session form was sent again unchanged: no new version, nothing marked.
    assert "Ændret" not in squeezed(answers_table(staff.get(f"/rounds/{changed.round}").text, "fit-session-child"))


def test_the_report_marks_a_changed_answer_and_shows_the_earlier_one(staff, changed):
    text = pdf_text(staff.get(f"/rounds/{changed.round}/report.pdf").data)
    assert f"Ændret Emma ændrede sine svar {changed.when['now']}" in text
    assert f"Før ændringen {changed.when['then']}: 9,0" in text
    page = staff.get(f"/rounds/{changed.round}/summary")
    lines = html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", page.text, re.S).group(1)).splitlines()
    assert f"  Emma ændrede sine svar {changed.when['now']} (tidligere svar: {changed.when['then']})." in lines
    assert "  Hvordan går det i skolen?: Emma: 3,0 (ændret, før 9,0)" in lines
    assert "  Hvordan har jeg det med mig selv?: Emma: 7,0" in lines


def test_a_changed_indicator_scoring_is_marked_on_the_matrix_and_in_the_report(app, make, caseworker, client, staff):
    from flask_babel import format_datetime

    from app.invitations.models import Response
    from tests.test_indicators import scored

    ids = make.indicator_case(caseworker)
    round_id = make.indicator_round(ids)
    client.post(f"/r/{ids.tokens['mother']}/form", data=scored(status="4", goal="3"))
    first_sent = datetime.now(UTC) - timedelta(days=1)
    with app.app_context():
        db.session.execute(db.update(Response).values(submitted_at=first_sent))
        db.session.commit()
    client.post(f"/r/{ids.tokens['mother']}/form", data=scored(status="4", goal="3", health__status="2", health__goal="2"))
    with app.test_request_context():
        then = format_datetime(first_sent, "d. MMM yyyy HH:mm")
    matrix = squeezed(staff.get(f"/rounds/{round_id}/indicators").text)
    assert "Ændret Mette ændrede sine svar" in matrix
    assert f"Status 2 Mål 2 Før ændringen {then}: Status 4, Mål 3" in matrix
    assert matrix.count("Før ændringen") == 1  # only the factor that changed
    text = pdf_text(staff.get(f"/rounds/{round_id}/report.pdf").data)
    assert "Ændret Mette ændrede sine svar" in text and f"Før ændringen {then}: Status 4, Mål 3" in text
    page = staff.get(f"/rounds/{round_id}/summary")
    lines = html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", page.text, re.S).group(1)).splitlines()
    assert any(line.startswith("  Mette ændrede sine svar ") and line.endswith(f"(tidligere svar: {then}).") for line in lines)
    at = lines.index("  Sundhed")
    assert "    Mette (Mor): status 2, mål 2 (ændret, før status 4, mål 3)" in lines[at:at + 4]
