"""How far a reader can narrow hidden cells by adding and subtracting published ones: bound propagation.

The disclosure engine (app/figures/disclosure.py) hides cells line by line (rule 3); a reader who
chains the lines, "this row leaves at most 6 for these two, so that column's other cell is at least
6, so…", can still pin a hidden cell down. Propagating each cell's least and greatest possible
value through every line (sum of parts = total, no cell below 0) finds such chains, and says which
published cells each bound rests on, so the engine can hide one of those. It is weaker than the
linear program of the audit (tests/test_disclosure_audit.py), never wrong in the other direction:
a bound found here is one a reader has.
"""

from __future__ import annotations

from collections import deque
from math import inf

# A line: the indices of its parts and of its total (the parts add up to the total).
Line = tuple[list[int], int]
LOW, HIGH = 0, 1


class Bounds:
    """The least and greatest value each cell can take, and the line that last tightened it."""

    def __init__(self, lines: list[Line], low: list[float], high: list[float], published: list[bool],
                 rounds: int = 50):
        self.lines = lines
        self.low, self.high = list(low), list(high)
        self.fixed = published
        self.why: list[list[int | None]] = [[None, None] for _ in low]
        # Each visit only tightens, so this always ends; the budget (each line visited `rounds`
        # times on average) bounds the time on a slowly converging cycle, leaving bounds that
        # are still true, only less tight.
        self._propagate(rounds * len(lines) + 1000)

    def _propagate(self, budget: int) -> None:
        of_cell: list[list[int]] = [[] for _ in self.low]
        for i, (parts, total) in enumerate(self.lines):
            for cell in (*parts, total):
                of_cell[cell].append(i)
        queue, waiting = deque(range(len(self.lines))), set(range(len(self.lines)))
        while queue and budget > 0:
            i = queue.popleft()
            waiting.discard(i)
            budget -= 1
            for cell in self._tighten(i):
                for other in of_cell[cell]:
                    if other not in waiting:
                        waiting.add(other)
                        queue.append(other)

    def _tighten(self, i: int) -> list[int]:
        """Tighten every cell of line i from the others; return the cells whose bounds moved."""
        parts, total = self.lines[i]
        moved = []
        if self._raise(total, sum(self.low[p] for p in parts), i) | self._lower(total, _sum(self.high, parts), i):
            moved.append(total)
        for p in parts:
            others = [q for q in parts if q != p]
            if (self._raise(p, self.low[total] - _sum(self.high, others), i)
                    | self._lower(p, self.high[total] - sum(self.low[q] for q in others), i)):
                moved.append(p)
        return moved

    def _raise(self, cell: int, value: float, line: int) -> bool:
        if value <= self.low[cell]:
            return False
        self.low[cell], self.why[cell][LOW] = value, line
        return True

    def _lower(self, cell: int, value: float, line: int) -> bool:
        if value >= self.high[cell]:
            return False
        self.high[cell], self.why[cell][HIGH] = value, line
        return True

    def width(self, cell: int) -> float:
        return self.high[cell] - self.low[cell]

    def resting_on(self, cell: int) -> set[int]:
        """Return the published (fixed) cells the cell's two bounds were worked out from."""
        found: set[int] = set()
        seen: set[tuple[int, int]] = set()
        todo = [(cell, LOW), (cell, HIGH)]
        while todo:
            at, side = todo.pop()
            if (at, side) in seen:
                continue
            seen.add((at, side))
            if self.fixed[at] and at != cell:
                found.add(at)
                continue
            line = self.why[at][side]
            if line is None:
                continue  # the bound every cell has: 0 below, nothing above
            parts, total = self.lines[line]
            if at == total:  # the total's bound is the parts' bounds added up
                todo += [(p, side) for p in parts]
            else:  # a part's bound is the total's less the others' opposite bounds
                todo.append((total, side))
                todo += [(p, 1 - side) for p in parts if p != at]
        return found


def _sum(values: list[float], cells: list[int]) -> float:
    """Add up some bounds; one unbounded makes the sum unbounded (and never inf − inf later)."""
    total = 0.0
    for cell in cells:
        if values[cell] == inf:
            return inf
        total += values[cell]
    return total
