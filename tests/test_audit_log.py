"""The administrator's audit log (issue 12 item 13): only an administrator searches it by person,
case, user, kind and period, pages through it and exports a search as CSV; the search is itself
audited; no entry can be changed or deleted through the application."""

import csv
import io
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, select, update

from app import audit, models  # noqa: F401  (models: every mapper, before the services load)
from app.audit import AuditEvent, AuditIsFinal
from app.audit_log.services import neutralised
from app.auth.models import User
from app.extensions import db
from tests.factories import login

UTC = timezone.utc


def _add(app, action: str, at: datetime, user_id: int | None = None, case_id: int | None = None, /,
         **detail) -> None:
    with app.app_context():
        db.session.add(AuditEvent(action=action, at=at, user_id=user_id, case_id=case_id, detail=detail))
        db.session.commit()


def _marks(text: str) -> list[str]:
    """The seeded entries a page shows, in its order (each carries detail mark: eN)."""
    return re.findall(r"mark: (e\d+)", text)


@pytest.fixture
def admin(client, make):
    make.user("admin", role="admin", name="Ada Administrator")
    assert login(client, "admin").status_code == 302
    return client


@pytest.fixture
def log(app, make):
    """Two teams' cases and six entries on known days (Danish time is UTC+1 in March)."""
    anne = make.user("anne", team=make.team("Team Nord"))
    bo = make.user("bo", team=make.team("Team Syd"), name="Bo Rådgiver")
    a, b = make.emma(anne, open_round=False), make.emma(bo, open_round=False)
    day = datetime(2024, 3, 1, 8, tzinfo=UTC)
    _add(app, "login", day, anne, mark="e1")
    _add(app, "case.view", day + timedelta(hours=1), anne, a.case, mark="e2")
    _add(app, "case.view", day + timedelta(days=1), anne, a.case, person_id=a.people["mother"], mark="e3")
    _add(app, "person.save", day + timedelta(days=2), bo, b.case, person_id=b.people["mother"], mark="e4")
    _add(app, "login.failed", day + timedelta(days=3), None, user=anne, mark="e5")
    # 23:30 UTC on 4 March is 00:30 on 5 March in Denmark.
    _add(app, "case.view", datetime(2024, 3, 4, 23, 30, tzinfo=UTC), bo, b.case, mark="e6")
    return {"anne": anne, "bo": bo, "a": a, "b": b}


# --- who may read it --------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["caseworker", "team_leader", "leader"])
@pytest.mark.parametrize("url", ["/admin/audit", "/admin/audit/export"])
def test_every_role_but_the_administrator_is_refused(app, client, make, role, url):
    # Issue 12 item 13: an administrator, and only they.
    make.user("someone", role=role, team=make.team() if role != "leader" else None)
    login(client, "someone")
    response = client.get(url)
    assert response.status_code == 403 and "Du har ikke adgang til denne side." in response.text


@pytest.mark.parametrize("url", ["/admin/audit", "/admin/audit/export"])
def test_an_anonymous_visitor_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_administrator_finds_the_log_where_they_land(admin):
    page = admin.get("/")
    assert 'href="/admin/audit"' in page.text
    assert admin.get("/admin/audit").status_code == 200


# --- searching ------------------------------------------------------------------------------

def _filters(log) -> list[tuple[dict, list[str]]]:
    a, b = log["a"], log["b"]
    # Issue 12 item 13: search by person, case, user, kind and period, newest first.
    return [
        ({}, ["e6", "e5", "e4", "e3", "e2", "e1"]),
        # Person: entries naming them, and every entry on their case (the page says so).
        ({"person": a.people["mother"]}, ["e3", "e2"]),
        ({"person": b.people["child"]}, ["e6", "e4"]),
        ({"case": a.case}, ["e3", "e2"]),
        # User: what they did, and failed logins to their user name.
        ({"user": log["anne"]}, ["e5", "e3", "e2", "e1"]),
        ({"user": log["bo"]}, ["e6", "e4"]),
        ({"action": "case.view"}, ["e6", "e3", "e2"]),
        ({"action": "login.failed"}, ["e5"]),
        # Period: both days included, in Danish time.
        ({"from_date": "2024-03-02", "to_date": "2024-03-04"}, ["e5", "e4", "e3"]),
        ({"from_date": "2024-03-05"}, ["e6"]),
        ({"to_date": "2024-03-01"}, ["e2", "e1"]),
        ({"user": log["bo"], "action": "case.view", "case": b.case}, ["e6"]),
    ]


def test_each_filter_finds_its_entries_newest_first(admin, log):
    for args, expected in _filters(log):
        response = admin.get("/admin/audit", query_string=args)
        assert response.status_code == 200, args
        assert _marks(response.text) == expected, args


def test_the_page_says_what_the_person_filter_matches(admin, log):
    page = admin.get("/admin/audit").text
    assert "Viser det, der nævner personen, og alt på personens sag" in page


def test_actions_have_plain_danish_names_and_an_unknown_one_is_shown_as_is(app, admin, log):
    _add(app, "something.new", datetime(2024, 3, 6, tzinfo=UTC), mark="e7")
    page = admin.get("/admin/audit").text
    for label in ("Så sagen", "Loggede ind", "Forkert login", "Gemte en person", "something.new"):
        assert label in page
    assert "Anne Rådgiver" in page and "Bo Rådgiver" in page


def test_the_search_is_itself_audited(app, admin, log):
    assert admin.get("/admin/audit", query_string={"case": log["a"].case, "from_date": "2024-03-01"}).status_code == 200
    assert admin.get("/admin/audit/export", query_string={"action": "login"}).status_code == 200
    with app.app_context():
        admin_id = db.session.scalar(select(User.id).where(User.username == "admin"))
        entries = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("audit.%"))
                                     .order_by(AuditEvent.id)).all()
        assert [(e.action, e.user_id, e.detail) for e in entries] == [
            ("audit.search", admin_id, {"search": {"case_id": log["a"].case, "from_date": "2024-03-01"}, "page": 1}),
            ("audit.export", admin_id, {"search": {"action": "login"}}),
        ]
    assert "Søgte i auditloggen" in admin.get("/admin/audit").text


# --- paging ---------------------------------------------------------------------------------

@pytest.fixture
def many(app, make):
    """120 logins, two per minute, so paging must break ties by order of writing."""
    user = make.user("anne", team=make.team())
    with app.app_context():
        start = datetime(2024, 5, 1, 8, tzinfo=UTC)
        db.session.add_all(AuditEvent(action="login", user_id=user, at=start + timedelta(minutes=n // 2),
                                      detail={"mark": f"e{n}"}) for n in range(120))
        db.session.commit()
    return {"action": "login", "user": user}


def test_paging_through_the_log_shows_every_entry_once_newest_first(admin, many):
    seen = []
    for number in (1, 2, 3):
        page = admin.get("/admin/audit", query_string={**many, "page": number}).text
        assert f"Side {number} af 3" in page
        assert len(_marks(page)) == (50 if number < 3 else 20)  # 50 a page
        seen += _marks(page)
    assert seen == [f"e{n}" for n in range(119, -1, -1)]
    first = admin.get("/admin/audit", query_string=many).text
    assert _marks(first)[:2] == ["e119", "e118"] and "Ældre" in first and "page=2" in first


@pytest.mark.parametrize("number, message", [
    ("4", "Søgningen fylder 3 sider. Vælg en side fra 1 til 3."),
    ("99999999999999999999", "Søgningen fylder 3 sider. Vælg en side fra 1 til 3."),
    ("0", "Sidetallet skal være 1 eller mere."),
    ("-2", "Sidetallet skal være 1 eller mere."),
    ("to", "Skriv et helt tal."),
])
def test_a_page_that_does_not_exist_gets_a_clear_message(admin, many, number, message):
    # Issue 12 item 13: huge page numbers give a clear message, never a 500.
    response = admin.get("/admin/audit", query_string={**many, "page": number})
    assert response.status_code == 400 and message in response.text


# --- bad input ------------------------------------------------------------------------------

BAD = [
    # Issue 12 item 13 and the common rule: bad input gets a clear message, never a 500.
    ({"person": "abc"}, "Skriv et helt tal."),
    ({"person": "999999"}, "Samstem har ingen person med nummer 999999."),
    ({"case": "-1"}, "Samstem har ingen sag med nummer -1."),
    ({"case": "99999999999999999999"}, "Samstem har ingen sag med nummer 99999999999999999999."),
    ({"case": "1; DROP TABLE audit_event"}, "Skriv et helt tal."),
    ({"user": "999999"}, "Vælg en af mulighederne."),
    ({"action": "<script>alert(1)</script>"}, "Vælg en af mulighederne."),
    ({"from_date": "2024-13-01"}, "Skriv datoen som dag, måned og år, fx 14-03-2026."),
    ({"from_date": "1. marts"}, "Skriv datoen som dag, måned og år, fx 14-03-2026."),
    ({"from_date": "0001-01-01"}, "Vælg en dato mellem år 2000 og 2999."),
    ({"to_date": "9999-12-31"}, "Vælg en dato mellem år 2000 og 2999."),
    ({"from_date": "2024-03-05", "to_date": "2024-03-01"}, "Til-datoen ligger før fra-datoen."),
    ({"person": "5\x00"}, "Skriv et helt tal."),
]


@pytest.mark.parametrize("url", ["/admin/audit", "/admin/audit/export"])
@pytest.mark.parametrize("args, message", BAD)
def test_bad_input_gets_a_clear_message(app, admin, log, url, args, message):
    response = admin.get(url, query_string=args)
    assert response.status_code == 400, args
    assert message in response.text
    assert "<script>alert" not in response.text
    with app.app_context():  # a refused search read nothing, so it leaves no entry
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action.like("audit.%"))) is None


def test_the_search_typed_is_kept_when_it_is_refused(admin, log):
    page = admin.get("/admin/audit", query_string={"from_date": "2024-03-05", "to_date": "2024-03-01"}).text
    assert 'value="2024-03-05"' in page and 'value="2024-03-01"' in page


# --- the CSV export --------------------------------------------------------------------------

def _csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())  # a byte order mark: Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_the_export_holds_the_whole_search_for_danish_excel(admin, many):
    response = admin.get("/admin/audit/export", query_string=many)
    assert response.status_code == 200
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = _csv(response)
    assert rows[0] == ["Tidspunkt", "Medarbejder", "Brugernavn", "Handling", "Kode", "Sag", "Detaljer", "Adresse"]
    assert len(rows) == 1 + 120  # every entry, not a page of them
    assert rows[1][:5] == ["2024-05-01 10:59:00", "Anne Rådgiver", "anne", "Loggede ind", "login"]
    assert rows[1][6] == '{"mark": "e119"}' and rows[-1][6] == '{"mark": "e0"}'
    assert b";" in response.get_data().splitlines()[0]


# OWASP "CSV injection": a cell a spreadsheet would run as a formula begins with =, +, -, @, tab
# or carriage return; issue 12 item 13 says such a cell gets an apostrophe in front.
FORMULAS = [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1+1", "'+1+1"),
    ("-1+1", "'-1+1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"),
    ("\rcmd", "'\rcmd"),
    ("Anne Rådgiver", "Anne Rådgiver"),
    ("1+1", "1+1"),
    ("", ""),
]


@pytest.mark.parametrize("cell, written", FORMULAS)
def test_no_cell_becomes_a_formula(cell, written):
    assert neutralised(cell) == written


def test_a_hostile_name_in_the_log_reaches_excel_as_text(app, admin, make):
    make.user("evil", name="=cmd|' /C calc'!A0", team=make.team())
    with app.app_context():
        evil = db.session.scalar(select(User.id).where(User.username == "evil"))
    _add(app, "-rm", datetime(2024, 3, 1, tzinfo=UTC), evil, note="@SUM(1)")
    rows = _csv(admin.get("/admin/audit/export", query_string={"user": evil}))
    assert rows[1][1:5] == ["'=cmd|' /C calc'!A0", "evil", "'-rm", "'-rm"]
    assert rows[1][6] == '{"note": "@SUM(1)"}'


# --- append-only --------------------------------------------------------------------------------

def _change(kind: str) -> None:
    """Try to change or delete the one stored entry through the ORM."""
    event = db.session.scalar(select(AuditEvent))
    if kind == "edit":
        event.detail = {"person_id": 1}
        db.session.flush()
    elif kind == "reassign":
        event.user_id = None
        db.session.flush()
    elif kind == "delete":
        db.session.delete(event)
        db.session.flush()
    elif kind == "bulk update":
        db.session.execute(update(AuditEvent).values(action="login"))
    elif kind == "bulk delete":
        db.session.execute(delete(AuditEvent))


@pytest.mark.parametrize("kind", ["edit", "reassign", "delete", "bulk update", "bulk delete"])
def test_an_audit_entry_cannot_be_changed_or_deleted(app, caseworker, backend, kind):
    # Issue 12 item 13 / DESIGN.md §3: the audit log is append-only (on SQLite and PostgreSQL).
    _add(app, "case.view", datetime(2024, 3, 1, tzinfo=UTC), caseworker)
    with app.app_context():
        with pytest.raises(AuditIsFinal):
            _change(kind)
        db.session.rollback()
        event = db.session.scalar(select(AuditEvent))
        assert (event.action, event.user_id, event.detail) == ("case.view", caseworker, {})


def test_only_the_retention_purge_may_change_entries(app, caseworker, backend):
    # The hook issue 12 item 15's purge will use; nothing else opens it.
    _add(app, "case.view", datetime(2024, 3, 1, tzinfo=UTC), caseworker, person_id=7)
    with app.app_context():
        with audit.purging():
            db.session.scalar(select(AuditEvent)).detail = {}
            db.session.flush()
        db.session.commit()
        assert db.session.scalar(select(AuditEvent)).detail == {}
        with pytest.raises(AuditIsFinal):
            _change("delete")
        db.session.rollback()


def test_an_entry_shows_the_address_it_came_from(app, admin, caseworker):
    """Issue 12 item 12: who, what, when, and the client address."""
    app.test_client().post("/login", data={"username": "anne", "password": "wrong"},
                           environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert "10.9.8.7" in admin.get("/admin/audit", query_string={"action": "login.failed"}).text
    rows = _csv(admin.get("/admin/audit/export", query_string={"action": "login.failed"}))
    assert rows[1][7] == "10.9.8.7"
