""""Journaliseret i fagsystemet" (issue 12 item 15; DESIGN.md section 3): each decision is marked
as filed in the case system, with the day and by whom, from where the decision is shown; audited."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.extensions import db
from app.reconcile.models import DecisionFiling
from tests.factories import login
from tests.qr import pdf_pages_text

TODAY = date.today()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def decided(make, caseworker):
    ids = make.emma(caseworker)
    ids.decision = make.decide_round(ids.round)
    return ids


def _filings(app) -> list[DecisionFiling]:
    with app.app_context():
        return list(db.session.scalars(select(DecisionFiling)))


def _file(client, decision_id: int, **data):
    return client.post(f"/decisions/{decision_id}/filed", data={"filed_on": TODAY.isoformat(), **data})


def test_a_decision_is_marked_as_filed_from_the_round_page_with_day_and_who(app, staff, decided):
    page = staff.get(f"/rounds/{decided.round}/reconcile").text
    assert f'action="/decisions/{decided.decision}/filed"' in page and "Journaliseret i fagsystemet" in page
    response = _file(staff, decided.decision, back=f"/rounds/{decided.round}/reconcile")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/rounds/{decided.round}/reconcile")
    page = _text(staff.get(f"/rounds/{decided.round}/reconcile").text)
    assert f"Journaliseret i fagsystemet den {TODAY.day}." in page and "af Anne Rådgiver" in page
    assert f'action="/decisions/{decided.decision}/filed"' not in page
    [filing] = _filings(app)
    assert (filing.filed_on, filing.decision_id) == (TODAY, decided.decision)
    with app.app_context():
        entry = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "decision.file"))
        assert entry.case_id == decided.case and entry.detail == {"decision_id": decided.decision,
                                                                  "filed_on": TODAY.isoformat()}


def test_marking_again_keeps_the_first(app, staff, decided):
    _file(staff, decided.decision, filed_on=(TODAY - timedelta(days=0)).isoformat())
    again = _file(staff, decided.decision, filed_on=TODAY.isoformat(), back="/due")
    assert again.status_code == 302
    assert len(_filings(app)) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "decision.file")) == 1


# Bad input gets the form back with a clear message (the common brief), nothing stored.
FILING_BAD = [
    ("future", {"filed_on": (TODAY + timedelta(days=1)).isoformat()}, "Datoen kan ikke ligge i fremtiden."),
    ("no-date", {"filed_on": ""}, "Skriv datoen som dag, måned og år, fx 14-03-2026."),
    ("garbage", {"filed_on": "i går"}, "Skriv datoen som dag, måned og år, fx 14-03-2026."),
    ("before-the-decision", {"filed_on": (TODAY - timedelta(days=3)).isoformat()},
     "Beslutningen kan ikke være journaliseret før den"),
]


@pytest.mark.parametrize(("data", "message"), [c[1:] for c in FILING_BAD], ids=[c[0] for c in FILING_BAD])
def test_filing_bad_input(app, staff, decided, data, message):
    response = _file(staff, decided.decision, **data)
    assert response.status_code == 400 and message in _text(response.text)
    assert _filings(app) == []


@pytest.mark.parametrize("back", ["//evil.example/x", "https://evil.example/", "/\\evil.example", ""])
def test_going_back_stays_on_this_site(staff, decided, back):
    response = _file(staff, decided.decision, back=back)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/{decided.case}/reconcile")


def test_other_teams_cannot_mark_a_decision(app, make, decided):
    make.user("stranger", team=make.team("Team Vest"))
    client = app.test_client()
    login(client, "stranger")
    assert _file(client, decided.decision).status_code == 403
    assert client.get(f"/decisions/{decided.decision}/filed").status_code == 403
    assert _file(client, 99999999).status_code == 404
    assert _filings(app) == []


def test_the_report_pdf_carries_no_button(staff, decided):
    text = " ".join(pdf_pages_text(staff.get(f"/rounds/{decided.round}/report.pdf").data))
    assert "Planen virker." in text and "Journaliseret den" not in text


def test_an_older_decision_still_to_file_is_shown_where_the_due_list_leads(app, staff, make, decided):
    for month in range(1, 7):  # six newer decisions push the first out of the newest five
        make.decide_round(make.earlier_round(decided, TODAY - timedelta(days=month), {}))
    for decision in range(decided.decision + 1, decided.decision + 7):
        _file(staff, decision)
    page = staff.get(f"/cases/{decided.case}/reconcile").text
    assert f'action="/decisions/{decided.decision}/filed"' in page
