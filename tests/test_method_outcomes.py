"""Method registration that answers the key figures (issue 14 item 3; FIGURES.md K1, K2, K5–K7,
K10; DESIGN.md G): held, offered and not used, or attempted and failed, with a reason from the
organisation's list; first or follow-up; the network's role as an outcome of its own; target
group and case type from the lists, pre-selected from the case's background, never invented."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.cases.models import CaseClosure
from app.extensions import db
from app.registrations.models import MethodRegistration
from app.settings import lists
from tests.factories import selected_option

HELD = {
    "status": "held", "occasion": "first", "method": "network_meeting", "target_group": "vulnerable",
    "case_type": "notification", "child_took_part": "yes", "parents_took_part": "yes", "network_count": "3",
    "professional_count": "2", "plan_coverage": "4", "outcome": "measure",
}
NOT_USED = {
    "status": "not_used", "occasion": "first", "method": "family_group_conference", "target_group": "vulnerable",
    "case_type": "notification", "failure_reason": "family_declined", "outcome": "continues",
    "occurred_on": (date.today() - timedelta(days=3)).isoformat(),
}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))



def _registrations(app) -> list[MethodRegistration]:
    with app.app_context():
        return list(db.session.scalars(select(MethodRegistration).order_by(MethodRegistration.id)))


@pytest.fixture
def emma(make, caseworker):
    return make.emma(caseworker, open_round=False)


def _method(ids) -> str:
    return f"/meetings/{ids.meeting}/method"


def _offer(ids) -> str:
    return f"/cases/{ids.case}/methods/new"


# --- no invented answer; the case's background pre-selects (issue 14 item 3) -----------------


def test_nothing_is_pre_filled_but_what_the_case_says(app, staff, emma):
    form = staff.get(_method(emma)).text
    assert selected_option(form, "target_group") in (None, "") and selected_option(form, "case_type") in (None, "")
    assert "Hvor godt dækker planen formålet med indsatsen? (1–5)" in form
    assert "formålet med mødet" not in form
    staff.post(f"/cases/{emma.case}/background", data={"target_group": "disability", "case_type": "investigation"})
    form = staff.get(_method(emma)).text
    assert (selected_option(form, "target_group"), selected_option(form, "case_type")) == ("disability", "investigation")
    assert selected_option(staff.get(_offer(emma)).text, "target_group") == "disability"


# --- held, first or follow-up, the network's role ---------------------------------------------


def test_a_held_follow_up_meeting_where_the_network_took_a_role(app, staff, emma):
    data = {**HELD, "occasion": "follow_up", "outcome": "network_role",
            "network_role": "Mormor henter Emma fra skole hver dag."}
    assert staff.post(_method(emma), data=data).status_code == 302
    [row] = _registrations(app)
    assert (row.status, row.occasion, row.outcome, row.network_role) == (
        "held", "follow_up", "network_role", "Mormor henter Emma fra skole hver dag.")
    assert (row.case_id, row.failure_reason, row.plan_coverage) == (emma.case, None, 4)
    page = _text(staff.get(f"/meetings/{emma.meeting}/registrations").text)
    assert "Netværket har taget en rolle i stedet for en indsats: Mormor henter Emma" in page
    assert "et opfølgende" in page
    assert "Netværket har taget en rolle i stedet for en indsats" in _text(staff.get(f"/cases/{emma.case}").text)


def test_the_role_is_dropped_when_the_outcome_is_another(app, staff, emma):
    assert staff.post(_method(emma), data={**HELD, "network_role": "Mormor hjælper."}).status_code == 302
    assert _registrations(app)[0].network_role is None


def test_a_failed_meeting_keeps_no_participants(app, staff, emma):
    """Participants and plan coverage only when held (the CHECK constraints say so too)."""
    data = {**HELD, "status": "failed", "failure_reason": "network_declined", "outcome": "continues"}
    assert staff.post(_method(emma), data=data).status_code == 302
    [row] = _registrations(app)
    assert (row.status, row.meeting_id, row.failure_reason) == ("failed", emma.meeting, "network_declined")
    assert (row.child_took_part, row.network_count, row.plan_coverage) == (None, None, None)


# --- offered and not used, with no meeting (FIGURES.md K2) -------------------------------------


def test_a_method_offered_and_not_used_belongs_to_the_case_and_is_corrected_with_history(app, staff, emma):
    form = staff.get(_offer(emma)).text
    assert 'value="held"' not in form  # a held method belongs to its meeting
    assert staff.post(_offer(emma), data={**NOT_USED, "failure_note": "Mor vil tænke over det."}).status_code == 302
    [row] = _registrations(app)
    assert (row.meeting_id, row.case_id, row.status, row.occurred_on) == (
        None, emma.case, "not_used", date.today() - timedelta(days=3))
    assert (row.failure_reason, row.failure_note, row.outcome) == ("family_declined", "Mor vil tænke over det.", "continues")
    page = _text(staff.get(f"/cases/{emma.case}").text)
    assert "Nej, metoden blev tilbudt, men ikke brugt (Familien sagde nej tak)" in page
    url = f"/cases/{emma.case}/methods/{row.id}"
    assert staff.post(url, data={**NOT_USED, "failure_reason": "no_network"}).status_code == 302
    first, second = _registrations(app)
    assert second.corrects_id == first.id and second.failure_reason == "no_network"
    # The corrected one leads to the line's newest; the page shows the history.
    page = _text(staff.get(f"/cases/{emma.case}/methods/{first.id}").text)
    assert "Historik" in page and "Rettet" in page and "Der var ikke noget netværk at samle" in page
    # The same again stores nothing.
    assert staff.post(f"/cases/{emma.case}/methods/{second.id}", data={**NOT_USED, "failure_reason": "no_network"}
                      ).status_code == 302
    assert len(_registrations(app)) == 2


def test_a_registration_of_a_meeting_is_corrected_on_its_meeting(app, staff, emma):
    staff.post(_method(emma), data=HELD)
    [row] = _registrations(app)
    response = staff.get(f"/cases/{emma.case}/methods/{row.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(_method(emma))


@pytest.mark.parametrize("which", ["other-case", "huge", "zero"])
def test_another_cases_registration_is_not_found(app, staff, emma, make, which):
    other = make.emma(make.user("bo", team=make.team("Team Syd")), open_round=False)
    registration = {"other-case": make.method_offered(other.case), "huge": 99999999999, "zero": 0}[which]
    assert staff.get(f"/cases/{emma.case}/methods/{registration}").status_code == 404


# --- bad input (issue 14 "Bad input" and item 3) -------------------------------------------------

# Issue 14: a reason not in the list, a failure without a reason, a network role without text,
# hostile and huge values: a clear message, nothing stored, nothing typed lost, never a 500.
MEETING_BAD = [
    ("no-status", {"status": None}, "Svar, om metoden blev brugt."),
    ("no-occasion", {"occasion": None}, "Svar, om det var det første eller et opfølgende."),
    ("strange-occasion", {"occasion": "third"}, "Vælg en af mulighederne."),
    ("no-target-group", {"target_group": ""}, "Vælg målgruppen."),
    ("target-group-not-in-list", {"target_group": "everyone"}, "Vælg en af mulighederne."),
    ("case-type-huge", {"case_type": "x" * 100_000}, "Vælg en af mulighederne."),
    ("held-no-child", {"child_took_part": None}, "Svar, om barnet deltog."),
    ("held-no-coverage", {"plan_coverage": None}, "Vælg, hvor godt planen dækker formålet."),
    ("held-no-count", {"network_count": ""}, "Skriv et tal, også hvis det er 0."),
    ("failed-no-reason", {"status": "failed", "outcome": "continues"}, "Vælg, hvorfor metoden ikke blev til noget."),
    ("failed-reason-not-in-list", {"status": "failed", "failure_reason": "bored", "outcome": "continues"},
     "Vælg en af mulighederne."),
    ("failed-other-without-words", {"status": "failed", "failure_reason": "other", "failure_note": "  ",
                                    "outcome": "continues"}, "Skriv, hvorfor metoden ikke blev til noget."),
    ("failed-closed", {"status": "failed", "failure_reason": "too_urgent", "outcome": "closed"},
     "Når metoden ikke blev brugt, kan udfaldet kun være"),
    ("role-without-text", {"outcome": "network_role", "network_role": "  "}, "Skriv, hvilken rolle netværket tog på sig."),
    ("role-too-long", {"outcome": "network_role", "network_role": "x" * 301}, "Højst 300 tegn."),
    ("role-cpr", {"outcome": "network_role", "network_role": "Mormor 010203-1234"}, "Skriv ikke CPR-numre i Samstem."),
    ("note-huge", {"status": "failed", "failure_reason": "other", "failure_note": "x" * 100_000,
                   "outcome": "continues"}, "Højst 2000 tegn."),
    ("outcome-hostile", {"outcome": "'; DROP TABLE case; --"}, "Vælg en af mulighederne."),
]


@pytest.mark.parametrize(("change", "message"), [c[1:] for c in MEETING_BAD], ids=[c[0] for c in MEETING_BAD])
def test_method_bad_input(app, staff, emma, change, message):
    data = {k: v for k, v in {**HELD, **change}.items() if v is not None}
    response = staff.post(_method(emma), data=data)
    assert response.status_code == 400 and message in _text(response.text)
    assert _registrations(app) == []
    if "network_role" in change and len(change["network_role"]) < 1000 and change["network_role"].strip():
        assert change["network_role"] in response.text  # nothing typed is lost


OFFER_BAD = [
    ("held-without-meeting", {"status": "held"}, "Vælg en af mulighederne."),
    ("no-reason", {"failure_reason": ""}, "Vælg, hvorfor metoden ikke blev til noget."),
    ("reason-not-in-list", {"failure_reason": "<b>nej</b>"}, "Vælg en af mulighederne."),
    ("no-date", {"occurred_on": ""}, "Skriv datoen som dag, måned og år"),
    ("future", {"occurred_on": (date.today() + timedelta(days=2)).isoformat()}, "Datoen kan ikke ligge i fremtiden."),
    ("closed", {"outcome": "closed"}, "Når metoden ikke blev brugt, kan udfaldet kun være"),
    ("network-role", {"outcome": "network_role", "network_role": "Mormor"}, "Når metoden ikke blev brugt"),
]


@pytest.mark.parametrize(("change", "message"), [c[1:] for c in OFFER_BAD], ids=[c[0] for c in OFFER_BAD])
def test_offer_bad_input(app, staff, emma, change, message):
    response = staff.post(_offer(emma), data={**NOT_USED, **change})
    assert response.status_code == 400 and message in _text(response.text)
    assert _registrations(app) == []


def test_a_reason_taken_out_of_use_is_refused_on_new_input_and_kept_when_correcting(app, staff, emma):
    assert staff.post(_offer(emma), data=NOT_USED).status_code == 302
    with app.test_request_context():
        rows = [{"code": e.code, "labels": e.labels, "active": e.code != "family_declined"}
                for e in lists.entries("method_failure_reason", include_inactive=True)]
        lists.save("method_failure_reason", rows)
        db.session.commit()
    refused = staff.post(_offer(emma), data=NOT_USED)
    assert refused.status_code == 400 and "Vælg en af mulighederne." in _text(refused.text)
    [row] = _registrations(app)
    correcting = f"/cases/{emma.case}/methods/{row.id}"
    assert selected_option(staff.get(correcting).text, "failure_reason") == "family_declined"
    assert staff.post(correcting, data={**NOT_USED, "failure_note": "Mor sagde nej."}).status_code == 302
    assert [r.failure_reason for r in _registrations(app)] == ["family_declined", "family_declined"]


def test_the_database_refuses_what_the_forms_refuse(app, emma):
    """The invariants are CHECK constraints too: participants only when held, a reason only when
    not held, a role with its outcome."""
    from sqlalchemy.exc import IntegrityError

    base = dict(case_id=emma.case, occurred_on=date.today(), method="network_meeting", occasion="first",
                target_group="vulnerable", case_type="notification", registered_by_id=1)
    broken = [
        dict(status="not_used", failure_reason="family_declined", outcome="continues", plan_coverage=3),
        dict(status="not_used", outcome="continues"),
        dict(status="held", meeting_id=emma.meeting, outcome="measure"),
        dict(status="not_used", failure_reason="family_declined", outcome="network_role", network_role="x"),
        dict(status="not_used", failure_reason="family_declined", outcome="measure", network_role="x"),
    ]
    for values in broken:
        with app.app_context():
            db.session.add(MethodRegistration(**base, **values))
            with pytest.raises(IntegrityError):
                db.session.flush()
            db.session.rollback()


# --- re-openings take their reason from the list (issue 14 item 3; FIGURES.md K6) -----------


def _close_and_reopen(staff, case_id, **reopen):
    staff.post(f"/cases/{case_id}/close", data={"closed_on": (date.today() - timedelta(days=2)).isoformat(),
                                                "reason": "moved"})
    return staff.post(f"/cases/{case_id}/reopen", data={"reopened_on": date.today().isoformat(), **reopen})


REOPEN_CASES = [
    # reason sent, status, stored reason
    ("notification", 302, "notification"),
    ("school_worried", 302, "school_worried"),  # an entry the organisation added
    ("plan_failed", 400, None),  # taken out of use by the organisation
    ("everything", 400, None),
    ("x" * 10_000, 400, None),
]


@pytest.mark.parametrize(("reason", "status", "stored"), REOPEN_CASES, ids=["shipped", "added", "out-of-use",
                                                                            "unknown", "huge"])
def test_reopening_reasons_come_from_the_list(app, staff, emma, reason, status, stored):
    with app.test_request_context():
        rows = [{"code": e.code, "labels": e.labels, "active": e.code != "plan_failed"}
                for e in lists.entries("reopen_reason", include_inactive=True)]
        lists.save("reopen_reason", rows + [{"code": "school_worried", "labels": {"da": "Skolen er bekymret"},
                                             "active": True}])
        db.session.commit()
    response = _close_and_reopen(staff, emma.case, reason=reason)
    assert response.status_code == status
    if status == 400:
        assert "Vælg en af mulighederne." in _text(response.text)
    with app.app_context():
        assert db.session.scalar(select(CaseClosure.reopen_reason)) == stored
    if stored == "school_worried":
        assert "Skolen er bekymret" in _text(staff.get(f"/cases/{emma.case}").text)


def test_a_reopening_needs_a_closing(app, staff, emma):
    """Issue 14 item 3: a re-opening always points to the closing it re-opens; an open case has none."""
    response = staff.post(f"/cases/{emma.case}/reopen", data={"reopened_on": date.today().isoformat(),
                                                             "reason": "notification"})
    assert response.status_code == 409 and "Sagen er ikke lukket." in _text(response.text)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CaseClosure)) == 0
