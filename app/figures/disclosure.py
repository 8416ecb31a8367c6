"""The disclosure engine: FIGURES.md's "Disclosure rules (never broken)" as pure functions.

A figure is computed into a Table of raw Cells (each knowing the distinct children it rests on);
`protect` turns the tables of one release into what may be published. Nothing here reads the
database, so every rule has a table-driven test (tests/test_disclosure.py) and the audit by linear
programming (tests/test_disclosure_audit.py) can attack generated organisations.

The interface below is shared by the release builder (app/figures/releases.py); fields may be
added with defaults, never renamed.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    """

    key: tuple[str, ...]
    count: int
    children: frozenset[int]
    respondents: int | None = None
    members: frozenset[int] | None = None
    value: float | None = None


@dataclass(frozen=True)
class Table:
    """A figure's table: its cells over its dimensions, for one period and at most two filters.

    kind: "count" (cells add up along every dimension: rows, columns and their totals),
    "statistic" (each cell a mean or share of its own) or "distribution" (each row a distribution
    over categories, rule 2's "all but fewer than k_count in one category").
    filters: the filter values applied, as (filter, value) pairs; the engine finds the unfiltered
    table of the same figure in the release and protects each filter value's remainder (rule 4).
    """

    figure: str
    dimensions: tuple[str, ...]
    kind: str
    cells: tuple[Cell, ...]
    filters: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Shown:
    """A cell as it may be published: count and value None when hidden, and why (for the page:
    "skjult: færre end 5 børn")."""

    key: tuple[str, ...]
    count: int | None
    value: float | None
    children: int | None
    hidden: str | None = None  # "primary", "complementary", "distribution", "members", "filter"
