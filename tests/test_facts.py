"""Issue 14 item 5: stable facts for counting. Each answer keeps the respondent's role and relation
as they were when it was saved, and the form's total; a later edit of the person rewrites nothing."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.instruments import current_catalogue, score
from app.invitations.models import Invitation, Response
from tests.factories import vas


def _current(app, invitation_id: int, instrument_id: str) -> Response:
    with app.app_context():
        return db.session.scalars(select(Response).where(
            Response.invitation_id == invitation_id, Response.instrument_id == instrument_id,
            Response.superseded_at.is_(None))).one()


def _edit_person(staff, case_id: int, person_id: int, **changes) -> None:
    data = {"first_name": "Mette", "role": "mother", "relation": "mor", "language": "da"} | changes
    assert staff.post(f"/cases/{case_id}/people/{person_id}", data=data).status_code == 302


def test_editing_a_persons_role_after_an_answer_keeps_the_role_the_answer_was_given_in(app, staff, make, caseworker):
    """Issue 14 item 5: "today Person.role can be edited and would rewrite history"."""
    emma = make.emma(caseworker)
    make.answer(emma.invitations["mother"], {"fit-outcome-child": vas(5, 5, 5, 5)})
    _edit_person(staff, emma.case, emma.people["mother"], role="carer", relation="plejemor")
    answered = _current(app, emma.invitations["mother"], "fit-outcome-child")
    assert (answered.respondent_role, answered.respondent_relation, answered.role_filled_later) == ("mother", "mor", False)
    with app.app_context():
        asked = db.session.get(Invitation, emma.invitations["mother"])
        assert (asked.respondent_role, asked.person.role) == ("mother", "carer")


def test_an_answer_after_the_edit_is_kept_in_the_new_role(app, staff, make, caseworker):
    emma = make.emma(caseworker)
    make.answer(emma.invitations["mother"], {"fit-outcome-child": vas(5, 5, 5, 5)})
    _edit_person(staff, emma.case, emma.people["mother"], role="carer", relation="plejemor")
    make.answer(emma.invitations["mother"], {"fit-outcome-child": vas(6, 6, 6, 6)})
    with app.app_context():
        rows = db.session.execute(select(Response.respondent_role, Response.respondent_relation, Response.score_total)
                                  .where(Response.invitation_id == emma.invitations["mother"],
                                         Response.instrument_id == "fit-outcome-child")
                                  .order_by(Response.id)).all()
    assert [tuple(row) for row in rows] == [("mother", "mor", 20.0), ("carer", "plejemor", 24.0)]


# Issue 14 item 5: "a scored form's total is stored as a column when the answer is saved"; the
# stored number is the one app.instruments.scoring gives (a sum for FIT, a mean for participation).
TOTALS = [
    pytest.param("child", "fit-outcome-child", vas(7, 6, 5, 6), 24.0, None, id="fit-outcome-sum"),
    pytest.param("child", "fit-outcome-child", vas(9.9, 9.9, 9.9, 9.9), 39.6, None, id="fit-outcome-decimals"),
    pytest.param("mother", "fit-session", vas(9, 8.5, 9, 10, keys=("heard", "topics", "approach", "overall")),
                 36.5, None, id="fit-session-sum"),
    pytest.param("child", "fit-outcome-child", {"me": 7, "family": 6}, None, None, id="fit-outcome-incomplete"),
    pytest.param("network", "participation-network", {"heard_respected": 4, "contributed": 5, "childs_view": 3},
                 None, 4.0, id="participation-mean"),
    pytest.param("network", "participation-network", {"heard_respected": 4, "contributed": "dont_know"},
                 None, 4.0, id="participation-dont-know-left-out"),
]


@pytest.mark.parametrize(("role", "instrument_id", "answers", "total", "mean"), TOTALS)
def test_the_stored_total_is_the_scored_total(app, make, caseworker, role, instrument_id, answers, total, mean):
    emma = make.emma(caseworker)
    make.answer(emma.invitations[role], {instrument_id: answers})
    stored = _current(app, emma.invitations[role], instrument_id)
    with app.app_context():
        scored = score(current_catalogue().get(instrument_id), stored.answers)
    assert (stored.score_total, stored.score_mean) == (total, mean) == (scored.total, scored.mean)


def test_a_declined_form_has_no_total(app, make, caseworker):
    emma = make.emma(caseworker)
    make.answer(emma.invitations["child"], declined=True)
    stored = _current(app, emma.invitations["child"], "fit-outcome-child")
    assert (stored.declined, stored.score_total, stored.score_mean, stored.respondent_role) == (True, None, None, "child")


SESSION = ("heard", "topics", "approach", "overall")

# Issue 14 item 5 and FIGURES.md F2 ("share of session ratings with a signal"): the signal level is
# stored with the answer, read as the reconciliation reads it (INSTRUMENTS.md §1: a session total
# below 36, a line below 9, a fall of 1 or more; an outcome below the age's cut-off, reliable change).
SIGNALS = [
    pytest.param("mother", "fit-session", None, vas(9, 9, 9, 9, keys=SESSION), "green", id="session-fine"),
    pytest.param("mother", "fit-session", None, vas(9, 8.5, 9, 10, keys=SESSION), "orange", id="session-line-low"),
    pytest.param("mother", "fit-session", None, vas(8, 8, 8, 8, keys=SESSION), "orange", id="session-below-cutoff"),
    pytest.param("mother", "fit-session", vas(10, 10, 10, 10, keys=SESSION), vas(9.5, 9.5, 9.5, 9.5, keys=SESSION),
                 "orange", id="session-fall"),
    pytest.param("child", "fit-outcome-child", None, vas(7, 6, 5, 6), "orange", id="outcome-below-cutoff"),
    pytest.param("child", "fit-outcome-child", vas(5, 5, 5, 5), vas(9, 9, 9, 9), "green", id="outcome-recovered"),
    pytest.param("child", "fit-outcome-child", vas(10, 10, 10, 10), vas(8, 8, 8, 8), "red", id="outcome-deteriorated"),
    pytest.param("network", "participation-network", None, {"heard_respected": 4}, None, id="not-fit"),
]


@pytest.mark.parametrize(("role", "instrument_id", "before", "now", "level"), SIGNALS)
def test_the_signal_level_is_stored_with_the_answer(app, make, caseworker, role, instrument_id, before, now, level):
    emma = make.emma(caseworker)
    if before is not None:
        make.earlier_round(emma, date.today() - timedelta(days=30), {role: {instrument_id: before}},
                           forms={role: [instrument_id]})
    make.answer(emma.invitations[role], {instrument_id: now})
    assert _current(app, emma.invitations[role], instrument_id).signal_level == level


def _indicator_answer(app, make, client, caseworker) -> tuple[int, int, str]:
    """The mother scores the indicators (the Århus form, every factor 3) through her link."""
    from tests.test_indicators import CHILD_FAMILY, scored

    ids = make.indicator_case(caseworker, scorers=["caseworker", "provider", "parents"])
    make.indicator_round(ids)
    assert client.post(f"/r/{ids.tokens['mother']}/form", data=scored(CHILD_FAMILY)).status_code == 302
    return ids.case, ids.people["mother"], ids.invitations["mother"]


def _status_answer(app, make, client, caseworker) -> tuple[int, int, str]:
    """Lise, the provider, sends her status before a follow-up meeting through her link."""
    ids = make.emma(caseworker, open_round=False)
    goal = make.goal(ids.case)
    _, tokens, invitations = make.status_request(ids)
    data = {f"goal_{goal}_attainment": "high", "overall": "Emma trives bedre.", "rating": "7", "reviewed": "no",
            "reason": "Mor var syg."}
    assert client.post(f"/r/{tokens['provider']}/form", data=data).status_code == 302
    return ids.case, ids.people["provider"], invitations["provider"]


def _questionnaire_answer(app, make, client, caseworker) -> tuple[int, int, str]:
    ids = make.emma(caseworker)
    make.answer(ids.invitations["network"], {"participation-network": {"heard_respected": 4}})
    return ids.case, ids.people["network"], ids.invitations["network"]


# Issue 14 item 5: "each response, score and status stores the respondent's role and relation as
# they were when answering" — a questionnaire, an indicator scoring and a provider status alike.
@pytest.mark.parametrize("answer, role, relation", [
    pytest.param(_questionnaire_answer, "network", "mormor", id="questionnaire"),
    pytest.param(_indicator_answer, "mother", "mor", id="indicator-scoring"),
    pytest.param(_status_answer, "provider", "familiebehandler", id="provider-status"),
])
def test_every_kind_of_answer_keeps_the_role_it_was_given_in(app, make, client, staff, caseworker, answer, role, relation):
    case_id, person_id, invitation_id = answer(app, make, client, caseworker)
    _edit_person(staff, case_id, person_id, first_name="Ny", role="carer", relation="plejemor")
    with app.app_context():
        kept = db.session.execute(select(Response.respondent_role, Response.respondent_relation,
                                         Response.role_filled_later, Invitation.respondent_role)
                                  .join(Invitation).where(Invitation.id == invitation_id)).all()
    assert [tuple(row) for row in kept] == [(role, relation, False, role)]
