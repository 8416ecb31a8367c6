"""The indicator and goal figures (FIGURES.md G1–G3) computed on small hand-made rows, and what the
disclosure engine lets them publish.

Every expected cell is worked out by hand from the rows the test builds; the outcome categories are
INSTRUMENTS.md §4's table (s1 status before, g goal, s2 status now; 1 best).
"""

from datetime import date, datetime, timezone
from secrets import token_hex

import pytest

from app.figures import catalogue, disclosure, goals_figures  # noqa: F401  (registers G1–G3)
from app.figures.disclosure import Rules, Table
from app.figures.facts import DueFact, Facts, GoalFact, IndicatorFact
from app.figures.periods import parse
from app.measures.services import MeasureFact

Q3 = parse("2026-Q3")
Q1_DAY, Q2_DAY, Q3_DAY, Q4_DAY = date(2026, 2, 2), date(2026, 5, 4), date(2026, 8, 3), date(2026, 10, 5)


def score(case: int, on: date, factor: str, status, goal=None, team: int = 1, kind: str = "follow_up") -> IndicatorFact:
    return IndicatorFact(case_id=case, team_id=team, caseworker_id=team * 10 + case % 3, meeting_kind=kind, held_on=on,
                         round_id=case * 1000 + on.toordinal() % 1000, factor=factor, status=status, goal=goal)


def missed(case: int, on: date, team: int = 1) -> DueFact:
    return DueFact(case_id=case, team_id=team, caseworker_id=team * 10, meeting_kind="", due_on=on,
                   kind="measurement", state="missing")


def measure(case: int, kind: str, provider: str | None, start: date = Q1_DAY, end: date | None = None) -> MeasureFact:
    return MeasureFact(measure_id=case * 7, case_id=case, kind=kind, rung="supportive", provider=provider,
                       started_on=start, ended_on=end, end_reason=None)


def assessed(case: int, goal: int, meeting: int, on: date, who: str, step: str, domain: str = "school") -> GoalFact:
    return GoalFact(case_id=case, team_id=1, caseworker_id=10 + case % 3, meeting_kind="follow_up", held_on=on,
                    meeting_id=meeting, goal_id=goal, domain=domain, who=who, attainment=step)


def cells(figure_id: str, facts: Facts) -> dict:
    return {cell.key: (cell.count, set(cell.children), cell.members)
            for cell in catalogue.FIGURES[figure_id].compute(facts)}


# Case by case, the round before (in Q2) and the round in Q3, with the category §4 gives.
ROUNDS = [
    # (case, factor, s1, g, s2 in Q3 (or "none": no round in Q3), category) — INSTRUMENTS.md §4
    (1, "school", 4, 2, 2, "improvement_goal_met"),  # g < s1 and s2 ≤ g
    (1, "family_mother", 3, 3, 3, "hold_goal_met"),  # g = s1 and s2 ≤ s1
    (2, "school", 1, 1, 1, "no_problem"),  # s1 = 1 and s2 = 1
    (3, "school", 4, 2, 3, "progression"),  # g < s1 and g < s2 < s1
    (4, "school", 3, 2, 4, "negative_progression"),  # s2 > s1
    (5, "school", 3, 2, None, "not_followed_up"),  # no s2: the round left the factor unscored
    (8, "school", 3, 2, 3, "no_progression"),  # g < s1 and s2 = s1
    (10, "school", 3, 2, "dont_know", "not_followed_up"),  # "ved ikke" is no s2
]


def _facts(**more) -> Facts:
    rows = []
    for case, factor, s1, g, s2, _category in ROUNDS:
        rows += [score(case, Q2_DAY, factor, s1, g), score(case, Q3_DAY, factor, s2)]
    rows += [score(6, Q2_DAY, "school", 3, 2),  # its next measurement fell due in Q3 and was not made
             score(7, Q3_DAY, "school", 2, 1),  # its first round: no outcome yet
             score(9, Q3_DAY, "school", 3, 2), score(9, Q4_DAY, "school", 1)]  # the next round is after Q3
    return Facts(period=Q3, invitations=(), indicators=tuple(rows), due=(missed(6, date(2026, 8, 20)),), **more)


def test_g1_counts_each_factors_outcome_category_with_not_followed_up_as_its_own(app):
    # FIGURES.md G1: outcome categories per factor (INSTRUMENTS.md §4), "ikke fulgt op" its own category.
    with app.app_context():
        found = cells("G1", _facts())
    expected = {}
    for case, factor, _s1, _g, _s2, category in ROUNDS:
        expected.setdefault((factor, category), set()).add(case)
    expected[("school", "not_followed_up")].add(6)  # the measurement due in Q3 that was not made
    assert {key: children for key, (_count, children, _m) in found.items()} == expected
    assert found[("school", "not_followed_up")][0] == 3  # cases 5, 10 and 6
    # Case 7 (first round only) and case 9 (its next round after the quarter) count nowhere.
    assert not any({7, 9} & children for _count, children, _m in found.values())


def test_g1_by_intervention_type_counts_under_the_measure_running_and_its_providers_are_the_members(app):
    # FIGURES.md G1 "by provider and intervention type"; rule 5a: grouped by provider, the providers are the members.
    facts = _facts(case_measures=(measure(1, "family_treatment", "huset"), measure(3, "family_treatment", "centret"),
                                  measure(4, "foster_family", None),
                                  measure(2, "family_treatment", "huset", end=date(2026, 6, 1))))  # ended before
    with app.app_context():
        found = cells("G1T", facts)
    assert found[("kind|family_treatment", "improvement_goal_met")][1:] == ({1}, frozenset({"huset"}))
    assert found[("kind|family_treatment", "progression")][1:] == ({3}, frozenset({"centret"}))
    # A measure without a provider on the list counts as one unknown provider, never as three.
    assert found[("kind|foster_family", "negative_progression")][1:] == ({4}, frozenset({"unknown"}))
    # No measure running that day: its own row, not grouped by provider.
    assert found[("no_measure", "no_problem")][1:] == ({2}, None)
    assert found[("no_measure", "not_followed_up")][1] == {5, 6, 10}


def test_g2_sets_each_factors_status_at_the_first_round_beside_the_latest(app):
    # FIGURES.md G2: final status distribution per factor at intake vs latest.
    rows = (score(1, Q1_DAY, "school", 4, 2), score(1, Q2_DAY, "school", 3), score(1, Q3_DAY, "school", 2),
            score(2, Q2_DAY, "school", 4, 3), score(2, Q3_DAY, "school", "dont_know"),
            score(3, Q3_DAY, "school", 5),  # only one round: not counted
            score(4, Q1_DAY, "school", 2), score(4, Q2_DAY, "school", 2))  # latest before Q3: not counted
    with app.app_context():
        found = cells("G2", Facts(period=Q3, invitations=(), indicators=rows))
    assert {key: children for key, (_c, children, _m) in found.items()} == {
        ("school", "intake", "4"): {1, 2}, ("school", "latest", "2"): {1}, ("school", "latest", "dont_know"): {2}}


def test_g3_sets_the_case_workers_attainment_beside_the_providers_at_a_goals_follow_ups_by_domain(app):
    # FIGURES.md G3: goal attainment, the case worker's beside the provider's, at three dates, by life domain.
    rows = (assessed(1, 11, 101, Q2_DAY, "caseworker", "some"),  # the goal's 1st follow-up, before Q3
            assessed(1, 11, 102, Q3_DAY, "caseworker", "high"), assessed(1, 11, 102, Q3_DAY, "provider", "full"),
            assessed(2, 12, 201, Q3_DAY, "caseworker", "not_followed_up", domain="family"),
            *(assessed(3, 13, 300 + i, day, "caseworker", "full")
              for i, day in enumerate((Q1_DAY, date(2026, 3, 1), Q2_DAY, Q3_DAY))))  # the 4th counts as the 3rd
    with app.app_context():
        found = cells("G3", Facts(period=Q3, invitations=(), goals=rows))
    assert {key: children for key, (_c, children, _m) in found.items()} == {
        ("g3|school|2|caseworker", "g3:high"): {1}, ("g3|school|2|provider", "g3:full"): {1},
        ("g3|family|1|caseworker", "g3:not_followed_up"): {2}, ("g3|school|3|caseworker", "g3:full"): {3}}


def test_a_team_sees_its_own_cases_outcomes_counted_against_rounds_of_any_kind_of_meeting(app):
    # Rule 4's filters pick the rows of the team's cases; the round before may be of another kind of meeting.
    rows = (score(1, Q2_DAY, "school", 4, 2, kind="startup"), score(1, Q3_DAY, "school", 2),
            score(2, Q2_DAY, "school", 4, 2, team=2), score(2, Q3_DAY, "school", 3, team=2))
    facts = Facts(period=Q3, invitations=(), indicators=rows)
    with app.app_context():
        facts.everyone  # noqa: B018
        assert set(cells("G1", facts.where(team=1))) == {("school", "improvement_goal_met")}
        assert set(cells("G1", facts.where(meeting="other"))) == {("school", "improvement_goal_met"),
                                                                  ("school", "progression")}


def _shown(figure_id: str, facts: Facts) -> dict:
    figure = catalogue.FIGURES[figure_id]
    table = Table(figure=figure.id, dimensions=figure.dimensions, kind=figure.kind, cells=tuple(figure.compute(facts)))
    [(_table, shown)] = disclosure.protect([table], Rules())
    return {cell.key: cell for cell in shown}


@pytest.mark.parametrize("children, hidden", [
    (9, "primary"),  # rule 2: a distribution needs 10 children
    (12, None),
])
def test_a_g1_row_on_too_few_children_is_hidden(app, children, hidden):
    # Rule 2 (k_stat = 10): half of them improved, half did not.
    rows = []
    for case in range(1, children + 1):
        rows += [score(case, Q2_DAY, "school", 4, 2), score(case, Q3_DAY, "school", 2 if case % 2 else 4)]
    with app.app_context():
        shown = _shown("G1", Facts(period=Q3, invitations=(), indicators=tuple(rows)))
    assert {cell.hidden for cell in shown.values()} == {hidden}


def test_a_g1_row_where_nearly_every_child_has_one_category_is_hidden(app):
    # Rule 2: one category holding all but fewer than k_count children tells each child's outcome.
    rows = []
    for case in range(1, 15):
        rows += [score(case, Q2_DAY, "school", 4, 2), score(case, Q3_DAY, "school", 2 if case > 2 else None)]
    with app.app_context():
        shown = _shown("G1", Facts(period=Q3, invitations=(), indicators=tuple(rows)))
    assert {cell.hidden for cell in shown.values()} == {"distribution"}


@pytest.mark.parametrize("providers, hidden", [
    (("huset", "huset", "centret"), "members"),  # rule 5a: two providers behind the row
    (("huset", "centret", "gaarden"), None),
])
def test_a_g1_intervention_type_resting_on_fewer_than_three_providers_is_hidden(app, providers, hidden):
    rows, measures = [], []
    for case in range(1, 13):
        rows += [score(case, Q2_DAY, "school", 4, 2), score(case, Q3_DAY, "school", 2 if case % 2 else 3)]
        measures.append(measure(case, "family_treatment", providers[case % 3]))
    with app.app_context():
        shown = _shown("G1T", Facts(period=Q3, invitations=(), indicators=tuple(rows), case_measures=tuple(measures)))
    assert {cell.hidden for cell in shown.values()} == {hidden}


# --- the generic machinery shows them ----------------------------------------------------------------

def _score_rounds(app, org, day: date) -> None:
    """Each case gets a start-up meeting three months before `day` and a follow-up on it, each with an
    indicator round the case worker scored: "school" from 4 (goal 2) to 2 in half of them, to 4 in the
    others; and the school goal's attainment at the follow-up, the case worker's."""
    from app.attainment.models import GoalAttainment
    from app.cases.models import Case, Goal, GoalVersion, Meeting, Person
    from app.extensions import db
    from app.indicators.catalogue import current_forms
    from app.indicators.models import DEFAULT_FORM, FinalScore, IndicatorRound
    from app.invitations.models import Invitation, Response, Round
    from app.status.services import FORM as STATUS_FORM

    with app.app_context():
        form = current_forms().get(DEFAULT_FORM)
        for n, case_id in enumerate(sorted(c for ids in org.cases.values() for c in ids)):
            case = db.session.get(Case, case_id)
            goal = Goal(case=case, created_by_id=case.caseworker_id)
            goal.versions.append(GoalVersion(number=1, text="Barnet kommer i skole hver dag.", domain="school",
                                             kind="improve", written_by_id=case.caseworker_id))
            for held_on, status, goal_status in ((date(day.year - 1, 11, 10), 4, 2), (day, 2 if n % 2 else 4, 2)):
                meeting = Meeting(case=case, kind="startup" if held_on < day else "follow_up", held_on=held_on)
                round_ = Round(meeting=meeting, kind="indicators", created_by_id=case.caseworker_id)
                db.session.add_all([goal, meeting, round_])
                db.session.flush()
                db.session.add(IndicatorRound(round_id=round_.id, form_id=form.id, form_version=form.version,
                                              family_split=True, together=True, scorers=["caseworker"]))
                db.session.add(FinalScore(round_id=round_.id, factor="school", status=status, goal=goal_status,
                                          set_by_id=case.caseworker_id))
                if held_on == day:
                    db.session.add(GoalAttainment(goal_id=goal.id, meeting_id=meeting.id, goal_version=1,
                                                  attainment="full" if n % 2 else "some",
                                                  recorded_by_id=case.caseworker_id))
                    # The provider's view of the same goal, in the status asked for before the meeting.
                    provider = Person(role="provider", first_name="Lars")
                    case.people.append(provider)
                    status = Round(meeting=meeting, kind="status", created_by_id=case.caseworker_id)
                    asked = Invitation(round=status, person=provider, instrument_ids=[STATUS_FORM.id],
                                       token_hash=token_hex(32), issued_at=datetime(day.year, 1, 5, tzinfo=timezone.utc),
                                       expires_at=datetime(day.year, 1, 19, tzinfo=timezone.utc))
                    db.session.add_all([status, asked, Response(
                        invitation=asked, instrument_id=STATUS_FORM.id, instrument_version=STATUS_FORM.version,
                        answers={"goals": [{"goal_id": goal.id, "version": 1, "attainment": "high", "text": "x"}]},
                        declined=False, language="da", submitted_at=datetime(day.year, 1, 8, tzinfo=timezone.utc),
                        submission_id=token_hex(16))])
        db.session.commit()


def test_the_page_the_team_meeting_view_the_exports_and_the_half_year_report_show_g1_to_g3(app, make, runner):
    from tests.factories import login
    from tests.figure_data import last_years_quarter, organisation

    period, day = last_years_quarter()
    org = organisation(app, {"Team Nord": (3, 7), "Team Syd": (3, 7)}, day)
    _score_rounds(app, org, day)
    make.user("boss", role="leader")
    half = period.replace("Q1", "H1")
    for code in (period, half):
        result = runner.invoke(args=["figures", "release", "--period", code])
        assert result.exit_code == 0, result.output
    client = app.test_client()
    assert login(client, "boss").status_code == 302
    page = client.get(f"/figures?period={period}").text
    for figure_id in ("G1", "G1T", "G2", "G3"):
        assert f'id="figure-{figure_id}"' in page
    # Fourteen children, half improved to their goal, half did not move: the page shows both (rule 2 passes).
    g1 = page.split('id="figure-G1"')[1].split("</section>")[0]
    assert "Progressionsmål opfyldt" in g1 and "Ingen progression" in g1 and "50,0 %" in g1 and "<svg" in g1
    g3 = page.split('id="figure-G3"')[1].split("</section>")[0]
    assert "Skole, uddannelse og beskæftigelse · 1. opfølgning · Rådgiveren" in g3 and "Helt opfyldt" in g3
    assert "Skole, uddannelse og beskæftigelse · 1. opfølgning · Udfører og skole" in g3 and "I høj grad opfyldt" in g3
    assert 'id="figure-G2"' in client.get(f"/figures/print?period={period}").text
    csv_file = client.get(f"/figures/export.csv?figure=G1&period={period}")
    assert csv_file.status_code == 200
    assert csv_file.data.decode("utf-8-sig").startswith("G1 · Udvikling på indikatorerne")
    workbook = client.get(f"/figures/export.xlsx?period={period}")
    assert workbook.status_code == 200
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    titles = [sheet["A1"].value for sheet in load_workbook(io.BytesIO(workbook.data)).worksheets]
    assert {"G1 · Udvikling på indikatorerne", "G3 · Målopfyldelse"} <= set(titles)
    report = client.get(f"/figures/report.pdf?period={half}")
    assert report.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(report.data)).pages)
    for figure_id in ("G1", "G1T", "G2", "G3"):
        assert f"{figure_id} · " in text
