"""Rule 7 (FIGURES.md; issue 15 item 3): the disclosure engine audited by linear programming.

Small organisations are generated from fixed seeds (a few teams, case workers with a handful of
children each, many small cells), and one release of tables is built from each: invitations by
role × state for the organisation, for each team, for each meeting kind and for each team and kind
together (two filters). After `protect`, an attacker who knows how the tables add up (rows and
columns to their totals, the teams and the kinds to the organisation, a filtered table never above
its parent) bounds every hidden cell, and every small remainder of a filter, by a linear program
over what is published. The test fails if any such interval is narrower than k_count.
"""

from itertools import product
from random import Random

import numpy as np
import pytest
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

from app.figures.disclosure import TOTAL, Cell, Rules, Table, protect

ROLES = ("child", "mother", "father", "network", "provider")
STATES = ("answered", "declined", "expired", "revoked", "waiting")
KINDS = ("first", "follow-up")
SEEDS = range(8)


def organisation(seed: int) -> list[tuple]:
    """Return the invitations of a generated organisation: (team, case worker, child, kind, role, state)."""
    rng = Random(seed)
    invitations, worker, child = [], 0, 0
    for team in [f"team-{t}" for t in range(rng.randint(2, 4))]:
        for _ in range(rng.randint(1, 4)):
            worker += 1
            for _ in range(rng.randint(0, 6)):
                child += 1
                kind = rng.choice(KINDS)
                for role in ROLES:
                    for _ in range(rng.choice((0, 1, 1, 1, 2))):
                        state = rng.choices(STATES, weights=(8, 2, 2, 1, 1))[0]
                        invitations.append((team, worker, child, kind, role, state))
    return invitations


def release(invitations: list[tuple]) -> list[Table]:
    """Return the tables of one release: the organisation's, and each filter value's (one or two)."""
    teams = sorted({row[0] for row in invitations})
    choices = [()] + [(("team", t),) for t in teams] + [(("kind", k),) for k in KINDS]
    choices += [(("team", t), ("kind", k)) for t in teams for k in KINDS]
    tables = []
    for filters in choices:
        wanted = dict(filters)
        rows = [r for r in invitations if r[0] == wanted.get("team", r[0]) and r[3] == wanted.get("kind", r[3])]
        cells = []
        for role, state in product(ROLES, STATES):
            here = [r for r in rows if r[4] == role and r[5] == state]
            if here:
                cells.append(Cell((role, state), len(here), frozenset(r[2] for r in here),
                                  members=frozenset(r[1] for r in here)))
        tables.append(Table("I1", ("role", "state"), "count", tuple(cells), filters))
    return tables


class Attack:
    """The linear program a reader could set up from one protected release."""

    def __init__(self, protected: list[tuple[Table, list]], rules: Rules):
        self.index = {}
        self.bounds = []
        for t, (table, shown) in enumerate(protected):
            for cell in shown:
                self.index[(table.filters, cell.key)] = len(self.bounds)
                if cell.hidden:
                    self.bounds.append((0, None))
                elif rules.round_to_five:
                    self.bounds.append((max(0.0, cell.count - 2.5), cell.count + 2.5))
                else:
                    self.bounds.append((cell.count, cell.count))
        self.equal, self.below = [], []
        self.hidden = [(table.filters, cell.key) for table, shown in protected for cell in shown if cell.hidden]
        keys = [cell.key for cell in protected[0][1]]
        for table, _ in protected:
            self._lines(table.filters, keys)
        self._filters([table.filters for table, _ in protected], keys)

    def _lines(self, filters, keys) -> None:
        for d in range(2):
            for total in [key for key in keys if key[d] == TOTAL]:
                parts = [key for key in keys if key[d] != TOTAL and key[1 - d] == total[1 - d]]
                self.equal.append(({(filters, key): 1 for key in parts} | {(filters, total): -1}))

    def _filters(self, all_filters, keys) -> None:
        present = set(all_filters)
        for filters in all_filters:
            for dropped in filters:
                parent = tuple(f for f in filters if f != dropped)
                if parent in present:  # a filtered cell is never above its parent's
                    self.below += [{(filters, key): 1, (parent, key): -1} for key in keys]
        for parent in present:  # the teams (the kinds) add up to their parent
            for name in ("team", "kind"):
                kids = [f for f in present if len(f) == len(parent) + 1 and set(parent) < set(f)
                        and {n for n, _ in set(f) - set(parent)} == {name}]
                if kids:
                    self.equal += [{(f, key): 1 for f in kids} | {(parent, key): -1} for key in keys]

    def interval(self, target: dict) -> tuple[float, float]:
        """Return the least and greatest value of sum(weight × cell) the published release allows."""
        n = len(self.bounds)
        cost = np.zeros(n)
        for at, weight in target.items():
            cost[self.index[at]] = weight
        low = self._solve(cost)
        high = self._solve(-cost)
        return low, (float("inf") if high is None else -high)

    def _solve(self, cost):
        if not hasattr(self, "_a_ub"):
            self._a_ub, self._a_eq = self._matrix(self.below), self._matrix(self.equal)
        result = linprog(cost, A_ub=self._a_ub, b_ub=np.zeros(len(self.below)),
                         A_eq=self._a_eq, b_eq=np.zeros(len(self.equal)), bounds=self.bounds, method="highs")
        if result.status == 3:
            return None
        assert result.status == 0, result.message
        return result.fun

    def _matrix(self, rows):
        matrix = lil_matrix((len(rows), len(self.bounds)))
        for i, row in enumerate(rows):
            for at, weight in row.items():
                matrix[i, self.index[at]] = weight
        return matrix.tocsr()


def small_remainders(tables: list[Table], k: int) -> list[tuple]:
    """Return (filtered, parent, key) where the parent's cell minus the filtered one rests on 1 to k−1 children."""
    by_filters = {table.filters: {cell.key: cell for cell in table.cells} for table in tables}
    found = []
    for filters, cells in by_filters.items():
        for dropped in filters:
            parent = tuple(f for f in filters if f != dropped)
            for key, whole in by_filters.get(parent, {}).items():
                rest = whole.children - (cells[key].children if key in cells else frozenset())
                if 0 < len(rest) < k:
                    found.append((filters, parent, key))
    return found


@pytest.mark.parametrize("round_to_five", [False, True], ids=["exact", "rounded"])
@pytest.mark.parametrize("seed", SEEDS, ids=[f"seed-{seed}" for seed in SEEDS])
def test_rule_7_no_hidden_cell_can_be_narrowed_below_k_count(seed, round_to_five):
    rules = Rules(k_count=5, k_stat=10, round_to_five=round_to_five)
    tables = release(organisation(seed))
    protected = protect(tables, rules)
    attack = Attack(protected, rules)
    assert attack.hidden, "the generated organisation should have small cells"
    narrow = []
    for at in attack.hidden:
        low, high = attack.interval({at: 1})
        if high - low < rules.k_count - 1e-6:
            narrow.append((at, round(low, 2), round(high, 2)))
    for filtered, parent, key in small_remainders(tables, rules.k_count):
        low, high = attack.interval({(parent, key): 1, (filtered, key): -1})
        if high - low < rules.k_count - 1e-6:
            narrow.append((("remainder of", filtered), key, round(low, 2), round(high, 2)))
    assert not narrow, f"{len(narrow)} hidden cells narrowed below {rules.k_count}: {narrow[:5]}"
