"""`flask figures release` (FIGURES.md rule 5, issue 15 item 1): closed periods only, dated and
versioned releases that change only when a published count changes, and say what changed per figure."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.figures import releases
from app.figures.models import FigureRelease
from app.figures.periods import closed_since, parse
from tests.figure_data import answer_late, last_years_quarter, organisation


def _releases(app, period: str) -> list[FigureRelease]:
    with app.app_context():
        found = db.session.scalars(select(FigureRelease).where(FigureRelease.period == period)
                                   .order_by(FigureRelease.version)).all()
        db.session.expunge_all()
        return found


def _table(release: FigureRelease, figure: str, filters: str = "") -> dict:
    return next(t for t in release.tables if t["figure"] == figure and t["filters"] == filters)


@pytest.mark.parametrize("text, start, end", [
    ("2026-Q3", date(2026, 7, 1), date(2026, 10, 1)), ("2026-H2", date(2026, 7, 1), date(2027, 1, 1)),
    ("2026-10", date(2026, 10, 1), date(2026, 11, 1)), ("2026-12", date(2026, 12, 1), date(2027, 1, 1)),
    ("2026-H1", date(2026, 1, 1), date(2026, 7, 1)),
], ids=lambda v: str(v))
def test_periods_are_read_as_whole_days(text, start, end):
    period = parse(text)
    assert (period.start, period.end) == (start, end)
    assert not period.closed(end - timedelta(days=1)) and period.closed(end)


def test_the_closed_periods_since_a_day_are_quarters_half_years_and_months():
    codes = [p.code for p in closed_since(date(2026, 5, 20), date(2026, 10, 2))]
    assert codes == ["2026-H1", "2026-Q2", "2026-05", "2026-06", "2026-07", "2026-Q3", "2026-08", "2026-09"]


@pytest.mark.parametrize("args, message", [
    (["--period", "2026-Q5"], "is no period"),
    (["--period", "x" * 5000], "is no period"),
    ([], "give either --period PERIOD or --all-closed"),
    (["--period", "2026-Q1", "--all-closed"], "give either --period PERIOD or --all-closed"),
], ids=["quarter-5", "huge", "nothing", "both"])
def test_the_command_refuses_what_is_no_period(runner, args, message):
    result = runner.invoke(args=["figures", "release", *args])
    assert result.exit_code != 0 and message in result.output


def test_a_period_not_yet_closed_is_refused_with_its_last_day(app, runner):
    year = date.today().year
    result = runner.invoke(args=["figures", "release", "--period", f"{year + 1}-H1"])
    assert result.exit_code != 0 and "is not closed yet" in result.output and f"{year + 1}-06-30" in result.output
    assert _releases(app, f"{year + 1}-H1") == []


def test_a_release_stores_the_protected_tables_the_rules_and_the_children(app, runner):
    period, day = last_years_quarter()
    organisation(app, {"Team Nord": (3, 6), "Team Syd": (3, 6), "Team Vest": (1, 2)}, day)
    result = runner.invoke(args=["figures", "release", "--period", period])
    assert result.exit_code == 0, result.output
    assert f"{period}: released version 1" in result.output
    [release] = _releases(app, period)
    assert release.children == 14 and release.created_at is not None and release.scope == "organisation"
    assert release.rules == {"k_count": 5, "k_stat": 10, "round_to_five": False, "min_members": 3}
    i1 = _table(release, "I1")
    answered = next(c for c in i1["cells"] if c["key"] == ["parents", "answered"])
    assert (answered["count"], answered["children"], answered["hidden"]) == (14, 14, None)
    assert i1["children"] == 14
    # Team Vest (2 children, one case worker) cannot be chosen: its tables are not even stored.
    with app.app_context():
        from app.figures.facts import teams
        ids = {name: str(team_id) for team_id, name in teams().items()}
    assert release.filters[f"team={ids['Team Vest']}"] == "small_group"
    assert release.filters[f"team={ids['Team Nord']}"] is None
    assert not [t for t in release.tables if t["filters"].startswith(f"team={ids['Team Vest']}")]
    nord = next(c for c in _table(release, "I1", f"team={ids['Team Nord']}")["cells"]
                if c["key"] == ["parents", "answered"])
    # Six children; or hidden, so that Team Vest's two cannot be worked out (the test below).
    assert nord["count"] == 6 or (nord["count"] is None and nord["hidden"])
    # Nothing stored says which case: no case id anywhere, only counts.
    assert all(set(cell) == {"key", "count", "value", "children", "hidden"} for t in release.tables
               for cell in t["cells"])


def test_a_hidden_cell_is_stored_without_its_count(app, runner):
    period, day = last_years_quarter()
    organisation(app, {"Team Nord": (3, 6)}, day)
    # Two more mothers never answered: a cell of two children.
    organisation(app, {"Team Syd": (3, 2)}, day, answered=False)
    runner.invoke(args=["figures", "release", "--period", period])
    [release] = _releases(app, period)
    waiting = [c for c in _table(release, "I1")["cells"] if c["key"][1] in ("waiting", "expired")]
    assert waiting and all(c["hidden"] and c["count"] is None and c["children"] is None for c in waiting)


def test_running_again_unchanged_keeps_the_version_and_a_late_answer_makes_a_new_one(app, runner):
    period, day = last_years_quarter()
    organisation(app, {"Team Nord": (3, 6)}, day)
    late = organisation(app, {"Team Syd": (3, 5)}, day, answered=False)
    assert runner.invoke(args=["figures", "release", "--period", period]).exit_code == 0
    again = runner.invoke(args=["figures", "release", "--period", period])
    assert f"{period}: unchanged, version 1 stands" in again.output
    assert len(_releases(app, period)) == 1
    for case_id in late.cases["Team Syd"]:
        answer_late(app, late.invitations[case_id])
    third = runner.invoke(args=["figures", "release", "--period", period])
    assert f"{period}: released version 2" in third.output and "I1" in third.output
    first, second = _releases(app, period)
    assert second.version == 2 and second.created_at >= first.created_at
    assert second.changes["I1"] >= 1 and set(second.changes) <= {"I1", "I2", "I3", "P1", "F1", "F2", "D1"}
    # The first version stays as it was published.
    before = next(c for c in _table(first, "I1")["cells"] if c["key"] == ["parents", "answered"])
    after = next(c for c in _table(second, "I1")["cells"] if c["key"] == ["parents", "answered"])
    assert (before["count"], after["count"]) == (6, 11)


def test_a_month_is_refused_where_a_cell_would_be_hidden(app, runner):
    _period, day = last_years_quarter()
    organisation(app, {"Team Nord": (3, 6)}, day)
    organisation(app, {"Team Syd": (3, 2)}, day, answered=False)
    month = f"{day.year}-02"
    result = runner.invoke(args=["figures", "release", "--period", month])
    assert result.exit_code != 0 and "only where every cell passes" in result.output
    assert _releases(app, month) == []


def test_all_closed_releases_each_closed_period_since_the_first_meeting(app, runner):
    period, day = last_years_quarter()
    organisation(app, {"Team Nord": (3, 12)}, day)
    result = runner.invoke(args=["figures", "release", "--all-closed"])
    assert result.exit_code == 0, result.output
    assert f"{period}: released version 1" in result.output and f"{day.year}-H1: released version 1" in result.output
    with app.app_context():
        assert releases.released_periods()[0] >= period
    again = runner.invoke(args=["figures", "release", "--all-closed"])
    assert "released version 2" not in again.output and f"{period}: unchanged" in again.output


def test_nothing_to_release_without_meetings(runner):
    result = runner.invoke(args=["figures", "release", "--all-closed"])
    assert result.exit_code == 0 and "Nothing to release" in result.output


def test_the_rows_read_for_a_release_know_what_was_due_and_when_it_was_done(app):
    # I4's rows from the database: a parent at a start-up meeting is due a phone follow-up 14 days
    # after it; a call that reached her by then is on time, a parent never reached is missing.
    from datetime import datetime, timedelta, timezone

    from app.cases.models import Case, Meeting
    from app.figures.facts import load
    from app.registrations.models import PhoneFollowUp

    period, day = last_years_quarter()
    org = organisation(app, {"Team Nord": (1, 1)}, day)
    with app.app_context():
        case = db.session.get(Case, org.cases["Team Nord"][0])
        mother = next(p for p in case.people if p.role == "mother")
        child = next(p for p in case.people if p.role == "child")
        father = type(mother)(role="father", first_name="Far")
        case.people.append(father)
        meeting = Meeting(case=case, kind="startup", held_on=day, participants=[mother, father, child])
        db.session.add(meeting)
        db.session.flush()
        called = datetime.combine(day + timedelta(days=3), datetime.min.time(), timezone.utc) + timedelta(hours=12)
        db.session.add(PhoneFollowUp(meeting_id=meeting.id, person_id=mother.id, reached=True, started="yes", helps=4,
                                     recorded_by_id=case.caseworker_id, recorded_at=called))
        db.session.commit()
        facts = load(parse(period))
    due = sorted((d.kind, d.state, d.due_on) for d in facts.due)
    assert due == [("phone_follow_up", "missing", day + timedelta(days=14)),
                   ("phone_follow_up", "on_time", day + timedelta(days=14))]  # the child is no parent


def test_the_rows_read_for_a_release_hold_each_factors_final_status_and_the_scorers(app, make):
    # D2's rows from the database: the final status in force (the newest), beside each status the
    # people asked gave the factor; a factor nobody scored is left out.
    from datetime import datetime, timezone

    from app.figures.facts import load
    from app.invitations.models import Invitation, Response

    period, day = last_years_quarter()
    team = make.team()
    ids = make.indicator_case(make.user(team=team))
    round_id = make.indicator_round(ids, held_on=day)
    make.final_scores(round_id, {"development": {"status": 4, "goal": 2}})
    make.final_scores(round_id, {"development": {"status": 2, "goal": 2}, "family": {"status": 3, "goal": 2}})
    with app.app_context():
        invitation = db.session.get(Invitation, ids.invitations["provider"])
        db.session.add(Response(invitation=invitation, instrument_id="indicators-child-family", instrument_version=1,
                                answers={"scores": {"development": {"status": 3}, "school": {"status": 2}}},
                                language="da", submitted_at=datetime.now(timezone.utc)))
        db.session.commit()
        facts = load(parse(period))
    assert [(f.factor, f.final, f.scorers) for f in facts.factors] == [("development", 2, (3,))]


def test_a_team_too_small_to_choose_cannot_be_worked_out_from_the_others(app, runner):
    # Rule 3 and 4: the organisation minus Team Nord minus Team Syd is Team Vest (2 children).
    period, day = last_years_quarter()
    org = organisation(app, {"Team Nord": (3, 6), "Team Syd": (3, 6), "Team Vest": (1, 2)}, day)
    runner.invoke(args=["figures", "release", "--period", period])
    [release] = _releases(app, period)

    def answered(filters=""):
        cell = next(c for c in _table(release, "I1", filters)["cells"] if c["key"] == ["parents", "answered"])
        return cell["count"]

    nord, syd = (answered(f"team={org.teams[name]}") for name in ("Team Nord", "Team Syd"))
    whole = answered()
    assert None in (nord, syd, whole) or whole - nord - syd >= 5


def test_the_rows_read_for_a_release_hold_each_status_asked_for_by_its_due_date(app, make):
    # I4's provider statuses: counted in the period they fall due in; not answered is missing.
    from app.figures.facts import load
    from app.figures.periods import Period

    team = make.team()
    ids = make.emma(make.user(team=team), open_round=False)
    make.goal(ids.case)
    make.status_request(ids, due_in=7)
    due_on = date.today() + timedelta(days=7)
    with app.app_context():
        facts = load(Period(due_on, due_on + timedelta(days=1), "span", "test"))
        later = load(Period(due_on + timedelta(days=1), due_on + timedelta(days=2), "span", "test"))
    assert [(d.kind, d.state, d.due_on) for d in facts.due] == [("provider_status", "missing", due_on)]
    assert later.due == ()
