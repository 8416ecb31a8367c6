"""The disclosure engine: FIGURES.md's "Disclosure rules (never broken)" as pure functions.

A figure is computed into a Table of raw Cells (each knowing the distinct children it rests on);
`protect` turns the tables of one release into what may be published. Nothing here reads the
database, so every rule has a table-driven test (tests/test_disclosure.py) and the audit by linear
programming (tests/test_disclosure_audit.py) can attack generated organisations.

The interface below is shared by the release builder (app/figures/releases.py); fields may be
added with defaults, never renamed.

How `protect` works: every count table is completed into a grid with its totals, and every line that
adds up becomes a `_Line` (each row and column with its total, the totals' own lines). A filtered
table is tied to every coarser table of its figure in the call by its remainder (parent minus
filtered, cell by cell: a never-shown grid with the parent's lines); where a filter's values add
up to their parent, that is a line too, and so are the grand totals of two tables of one population
(K1 and K7 count the same meetings). The same group of children counted in two tables is tied too,
so that it is hidden in both or in neither; but as no reader can know that two hidden cells happen
to be equal, that tie is left out of what a reader can chain. Primary suppression marks cells on
their own (rules 1, 2, 5a); then every line is made safe (rule 3): no line with exactly one hidden
cell, and, where its total is shown, hidden cells resting on at least k_count children and counting
at least k_count. Lines safe one by one can still be chained ("that row leaves 6, so this cell is at
least…"), so bounds are then propagated through all lines (app/figures/bounds.py), and where that
finds nothing more, linear programs add whole lines up (app/figures/feasible.py, rule 7's own test);
where a hidden cell comes out narrower than k_count, the smallest published cell that bound rests
on is hidden too, until none does. The audit by linear programming (tests/test_disclosure_audit.py)
attacks the result.
"""

from __future__ import annotations

import gc
from collections import deque
from dataclasses import dataclass, field
from itertools import combinations, product
from math import inf

from app.figures import feasible
from app.figures.bounds import Bounds

# Statistics Denmark's floor: no organisation may set a threshold below it (rule 2).
FLOOR = 3


@dataclass(frozen=True)
class Rules:
    """The organisation's rules for one release (settings min_group_count, min_group_mean,
    round_to_five); thresholds below FLOOR are raised to it."""

    k_count: int = 5
    k_stat: int = 10
    round_to_five: bool = False
    min_members: int = 3  # rule 5a: case workers (or providers) a team's (provider's) group must rest on


@dataclass(frozen=True)
class Cell:
    """One cell of a figure's table before protection.

    key: one value per dimension of the table, e.g. ("mother", "answered").
    count: what the cell counts (invitations, rounds, children); counts in a line add up.
    children: the distinct children (case ids) the cell rests on (rule 1).
    respondents: where the figure counts respondents, their number (rule 1: both must pass).
    members: where the table is grouped by team or provider, the case workers (providers) behind
        the cell (rule 5a).
    value: a mean or share the cell publishes (then k_stat applies, rule 2); None for a count.
    numerator: for a share, what it is a share of `count` of; with rounding (rule 6) the published
        share is then computed from the two published (rounded) numbers.
    """

    key: tuple[str, ...]
    count: int
    children: frozenset[int]
    respondents: int | None = None
    members: frozenset[int] | None = None
    value: float | None = None
    numerator: int | None = None


@dataclass(frozen=True)
class Table:
    """A figure's table: its cells over its dimensions, for one period and at most two filters.

    kind: "count" (cells add up along every dimension: rows, columns and their totals),
    "statistic" (each cell a mean or share of its own) or "distribution" (each row a distribution
    over categories, rule 2's "all but fewer than k_count in one category").
    filters: the filter values applied, as (filter, value) pairs; the engine finds the unfiltered
    table of the same figure in the release and protects each filter value's remainder (rule 4).
    nests: where one of the filter values lies within a value of another filter (a team within its
    department), the pairs (its filter value, the value it lies within): the engine then also takes
    the table with the outer value in its place as a parent, and the inner values as adding up to
    it, so a department minus one of its teams is protected like a team's remainder.
    population: where another figure counts the very same rows (K1 and K7 both count the held
    method meetings), a name both give; a reader knows that two count tables of one population under
    the same filters have the same grand total, and the engine protects that line too.
    within: the figure whose table of the same filters holds this one's rows (the children who
    answered P1 are among those invited, I1): a reader knows each cell here is at most that
    table's cell of the same key. Only where it holds in the data is it used.
    """

    figure: str
    dimensions: tuple[str, ...]
    kind: str
    cells: tuple[Cell, ...]
    filters: tuple[tuple[str, str], ...] = ()
    nests: tuple[tuple[tuple[str, str], tuple[str, str]], ...] = ()
    population: str | None = None
    within: str | None = None


@dataclass(frozen=True)
class Shown:
    """A cell as it may be published: count and value None when hidden, and why (for the page:
    "skjult: færre end 5 børn")."""

    key: tuple[str, ...]
    count: int | None
    value: float | None
    children: int | None
    hidden: str | None = None  # "primary", "complementary", "distribution", "members", "filter"


TOTAL = "total"  # the key value of a summed dimension in a count table's totals lines
MAX_FILTERS = 2  # rule 4: at most two filters combined
KINDS = ("count", "statistic", "distribution")


def round_to_five(number: int) -> int:
    """Round a count to the nearest 5 (rule 6); counts are whole, so no half-way case arises."""
    return 5 * ((number + 2) // 5)


def protect(tables: list[Table], rules: Rules) -> list[tuple[Table, list[Shown]]]:
    """Return each table (in the input's order) with its cells as they may be published.

    A count table gets its totals lines (key "total" in each summed dimension). All tables of the
    call are protected together: a filtered table with its parent tables and the remainder between
    them (rule 4), so pass one release's tables in one call.
    """
    for table in tables:
        _check(table)
    families: dict[tuple, list[Table]] = {}
    for table in tables:
        families.setdefault(_family(table), []).append(table)
    values = {family: _Grid.values_of(members) for family, members in families.items()}
    # The sets of children are many and large: the collector walking them over and over would
    # cost more than all the rest. The cycles made here (cells and their lines) go at its next run.
    collecting = gc.isenabled()
    gc.disable()
    try:
        grids = [_Grid(table, values[_family(table)]) for table in tables]
        system = _System(_Limits.of(rules), grids)
        system.suppress()
        return [(table, system.shown(grid)) for table, grid in zip(tables, grids)]
    finally:
        if collecting:
            gc.enable()


def filter_allowed(parent: Table, filtered: Table, rules: Rules) -> str | None:
    """Return why a filter value cannot be chosen, or None when it can (rule 4).

    "group": the filter value's own group is below the threshold; "remainder": the parent group
    minus it is (the two figures side by side would show it); "members": either rests on fewer
    than 3 case workers or providers (rule 5a). The threshold is k_count for a count table and
    k_stat for means, shares and distributions. More than two filters raise ValueError.
    """
    _check(parent)
    _check(filtered)
    limits = _Limits.of(rules)
    k = limits.k_count if parent.kind == "count" else limits.k_stat
    group = _merge([_node(cell) for cell in filtered.cells])
    rest = _minus(_merge([_node(cell) for cell in parent.cells]), group, strict=parent.kind == "count")
    if _below(group, k):
        return "group"
    if (rest.count or rest.children) and _below(rest, k):
        return "remainder"
    for part in (group, rest):
        if part.members is not None and (part.count or part.members) and len(part.members) < limits.min_members:
            return "members"
    return None


def _below(node: _Node, k: int) -> bool:
    return len(node.children) < k or (node.respondents is not None and node.respondents < k)


def publishable(shown: list[Shown]) -> bool:
    """Return whether a table shows anything at all (a page says so instead of an empty table)."""
    return any(cell.hidden is None for cell in shown)


def complete(shown: list[Shown]) -> bool:
    """Return whether every cell passed (a month's release is made only then, rule 5)."""
    return all(cell.hidden is None for cell in shown)


def _family(table: Table) -> tuple:
    """The tables one figure's filters relate: same figure, dimensions and kind."""
    return table.figure, table.dimensions, table.kind


def _outer(table: Table) -> list[frozenset[tuple[str, str]]]:
    """The filter sets a nested table lies within: each coarser set without the inner value, with
    the outer value it lies within (a team's table: its department's, and its department's with the
    team's other filter)."""
    filters = frozenset(table.filters)
    found = []
    for inner, outer in table.nests:
        rest = sorted(filters - {inner})
        found += [frozenset(coarser) | {outer} for size in range(len(rest) + 1) for coarser in combinations(rest, size)]
    return found


def _check(table: Table) -> None:
    if table.kind not in KINDS:
        raise ValueError(f"{table.figure}: unknown kind of table {table.kind!r}")
    if len(table.filters) > MAX_FILTERS:
        raise ValueError(f"{table.figure}: at most {MAX_FILTERS} filters can be combined")
    if len({name for name, _ in table.filters}) < len(table.filters):
        raise ValueError(f"{table.figure}: a filter is applied twice")
    for inner, _outer_value in table.nests:
        if inner not in table.filters:
            raise ValueError(f"{table.figure}: {inner} nests in another filter value but is not one of its filters")
    for cell in table.cells:
        if len(cell.key) != len(table.dimensions):
            raise ValueError(f"{table.figure}: the key {cell.key} does not match {table.dimensions}")
        if table.kind == "count" and TOTAL in cell.key:
            raise ValueError(f"{table.figure}: the engine adds the totals; {cell.key} is one")
        if cell.count < 0:
            raise ValueError(f"{table.figure}: a negative count at {cell.key}")
    if len({cell.key for cell in table.cells}) < len(table.cells):
        raise ValueError(f"{table.figure}: a key appears twice")


@dataclass(frozen=True)
class _Limits:
    """The rules with their floors applied (rule 2: FLOOR; rule 5a: 3 case workers)."""

    k_count: int
    k_stat: int
    min_members: int
    round: bool

    @classmethod
    def of(cls, rules: Rules) -> _Limits:
        return cls(max(FLOOR, rules.k_count), max(FLOOR, rules.k_stat), max(3, rules.min_members),
                   rules.round_to_five)


@dataclass(eq=False)
class _Node:
    """A cell being protected: a published table's cell, or a remainder's (never shown)."""

    count: int
    children: frozenset[int]
    respondents: int | None = None
    members: frozenset[int] | None = None
    value: float | None = None
    numerator: int | None = None
    virtual: bool = False
    hidden: str | None = None
    lines: list[_Line] = field(default_factory=list)


@dataclass(eq=False)
class _Line:
    """Cells that add up to a total; complementary suppression works line by line (rule 3)."""

    parts: list[_Node]
    total: _Node
    reason: str = "complementary"  # what a cell hidden to protect this line is told
    # False for two cells that only happen to count the same children: they are hidden together
    # (rule 3), but no reader can know that two hidden cells are equal, so rule 7's chains leave it out.
    known: bool = True

    @property
    def nodes(self) -> list[_Node]:
        return [*self.parts, self.total]


def _node(cell: Cell) -> _Node:
    return _Node(cell.count, frozenset(cell.children), cell.respondents,
                 None if cell.members is None else frozenset(cell.members), cell.value, cell.numerator)


def _merge(nodes: list[_Node]) -> _Node:
    """Return the total of some nodes: counts and respondents summed, children and members united."""
    respondents = [n.respondents for n in nodes if n.respondents is not None]
    members = [n.members for n in nodes if n.members is not None]
    return _Node(sum(n.count for n in nodes), frozenset().union(*(n.children for n in nodes)),
                 sum(respondents) if respondents else None, frozenset().union(*members) if members else None)


def _minus(whole: _Node, part: _Node, strict: bool = True, enough: int | None = None) -> _Node:
    """Return the remainder of a parent's cell once a filtered cell is taken out (rule 4).

    Counts add up, so a filtered count above its parent's is a mistake (ValueError); a mean's or
    share's count need not (strict=False): its remainder then counts none. With `enough`, the
    remainder's children are only worked out as far as the thresholds need (never shown, only
    compared with thresholds no greater than `enough`): a large organisation has large groups.
    """
    if strict and part.count > whole.count:
        raise ValueError("a filtered table counts more than its parent")
    both = whole.respondents is not None and part.respondents is not None
    return _Node(max(0, whole.count - part.count), _rest(whole.children, part.children, enough),
                 max(0, whole.respondents - part.respondents) if both else whole.respondents,
                 None if whole.members is None else whole.members - (part.members or frozenset()),
                 virtual=True)


def _rest(whole: frozenset[int], part: frozenset[int], enough: int | None) -> frozenset[int]:
    """Return the children in whole but not in part, or, where plainly more than `enough` are,
    `enough` of them: every threshold comparison comes out the same, at a fraction of the cost."""
    if enough is None or len(whole) - len(part) < enough:
        return whole - part
    found = []
    for steps, child in enumerate(whole):
        if child not in part:
            found.append(child)
            if len(found) == enough:
                return frozenset(found)
        if steps > 4 * enough + 64:
            break
    return whole - part


class _Grid:
    """A table's nodes by key: for a count table complete, with its totals and the lines that add up."""

    def __init__(self, table: Table, values: list[list[str]]):
        self.table = table
        self.values = values
        self.nodes: dict[tuple[str, ...], _Node] = {}
        self.lines: list[tuple[list[tuple[str, ...]], tuple[str, ...]]] = []  # (parts, total) by key
        if table.kind != "count":
            self.nodes = {cell.key: _node(cell) for cell in table.cells}
            return
        cells = {cell.key: cell for cell in table.cells}
        empty = frozenset() if any(cell.members is not None for cell in table.cells) else None
        for key in product(*values):
            self.nodes[key] = _node(cells[key]) if key in cells else _Node(0, frozenset(), members=empty)
        if all(values):
            self._add_totals()

    @staticmethod
    def values_of(tables: list[Table]) -> list[list[str]]:
        """Return each dimension's values in the order they first appear over a family's tables."""
        values: list[list[str]] = [[] for _ in tables[0].dimensions]
        for table in tables:
            for cell in table.cells:
                for seen, value in zip(values, cell.key):
                    if value not in seen:
                        seen.append(value)
        return values

    def _add_totals(self) -> None:
        # One dimension at a time, so a total over two dimensions is also the total of totals.
        for d, values in enumerate(self.values):
            for key in [key for key in self.nodes if key[d] == values[0]]:
                parts = [(*key[:d], value, *key[d + 1:]) for value in values]
                self.nodes[(*key[:d], TOTAL, *key[d + 1:])] = _merge([self.nodes[part] for part in parts])
        # Every total ends a line in its dimension: rows, columns and the totals' own lines.
        for d, values in enumerate(self.values):
            for total in [key for key in self.nodes if key[d] == TOTAL]:
                self.lines.append(([(*total[:d], value, *total[d + 1:]) for value in values], total))

    def keys(self) -> list[tuple[str, ...]]:
        """Return the keys in reading order: each dimension's values, then its total."""
        if self.table.kind != "count":
            return [cell.key for cell in self.table.cells]
        return [key for key in product(*[[*values, TOTAL] for values in self.values]) if key in self.nodes]

    def ancestors(self, key: tuple[str, ...]) -> list[_Node]:
        """Return the totals a cell is part of (the row's, the column's, the grand total)."""
        open_ = [d for d, value in enumerate(key) if value != TOTAL]
        found = []
        for size in range(1, len(open_) + 1):
            for summed in combinations(open_, size):
                found.append(self.nodes[tuple(TOTAL if d in summed else v for d, v in enumerate(key))])
        return found


class _System:
    """All cells and lines of one call; hides cells until every line is safe (rules 2–4, 5a)."""

    def __init__(self, limits: _Limits, grids: list[_Grid]):
        self.limits = limits
        self.grids = grids
        self.lines: list[_Line] = []
        self.remainders: list[tuple[_Grid, _Grid, dict[tuple[str, ...], _Node]]] = []
        for grid in grids:
            self.lines += [_Line([grid.nodes[k] for k in parts], grid.nodes[total]) for parts, total in grid.lines]
        self._link_filters()
        self._link_equals()
        self._link_populations()
        self.below: list[tuple[_Node, _Node]] = self._link_within()
        for line in self.lines:
            for node in line.nodes:
                node.lines.append(line)

    def _link_filters(self) -> None:
        """Tie each filtered table to its parents through the remainder (rule 4)."""
        by_filters: dict[tuple, _Grid] = {}
        for grid in self.grids:
            at = (_family(grid.table), frozenset(grid.table.filters))
            if at in by_filters:
                raise ValueError(f"{grid.table.figure}: the same table twice in one release")
            by_filters[at] = grid
        for grid in self.grids:
            # Every coarser table is a parent: the organisation minus one team's first meetings is a
            # remainder as much as the team minus its first meetings is.
            filters = frozenset(grid.table.filters)
            parents = [by_filters.get((_family(grid.table), frozenset(coarser)))
                       for size in range(len(filters)) for coarser in combinations(sorted(filters), size)]
            parents += [by_filters.get((_family(grid.table), outer)) for outer in _outer(grid.table)]
            parents = list({id(parent): parent for parent in parents if parent is not None}.values())
            if filters and not parents:
                raise ValueError(f"{grid.table.figure}: a filtered table needs its unfiltered table "
                                 "in the same call")
            for parent in parents:
                self._link(parent, grid)
        self._partitions(by_filters)

    def _partitions(self, by_filters: dict[tuple, _Grid]) -> None:
        """Where a filter's values add up to the parent cell by cell (teams of the organisation),
        that is a line too: a reader can add the teams' tables up (rules 3 and 4)."""
        groups: dict[tuple, list[_Grid]] = {}
        for (family, filters), grid in by_filters.items():
            within = dict(grid.table.nests)
            for name, value in filters:
                groups.setdefault((family, filters - {(name, value)}, name), []).append(grid)
                if (name, value) in within:  # the teams of one department add up to it
                    outer = filters - {(name, value)} | {within[(name, value)]}
                    groups.setdefault((family, frozenset(outer), name), []).append(grid)
        for (family, filters, _), grids in groups.items():
            parent = by_filters.get((family, filters))
            if parent is None or len(grids) < 2 or parent.table.kind != "count":
                continue
            if all(sum(grid.nodes[key].count for grid in grids) == whole.count for key, whole in parent.nodes.items()):
                self.lines += [_Line([grid.nodes[key] for grid in grids], whole, reason="filter")
                               for key, whole in parent.nodes.items()]

    def _link_equals(self) -> None:
        """The same number in two tables (the children one figure rests on beside another's) is a
        line too: hidden in one table, it must not be shown in the other (rule 3)."""
        alike: dict[tuple[int, int], list[tuple[int, _Node]]] = {}
        for i, grid in enumerate(self.grids):
            if grid.table.kind == "count":
                for node in grid.nodes.values():
                    if node.count and node.children:
                        alike.setdefault((node.count, len(node.children)), []).append((i, node))
        for group in alike.values():
            if len({i for i, _ in group}) < 2:
                continue  # within one table its own lines tie the cells already
            same: dict[frozenset[int], list[_Node]] = {}
            for _, node in group:
                same.setdefault(node.children, []).append(node)
            for nodes in same.values():
                self.lines += [_Line([one], other, known=False) for one, other in zip(nodes, nodes[1:])]

    def _link_populations(self) -> None:
        """Two count tables of one population under the same filters (K1 and K7: the held method
        meetings) have the same grand total, and a reader knows it: that is a line (rules 3 and 7)."""
        first: dict[tuple, _Node] = {}
        for grid in self.grids:
            table = grid.table
            whole = grid.nodes.get((TOTAL,) * len(table.dimensions))
            if table.population is None or table.kind != "count" or whole is None:
                continue
            other = first.setdefault((table.population, frozenset(table.filters)), whole)
            if other is not whole:
                self.lines.append(_Line([whole], other))

    def _link_within(self) -> list[tuple[_Node, _Node]]:
        """Each cell of a table `within` another at most that table's cell (rule 7's reader knows it)."""
        by_figure = {(grid.table.figure, frozenset(grid.table.filters)): grid for grid in self.grids}
        found = []
        for grid in self.grids:
            whole = by_figure.get((grid.table.within, frozenset(grid.table.filters)))
            if whole is None:
                continue
            for key, node in grid.nodes.items():
                other = whole.nodes.get(key)
                if other is not None and node.count <= other.count and node.children <= other.children:
                    found.append((node, other))
        return found

    def _link(self, parent: _Grid, filtered: _Grid) -> None:
        remainder = {}
        for key, whole in parent.nodes.items():
            part = filtered.nodes.get(key)
            if part is None and parent.table.kind != "distribution":
                continue
            remainder[key] = _minus(whole, part or _Node(0, frozenset()), strict=parent.table.kind == "count",
                                    enough=max(self.limits.k_count, self.limits.k_stat))
            if parent.table.kind == "count":
                self.lines.append(_Line([part, remainder[key]], whole, reason="filter"))
        if parent.table.kind == "count":
            self.lines += [_Line([remainder[k] for k in parts], remainder[total], reason="filter")
                           for parts, total in parent.lines]
        self.remainders.append((parent, filtered, remainder))

    def suppress(self) -> None:
        """Hide what the rules say, then hide complements until every line is safe."""
        for grid in self.grids:
            if grid.table.kind == "count":
                self._primary_counts(grid.nodes, grid)
            elif grid.table.kind == "statistic":
                for node in grid.nodes.values():
                    node.hidden = self._statistic(node)
            else:
                for row in _rows(grid.nodes).values():
                    reason = self._distribution(row)
                    for node in row:
                        node.hidden = reason
        for parent, filtered, remainder in self.remainders:
            if parent.table.kind == "count":
                self._primary_counts(remainder, None)
            else:
                self._filtered_statistics(parent, filtered, remainder)
        self._complementary()
        self._close_chains()

    def _close_chains(self) -> None:
        """Where adding lines up still narrows a hidden cell below k_count (rule 7), hide the smallest
        published cell that narrowing rests on, make every line safe again (rule 3), and repeat.

        Bound propagation (one line at a time) is cheap and finds most chains; where it finds none,
        linear programs (app/figures/feasible.py) add whole lines up as the audit's reader does."""
        known = [line for line in self.lines if line.known]
        every = {id(node): node for line in known for node in line.nodes}
        every |= {id(node): node for pair in self.below for node in pair}
        nodes = list(every.values())
        at = {id(node): i for i, node in enumerate(nodes)}
        lines = [([at[id(part)] for part in line.parts], at[id(line.total)]) for line in known]
        below = [(at[id(part)], at[id(whole)]) for part, whole in self.below]
        wide: set[int] = set()  # cells a program has seen wide stay so: hiding more only widens
        for _ in range(len(nodes)):
            ranges = [self._range(node) for node in nodes]
            bounds = Bounds(lines, [r[0] for r in ranges], [r[1] for r in ranges],
                            [not (node.hidden or node.virtual) for node in nodes])
            picked = []
            for i, node in enumerate(nodes):
                if self._guarded(node) and bounds.width(i) < self.limits.k_count:
                    picked += self._smallest([nodes[j] for j in bounds.resting_on(i)])
            if not picked:
                targets = {i: node.count for i, node in enumerate(nodes) if self._guarded(node) and node.count}
                found = feasible.narrow(lines, bounds.low, bounds.high, targets, self.limits.k_count, wide, below)
                for resting in found.values():
                    # A bound leaning on a cell propagation worked out rests on what that came from.
                    behind = {j for i in resting for j in ({i} if bounds.fixed[i] else bounds.resting_on(i))}
                    picked += self._smallest([nodes[j] for j in behind])
            if not picked:
                return
            for node in picked:
                node.hidden = "complementary"
            self._complementary()

    @staticmethod
    def _smallest(nodes: list[_Node]) -> list[_Node]:
        """The smallest published cell among those a bound rests on (an empty one last), if any."""
        shown = [node for node in nodes if not (node.hidden or node.virtual)]
        return [min(shown, key=lambda n: (n.count == 0, n.count, len(n.children)))] if shown else []

    @staticmethod
    def _guarded(node: _Node) -> bool:
        """A hidden cell, or a remainder too small to be told (rule 4): a reader must not narrow it."""
        return bool(node.hidden) and (not node.virtual or node.hidden in ("primary", "members"))

    def _range(self, node: _Node) -> tuple[float, float]:
        """What a reader knows of a cell before adding anything up: a published count (give or take
        the rounding, rule 6), or for a hidden or never-shown cell only that it is not below 0."""
        if node.hidden or node.virtual:
            return 0, inf
        if self.limits.round:
            shown = round_to_five(node.count)
            return max(0, shown - 2), shown + 2
        return node.count, node.count

    def _statistic(self, node: _Node) -> str | None:
        """Return why a mean or share is hidden (rules 1, 2 and 5a), or None."""
        k = self.limits.k_stat
        if len(node.children) < k or (node.respondents is not None and node.respondents < k):
            return "primary"
        return "members" if self._too_few_members(node) else None

    def _distribution(self, row: list[_Node]) -> str | None:
        """Return why a row's distribution is hidden as a whole (rule 2, 5a), or None."""
        whole = _merge(row)
        if self._statistic(whole) == "primary":
            return "primary"
        for i in range(len(row)):
            # Rule 2: one category holding all but fewer than k_count children tells each answer.
            rest = frozenset().union(*(node.children for j, node in enumerate(row) if j != i))
            if len(rest) < self.limits.k_count:
                return "distribution"
        return "members" if self._too_few_members(whole) else None

    def _filtered_statistics(self, parent: _Grid, filtered: _Grid, remainder: dict) -> None:
        """Hide a filtered mean, share or distribution whose remainder would not pass on its own:
        the parent's figure and the filtered one would give it back (rule 4)."""
        if parent.table.kind == "statistic":
            for key, rest in remainder.items():
                node = filtered.nodes[key]
                if not node.hidden and (rest.count or rest.children) and self._statistic(rest):
                    node.hidden = "filter"
            return
        rows = _rows(remainder)
        for key, row in _rows(filtered.nodes).items():
            rest = rows.get(key, [])
            if any(n.count or n.children for n in rest) and self._distribution(rest):
                for node in row:
                    node.hidden = node.hidden or "filter"

    def _primary_counts(self, nodes: dict[tuple[str, ...], _Node], grid: _Grid | None) -> None:
        for key, node in nodes.items():
            node.hidden = self._primary(node)
        if grid is None:
            return
        for key, node in nodes.items():
            if node.count == 0 and node.members is not None and node.hidden is None:
                # A zero in a team of one or two still tells about that colleague (rule 5a).
                if any(self._too_few_members(total) for total in grid.ancestors(key)):
                    node.hidden = "members"

    def _primary(self, node: _Node) -> str | None:
        """Return why a cell is hidden on its own (rules 1, 2 and 5a), or None."""
        if node.count == 0 and not node.children:
            return None
        k = self.limits.k_count if node.value is None else self.limits.k_stat
        if len(node.children) < k or (node.respondents is not None and node.respondents < k):
            return "primary"
        if self._too_few_members(node):
            return "members"
        return None

    def _too_few_members(self, node: _Node) -> bool:
        return node.members is not None and node.count > 0 and len(node.members) < self.limits.min_members

    def _complementary(self) -> None:
        """Rule 3: hide the next smallest cell of every unsafe line; repeat until nothing changes."""
        queue = deque(self.lines)
        waiting = set(map(id, self.lines))
        while queue:
            line = queue.popleft()
            waiting.discard(id(line))
            while not self._safe(line):
                node = self._next(line)
                if node is None:
                    break
                node.hidden = line.reason
                for other in node.lines:
                    if id(other) not in waiting:
                        waiting.add(id(other))
                        queue.append(other)

    def _safe(self, line: _Line) -> bool:
        hidden = [node for node in line.nodes if node.hidden]
        if not hidden:
            return True
        if len(hidden) == 1:
            return False  # subtraction gives it back
        if line.total.hidden:
            return True  # the line's equation no longer fixes what its hidden cells add up to
        k = self.limits.k_count
        respondents = [node.respondents for node in hidden if node.respondents is not None]
        return (sum(node.count for node in hidden) >= k
                and len(frozenset().union(*(node.children for node in hidden))) >= k
                and (not respondents or sum(respondents) >= k))

    @staticmethod
    def _next(line: _Line) -> _Node | None:
        """Return the line's smallest shown cell; an empty cell only when nothing else is left."""
        shown = [(node.count == 0, node.count, len(node.children), i, node)
                 for i, node in enumerate(line.nodes) if not node.hidden]
        return min(shown, key=lambda entry: entry[:4])[4] if shown else None

    def shown(self, grid: _Grid) -> list[Shown]:
        """Return the grid's cells as published: hidden ones empty, counts rounded if asked, and
        shares computed from the published numbers (rule 6)."""
        rows = _rows(grid.nodes) if grid.table.kind == "distribution" else {}
        result = []
        for key in grid.keys():
            node = grid.nodes[key]
            if node.hidden:
                result.append(Shown(key, None, None, None, node.hidden))
                continue
            value = node.value
            if key[:-1] in rows:
                value = self._share(node.count, sum(n.count for n in rows[key[:-1]]))
            elif node.numerator is not None and self.limits.round:
                value = self._share(node.numerator, node.count)
            result.append(Shown(key, self._round(node.count), value, self._round(len(node.children))))
        return result

    def _share(self, part: int, whole: int) -> float | None:
        whole = self._round(whole)
        return self._round(part) / whole if whole else None

    def _round(self, number: int) -> int:
        return round_to_five(number) if self.limits.round else number


def _rows(nodes: dict[tuple[str, ...], _Node]) -> dict[tuple[str, ...], list[_Node]]:
    """Return a distribution table's rows: its cells by every dimension but the last (the categories)."""
    rows: dict[tuple[str, ...], list[_Node]] = {}
    for key, node in nodes.items():
        rows.setdefault(key[:-1], []).append(node)
    return rows
