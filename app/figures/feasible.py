"""How far a reader can narrow hidden cells by adding whole lines up: linear programming (rule 7).

Bound propagation (app/figures/bounds.py) follows one line at a time. A reader who adds several
lines up at once goes further: in a 2 × 2 table with its margins shown, where one team's table shows
two empty corners, the other team's two corners add up to its total, and together with the rows and
columns of the organisation's table that caps a hidden cell at half the total. The exact answer is
FIGURES.md rule 7's own: each hidden cell's least and greatest value over everything the release
publishes, by a linear program.

Cells a reader knows nothing of fall into groups that no line joins; each group is its own program.
Most hidden cells are seen to be wide without a program of their own: the true counts are one
point the reader cannot rule out, and each program's answer is another, so a cell seen to take two
values k_count apart is wide. Only the rest get programs of their own, and each narrow one comes
with the known cells its bound rests on (the lines the program leans on, by their dual values), so
the engine can hide one of them.

A cell seen wide stays wide: hiding more cells only lets the reader's unknowns take more values.
The caller keeps that set (`wide`) from one call to the next.
"""

from __future__ import annotations

import random

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

# A line: the indices of its parts and of its total (the parts add up to the total).
Line = tuple[list[int], int]
TINY = 1e-7
ROUNDS = 6  # programs aiming at all unresolved cells of a group at once, before one per cell


def narrow(lines: list[Line], low: list[float], high: list[float], targets: dict[int, float], k: float,
           wide: set[int], below: list[tuple[int, int]] = ()) -> dict[int, set[int]]:
    """Return each target whose least-to-greatest range is below k, with the cells that range rests on.

    low, high: what is known of each cell before adding lines up (a published count: itself, or
    give or take the rounding; any other cell: what bound propagation found, 0 to inf at the
    widest). A cell with low == high is a known number. targets: the cells that must stay wide,
    each with its true value (a point the reader cannot rule out). wide: targets already seen wide;
    those found wide here are added to it. below: pairs (a, b) of cells a reader knows a ≤ b of.
    """
    # Every unknown is capped far above any count, so every program has an answer: a capped
    # reader can do no more than the real one, so a cell seen wide is wide (and one seen narrow only
    # because of the cap would merely be hidden more than it needs).
    cap = 2 * max([v for v in high if v != float("inf")] + list(targets.values()) + [0]) + 100 * k
    is_free = [low[i] < high[i] for i in range(len(low))]
    found: dict[int, set[int]] = {}
    for members, touching, under in _groups(lines, below, is_free):
        wanted = [i for i in members if i in targets and i not in wide]
        if wanted:
            program = _Program(touching, under, low, [min(h, cap) for h in high], members)
            found |= program.narrow(wanted, targets, k, wide)
    return found


def _groups(lines: list[Line], below: list[tuple[int, int]], is_free: list[bool]):
    """Return the free cells by the group the lines (and the pairs of `below`) join them into (a
    union-find), each with the lines and the pairs that touch it."""
    parent = list(range(len(is_free)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for parts, total in [*lines, *(([a], b) for a, b in below)]:
        cells = [c for c in (*parts, total) if is_free[c]]
        for other in cells[1:]:
            a, b = root(cells[0]), root(other)
            if a != b:
                parent[b] = a
    groups: dict[int, tuple[list[int], list[Line], list[tuple[int, int]]]] = {}
    for i, free in enumerate(is_free):
        if free:
            groups.setdefault(root(i), ([], [], []))[0].append(i)
    for line in lines:
        first = next((c for c in (*line[0], line[1]) if is_free[c]), None)
        if first is not None:
            groups[root(first)][1].append(line)
    for pair in below:
        first = next((c for c in pair if is_free[c]), None)
        if first is not None:
            groups[root(first)][2].append(pair)
    return list(groups.values())


class _Program:
    """One group's linear program: its free cells as variables, the lines touching them as equations."""

    def __init__(self, lines: list[Line], below: list[tuple[int, int]], low: list[float], high: list[float],
                 members: list[int]):
        self.column = {cell: j for j, cell in enumerate(members)}
        self.cells = members
        self.used, self.under = lines, below
        # parts − total = 0, and a − b ≤ 0, each with what is known moved to the right
        self.matrix, self.rhs = self._rows([[*((p, 1.0) for p in parts), (total, -1.0)] for parts, total in lines], low)
        self.at_most, self.limit = self._rows([[(a, 1.0), (b, -1.0)] for a, b in below], low) if below else (None, None)
        self.bounds = [(low[c], high[c]) for c in members]

    def _rows(self, equations: list[list[tuple[int, float]]], low: list[float]):
        """Return the equations' left sides over the free cells as a matrix, and their right sides."""
        rows, cols, data, right = [], [], [], []
        for i, terms in enumerate(equations):
            constant = 0.0
            for cell, sign in terms:
                if cell in self.column:
                    rows.append(i)
                    cols.append(self.column[cell])
                    data.append(sign)
                else:
                    constant += sign * low[cell]
            right.append(-constant)
        return csr_matrix((data, (rows, cols)), shape=(len(equations), len(self.cells))), np.array(right)

    def narrow(self, wanted: list[int], targets: dict[int, float], k: float, wide: set[int]) -> dict[int, set[int]]:
        seen = {cell: [targets[cell], targets[cell]] for cell in wanted}
        open_ = list(wanted)
        rng = random.Random(len(self.cells))
        for _ in range(ROUNDS):
            # Push every unresolved cell up at once, then down: most come out k_count apart.
            before = len(open_)
            for sign in (-1.0, 1.0):
                cost = np.zeros(len(self.cells))
                for cell in open_:
                    cost[self.column[cell]] = sign * rng.uniform(0.5, 1.5)
                self._see(self._solve(cost), seen)
                open_ = [cell for cell in open_ if seen[cell][1] - seen[cell][0] < k - TINY]
            if not open_ or len(open_) == before:
                break
        found: dict[int, set[int]] = {}
        for cell in open_:
            resting: set[int] = set()
            for sign in (-1.0, 1.0):  # the greatest, then the least
                if seen[cell][1] - seen[cell][0] >= k - TINY:
                    break
                cost = np.zeros(len(self.cells))
                cost[self.column[cell]] = sign
                result = self._solve(cost)
                self._see(result, seen)
                resting |= self._resting(result)
            if seen[cell][1] - seen[cell][0] < k - TINY:
                found[cell] = resting
        wide.update(cell for cell in wanted if cell not in found)
        return found

    def _solve(self, cost):
        # Presolve would be redone for every aim and costs more than the simplex itself here.
        result = linprog(cost, A_ub=self.at_most, b_ub=self.limit, A_eq=self.matrix, b_eq=self.rhs,
                         bounds=self.bounds, method="highs-ds", options={"presolve": False})
        if result.status != 0:  # every variable is capped and the true counts are a solution
            raise RuntimeError(f"the disclosure check could not bound a hidden cell: {result.message}")
        return result

    def _see(self, result, seen: dict[int, list[float]]) -> None:
        for cell, range_ in seen.items():
            value = result.x[self.column[cell]]
            range_[0], range_[1] = min(range_[0], value), max(range_[1], value)

    def _resting(self, result) -> set[int]:
        """Return the known cells of the lines the answer leans on, and the cells whose own bounds it
        leans on (a published count give or take the rounding, or a bound propagation found)."""
        resting: set[int] = set()
        for dual, (parts, total) in zip(result.eqlin.marginals, self.used):
            if abs(dual) > TINY:
                resting |= {c for c in (*parts, total) if c not in self.column}
        if self.at_most is not None:
            for dual, pair in zip(result.ineqlin.marginals, self.under):
                if abs(dual) > TINY:
                    resting |= {c for c in pair if c not in self.column}
        for j, (down, up) in enumerate(zip(result.lower.marginals, result.upper.marginals)):
            if abs(down) > TINY or abs(up) > TINY:
                resting.add(self.cells[j])
        return resting
