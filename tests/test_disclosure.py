"""The disclosure engine, rule by rule (FIGURES.md "Disclosure rules (never broken)").

Each test names the rule it checks. Tables are written as {key: children} (a count resting on that
many distinct children, one invitation each) unless a test needs counts and children apart.
"""

from itertools import count
from random import Random

import pytest

from app.figures.bounds import Bounds
from app.figures.disclosure import (
    FLOOR,
    TOTAL,
    Cell,
    Rules,
    Table,
    complete,
    filter_allowed,
    protect,
    publishable,
    round_to_five,
)

_ids = count(1)


def children(n: int) -> frozenset[int]:
    """Return n children no other cell rests on."""
    return frozenset(next(_ids) for _ in range(n))


def counts(spec: dict, dimensions=("role", "state"), figure="I1", filters=()) -> Table:
    """Return a count table from {key: children}; each child gives one invitation."""
    return Table(figure, dimensions, "count",
                 tuple(Cell(key, n, children(n)) for key, n in spec.items()), filters)


def shown(table: Table, rules: Rules = Rules()) -> dict:
    """Return {key: Shown} for one table protected alone."""
    [(_, cells)] = protect([table], rules)
    return {cell.key: cell for cell in cells}


def hidden(table: Table, rules: Rules = Rules()) -> set:
    return {key for key, cell in shown(table, rules).items() if cell.hidden}


# --- rule 1: the unit is the child ------------------------------------------------------------

@pytest.mark.parametrize("invitations, kids, respondents, is_hidden", [
    (6, 2, None, True),    # rule 1: six answers from two children are two children
    (6, 5, None, False),
    (20, 4, None, True),
    (6, 5, 4, True),       # rule 1: where respondents are counted, both must pass
    (6, 5, 5, False),
    (12, 6, 12, False),
], ids=["6-answers-2-children", "6-answers-5-children", "20-answers-4-children",
        "5-children-4-respondents", "5-children-5-respondents", "6-children-12-respondents"])
def test_rule_1_thresholds_count_distinct_children(invitations, kids, respondents, is_hidden):
    table = Table("I1", ("role",), "count", (
        Cell(("mother",), invitations, children(kids), respondents),
        Cell(("father",), 30, children(30), 30 if respondents else None),
        Cell(("child",), 30, children(30), 30 if respondents else None),
    ))
    assert (shown(table)[("mother",)].hidden is not None) is is_hidden


def test_rule_1_a_total_rests_on_its_cells_children_once():
    same = children(3)
    table = Table("I1", ("role", "state"), "count", (
        Cell(("mother", "answered"), 3, same), Cell(("mother", "declined"), 3, same)))
    cells = shown(table)
    assert cells[("mother", TOTAL)].hidden == "primary"  # six invitations, three children
    assert cells[(TOTAL, TOTAL)].hidden == "primary"


# --- rule 2: primary suppression --------------------------------------------------------------

@pytest.mark.parametrize("k_count, kids, reason", [
    (5, 0, None),          # rule 2: an empty cell rests on nobody and is shown as 0
    (5, 1, "primary"),
    (5, 4, "primary"),
    (5, 5, None),
    (8, 7, "primary"),
    (8, 8, None),
    (1, 2, "primary"),     # rule 2: never below Statistics Denmark's floor of 3
    (0, 2, "primary"),
    (-4, 2, "primary"),
    (1, FLOOR, None),
], ids=["k5-0", "k5-1", "k5-4", "k5-5", "k8-7", "k8-8", "k1-2-floor", "k0-2-floor", "kneg-2-floor", "k1-3"])
def test_rule_2_counts_on_fewer_than_k_count_children_are_hidden(k_count, kids, reason):
    big = max(k_count, FLOOR) * 3
    table = counts({("mother", "answered"): kids, ("mother", "declined"): big,
                    ("father", "answered"): big, ("father", "declined"): big})
    cell = shown(table, Rules(k_count=k_count))[("mother", "answered")]
    assert cell.hidden == reason
    if reason is None:
        assert cell.count == kids and cell.children == kids


# --- rule 3: complementary suppression --------------------------------------------------------

def test_rule_3_one_hidden_cell_in_a_row_takes_the_next_smallest_with_it():
    table = counts({("mother", "answered"): 12, ("mother", "declined"): 2, ("mother", "expired"): 7,
                    ("father", "answered"): 20, ("father", "declined"): 9, ("father", "expired"): 30})
    cells = shown(table)
    assert cells[("mother", "declined")].hidden == "primary"
    assert cells[("mother", "expired")].hidden == "complementary"  # the row's next smallest
    assert cells[("father", "declined")].hidden == "complementary"  # the column's next smallest
    assert cells[("mother", TOTAL)].count == 21
    assert cells[(TOTAL, TOTAL)].count == 80
    assert_every_line_safe(cells, Rules())


def test_rule_3_hidden_cells_resting_on_fewer_than_k_count_children_take_one_more():
    table = counts({("child",): 1, ("mother",): 2, ("father",): 6, ("network",): 40}, dimensions=("role",))
    assert hidden(table) == {("child",), ("mother",), ("father",)}  # 1 + 2 < 5, so the 6 too


def test_rule_3_hidden_cells_counting_fewer_than_k_count_take_one_more():
    # Rule 3: six invitations, but resting on the same three children together.
    three = children(3)
    table = Table("I1", ("role",), "count", (
        Cell(("mother",), 3, three), Cell(("father",), 3, three), Cell(("child",), 9, children(9)),
        Cell(("network",), 20, children(20))))
    assert hidden(table) == {("mother",), ("father",), ("child",)}


def test_rule_3_a_hidden_total_takes_the_neighbouring_total_with_it():
    table = counts({("mother", "answered"): 2, ("mother", "declined"): 1,
                    ("father", "answered"): 10, ("father", "declined"): 12,
                    ("child", "answered"): 20, ("child", "declined"): 25})
    cells = shown(table)
    assert cells[("mother", TOTAL)].hidden == "primary"  # the mother's row rests on 3 children
    assert cells[("father", TOTAL)].hidden == "complementary"  # else the totals column gives it back


def test_rule_3_no_line_is_left_with_one_hidden_cell_or_a_small_hidden_sum():
    table = counts({(role, state): n for (role, state), n in zip(
        [(r, s) for r in ("child", "mother", "father", "network") for s in ("answered", "declined", "expired")],
        [1, 7, 3, 12, 2, 9, 4, 4, 30, 0, 6, 2])})
    assert_every_line_safe(shown(table), Rules())


def assert_every_line_safe(cells: dict, rules: Rules, table: Table | None = None) -> None:
    """Rule 3 as a reader would check it: no line with exactly one hidden cell; given the raw
    table, no line whose hidden cells (its total shown) add up to fewer than k_count."""
    raw = {} if table is None else {cell.key: cell.count for cell in table.cells}
    keys = list(cells)
    dims = len(keys[0])
    for d in range(dims):
        for total in [key for key in keys if key[d] == TOTAL]:
            parts = [key for key in keys if key[d] != TOTAL and all(key[i] == total[i] for i in range(dims) if i != d)]
            gone = [key for key in parts + [total] if cells[key].hidden]
            assert len(gone) != 1, f"one hidden cell in the line of {total}"
            if table is not None and gone and not cells[total].hidden:
                assert sum(raw_count(raw, key) for key in gone) >= rules.k_count, f"a small hidden sum in {total}"


def raw_count(raw: dict, key: tuple) -> int:
    return sum(n for k, n in raw.items() if all(v == TOTAL or v == kv for v, kv in zip(key, k)))


SEEDS = range(40)


@pytest.mark.parametrize("seed", SEEDS, ids=[f"seed-{seed}" for seed in SEEDS])
def test_rule_3_holds_on_every_line_of_generated_tables(seed):
    rng = Random(seed)
    rows, columns = rng.randint(1, 5), rng.randint(1, 5)
    table = counts({(f"r{r}", f"c{c}"): rng.choice((0, 1, 2, 3, 4, 5, 8, 13, 30))
                    for r in range(rows) for c in range(columns)})
    rules = Rules(k_count=rng.choice((3, 5, 7)), round_to_five=rng.random() < 0.3)
    cells = shown(table, rules)
    assert_every_line_safe(cells, rules, table)
    assert all(cells[key].hidden for key, cell in cells.items() if 0 < raw_count(
        {c.key: len(c.children) for c in table.cells}, key) < rules.k_count)


def test_rule_3_hidden_cells_are_protected_down_every_column_too():
    table = counts({("mother", "answered"): 30, ("mother", "declined"): 3,
                    ("father", "answered"): 25, ("father", "declined"): 20,
                    ("child", "answered"): 40, ("child", "declined"): 22})
    cells = shown(table)
    assert cells[("mother", "declined")].hidden == "primary"
    assert cells[("father", "declined")].hidden == "complementary"  # the declined column's next smallest
    assert cells[(TOTAL, "declined")].count == 45  # the column's total still shown


# --- rule 2: means, shares and distributions ------------------------------------------------

@pytest.mark.parametrize("k_stat, kids, respondents, reason", [
    (10, 9, None, "primary"),     # rule 2: a mean needs k_stat children
    (10, 10, None, None),
    (10, 12, 9, "primary"),       # rule 1: and as many respondents
    (10, 0, None, "primary"),     # a mean of nothing is not shown
    (2, 2, None, "primary"),      # rule 2: k_stat is never below the floor of 3
    (2, 3, None, None),
], ids=["k10-9", "k10-10", "k10-9-respondents", "k10-none", "k2-2-floor", "k2-3"])
def test_rule_2_means_and_shares_need_k_stat_children(k_stat, kids, respondents, reason):
    table = Table("P1", ("role",), "statistic", (Cell(("mother",), kids, children(kids), respondents, value=4.2),))
    cell = shown(table, Rules(k_stat=k_stat))[("mother",)]
    assert cell.hidden == reason
    assert (cell.value, cell.count) == ((4.2, kids) if reason is None else (None, None))


def test_rule_2_a_count_that_carries_a_mean_needs_k_stat_children():
    table = Table("I1", ("role",), "count", (Cell(("mother",), 8, children(8), value=0.5),
                                             Cell(("father",), 40, children(40))))
    assert shown(table)[("mother",)].hidden == "primary"


def distribution(rows: dict) -> Table:
    """Return a distribution table from {row: [children in each category]}."""
    return Table("G1", ("role", "answer"), "distribution", tuple(
        Cell((row, str(answer)), n, children(n)) for row, spread in rows.items()
        for answer, n in enumerate(spread, start=1)))


@pytest.mark.parametrize("spread, reason", [
    ([3, 3, 4], None),                # rule 2: ten children, spread out
    ([3, 3, 3], "primary"),           # nine children: below k_stat
    ([0, 6, 0], "primary"),
    ([10, 4, 0], "distribution"),     # rule 2: all but four in one category
    ([0, 12, 0], "distribution"),     # everyone answered the same
    ([10, 3, 2], None),               # five outside the biggest category
    ([1, 1, 1, 1, 20], "distribution"),
], ids=["3-3-4", "3-3-3", "0-6-0", "10-4-0", "0-12-0", "10-3-2", "1-1-1-1-20"])
def test_rule_2_distributions_that_would_tell_each_answer_are_hidden(spread, reason):
    cells = shown(distribution({"parents": spread}))
    assert {cell.hidden for cell in cells.values()} == {reason}  # a row is hidden as a whole


def test_rule_2_a_distribution_shows_shares_of_its_row():
    cells = shown(distribution({"parents": [2, 3, 5], "child": [1, 1, 1]}))
    assert [cells[("parents", a)].value for a in "123"] == [0.2, 0.3, 0.5]
    assert [cells[("child", a)].hidden for a in "123"] == ["primary"] * 3


# --- rule 4: filters ----------------------------------------------------------------------------

def family(parent_spec: dict, team_spec: dict, members=None):
    """Return the organisation's table and one team's, the team's children part of the organisation's."""
    parent_cells, team_cells = [], []
    for key, n in parent_spec.items():
        mine = team_spec.get(key, 0)
        kids = children(n)
        team_kids = frozenset(sorted(kids)[:mine])
        parent_cells.append(Cell(key, n, kids, members=members and frozenset(range(9))))
        if mine:
            team_cells.append(Cell(key, mine, team_kids, members=members and frozenset(range(members))))
    return (Table("I1", ("role",), "count", tuple(parent_cells)),
            Table("I1", ("role",), "count", tuple(team_cells), (("team", "north"),)))


def test_rule_4_a_small_remainder_is_hidden_through_the_filtered_or_the_parent_cell():
    parent, team = family({("mother",): 30, ("father",): 40, ("child",): 50},
                          {("mother",): 28, ("father",): 20, ("child",): 25})
    [(_, whole), (_, mine)] = protect([parent, team], Rules())
    whole, mine = {c.key: c for c in whole}, {c.key: c for c in mine}
    # The mother's cell: 30 in all, 28 in the team, so 2 elsewhere; both shown would give the 2 away.
    assert mine[("mother",)].hidden == "filter"  # the smaller of the two goes
    assert mine[("father",)].hidden == "complementary"  # and then the team's line needs a second
    assert not any(cell.hidden for cell in whole.values())


def test_rule_4_the_remainder_is_protected_along_its_own_lines():
    parent, team = family({("mother",): 30, ("father",): 40, ("child",): 50},
                          {("mother",): 28, ("father",): 20, ("child",): 25})
    [(_, whole), (_, mine)] = protect([parent, team], Rules())
    shown_whole = {c.key: c.count for c in whole if not c.hidden}
    shown_mine = {c.key: c.count for c in mine if not c.hidden}
    derivable = {key for key in shown_whole if key in shown_mine}
    # What the two tables give of the remainder must not leave the mother's 2 alone in its line.
    assert ("mother",) not in derivable
    assert (TOTAL,) not in derivable or len({("father",), ("child",)} - derivable) >= 1


@pytest.mark.parametrize("team_spec, reason", [
    ({("mother",): 10, ("father",): 10}, None),
    ({("mother",): 2, ("father",): 2}, "group"),         # rule 4: the team's own group is too small
    ({("mother",): 28, ("father",): 39}, "remainder"),   # rule 4: everyone but three children
    ({("mother",): 30, ("father",): 40}, None),          # the team is everyone: no remainder to tell
], ids=["both-large", "group-small", "remainder-small", "no-remainder"])
def test_rule_4_a_filter_value_that_would_reveal_a_small_group_cannot_be_chosen(team_spec, reason):
    parent, team = family({("mother",): 30, ("father",): 40}, team_spec)
    assert filter_allowed(parent, team, Rules()) == reason


def test_rule_4_more_than_two_filters_are_refused():
    parent, team = family({("mother",): 30}, {("mother",): 10})
    three = Table("I1", ("role",), "count", team.cells, (("team", "a"), ("kind", "first"), ("method", "fgc")))
    with pytest.raises(ValueError, match="at most 2"):
        protect([parent, three], Rules())
    with pytest.raises(ValueError, match="at most 2"):
        filter_allowed(parent, three, Rules())


def test_rule_4_a_filtered_table_needs_its_parent_in_the_same_call():
    _, team = family({("mother",): 30}, {("mother",): 10})
    with pytest.raises(ValueError, match="unfiltered"):
        protect([team], Rules())


def test_rule_4_a_two_filter_table_is_tied_to_the_organisation_too():
    """Found by the audit: the organisation minus one team's first meetings is a remainder as well."""
    org = counts({("mother", "answered"): 40, ("mother", "declined"): 9})
    kids = {c.key: sorted(c.children) for c in org.cells}
    team = Table("I1", ("role", "state"), "count", (
        Cell(("mother", "answered"), 20, frozenset(kids[("mother", "answered")][:20])),
        Cell(("mother", "declined"), 9, frozenset(kids[("mother", "declined")]))), (("team", "a"),))
    both = Table("I1", ("role", "state"), "count", (
        Cell(("mother", "answered"), 20, frozenset(kids[("mother", "answered")][:20])),
        Cell(("mother", "declined"), 6, frozenset(kids[("mother", "declined")][:6]))),
        (("team", "a"), ("kind", "first")))
    kind = Table("I1", ("role", "state"), "count", both.cells, (("kind", "first"),))
    result = {table.filters: {c.key: c for c in cells} for table, cells in protect([org, team, kind, both], Rules())}
    # Everyone's declined minus the team's first meetings' declined: 3 children.
    assert result[()][("mother", "declined")].hidden or result[both.filters][("mother", "declined")].hidden


# --- rule 5a: no figure about one colleague -----------------------------------------------------

@pytest.mark.parametrize("workers, min_members, reason", [
    (1, 3, "members"),   # rule 5a: a team of one is one colleague
    (2, 3, "members"),
    (3, 3, None),
    (3, 4, "members"),
    (2, 1, "members"),   # never fewer than 3, whatever the settings say
], ids=["1-of-3", "2-of-3", "3-of-3", "3-of-4", "2-floor"])
def test_rule_5a_a_cell_resting_on_too_few_case_workers_is_hidden(workers, min_members, reason):
    table = Table("I1", ("team",), "count", (
        Cell(("north",), 20, children(20), members=frozenset(range(workers))),
        Cell(("south",), 30, children(30), members=frozenset(range(10, 20))),
        Cell(("east",), 30, children(30), members=frozenset(range(20, 30)))))
    assert shown(table, Rules(min_members=min_members))[("north",)].hidden == reason


def test_rule_5a_a_small_teams_empty_cells_are_hidden_with_it():
    table = Table("I1", ("team", "state"), "count", (
        Cell(("north", "answered"), 20, children(20), members=frozenset({1, 2})),
        Cell(("south", "answered"), 30, children(30), members=frozenset(range(10, 20))),
        Cell(("south", "declined"), 8, children(8), members=frozenset(range(10, 15))),
        Cell(("east", "answered"), 30, children(30), members=frozenset(range(20, 30))),
        Cell(("east", "declined"), 9, children(9), members=frozenset(range(20, 30)))))
    cells = shown(table)
    assert cells[("north", TOTAL)].hidden == "members"
    assert cells[("north", "declined")].hidden == "members"  # "none declined" is about the two too


def test_rule_5a_a_statistic_resting_on_too_few_case_workers_is_hidden():
    table = Table("F2", ("team",), "statistic", (
        Cell(("north",), 40, children(40), members=frozenset({1, 2}), value=0.3),))
    assert shown(table)[("north",)].hidden == "members"


# --- rule 6: rounding to 5 ----------------------------------------------------------------------

@pytest.mark.parametrize("number, rounded", [(0, 0), (2, 0), (3, 5), (5, 5), (7, 5), (8, 10), (12, 10), (13, 15)],
                         ids=lambda value: str(value))
def test_rule_6_counts_round_to_the_nearest_5(number, rounded):
    assert round_to_five(number) == rounded


def test_rule_6_totals_are_rounded_from_the_unrounded_counts():
    table = counts({("mother",): 7, ("father",): 7, ("child",): 7}, dimensions=("role",))
    cells = shown(table, Rules(round_to_five=True))
    assert [cells[(role,)].count for role in ("mother", "father", "child")] == [5, 5, 5]
    assert cells[(TOTAL,)].count == 20  # 21 rounded, not 5 + 5 + 5
    assert cells[(TOTAL,)].children == 20


def test_rule_6_without_rounding_the_counts_are_exact():
    table = counts({("mother",): 7, ("father",): 8}, dimensions=("role",))
    assert shown(table)[(TOTAL,)].count == 15
    assert shown(table)[("mother",)].count == 7


def test_rule_6_shares_are_computed_from_the_published_numbers():
    table = Table("I2", ("age",), "statistic", (
        Cell(("12-17",), 22, children(22), value=8 / 22, numerator=8),))
    assert shown(table, Rules(round_to_five=True))[("12-17",)].value == 10 / 20
    assert shown(table)[("12-17",)].value == 8 / 22
    cells = shown(distribution({"parents": [7, 7, 8]}), Rules(round_to_five=True))
    assert [cells[("parents", a)].value for a in "123"] == [5 / 20, 5 / 20, 10 / 20]


# --- the interface ------------------------------------------------------------------------------

def test_tables_come_back_in_the_order_given_with_their_totals_lines():
    one = counts({("mother", "answered"): 10, ("father", "declined"): 12})
    two = counts({("child",): 30}, dimensions=("role",), figure="I2")
    result = protect([two, one], Rules())
    assert [table for table, _ in result] == [two, one]
    assert [cell.key for cell in result[1][1]] == [
        ("mother", "answered"), ("mother", "declined"), ("mother", TOTAL),
        ("father", "answered"), ("father", "declined"), ("father", TOTAL),
        (TOTAL, "answered"), (TOTAL, "declined"), (TOTAL, TOTAL)]
    assert result[1][1][1].count == 0  # a combination without children is shown as 0


@pytest.mark.parametrize("table, message", [
    (Table("I1", ("role",), "count", (Cell(("total",), 3, frozenset({1})),)), "adds the totals"),
    (Table("I1", ("role",), "count", (Cell(("a", "b"), 3, frozenset({1})),)), "does not match"),
    (Table("I1", ("role",), "count", (Cell(("a",), -1, frozenset()),)), "negative"),
    (Table("I1", ("role",), "count", (Cell(("a",), 1, frozenset({1})), Cell(("a",), 1, frozenset({2})))), "twice"),
    (Table("I1", ("role",), "pie", ()), "unknown kind"),
], ids=["total-key", "key-length", "negative", "duplicate", "kind"])
def test_malformed_tables_are_refused(table, message):
    with pytest.raises(ValueError, match=message):
        protect([table], Rules())


def test_publishable_and_complete():
    [(_, cells)] = protect([counts({("mother",): 30, ("father",): 2}, dimensions=("role",))], Rules())
    assert publishable(cells) and not complete(cells)
    [(_, cells)] = protect([counts({("mother",): 30, ("father",): 20}, dimensions=("role",))], Rules())
    assert complete(cells)


# --- the chains a reader can follow (app/figures/bounds.py) -------------------------------------

@pytest.mark.parametrize("published, cell, low, high, resting_on", [
    # rule 3: one line a + b = total; a and the total published give b exactly
    ({0: 4, 2: 10}, 1, 6, 6, {0, 2}),
    # only the total published: b anywhere from 0 to 10
    ({2: 10}, 1, 0, 10, {2}),
    # the chain: line 2 (c + d = 6) caps c, line 3 (a + c = 12) then lifts a, line 1 caps b
    ({2: 10, 5: 12, 6: 6}, 1, 0, 4, {2, 5, 6}),
], ids=["one-line", "total-only", "chain"])
def test_bounds_follow_every_line_a_reader_can_add_up(published, cell, low, high, resting_on):
    # cells: 0 a, 1 b, 2 a + b, 3 c, 4 d, 5 a + c, 6 c + d
    lines = [([0, 1], 2), ([3, 4], 6), ([0, 3], 5)]
    bounds = Bounds(lines, [published.get(i, 0) for i in range(7)],
                    [published.get(i, float("inf")) for i in range(7)], [i in published for i in range(7)])
    assert (bounds.low[cell], bounds.high[cell]) == (low, high)
    assert bounds.resting_on(cell) == resting_on


# --- rule 4 for means, shares and distributions ------------------------------------------------

def test_rule_4_a_filtered_mean_whose_remainder_is_small_is_hidden():
    everyone = children(30)
    team = frozenset(sorted(everyone)[:24])
    parent = Table("P1", ("role",), "statistic", (Cell(("mother",), 30, everyone, value=3.1),
                                                  Cell(("father",), 30, everyone, value=2.9)))
    filtered = Table("P1", ("role",), "statistic", (Cell(("mother",), 24, team, value=3.0),
                                                    Cell(("father",), 12, frozenset(sorted(everyone)[:12]), value=2.5)),
                     (("team", "north"),))
    [(_, whole), (_, mine)] = protect([parent, filtered], Rules())
    mine = {cell.key: cell for cell in mine}
    assert mine[("mother",)].hidden == "filter"  # rule 4: the other six children's mean would follow
    assert mine[("father",)].hidden is None      # eighteen children outside the team: fine
    assert all(cell.hidden is None for cell in whole)


def test_rule_4_a_filtered_distribution_whose_remainder_would_tell_each_answer_is_hidden():
    answers = {a: children(n) for a, n in (("1", 10), ("2", 10), ("3", 10))}
    parent = Table("G1", ("role", "answer"), "distribution",
                   tuple(Cell(("parents", a), len(kids), kids) for a, kids in answers.items()))
    # The team has everyone but four of answer 3: the remainder is "all four answered 3".
    mine = {a: frozenset(sorted(kids)[: (6 if a == "3" else 10)]) for a, kids in answers.items()}
    filtered = Table("G1", ("role", "answer"), "distribution",
                     tuple(Cell(("parents", a), len(kids), kids) for a, kids in mine.items()), (("team", "north"),))
    [(_, whole), (_, mine)] = protect([parent, filtered], Rules())
    assert {cell.hidden for cell in mine} == {"filter"}
    assert {cell.hidden for cell in whole} == {None}


def test_rule_4_teams_adding_up_to_the_organisation_are_a_line():
    org = children(20)
    kids = sorted(org)
    parent = Table("I1", ("role",), "count", (Cell(("mother",), 20, org), Cell(("father",), 40, children(40))))
    father = sorted(parent.cells[1].children)
    north = Table("I1", ("role",), "count", (Cell(("mother",), 17, frozenset(kids[:17])),
                                             Cell(("father",), 20, frozenset(father[:20]))), (("team", "north"),))
    south = Table("I1", ("role",), "count", (Cell(("mother",), 3, frozenset(kids[17:])),
                                             Cell(("father",), 20, frozenset(father[20:]))), (("team", "south"),))
    result = {t.filters: {c.key: c for c in cells} for t, cells in protect([parent, north, south], Rules())}
    assert result[south.filters][("mother",)].hidden == "primary"
    # The organisation's 20 minus the north team's 17 would give the south's 3.
    assert result[()][("mother",)].hidden or result[north.filters][("mother",)].hidden


@pytest.mark.parametrize("team_size, team_hidden", [(1000, False), (1997, True), (2000, False)],
                         ids=["half", "all-but-3", "everyone"])
def test_rule_4_large_groups_are_judged_as_small_ones(team_size, team_hidden):
    """The remainder's children are worked out only as far as the thresholds need (app/figures/disclosure._rest)."""
    parent, team = family({("mother",): 2000, ("father",): 3000}, {("mother",): team_size, ("father",): 1500})
    [(_, whole), (_, mine)] = protect([parent, team], Rules())
    mine = {cell.key: cell for cell in mine}
    assert (mine[("mother",)].hidden is not None) is team_hidden
    assert all(cell.hidden is None for cell in whole)


def test_rule_3_the_same_number_in_two_figures_is_hidden_in_both():
    """The children one figure rests on, shown beside another's: the same group, the same number."""
    small, large = children(4), children(30)
    i1 = Table("I1:children", ("all",), "count", (Cell(("all",), 4, small),))
    p1 = Table("P1:children", ("group",), "count", (Cell(("parents",), 4, small), Cell(("child",), 30, large)))
    result = {table.figure: {c.key: c for c in cells} for table, cells in protect([i1, p1], Rules())}
    assert result["I1:children"][("all",)].hidden == "primary"
    assert result["P1:children"][("parents",)].hidden == "primary"
    big = children(40)
    i1 = Table("I1:children", ("all",), "count", (Cell(("all",), 40, big),))
    p1 = Table("P1:children", ("group",), "count", (Cell(("parents",), 40, big), Cell(("child",), 3, children(3))))
    result = {table.figure: {c.key: c for c in cells} for table, cells in protect([i1, p1], Rules())}
    assert result["P1:children"][("parents",)].hidden == "complementary"  # its line's partner
    assert result["I1:children"][("all",)].hidden == "complementary"  # so not shown in I1 either


# Rule 7 (FIGURES.md): chains that only adding several lines up at once finds. Each case is one
# release, and bound propagation alone (one line at a time) leaves a hidden cell narrower than
# k_count in it; the engine's linear programs (app/figures/feasible.py) must close it.
#
# "2 x 2 with two teams": the organisation's 2 x 2 table shows its margins (5, 5, 5, 5); team 2's
# shows two empty corners, so its other two corners add up to its total of 5; with the
# organisation's rows and columns that caps the organisation's (a, x), truly 1, at 2.5.
# Rows: (child, team, p, q).
TWO_BY_TWO = [(1, "1", "a", "x"), (2, "2", "b", "x"), (3, "2", "b", "x"), (4, "2", "a", "y"), (6, "1", "b", "y"),
              (7, "1", "a", "y"), (8, "2", "a", "y"), (9, "1", "a", "y"), (10, "1", "b", "x"), (11, "2", "b", "x")]


def _team_tables(rows, figure="A", population=None):
    tables = []
    for filters in [(), (("team", "1"),), (("team", "2"),)]:
        cells: dict = {}
        for child, team, p, q in rows:
            if not filters or team == filters[0][1]:
                cells.setdefault((p, q), []).append(child)
        tables.append(Table(figure, ("p", "q"), "count",
                            tuple(Cell(k, len(v), frozenset(v)) for k, v in sorted(cells.items())), filters,
                            population=population))
    return tables


def _by_other_grouping(rows):
    """The same rows grouped by another pair of dimensions, as K7 groups K1's meetings."""
    regroup = {"a": "m", "b": "n"}
    return [(child, team, regroup[p] if child % 3 else "o", "c" if child % 2 else "d") for child, team, p, q in rows]


RULE_7_CASES = {
    "2 x 2 with two teams": lambda: _team_tables(TWO_BY_TWO),
    "2 x 2 with two teams, beside a figure of the same meetings": lambda: (
        _team_tables(TWO_BY_TWO, "A", "meetings") + _team_tables(_by_other_grouping(TWO_BY_TWO), "B", "meetings")),
}


@pytest.mark.parametrize("case", RULE_7_CASES)
def test_rule_7_a_chain_only_whole_lines_added_up_find_is_closed(monkeypatch, case):
    from app.figures import feasible
    from tests.test_disclosure_audit import Attack, truth

    tables, rules = RULE_7_CASES[case](), Rules()

    def narrowed():
        attack, true = Attack(protect(tables, rules), rules), truth(tables)
        targets = [at for at in attack.hidden if true.get(at, 0) > 0]
        return [targets[i] for i in attack.narrow([{at: 1} for at in targets], [true[at] for at in targets])]

    with monkeypatch.context() as propagation_only:
        propagation_only.setattr(feasible, "narrow", lambda *args, **kwargs: {})
        assert narrowed(), "the case should need more than bound propagation"
    assert narrowed() == []


def test_rule_3_two_figures_of_one_population_hide_their_total_together():
    """K1 and K7 count the same held meetings: where one team's total is hidden in one, a reader
    would read it off the other, so it is hidden in both (FIGURES.md rules 3 and 7)."""
    one = [(1, "1", "a", "x"), (2, "1", "b", "y")] + [(c, "2", "a", "x") for c in range(10, 30)]
    tables = _team_tables(one, "K1", "held") + _team_tables(_by_other_grouping(one), "K7", "held")
    shown = {(t.figure, t.filters): {c.key: c for c in cells} for t, cells in protect(tables, Rules())}
    team = (("team", "1"),)
    assert shown[("K1", team)][("total", "total")].hidden
    assert shown[("K7", team)][("total", "total")].hidden
