"""The case's background (issue 14 item 1): target group and case type from the organisation's
lists, the child's gender only when the organisation records it; every change kept as a version."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.cases import background
from app.cases.models import BackgroundIsFinal, Case, CaseBackground
from app.extensions import db
from app.settings import lists
from app.settings import services as settings
from app.timestamps import utcnow
from bench.queries import count_queries
from tests.factories import selected_option


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))



def _rows(app) -> list[CaseBackground]:
    with app.app_context():
        return list(db.session.scalars(select(CaseBackground).order_by(CaseBackground.id)))


@pytest.fixture
def emma(make, caseworker):
    return make.emma(caseworker, open_round=False)


def _url(ids) -> str:
    return f"/cases/{ids.case}/background"


def _set(app, key, value):
    with app.test_request_context():
        settings.put(key, value)
        db.session.commit()


def _save_list(app, name, rows):
    with app.test_request_context():
        lists.save(name, rows)
        db.session.commit()


def test_the_background_is_set_shown_and_changed_with_history(app, staff, emma):
    page = _text(staff.get(f"/cases/{emma.case}").text)
    assert "Målgruppe og sagstype er ikke skrevet endnu." in page
    form = staff.get(_url(emma))
    assert form.status_code == 200
    # Issue 14 item 3: no invented answer, nothing is chosen for the case worker.
    assert selected_option(form.text, "target_group") in (None, "") and selected_option(form.text, "case_type") in (None, "")
    assert staff.post(_url(emma), data={"target_group": "vulnerable", "case_type": "notification"}).status_code == 302
    page = _text(staff.get(f"/cases/{emma.case}").text)
    assert "Målgruppe: Udsatte børn og unge · Sagstype: Underretning" in page
    # The same again stores nothing; a change adds a version and keeps the first.
    assert staff.post(_url(emma), data={"target_group": "vulnerable", "case_type": "notification"}).status_code == 302
    assert len(_rows(app)) == 1
    assert staff.post(_url(emma), data={"target_group": "disability", "case_type": "investigation"}).status_code == 302
    first, second = _rows(app)
    assert (first.target_group, second.target_group, second.case_type) == ("vulnerable", "disability", "investigation")
    page = _text(staff.get(f"/cases/{emma.case}").text)
    assert "Børn og unge med funktionsnedsættelse" in page and "ændret 1 gang" in page and "Udsatte børn og unge" in page
    history = _text(staff.get(_url(emma)).text)
    assert "Historik" in history and "Rettet" in history
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "case.background")).all()
    assert [a["changed"] for a in actions] == [["target_group", "case_type", "gender"], ["target_group", "case_type"]]


def test_a_stored_version_is_never_changed(app, staff, emma):
    staff.post(_url(emma), data={"target_group": "vulnerable", "case_type": "notification"})
    with app.app_context():
        row = db.session.scalar(select(CaseBackground))
        row.target_group = "other"
        with pytest.raises(BackgroundIsFinal):
            db.session.flush()


# Issue 14 "Bad input" and item 1: a value not in the list, missing, hostile or huge: a clear
# message, nothing stored, what was chosen kept, never a 500.
BACKGROUND_BAD = [
    ("no-target-group", {"target_group": ""}, "Vælg målgruppen."),
    ("no-case-type", {"case_type": ""}, "Vælg sagstypen."),
    ("not-in-list", {"target_group": "everyone"}, "Vælg en af mulighederne."),
    ("hostile", {"case_type": "<script>alert(1)</script>"}, "Vælg en af mulighederne."),
    ("huge", {"target_group": "x" * 100_000}, "Vælg en af mulighederne."),
    ("taken-out-of-use", {"target_group": "other"}, "Vælg en af mulighederne."),
]


@pytest.mark.parametrize(("change", "message"), [c[1:] for c in BACKGROUND_BAD], ids=[c[0] for c in BACKGROUND_BAD])
def test_background_bad_input(app, staff, emma, change, message):
    _save_list(app, "target_group", [{"code": e, "labels": {}, "active": e != "other"}
                                     for e in ("vulnerable", "disability", "young_adults", "infants", "other")])
    data = {"target_group": "vulnerable", "case_type": "notification", **change}
    response = staff.post(_url(emma), data=data)
    assert response.status_code == 400 and message in _text(response.text)
    assert _rows(app) == []
    if "case_type" not in change:
        assert selected_option(response.text, "case_type") == "notification"  # nothing chosen is lost


def test_a_code_taken_out_of_use_stays_on_the_case_and_can_be_kept(app, staff, emma):
    """Issue 14 item 3: validate new input against the list in use, keep the stored value when correcting."""
    staff.post(_url(emma), data={"target_group": "other", "case_type": "notification"})
    _save_list(app, "target_group", [{"code": e, "labels": {}, "active": e != "other"}
                                     for e in ("vulnerable", "disability", "young_adults", "infants", "other")])
    form = staff.get(_url(emma)).text
    assert selected_option(form, "target_group") == "other" and "Anden målgruppe" in form
    assert staff.post(_url(emma), data={"target_group": "other", "case_type": "investigation"}).status_code == 302
    assert [r.target_group for r in _rows(app)] == ["other", "other"]
    assert "Anden målgruppe" in _text(staff.get(f"/cases/{emma.case}").text)


def test_an_entry_the_organisation_adds_can_be_chosen(app, staff, emma):
    rows = [{"code": e.code, "labels": {}, "active": True} for e in _entries(app, "case_type")]
    _save_list(app, "case_type", rows + [{"code": "school_absence", "labels": {"da": "Skolefravær"}, "active": True}])
    assert staff.post(_url(emma), data={"target_group": "vulnerable", "case_type": "school_absence"}).status_code == 302
    assert "Sagstype: Skolefravær" in _text(staff.get(f"/cases/{emma.case}").text)


def _entries(app, name):
    with app.test_request_context():
        return lists.entries(name, include_inactive=True)


# Issue 14 item 1: the child's gender only when the organisation wants it, and never required.
GENDER_CASES = [
    # record_gender, sent, shown on the form, stored
    (False, {}, False, None),
    (False, {"gender": "girl"}, False, None),  # not asked: a sent value is not stored
    (True, {}, True, None),  # optional
    (True, {"gender": ""}, True, None),
    (True, {"gender": "girl"}, True, "girl"),
]


@pytest.mark.parametrize(("record", "sent", "shown", "stored"), GENDER_CASES,
                         ids=["off", "off-sent", "on-none", "on-blank", "on-girl"])
def test_gender_only_when_the_organisation_records_it(app, staff, emma, record, sent, shown, stored):
    _set(app, "record_gender", record)
    assert ('name="gender"' in staff.get(_url(emma)).text) is shown
    response = staff.post(_url(emma), data={"target_group": "vulnerable", "case_type": "notification", **sent})
    assert response.status_code == 302
    assert [r.gender for r in _rows(app)] == [stored]


def test_a_wrong_gender_is_refused(app, staff, emma):
    _set(app, "record_gender", True)
    response = staff.post(_url(emma), data={"target_group": "vulnerable", "case_type": "notification", "gender": "x"})
    assert response.status_code == 400 and "Vælg en af mulighederne." in _text(response.text)
    assert _rows(app) == []


def test_the_settings_page_switches_gender_on(app, make):
    from tests.factories import login

    make.user("root", role="admin")
    client = app.test_client()
    login(client, "root")
    page = client.get("/admin/settings").text
    assert "Registrér barnets køn i sagens baggrund" in page
    with app.test_request_context():
        assert settings.get("record_gender") is False


def test_the_background_in_force_for_many_cases_in_one_query(app, make, caseworker):
    """For the figures: the version in force now, and at a date, in one statement each."""
    ids = [make.emma(caseworker, open_round=False).case for _ in range(3)]
    with app.test_request_context():
        user = db.session.get(Case, ids[0]).caseworker
        for case_id, group in zip(ids[:2], ("vulnerable", "disability"), strict=True):
            background.set_background(db.session.get(Case, case_id), user, {"target_group": group, "case_type": "notification"})
        db.session.commit()
        before_change = utcnow()
        db.session.execute(db.update(CaseBackground).values(written_at=before_change - timedelta(days=10)))
        db.session.commit()
        background.set_background(db.session.get(Case, ids[0]), user, {"target_group": "infants", "case_type": "notification"})
        db.session.commit()
        db.session.expire_all()
        with count_queries(db.engine) as counted:
            now = background.current_background(ids)
        assert counted.total == 1
        with count_queries(db.engine) as counted:
            then = background.background_at(ids, before_change - timedelta(days=1))
        assert counted.total == 1
        assert {k: v.target_group for k, v in now.items()} == {ids[0]: "infants", ids[1]: "disability"}
        assert {k: v.target_group for k, v in then.items()} == {ids[0]: "vulnerable", ids[1]: "disability"}
        assert background.background_at(ids, before_change - timedelta(days=11)) == {}
        assert background.current_background([]) == {}
        assert db.session.scalar(select(func.count()).select_from(CaseBackground)) == 3
