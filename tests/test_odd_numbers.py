"""Issue 12 item 18: numbers that are no numbers never give a 500.

str.isdigit() says yes to "²" and to a string of 5,000 digits; int() refuses both (ValueError).
Each place that read an id, a version or a position with isdigit() then int() gave a 500 for
them, found by the property-based tests (tests/test_hostile_staff.py)."""

import pytest

from tests.factories import proposed_forms

ODD = ["²", "9" * 5000]


@pytest.mark.parametrize("odd", ODD)
def test_the_due_list_of_an_odd_colleague_is_not_found(staff, odd):
    assert staff.get("/due", query_string={"caseworker": odd}).status_code == 404


@pytest.mark.parametrize("odd", ODD)
def test_a_new_observation_link_for_an_odd_person_chooses_nobody(staff, make, caseworker, odd):
    ids = make.emma(caseworker, open_round=False)
    response = staff.get(f"/cases/{ids.case}/observation-links/new", query_string={"person": odd})
    assert response.status_code == 200 and " checked" not in response.text


@pytest.mark.parametrize("odd", ODD)
def test_a_goal_edited_with_an_odd_version_is_a_conflict_and_keeps_the_text(staff, make, caseworker, odd):
    ids = make.emma(caseworker, open_round=False)
    goal = make.goal(ids.case)
    data = {"text": "Emma cykler selv i skole.", "domain": "school", "kind": "improve", "responsible": "Mor",
            "documentation": "Mor fortæller det", "version": odd}
    response = staff.post(f"/cases/{ids.case}/goals/{goal}", data=data)
    assert response.status_code == 409 and "Emma cykler selv i skole." in response.text


@pytest.mark.parametrize("odd", ODD)
def test_a_meeting_screen_at_an_odd_position_shows_the_first(staff, make, caseworker, odd):
    ids = make.emma(caseworker, open_round=False)
    choices = proposed_forms(staff.get(f"/meetings/{ids.meeting}/feedback").text)
    data = {f"person_{pid}": forms for pid, forms in choices.items()}
    screen = staff.post(f"/meetings/{ids.meeting}/feedback", data=data).headers["Location"]
    response = staff.get(screen, query_string={"n": odd})
    assert response.status_code == 200 and "1 / 5" in response.text


@pytest.mark.parametrize("odd", ODD)
def test_a_joint_scoring_naming_an_odd_participant_is_refused(staff, make, caseworker, odd):
    from tests.test_indicators import scored

    ids = make.indicator_case(caseworker, together=True)
    make.indicator_round(ids)
    response = staff.post(f"/rounds/{ids.round}/indicators/score", data=scored() | {"took_part": [odd]})
    assert response.status_code == 400 and "En af de valgte personer deltog ikke i mødet." in response.text
