"""Closing and re-opening a case (issue 12 item 14; DESIGN.md G; FIGURES.md K5-K6).

The case's closing is the one record of whether, since when and why it is closed: its open
links are revoked, it leaves the due list (but for decisions still to file), the method
registration's outcome "closed" points to it, and the history of closings and re-openings stays.
"""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.audit import AuditEvent
from app.cases.models import CaseClosure, ClosureIsFinal
from app.extensions import db
from app.invitations.models import Invitation, Round
from app.observations.models import ObservationLink
from app.registrations.models import MethodRegistration
from app.timestamps import utcnow
from tests.factories import login, vas

TODAY = date.today()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _closings(app) -> list[CaseClosure]:
    with app.app_context():
        return list(db.session.scalars(select(CaseClosure).order_by(CaseClosure.id)))


def _actions(app, case_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.case_id == case_id)
                                       .order_by(AuditEvent.id)))


def _close(staff, case_id, **data):
    return staff.post(f"/cases/{case_id}/close", data={"closed_on": TODAY.isoformat(), "reason": "moved", **data})


def _reopen(staff, case_id, **data):
    return staff.post(f"/cases/{case_id}/reopen",
                      data={"reopened_on": TODAY.isoformat(), "reason": "notification", **data})


@pytest.fixture
def emma(make, caseworker):
    """Emma's case with an open round (every invitation a working link) after a network meeting."""
    return make.emma(caseworker)


# --- the flow and its history ----------------------------------------------------------------


def test_a_case_is_closed_and_reopened_from_its_page_and_the_history_stays(app, staff, emma):
    page = staff.get(f"/cases/{emma.case}")
    assert "Luk sagen" in page.text and "Genåbn" not in _text(page.text)
    assert staff.get(f"/cases/{emma.case}/close").status_code == 200
    assert _close(staff, emma.case, closed_on=(TODAY - timedelta(days=2)).isoformat()).status_code == 302
    closed = _text(staff.get(f"/cases/{emma.case}").text)
    when = f"{(TODAY - timedelta(days=2)).day}."
    assert f"Lukket den {when}" in closed and "(familien er flyttet til en anden kommune)" in closed
    assert "Genåbn" in closed and "Luk sagen" not in closed
    assert _reopen(staff, emma.case, reason="other", note="Mor ringede.").status_code == 302
    assert _close(staff, emma.case, reason="measure_ended").status_code == 302
    assert _reopen(staff, emma.case, note="Ny underretning fra skolen.").status_code == 302
    first, second = _closings(app)
    assert (first.reason, first.reopen_reason, first.reopen_note) == ("moved", "other", "Mor ringede.")
    assert (second.reason, second.reopen_reason, second.reopen_note) == (
        "measure_ended", "notification", "Ny underretning fra skolen.")
    page = _text(staff.get(f"/cases/{emma.case}").text)
    assert "Lukninger og genåbninger" in page and "Mor ringede." in page and "Ny underretning fra skolen." in page
    assert "Indsatsen er slut" in page and "Familien er flyttet til en anden kommune" in page
    assert "Luk sagen" in page and "Lukket den" in page  # open again: the history still says it was closed
    assert _actions(app, emma.case).count("case.close") == 2 and _actions(app, emma.case).count("case.reopen") == 2


def test_a_double_click_closes_and_reopens_once(app, staff, emma):
    assert _close(staff, emma.case).status_code == 302
    assert _close(staff, emma.case).status_code == 302  # the same again: the same closing
    assert len(_closings(app)) == 1
    other = _close(staff, emma.case, reason="aged_out")
    assert other.status_code == 409 and "Sagen er allerede lukket." in other.text
    assert _reopen(staff, emma.case).status_code == 302
    assert _reopen(staff, emma.case).status_code == 302  # a double click
    refused = _reopen(staff, emma.case, reason="family_asked")
    assert refused.status_code == 409 and "Sagen er ikke lukket." in refused.text
    assert len(_closings(app)) == 1 and _actions(app, emma.case).count("case.reopen") == 1


def test_the_database_holds_one_closing_in_force_per_case_and_keeps_it_as_written(app, emma, caseworker):
    with app.app_context():
        db.session.add(CaseClosure(case_id=emma.case, closed_on=TODAY, reason="moved", closed_by_id=caseworker))
        db.session.commit()
        db.session.add(CaseClosure(case_id=emma.case, closed_on=TODAY, reason="other", closed_by_id=caseworker))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        closing = db.session.scalar(select(CaseClosure))
        closing.reason = "other"
        with pytest.raises(ClosureIsFinal):
            db.session.flush()
        db.session.rollback()
        closing = db.session.scalar(select(CaseClosure))
        closing.reopened_on, closing.reopen_reason, closing.reopened_by_id = TODAY, "other", caseworker
        db.session.commit()  # the re-opening is written once ...
        closing.reopened_on = TODAY - timedelta(days=1)
        with pytest.raises(ClosureIsFinal):  # ... and then kept
            db.session.flush()


def test_opening_an_open_case_or_closing_a_closed_one_leads_back_to_the_case(staff, emma):
    assert staff.get(f"/cases/{emma.case}/reopen").status_code == 302
    assert _reopen(staff, emma.case).status_code == 409
    _close(staff, emma.case)
    assert staff.get(f"/cases/{emma.case}/close").status_code == 302
    assert staff.get(f"/cases/{emma.case}/reopen").status_code == 200


# Issue 12 item 14: date and reason from a list; bad input gets the form back with a clear message.
CLOSE_BAD = [
    ("future", {"closed_on": (TODAY + timedelta(days=1)).isoformat()}, "Datoen kan ikke ligge i fremtiden."),
    ("no-date", {"closed_on": ""}, "Skriv datoen som dag, måned og år, fx 14-03-2026."),
    ("bad-date", {"closed_on": "2026-02-30"}, "Skriv datoen som dag, måned og år, fx 14-03-2026."),
    ("no-reason", {"reason": ""}, "Vælg, hvorfor sagen lukkes."),
    ("unknown-reason", {"reason": "not_recorded"}, "Vælg en af mulighederne."),
    ("other-without-words", {"reason": "other", "note": "  "}, "Skriv, hvorfor sagen lukkes."),
    ("no-measure-without-meeting", {"reason": "closed_no_measure"}, "Vælg det møde, sagen blev lukket efter."),
    ("no-measure-strange-meeting", {"reason": "closed_no_measure", "meeting": "99999"}, "Vælg en af mulighederne."),
    ("long-note", {"note": "x" * 2001}, "Højst 2000 tegn."),
    ("cpr", {"note": "Barnet 010203-1234"}, "Skriv ikke CPR-numre i Samstem."),
]


@pytest.mark.parametrize(("data", "message"), [c[1:] for c in CLOSE_BAD], ids=[c[0] for c in CLOSE_BAD])
def test_closing_bad_input(app, staff, emma, data, message):
    response = _close(staff, emma.case, **data)
    assert response.status_code == 400 and message in _text(response.text)
    assert "x" * 2001 in response.text if data.get("note") == "x" * 2001 else True  # nothing typed is lost
    assert _closings(app) == []


REOPEN_BAD = [
    ("future", {"reopened_on": (TODAY + timedelta(days=1)).isoformat()}, "Datoen kan ikke ligge i fremtiden."),
    ("no-date", {"reopened_on": ""}, "Skriv datoen som dag, måned og år, fx 14-03-2026."),
    ("bad-date", {"reopened_on": "2026-02-30"}, "Skriv datoen som dag, måned og år, fx 14-03-2026."),
    ("no-reason", {"reason": "  "}, "Vælg en af mulighederne."),
    ("other-without-words", {"reason": "other", "note": "  "}, "Skriv, hvorfor sagen blev genåbnet."),
    ("nul", {"reason": "other", "note": "\x00"}, "Skriv, hvorfor sagen blev genåbnet."),
    ("long-note", {"note": "x" * 2001}, "Højst 2000 tegn."),
]


@pytest.mark.parametrize(("data", "message"), [c[1:] for c in REOPEN_BAD], ids=[c[0] for c in REOPEN_BAD])
def test_reopening_bad_input(app, staff, emma, data, message):
    _close(staff, emma.case, closed_on=(TODAY - timedelta(days=5)).isoformat())
    response = _reopen(staff, emma.case, **data)
    assert response.status_code == 400 and message in _text(response.text)
    assert _closings(app)[0].reopened_on is None


def test_a_case_is_not_closed_after_a_meeting_held_later(app, staff, emma):
    response = _close(staff, emma.case, reason="closed_no_measure", meeting=str(emma.meeting),
                      closed_on=(TODAY - timedelta(days=1)).isoformat())
    assert response.status_code == 409 and "Sagen kan ikke være lukket efter et møde, der blev holdt senere" in response.text
    assert _closings(app) == []


def test_a_case_is_not_reopened_before_it_was_closed(app, staff, emma):
    _close(staff, emma.case)
    response = _reopen(staff, emma.case, reopened_on=(TODAY - timedelta(days=1)).isoformat())
    assert response.status_code == 409 and "Sagen kan ikke genåbnes før den dag, den blev lukket" in response.text
    assert _closings(app)[0].reopened_on is None


def test_other_teams_cannot_close_or_reopen(app, staff, emma, make):
    make.user("stranger", team=make.team("Team Vest"))
    client = app.test_client()
    login(client, "stranger")
    assert _close(client, emma.case).status_code == 403
    _close(staff, emma.case)
    assert _reopen(client, emma.case).status_code == 403
    assert _closings(app)[0].reopened_on is None


# --- what closing does --------------------------------------------------------------------------


def test_closing_revokes_the_links_still_open_and_they_stop_working(app, staff, emma, make):
    link_id, observe_token = make.observation_link(emma.case, emma.people["network"])
    make.answer(emma.invitations["mother"], {"fit-outcome-child": vas(7, 6, 5, 6)})
    with app.app_context():  # a link that ran out earlier is not revoked: it was not open
        expired = db.session.get(Invitation, emma.invitations["father"])
        expired.expires_at = utcnow() - timedelta(days=1)
        db.session.commit()
    assert staff.get(f"/r/{emma.tokens['child']}").status_code == 200
    assert _close(staff, emma.case).status_code == 302
    with app.app_context():
        invitations = {i.id: i for i in db.session.scalars(select(Invitation))}
        assert invitations[emma.invitations["father"]].revoked_at is None
        assert all(i.revoked_at is not None for key, i in invitations.items() if key != emma.invitations["father"])
        assert db.session.get(ObservationLink, link_id).revoked_at is not None
    visitor = app.test_client()
    for token in (emma.tokens["child"], emma.tokens["mother"]):  # answered or not, the link is closed
        assert visitor.get(f"/r/{token}").status_code == 404
    assert visitor.get(f"/o/{observe_token}").status_code == 410
    actions = _actions(app, emma.case)
    assert actions.count("invitation.revoke") == len(invitations) - 1 and "observation_link.revoke" in actions
    with app.app_context():
        close = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.close"))
        assert close.detail["invitations_revoked"] == len(invitations) - 1
        assert close.detail["observation_links_revoked"] == 1


def _due_rows(staff) -> list[str]:
    html = staff.get("/due").text
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return [" ".join(row.split()) for row in body.split("</tr>") if "<td>" in row]


def test_a_closed_case_leaves_the_due_list_but_for_its_decisions_to_file(app, staff, emma, make):
    make.answer(emma.invitations["child"], {"fit-outcome-child": vas(7, 6, 5, 6)})
    earlier = make.earlier_round(emma, TODAY - timedelta(days=40), {})
    decision = make.decide_round(earlier)
    rows = _due_rows(staff)
    assert any("Tag stilling til nye svar" in row for row in rows)
    assert any("Journalisér i fagsystemet" in row for row in rows)
    _close(staff, emma.case)
    rows = _due_rows(staff)
    assert len(rows) == 1 and "Journalisér i fagsystemet" in rows[0] and "Emma" in rows[0]
    staff.post(f"/decisions/{decision}/filed", data={"filed_on": TODAY.isoformat()})
    assert _due_rows(staff) == []
    _reopen(staff, emma.case)
    assert any("Tag stilling til nye svar" in row for row in _due_rows(staff))


# --- the method registration points to the closing (DESIGN.md G, FIGURES.md K5) ----------------

METHOD = {
    "status": "held", "occasion": "first",
    "method": "network_meeting", "target_group": "vulnerable", "case_type": "notification",
    "child_took_part": "yes", "parents_took_part": "yes", "network_count": "3", "professional_count": "2",
    "plan_coverage": "4", "outcome": "closed",
}


def _registrations(app) -> list[MethodRegistration]:
    with app.app_context():
        return list(db.session.scalars(select(MethodRegistration).order_by(MethodRegistration.id)))


def test_registering_closed_without_further_measure_closes_the_case_and_points_to_the_closing(app, staff, emma):
    assert staff.post(f"/meetings/{emma.meeting}/method", data=METHOD).status_code == 302
    [closing] = _closings(app)
    assert (closing.reason, closing.meeting_id, closing.closed_on) == ("closed_no_measure", emma.meeting, TODAY)
    assert _registrations(app)[0].closure_id == closing.id
    page = _text(staff.get(f"/cases/{emma.case}").text)
    assert "Lukket den" in page and "(uden yderligere indsats efter familierådslagning eller netværksmøde: " \
                                     "netværksmøde" in page
    with app.app_context():
        assert all(i.revoked_at is not None for i in db.session.scalars(select(Invitation)))
    # A correction of another answer keeps pointing to the same closing, even after a re-opening.
    _reopen(staff, emma.case)
    assert staff.post(f"/meetings/{emma.meeting}/method", data={**METHOD, "network_count": "4"}).status_code == 302
    assert len(_closings(app)) == 1 and _registrations(app)[1].closure_id == closing.id
    assert _closings(app)[0].reopened_on == TODAY  # not closed again


def test_a_case_already_closed_is_not_closed_twice_by_a_registration(app, staff, emma):
    _close(staff, emma.case, reason="other", note="Familien takkede nej.")
    assert staff.post(f"/meetings/{emma.meeting}/method", data=METHOD).status_code == 302
    [closing] = _closings(app)
    assert closing.reason == "other" and _registrations(app)[0].closure_id == closing.id


def test_correcting_the_outcome_away_from_closed_leaves_the_case_closed_and_says_so(app, staff, emma):
    staff.post(f"/meetings/{emma.meeting}/method", data=METHOD)
    response = staff.post(f"/meetings/{emma.meeting}/method", data={**METHOD, "outcome": "measure"},
                          follow_redirects=True)
    assert "Sagen er stadig lukket." in response.text
    first, second = _registrations(app)
    assert first.closure_id is not None and second.closure_id is None
    assert _closings(app)[0].reopened_on is None


def test_closed_after_a_meeting_not_held_yet_is_refused_with_a_message(app, staff, emma, make):
    planned = make.earlier_round(emma, TODAY + timedelta(days=3), {}, kind="family_group_conference")
    with app.app_context():
        meeting = db.session.get(Round, planned).meeting_id
    response = staff.post(f"/meetings/{meeting}/method", data={**METHOD, "method": "family_group_conference"})
    assert response.status_code == 409 and "blev holdt senere" in response.text
    assert _closings(app) == [] and _registrations(app) == []


def test_a_registration_with_another_outcome_cannot_point_to_a_closing(app, staff, emma):
    staff.post(f"/meetings/{emma.meeting}/method", data=METHOD)
    with app.app_context():
        with pytest.raises(IntegrityError):
            db.session.execute(MethodRegistration.__table__.update().values(outcome="measure"))


def test_closings_count_by_reason(app, staff, emma, make, caseworker):
    """FIGURES.md K5-K6 count from the closings: closed without further measure after which
    meeting, and re-opened by reason."""
    staff.post(f"/meetings/{emma.meeting}/method", data=METHOD)
    _reopen(staff, emma.case, reason="plan_failed")
    other = make.emma(caseworker, open_round=False)
    _close(staff, other.case, reason="closed_no_measure", meeting=str(other.meeting))
    with app.app_context():
        counts = dict(db.session.execute(
            select(CaseClosure.reopen_reason, func.count()).where(CaseClosure.reason == "closed_no_measure",
                                                                 CaseClosure.meeting_id.is_not(None))
            .group_by(CaseClosure.reopen_reason)).all())
    assert counts == {"plan_failed": 1, None: 1}


# --- nobody is asked about a closed case -------------------------------------------------------

CLOSED = "Sagen er lukket, så der kan ikke laves nye links til den."


def _new_links(staff, emma):
    """Each way a case worker makes a new link: a round, a new personal link, an observation link."""
    return {
        "round": lambda: staff.post(f"/meetings/{emma.meeting}/feedback",
                                    data={f"person_{emma.people['mother']}": ["fit-outcome"]}),
        "reissue": lambda: staff.post(f"/invitations/{emma.invitations['mother']}/reissue", data={"confirm": "yes"}),
        "observation_link": lambda: staff.post(f"/cases/{emma.case}/observation-links/new",
                                               data={"person": emma.people["mother"]}),
    }


@pytest.mark.parametrize("way", ["round", "reissue", "observation_link"])
def test_no_new_link_is_made_for_a_closed_case_until_it_is_reopened(app, staff, emma, way):
    """Closing revokes the links (issue 12 item 14); a new one made afterwards would ask a family
    about a case that is closed, so it is refused with a way back until the case is re-opened."""
    assert _close(staff, emma.case).status_code == 302
    with app.app_context():
        before = (db.session.scalar(select(func.count(Round.id))), db.session.scalar(select(func.count(Invitation.id))),
                  db.session.scalar(select(func.count(ObservationLink.id))),
                  db.session.get(Invitation, emma.invitations["mother"]).token_hash)
    refused = _new_links(staff, emma)[way]()
    assert refused.status_code == 409
    assert CLOSED in _text(refused.text) and f'href="/cases/{emma.case}"' in refused.text
    with app.app_context():
        after = (db.session.scalar(select(func.count(Round.id))), db.session.scalar(select(func.count(Invitation.id))),
                 db.session.scalar(select(func.count(ObservationLink.id))),
                 db.session.get(Invitation, emma.invitations["mother"]).token_hash)
    assert after == before
    assert _reopen(staff, emma.case).status_code == 302
    assert _new_links(staff, emma)[way]().status_code in (200, 302)


def test_the_case_list_marks_closed_cases(staff, emma):
    assert "Lukket</span>" not in staff.get("/").text
    _close(staff, emma.case)
    row = next(r for r in staff.get("/").text.split("<tr>") if f"/cases/{emma.case}\"" in r)
    assert "Lukket</span>" in row
