"""The case report: PDF rendered by WeasyPrint and read back, and the plain-text summary."""

import html
import re
from datetime import date, timedelta

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
