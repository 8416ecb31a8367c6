"""The disclosure engine, rule by rule (FIGURES.md "Disclosure rules (never broken)").

Each test names the rule it checks. Tables are written as {key: children} (a count resting on that
many distinct children, one invitation each) unless a test needs counts and children apart.
"""

from itertools import count

import pytest

from app.figures.disclosure import (
    FLOOR,
    TOTAL,
    Cell,
    Rules,
    Table,
    protect,
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


def assert_every_line_safe(cells: dict, rules: Rules) -> None:
    """Rule 3 as the page reader would check it: no line with one hidden cell or a small hidden sum."""
    keys = list(cells)
    dims = len(keys[0])
    for d in range(dims):
        for total in [key for key in keys if key[d] == TOTAL]:
            line = [key for key in keys if key[d] != TOTAL
                    and all(key[i] == total[i] for i in range(dims) if i != d)] + [total]
            gone = [key for key in line if cells[key].hidden]
            assert len(gone) != 1, f"one hidden cell in the line of {total}"
