"""Issue 15's remaining gaps in the first figures: P1 by method, F1's mean change, I4's indicator
rhythm, the leader's figures by department and team.

Every expected number is worked out by hand in the test from the rows it builds.
"""

import re
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from app.auth.models import Department, Team
from app.cases.models import CaseClosure, Meeting
from app.extensions import db
from app.figures import catalogue, facts, releases
from app.figures.disclosure import Cell, Rules, Table, protect
from app.figures.facts import Facts
from app.figures.models import FigureRelease
from app.figures.periods import parse
from app.registrations.models import MethodRegistration
from tests import figure_data
from tests.factories import login
from tests.test_figure_catalogue import IN_Q2, IN_Q3, Q3, given, row, vas

ADULT = "participation-adult"
HEARD = f"{ADULT}:heard_respected"


def p1(rows, meeting: str) -> dict:
    found = Facts(period=Q3, invitations=tuple(rows)).where(meeting=meeting)
    return {cell.key: cell for cell in catalogue.FIGURES["P1"].compute(found)}


# --- 1. P1 by method -------------------------------------------------------------------------------

def test_p1_by_method_follows_the_method_registration_before_the_meeting_kind(app):
    # FIGURES.md P1 "by method (family group conference, involving network meeting, other)": the
    # meeting's method registration decides where it has one, else its kind.
    def mother(case, answer, kind, method=None):
        return replace(row(case, "mother", kind=kind, answers=[given(ADULT, {"heard_respected": answer}, version=1)]),
                       method=method)

    rows = [mother(1, "5", "follow_up", "family_group_conference"),        # a follow-up registered as a conference
            mother(2, "3", "family_group_conference"),                     # no registration: its kind
            mother(3, "4", "family_group_conference", "other"),            # the conference failed: other
            mother(4, "2", "network_meeting"),                             # no registration: its kind
            mother(5, "1", "startup")]                                     # no registration: other
    with app.app_context():
        conference, network, other = (p1(rows, m) for m in facts.MEETING_GROUPS)
    # Conference: cases 1 and 2 answered 5 and 3: mean 4.0, one of two agrees.
    assert conference[(HEARD, "parents", "mean")].value == 4.0
    assert conference[(HEARD, "parents", "agree")].value == 50.0
    assert conference[(HEARD, "parents", "mean")].children == {1, 2}
    assert network[(HEARD, "parents", "mean")].children == {4}
    # Other: cases 3 and 5 answered 4 and 1: mean 2.5, one of two agrees.
    assert other[(HEARD, "parents", "mean")].value == 2.5
    assert other[(HEARD, "parents", "agree")].value == 50.0
    assert other[(HEARD, "parents", "mean")].children == {3, 5}


def _register(meeting: Meeting, method: str, status: str, worker: int, corrects: int | None = None) -> int:
    held = status == "held"
    registration = MethodRegistration(
        case_id=meeting.case_id, meeting_id=meeting.id, occurred_on=meeting.held_on, method=method, status=status,
        occasion="first", target_group="vulnerable", case_type="notification",
        failure_reason=None if held else "family_declined", outcome="continues",
        child_took_part=True if held else None, parents_took_part=True if held else None,
        network_count=2 if held else None, professional_count=1 if held else None, plan_coverage=4 if held else None,
        corrects_id=corrects, registered_by_id=worker)
    db.session.add(registration)
    db.session.flush()
    return registration.id


def test_the_release_reads_each_meetings_method_from_its_registration_in_force(app):
    code, day = figure_data.last_years_quarter()
    org = figure_data.organisation(app, {"Team Nord": (3, 4)}, day, kind="follow_up")
    with app.app_context():
        meetings = [db.session.scalar(select(Meeting).where(Meeting.case_id == case_id))
                    for case_id in org.cases["Team Nord"]]
        worker = org.workers["Team Nord"][0]
        _register(meetings[0], "family_group_conference", "held", worker)
        _register(meetings[1], "family_group_conference", "failed", worker)
        first = _register(meetings[2], "family_group_conference", "held", worker)
        _register(meetings[2], "network_meeting", "held", worker, corrects=first)  # the correction is in force
        db.session.commit()
        read = facts.load(parse(code))
    groups = {row.case_id: facts.group_of(row) for row in read.invitations}
    cases = org.cases["Team Nord"]
    assert groups == {cases[0]: "family_group_conference", cases[1]: "other", cases[2]: "network_meeting",
                      cases[3]: "other"}  # the fourth: a follow-up meeting without a registration


def test_unregistered_meetings_group_by_kind():
    assert [facts.meeting_group(kind) for kind in ("family_group_conference", "network_meeting", "follow_up")] == [
        "family_group_conference", "network_meeting", "other"]
    assert facts.meeting_group("follow_up", "family_group_conference") == "family_group_conference"


# --- 2. F1 mean change -----------------------------------------------------------------------------

def test_f1_mean_change_per_role_with_the_share_of_only_one_score_beside_it(app):
    # FIGURES.md F1: "mean change" (first → latest outcome score) per respondent role, only people
    # with two or more scores; "the share with only one shown beside it".
    outcome = "fit-outcome-child"
    rows = [
        # the child of case 1: 20 -> 30: +10
        row(1, "child", held_on=IN_Q2, person=11, answers=[given(outcome, vas(5, 5, 5, 5), IN_Q2)]),
        row(1, "child", held_on=IN_Q3, person=11, answers=[given(outcome, vas(7.5, 7.5, 7.5, 7.5))]),
        # the child of case 5: one score only
        row(5, "child", held_on=IN_Q3, person=51, answers=[given(outcome, vas(5, 5, 5, 5))]),
        # the mother of case 2: 28 -> 31 -> 34: first to latest +6 (the score between does not count)
        row(2, "mother", held_on=IN_Q2, person=21, answers=[given(outcome, vas(7, 7, 7, 7), IN_Q2)]),
        row(2, "mother", held_on=IN_Q2.replace(day=20), person=21,
            answers=[given(outcome, vas(7.75, 7.75, 7.75, 7.75), IN_Q2)]),
        row(2, "mother", held_on=IN_Q3, person=21, answers=[given(outcome, vas(8.5, 8.5, 8.5, 8.5))]),
        # the father of case 3: 30 -> 27: -3
        row(3, "father", held_on=IN_Q2, person=31, answers=[given(outcome, vas(7.5, 7.5, 7.5, 7.5), IN_Q2)]),
        row(3, "father", held_on=IN_Q3, person=31, answers=[given(outcome, vas(6.75, 6.75, 6.75, 6.75))]),
        # the mother of case 4: 36 -> 28: -8
        row(4, "mother", held_on=IN_Q2, person=41, answers=[given(outcome, vas(9, 9, 9, 9), IN_Q2)]),
        row(4, "mother", held_on=IN_Q3, person=41, answers=[given(outcome, vas(7, 7, 7, 7))]),
        # the child of case 6: latest score before the quarter: not in this quarter's figure
        row(6, "child", held_on=IN_Q2, person=61, answers=[given(outcome, vas(5, 5, 5, 5), IN_Q2)]),
        row(6, "child", held_on=IN_Q2, person=61, answers=[given(outcome, vas(9, 9, 9, 9), IN_Q2)]),
    ]
    with app.app_context():
        found = {c.key: c for c in catalogue.FIGURES["F1M"].compute(Facts(period=Q3, invitations=tuple(rows)))}
    assert set(found) == {("child", "mean_change"), ("child", "only_one"), ("parents", "mean_change"),
                          ("parents", "only_one")}
    assert found[("child", "mean_change")].value == 10.0            # one child: +10
    assert found[("child", "mean_change")].children == {1}          # the child with one score is not in the mean
    assert found[("child", "only_one")].value == 50.0               # 1 of 2 children
    assert found[("child", "only_one")].children == {1, 5}
    assert found[("parents", "mean_change")].value == -1.67         # (6 - 3 - 8) / 3
    assert found[("parents", "mean_change")].respondents == 3
    assert found[("parents", "only_one")].value == 0.0
    assert catalogue.FIGURES["F1M"].kind == "statistic"             # a mean needs k_stat children (rule 2)


# --- 3. I4 indicator rhythm ------------------------------------------------------------------------

def test_i4_counts_indicator_measurements_due_by_the_rhythm_on_time_late_or_missing(app, make):
    # FIGURES.md I4 "measurements due vs done (indicator rhythm)"; DESIGN.md F: intake, after 3
    # months, then every 6. Intake 10 October 2024: due 10 January 2025 in 2025-Q1, its window
    # from 25 November 2024 (half the 92 days before it) to 9 July 2025.
    intake = date(2024, 10, 10)
    worker = make.user("anne", team=make.team())
    cases = {}
    for name, measured_on in (("on_time", [intake, date(2025, 1, 8)]), ("late", [intake, date(2025, 2, 20)]),
                              ("missing", [intake]), ("closed", [intake])):
        ids = make.indicator_case(worker, intake=intake)
        for held_on in measured_on:
            make.indicator_round(ids, held_on)
        cases[name] = ids.case
    with app.app_context():
        # Closed on 1 December 2024, never re-opened: nothing falls due on a closed case.
        db.session.add(CaseClosure(case_id=cases["closed"], closed_on=date(2024, 12, 1), reason="other"))
        db.session.commit()
        read = facts.load(parse("2025-Q1"))
        due = sorted((row.case_id, row.due_on, row.state) for row in read.due if row.kind == "measurement")
        found = {c.key: (c.count, set(c.children)) for c in catalogue.FIGURES["I4"].compute(read)
                 if c.key[0] == "measurement"}
    assert due == [(cases["on_time"], date(2025, 1, 10), "on_time"), (cases["late"], date(2025, 1, 10), "late"),
                   (cases["missing"], date(2025, 1, 10), "missing")]
    assert found == {("measurement", "on_time"): (1, {cases["on_time"]}),
                     ("measurement", "late"): (1, {cases["late"]}),
                     ("measurement", "missing"): (1, {cases["missing"]})}
    # The intake measurement fell due in 2024-Q4 and was done on the day.
    with app.app_context():
        earlier = facts.load(parse("2024-Q4"))
    assert sorted(row.state for row in earlier.due if row.kind == "measurement") == ["on_time"] * 4


def test_the_schedules_coverage_is_the_due_lists_matching():
    # app/indicators/schedule.py: next_due reads coverage; a late measurement covers the date it was late for.
    from app.indicators import schedule

    intake = date(2024, 10, 10)
    found = schedule.coverage(intake, [intake, date(2025, 2, 20)])
    assert [next(found) for _ in range(3)] == [
        (intake, date(2024, 8, 25), date(2025, 1, 10), intake),
        (date(2025, 1, 10), date(2024, 11, 25), date(2025, 7, 10), date(2025, 2, 20)),
        (date(2025, 7, 10), date(2025, 4, 11), date(2026, 1, 10), None)]


# --- 4. the leader's figures by department and team ------------------------------------------------

def _count(filters, n, start, nests=()):
    cells = (Cell(key=("all",), count=n, children=frozenset(range(start, start + n))),) if n else ()
    return Table(figure="X", dimensions=("all",), kind="count", cells=cells, filters=filters, nests=nests)


@pytest.mark.parametrize("nested", [False, True], ids=["flat", "nested"])
def test_a_department_minus_one_of_its_teams_never_shows_a_hidden_team(nested):
    # FIGURES.md rules 3 and 4: department Nord holds teams A (30 children) and B (2: hidden, rule 2);
    # Syd holds C (20) and F (25). The teams add up to the organisation (77), so B's hiding hides
    # the smallest other team, C. Flat, nothing ties Nord to its teams: Nord 32 minus A 30 shows
    # B's 2. Nested (Table.nests), A + B = Nord is a line too, and A or Nord is hidden.
    def team(name, n, start, department):
        at = ("team", name)
        return _count((at,), n, start, ((at, ("department", department)),) if nested else ())

    tables = [_count((), 77, 0), team("A", 30, 0, "Nord"), team("B", 2, 30, "Nord"), team("C", 20, 32, "Syd"),
              team("F", 25, 52, "Syd"), _count((("department", "Nord"),), 32, 0),
              _count((("department", "Syd"),), 45, 32)]
    hidden = {(t.filters or (("", "organisation"),))[0][1]: shown[0].hidden for t, shown in protect(tables, Rules())}
    assert hidden["B"] == "primary"
    assert (hidden["A"] is not None or hidden["Nord"] is not None) == nested


def test_the_leader_chooses_departments_and_teams_refused_where_a_group_or_its_remainder_is_small(app, make, runner):
    # FIGURES.md rule 4 (a remainder below k_count cannot be chosen) and 5a (fewer than 3 case
    # workers behind a group hides it), for departments as for teams. Nord: Team A (3 case workers,
    # 12 children) and Team B (3, 3 children); Syd: Team C (3, 12); Vest: Team D (2 case workers, 12).
    # 39 children.
    period, day = figure_data.last_years_quarter()
    org = figure_data.organisation(app, {"Team A": (3, 12), "Team B": (3, 3), "Team C": (3, 12), "Team D": (2, 12)},
                                   day)
    make.user("boss", role="leader")
    with app.app_context():
        nord, syd, vest = Department(name="Nord"), Department(name="Syd"), Department(name="Vest")
        db.session.add_all([nord, syd, vest])
        db.session.flush()
        for team, department in (("Team A", nord), ("Team B", nord), ("Team C", syd), ("Team D", vest)):
            db.session.get(Team, org.teams[team]).department_id = department.id
        db.session.commit()
        ids = {"Nord": str(nord.id), "Syd": str(syd.id), "Vest": str(vest.id)}
    assert runner.invoke(args=["figures", "release", "--period", period]).exit_code == 0
    with app.app_context():
        stored = releases.latest(period)
        verdicts, tables = stored.filters, stored.tables
    team = {name: f"team={org.teams[name]}" for name in org.teams}
    assert verdicts[team["Team A"]] == "small_remainder"   # Nord minus Team A: 3 children
    assert verdicts[team["Team B"]] == "small_group"       # 3 children
    assert verdicts[team["Team C"]] is None                # 12 children, 3 case workers; the rest 27
    assert verdicts[team["Team D"]] == "few_caseworkers"   # 2 case workers
    assert verdicts[f"department={ids['Nord']}"] is None   # 15 children, 6 case workers; the rest 24
    assert verdicts[f"department={ids['Syd']}"] is None    # 12 children, 3 case workers
    assert verdicts[f"department={ids['Vest']}"] == "few_caseworkers"
    # Nord's figures are stored with Nord's 15 children; nothing of a refused group is stored.
    nord_i1 = next(t for t in tables if t["figure"] == "I1" and t["filters"] == f"department={ids['Nord']}")
    assert nord_i1["children"] == 15
    assert not [t for t in tables if t["filters"] in (f"department={ids['Vest']}", team["Team A"])]

    leader = _as(app, "boss")
    page = leader.get("/figures")
    assert page.status_code == 200 and 'name="department"' in page.text and 'name="team"' in page.text
    assert re.search(rf'<option value="{ids["Vest"]}" disabled>Vest – kan ikke vælges', page.text)
    chosen = leader.get(f"/figures?department={ids['Nord']}&meeting=network_meeting")
    assert chosen.status_code == 200 and 'id="figure-I1"' in chosen.text
    assert "Tallet hviler på 15 børn." in chosen.text
    printed = leader.get(f"/figures/print?department={ids['Nord']}")
    assert printed.status_code == 200 and "Tallet hviler på 15 børn." in printed.text
    # A leader comments on a department's figures; a department without figures is refused, kept as typed.
    form = {"figure": "I1", "period": period, "scope": f"department:{ids['Nord']}", "text": "Nord svarer godt."}
    assert leader.post("/figures/comment", data=form).status_code == 302
    assert "Nord svarer godt." in leader.get(f"/figures?department={ids['Nord']}").text
    unknown = leader.post("/figures/comment", data=form | {"scope": "department:999999", "text": "Ukendt."})
    assert unknown.status_code == 400 and "Den afdeling findes ikke." in unknown.text and "Ukendt." in unknown.text
    refused = leader.get(f"/figures?department={ids['Vest']}")
    assert refused.status_code == 400 and "færre end 3 rådgivere" in refused.text


@pytest.mark.parametrize("query, status, message", [
    ("department=1&team=1", 400, "Vælg et team eller en afdeling, ikke begge"),
    ("department=abc", 400, "Den afdeling findes ikke."),
    ("department=999999", 404, "Der er ingen tal for den afdeling"),
    ("department=1&department=2", 400, "Vælg højst én værdi for hvert filter."),
], ids=["both", "malformed", "unknown", "twice"])
def test_bad_department_filters_get_a_clear_message(app, make, runner, query, status, message):
    period, day = figure_data.last_years_quarter()
    figure_data.organisation(app, {"Team A": (3, 6)}, day)
    make.user("boss", role="leader")
    assert runner.invoke(args=["figures", "release", "--period", period]).exit_code == 0
    response = _as(app, "boss").get(f"/figures?{query}")
    assert response.status_code == status and message in response.text


def test_a_case_worker_cannot_choose_a_department(app, make, runner):
    period, day = figure_data.last_years_quarter()
    figure_data.organisation(app, {"Team A": (3, 6)}, day)
    assert runner.invoke(args=["figures", "release", "--period", period]).exit_code == 0
    response = _as(app, "teama-0").get("/figures?department=1")
    assert response.status_code == 403 and "Du kan kun se dit eget teams tal." in response.text


def test_a_release_made_before_departments_offers_none_and_refuses_one(app, make, runner):
    # Backward compatible: a release stored before departments has no "department=" keys; the page
    # offers no department and refuses one clearly. Such a release is stored here as the newest version.
    period, day = figure_data.last_years_quarter()
    org = figure_data.organisation(app, {"Team A": (3, 6)}, day)
    make.user("boss", role="leader")
    with app.app_context():
        nord = Department(name="Nord")
        db.session.add(nord)
        db.session.flush()
        db.session.get(Team, org.teams["Team A"]).department_id = nord.id
        db.session.commit()
        department = str(nord.id)
    assert runner.invoke(args=["figures", "release", "--period", period]).exit_code == 0
    leader = _as(app, "boss")
    assert 'name="department"' in leader.get("/figures").text
    with app.app_context():
        new = releases.latest(period)
        db.session.add(FigureRelease(
            period=new.period, scope=new.scope, version=new.version + 1, changes={}, children=new.children,
            rules=new.rules, filters={k: v for k, v in new.filters.items() if "department" not in k},
            tables=[t for t in new.tables if "department" not in t["filters"]]))
        db.session.commit()
    page = leader.get("/figures")
    assert page.status_code == 200 and 'name="department"' not in page.text and 'id="figure-I1"' in page.text
    refused = leader.get(f"/figures?department={department}")
    assert refused.status_code == 404 and "Der er ingen tal for den afdeling" in refused.text


def _as(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def _department_release(invitations: list[tuple], department_of: dict[str, str]) -> list[Table]:
    """tests/test_disclosure_audit.py's release, with departments: each department's tables (alone
    and with a kind of meeting), and each team's nested in its department's."""
    from itertools import product

    from tests.test_disclosure_audit import KINDS, ROLES, STATES

    teams = sorted({row[0] for row in invitations})
    departments = sorted(set(department_of.values()))
    choices = [()] + [(("team", t),) for t in teams] + [(("department", d),) for d in departments]
    choices += [(("kind", k),) for k in KINDS] + [(("team", t), ("kind", k)) for t in teams for k in KINDS]
    choices += [(("department", d), ("kind", k)) for d in departments for k in KINDS]
    tables = []
    for filters in choices:
        wanted = dict(filters)
        rows = [r for r in invitations if r[0] == wanted.get("team", r[0]) and r[3] == wanted.get("kind", r[3])
                and department_of[r[0]] == wanted.get("department", department_of[r[0]])]
        nested = (((("team", wanted["team"]), ("department", department_of[wanted["team"]])),)
                  if "team" in wanted else ())
        cells = []
        for role, state in product(ROLES, STATES):
            here = [r for r in rows if r[4] == role and r[5] == state]
            if here:
                cells.append(Cell((role, state), len(here), frozenset(r[2] for r in here),
                                  members=frozenset(r[1] for r in here) if filters else None))
        tables.append(Table("I1", ("role", "state"), "count", tuple(cells), filters, nests=nested))
    return tables


@pytest.mark.parametrize("seed", [0, 1, 2, 3], ids=lambda s: f"seed-{s}")
def test_rule_7_holds_with_teams_nested_in_departments(seed):
    # FIGURES.md rule 7 with the leader's departments: a reader who knows that a department's teams
    # add up to it (and its teams with a kind of meeting to it with that kind), and that the
    # departments add up to the organisation, still cannot narrow any hidden cell, or any small
    # remainder of a team within its department, below k_count.
    from tests.test_disclosure_audit import (
        Attack,
        organisation,
        small_remainders,
        truth,
    )

    # Two generated organisations side by side: four to six teams, so a department holds two or more.
    invitations = organisation(seed) + [(f"other-{team}", 1000 + worker, 100_000 + child, kind, role, state)
                                        for team, worker, child, kind, role, state in organisation(seed + 10)]
    teams = sorted({row[0] for row in invitations})
    department_of = {team: "d0" if i % 2 == 0 else "d1" for i, team in enumerate(teams)}
    rules = Rules(k_count=5, k_stat=10)
    tables = _department_release(invitations, department_of)
    protected = protect(tables, rules)
    attack, true = Attack(protected, rules), truth(tables)
    keys = list(dict.fromkeys(cell.key for _, shown in protected for cell in shown))

    def at(filters, key):
        return ("I1", filters, key)

    targets = [({cell: 1}, cell) for cell in attack.hidden]
    for kind in [None, *sorted({r[3] for r in invitations})]:
        with_kind = (("kind", kind),) if kind else ()
        for key in keys:
            whole = at(with_kind, key)
            parts = [at((("department", d),) + with_kind, key) for d in sorted(set(department_of.values()))]
            if whole in attack.index and all(p in attack.index for p in parts):
                attack.equal.append({p: 1 for p in parts} | {whole: -1})
            for department in sorted(set(department_of.values())):
                outer = at((("department", department),) + with_kind, key)
                inner = [at((("team", t),) + with_kind, key) for t in teams if department_of[t] == department]
                if outer in attack.index:
                    attack.equal.append({p: 1 for p in inner if p in attack.index} | {outer: -1})
                    attack.below += [{p: 1, outer: -1} for p in inner if p in attack.index]
                    cells = {c.key: c for t in tables if t.filters == outer[1] for c in t.cells}
                    for team in inner:
                        mine = {c.key: c for t in tables if t.filters == team[1] for c in t.cells}
                        if key in cells and 0 < len(cells[key].children - (mine[key].children if key in mine
                                                                             else frozenset())) < rules.k_count:
                            targets.append(({outer: 1, team: -1}, ("the remainder of", team, "in", outer)))
    for filtered, parent in small_remainders(tables, rules.k_count):
        targets.append(({parent: 1, filtered: -1}, ("the remainder of", filtered, "in", parent)))
    assert attack.hidden, "the generated organisation should have small cells"
    values = [sum(true.get(cell, 0) * weight for cell, weight in target.items()) for target, _ in targets]
    narrow = [targets[i][1] for i in attack.narrow([target for target, _ in targets], values)]
    assert not narrow, f"{len(narrow)} hidden cells narrowed below {rules.k_count}: {narrow[:5]}"
