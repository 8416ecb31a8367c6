"""The first figures (FIGURES.md I1–I3, P1, F1, F2, D1) computed on small hand-made rows.

Every expected number is worked out by hand in the test from the rows it builds; the cells are
the raw cells before the disclosure engine (tests/test_figure_releases.py covers publication).
"""

from datetime import date

import pytest

from app.figures import catalogue
from app.figures.facts import Answer, DueFact, FactorFact, Facts, InvitationFact
from app.figures.periods import parse

Q3 = parse("2026-Q3")
IN_Q3, LATER_IN_Q3, IN_Q2 = date(2026, 7, 1), date(2026, 8, 3), date(2026, 5, 4)
_next_id = iter(range(1, 10_000))


def row(case: int, role: str, status: str = "answered", held_on: date = IN_Q3, *, answers=(), round_id=None,
        person=None, age=9, team=1, worker=1, kind="network_meeting", decided=None) -> InvitationFact:
    return InvitationFact(
        id=next(_next_id), round_id=round_id or case * 100 + held_on.toordinal() % 100, case_id=case, team_id=team,
        caseworker_id=worker, meeting_kind=kind, held_on=held_on, child_age=age,
        person_id=person or case * 10 + len(role), role=role, status=status, answers=tuple(answers),
        decided_on=decided)


def given(instrument_id: str, answers: dict, on: date = IN_Q3, version: int = 2, declined=False) -> Answer:
    return Answer(instrument_id, version, answers, declined, on)


def vas(*values: float, keys=("me", "family", "school", "everything")) -> dict:
    return dict(zip(keys, values, strict=True))


SESSION = ("heard", "topics", "approach", "overall")


def cells(figure_id: str, rows, team=None) -> dict:
    facts = Facts(period=Q3, invitations=tuple(rows))
    if team is not None:
        facts = facts.where(team=team)
    return {cell.key: cell for cell in catalogue.FIGURES[figure_id].compute(facts)}


def test_the_catalogue_has_the_first_figures_each_with_its_caveat():
    assert {"I1", "I2", "I3", "I4", "P1", "F1", "F2", "D1"} <= set(catalogue.FIGURES)
    for figure in catalogue.FIGURES.values():
        assert figure.title and figure.counts and figure.unit and figure.caveat and figure.dimensions
        assert figure.kind in ("count", "statistic", "distribution")


def test_i1_counts_invitations_by_role_group_and_state_and_rests_on_children(app):
    # FIGURES.md I1: invitations by state by respondent role; threshold on distinct children.
    rows = [row(1, "child"), row(1, "mother", "declined"), row(2, "mother"), row(2, "father", "expired"),
            row(3, "network", "waiting"), row(3, "provider", "revoked"), row(4, "school", "revoked"),
            row(5, "mother", held_on=IN_Q2)]  # before the quarter: not counted
    with app.app_context():
        found = cells("I1", rows)
    assert {key: (c.count, set(c.children)) for key, c in found.items()} == {
        ("child", "answered"): (1, {1}), ("parents", "declined"): (1, {1}), ("parents", "answered"): (1, {2}),
        ("parents", "expired"): (1, {2}), ("network", "waiting"): (1, {3}),
        ("provider", "revoked"): (2, {3, 4}),  # the school counts with the provider
    }
    assert all(c.members is None for c in found.values())  # not grouped by team


def test_cells_of_a_team_carry_its_case_workers_for_rule_5a(app):
    rows = [row(1, "mother", team=1, worker=7), row(2, "mother", team=1, worker=8), row(3, "mother", team=2, worker=9)]
    with app.app_context():
        found = cells("I1", rows, team=1)
    assert found[("parents", "answered")].members == {7, 8} and found[("parents", "answered")].children == {1, 2}


def test_i2_is_the_share_of_rounds_where_the_child_answered_by_age_band(app):
    rows = [row(1, "child", age=9), row(1, "mother", age=9),       # 6–12: the child answered
            row(2, "mother", age=10),                              # 6–12: the child was not asked
            row(3, "child", "declined", age=4)]                    # 0–5: declined is no answer
    with app.app_context():
        found = cells("I2", rows)
    assert (found[("6-12",)].count, found[("6-12",)].value) == (2, 50.0)  # 1 of 2 rounds
    assert (found[("0-5",)].count, found[("0-5",)].value) == (1, 0.0)


def test_i3_medians_days_to_answer_and_to_decision_and_counts_rounds_waiting(app):
    # Round 1, held 1 July: answers on 3 and 5 July (2 and 4 days), decided 10 July (7 days after
    # the first answer). Round 2, held 3 August: answered the same day (0 days), not decided.
    rows = [row(1, "mother", answers=[given("fit-session", {}, date(2026, 7, 3))], decided=date(2026, 7, 10)),
            row(1, "father", answers=[given("fit-session", {}, date(2026, 7, 5))], decided=date(2026, 7, 10)),
            row(2, "mother", held_on=LATER_IN_Q3, answers=[given("fit-session", {}, LATER_IN_Q3)])]
    with app.app_context():
        found = cells("I3", rows)
    assert found[("to_answer",)].value == 2.0  # the median of 2, 4 and 0 days
    assert found[("to_decision",)].value == 7.0
    assert found[("waiting_decision",)].count == 1 and found[("waiting_decision",)].value is None


def test_p1_gives_per_item_and_role_the_share_agreeing_the_mean_and_dont_know(app):
    # FIGURES.md P1 and INSTRUMENTS.md §2: agreeing is 4–5; "ved ikke" is counted apart, not missing.
    rows = [row(1, "mother", answers=[given("participation-adult", {"heard_respected": "5", "contributed": "3"}, version=1)]),
            row(2, "father", answers=[given("participation-adult", {"heard_respected": "4", "contributed": "dont_know"}, version=1)]),
            row(3, "mother", answers=[given("participation-adult", {}, version=1, declined=True)])]  # declined: not an answer
    with app.app_context():
        found = cells("P1", rows)
    heard, contributed = "participation-adult:heard_respected", "participation-adult:contributed"
    assert found[(heard, "parents", "agree")].value == 100.0
    assert found[(heard, "parents", "mean")].value == 4.5
    assert found[(heard, "parents", "dont_know")].value == 0.0
    assert found[(contributed, "parents", "agree")].value == 0.0       # "3" of one number
    assert found[(contributed, "parents", "mean")].value == 3.0
    assert found[(contributed, "parents", "dont_know")].value == 50.0  # 1 of 2 answers
    assert found[(heard, "parents", "agree")].children == {1, 2}
    assert found[(heard, "parents", "agree")].respondents == 2


def test_f1_classifies_each_persons_change_from_first_to_latest_outcome_score(app):
    # INSTRUMENTS.md §1: reliable change 5 points; cut-off 32 for a child of 6–12; recovered is
    # reliable improvement from below the cut-off to at or above it.
    outcome = "fit-outcome-child"
    rows = [
        # the child of case 1: 20 -> 30: +10, still below 32: reliably better
        row(1, "child", held_on=IN_Q2, person=11, answers=[given(outcome, vas(5, 5, 5, 5), IN_Q2)]),
        row(1, "child", held_on=IN_Q3, person=11, answers=[given(outcome, vas(7.5, 7.5, 7.5, 7.5))]),
        # the mother of case 2: 28 -> 34: +6, over 32: recovered
        row(2, "mother", held_on=IN_Q2, person=21, answers=[given(outcome, vas(7, 7, 7, 7), IN_Q2)]),
        row(2, "mother", held_on=IN_Q3, person=21, answers=[given(outcome, vas(8.5, 8.5, 8.5, 8.5))]),
        # the father of case 3: 30 -> 27: -3, no reliable change
        row(3, "father", held_on=IN_Q2, person=31, answers=[given(outcome, vas(7.5, 7.5, 7.5, 7.5), IN_Q2)]),
        row(3, "father", held_on=IN_Q3, person=31, answers=[given(outcome, vas(6.75, 6.75, 6.75, 6.75))]),
        # the mother of case 4: 36 -> 28: -8, reliably worse
        row(4, "mother", held_on=IN_Q2, person=41, answers=[given(outcome, vas(9, 9, 9, 9), IN_Q2)]),
        row(4, "mother", held_on=IN_Q3, person=41, answers=[given(outcome, vas(7, 7, 7, 7))]),
        # the child of case 5: one score only
        row(5, "child", held_on=IN_Q3, person=51, answers=[given(outcome, vas(5, 5, 5, 5))]),
        # the child of case 6: latest score before the quarter: not in this quarter's figure
        row(6, "child", held_on=IN_Q2, person=61, answers=[given(outcome, vas(5, 5, 5, 5), IN_Q2)]),
        # a young child's faces: never counted
        row(7, "child", held_on=IN_Q3, person=71, age=4, answers=[given("fit-outcome-young", {"face": "3"}, version=1)]),
        # an incomplete answer has no total: not counted
        row(8, "child", held_on=IN_Q3, person=81, answers=[given(outcome, {"me": 5})]),
    ]
    with app.app_context():
        found = cells("F1", rows)
    assert {key: (c.count, set(c.children)) for key, c in found.items()} == {
        ("child", "reliable_improvement"): (1, {1}),
        ("child", "only_one"): (1, {5}),
        ("parents", "recovered"): (1, {2}),
        ("parents", "no_reliable_change"): (1, {3}),
        ("parents", "reliable_deterioration"): (1, {4}),
    }


def test_f2_is_the_share_of_session_ratings_in_the_period_with_a_signal(app):
    # INSTRUMENTS.md §1: a total below 36, a line below 9, or a fall of 1 or more since the last session.
    session = "fit-session"
    rows = [
        row(1, "mother", held_on=IN_Q2, person=11, age=14, answers=[given(session, vas(9.5, 9.5, 9.5, 9.5, keys=SESSION), IN_Q2)]),
        row(1, "mother", held_on=IN_Q3, person=11, age=14, answers=[given(session, vas(9, 9, 9, 9, keys=SESSION))]),  # 38 -> 36: a fall of 2
        row(2, "father", held_on=IN_Q3, person=21, age=14, answers=[given(session, vas(10, 10, 10, 10, keys=SESSION))]),  # 40: none
        row(3, "mother", held_on=IN_Q3, person=31, age=14, answers=[given(session, vas(10, 10, 10, 8.5, keys=SESSION))]),  # a line below 9
        row(4, "father", held_on=IN_Q3, person=41, age=14, answers=[given(session, vas(9, 9, 9, 8.9, keys=SESSION))]),  # 35.9 < 36
    ]
    with app.app_context():
        found = cells("F2", rows)
    assert set(found) == {("parents",)}  # the rating before the quarter is only the fall's reference
    assert (found[("parents",)].count, found[("parents",)].value) == (4, 75.0)  # 3 of 4 ratings


def test_d1_is_the_share_of_rounds_where_a_pair_of_voices_diverges(app):
    # A round diverges for a pair when two voices of it differ on an item by more than the
    # item's threshold (3 points on a 0–10 line).
    outcome, session = "fit-outcome-child", "fit-session"
    rows = [
        row(1, "child", round_id=1, answers=[given(outcome, vas(2, 5, 5, 5))]),
        row(1, "mother", round_id=1, answers=[given(outcome, vas(8, 5, 5, 5))]),   # 2 vs 8: diverges
        row(1, "father", round_id=1, answers=[given(outcome, vas(7, 5, 5, 5))]),   # parent-parent: 8 vs 7
        row(2, "child", round_id=2, answers=[given(outcome, vas(5, 5, 5, 5))]),
        row(2, "mother", round_id=2, answers=[given(outcome, vas(7, 5, 5, 5))]),   # 5 vs 7: within 3
        row(2, "provider", round_id=2, answers=[given(session, vas(5, 5, 5, 5, keys=SESSION))]),  # another form
    ]
    with app.app_context():
        found = cells("D1", rows)
    assert (found[("child_parent",)].count, found[("child_parent",)].value) == (2, 50.0)
    assert (found[("parent_parent",)].count, found[("parent_parent",)].value) == (1, 0.0)
    assert ("family_provider",) not in found  # no pair answered the same form


@pytest.mark.parametrize("age, band", [(0, "0-5"), (5, "0-5"), (6, "6-12"), (12, "6-12"), (13, "13-17"),
                                       (17, "13-17"), (18, "18+")], ids=lambda v: str(v))
def test_age_bands(age, band):
    assert catalogue.age_band(age) == band


def test_i4_counts_what_was_due_in_the_period_by_whether_it_was_done_on_time(app):
    # FIGURES.md I4: due vs done. A phone follow-up falls due 14 days after the meeting; it is
    # counted in the period it falls due, not the one the meeting was in.
    def due(case, kind, state, on=IN_Q3):
        return DueFact(case_id=case, team_id=1, caseworker_id=1, meeting_kind="startup", due_on=on, kind=kind,
                       state=state)

    rows = (due(1, "phone_follow_up", "on_time"), due(1, "phone_follow_up", "missing"),
            due(2, "phone_follow_up", "on_time"), due(3, "provider_status", "late"),
            due(4, "provider_status", "on_time", on=IN_Q2))  # due before the quarter
    facts = Facts(period=Q3, invitations=(), due=rows)
    with app.app_context():
        found = {c.key: (c.count, set(c.children)) for c in catalogue.FIGURES["I4"].compute(facts)}
    assert found == {("phone_follow_up", "on_time"): (2, {1, 2}), ("phone_follow_up", "missing"): (1, {1}),
                     ("provider_status", "late"): (1, {3})}


def test_d2_is_the_share_of_factors_where_the_final_status_differs_from_every_scorer(app):
    # FIGURES.md D2: the case worker's final status differs from every scorer's.
    def factor(case, name, final, scorers, on=IN_Q3):
        return FactorFact(case_id=case, team_id=1, caseworker_id=1, meeting_kind="follow_up", held_on=on,
                          factor=name, final=final, scorers=scorers)

    rows = (factor(1, "health", 2, (3, 4)),      # differs from both: counts
            factor(2, "health", 3, (3, 5)),      # one scorer agrees: does not
            factor(3, "school", 1, (1,)),
            factor(4, "school", 4, (2,), on=IN_Q2))  # before the quarter
    facts = Facts(period=Q3, invitations=(), factors=rows)
    with app.app_context():
        found = {c.key: (c.count, c.value) for c in catalogue.FIGURES["D2"].compute(facts)}
    assert found == {("health",): (2, 50.0), ("school",): (1, 0.0)}
