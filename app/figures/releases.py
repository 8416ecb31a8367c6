"""Releases of closed periods (FIGURES.md rule 5): compute every figure, protect it, store it.

`release(period)` reads the rows once (app/figures/facts.py), computes every figure of the
catalogue for the whole organisation and for each filter value and pair of filter values (team,
kind of meeting), lets the disclosure engine protect all of them as one page, and stores what may
be published as a new version of the period's release, but only when a published count changed.
The version says per figure how many published cells changed: never which case. Pages read
releases only, so a figure never changes from one day to the next.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations, product
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.figures import catalogue, disclosure, goals_figures, method_figures  # noqa: F401  (register G1–G3 and the K figures)
from app.figures.disclosure import Cell, Rules, Shown, Table
from app.figures.facts import MEETING_GROUPS, Facts, load, teams
from app.figures.models import FigureRelease
from app.figures.periods import Period
from app.settings import services as settings
from app.teams.departments import department_of

SCOPE = "organisation"
# In this order in a query string and a release's keys. A team lies within its department, so the
# two are never combined: team and department each go with a kind of meeting (rule 4: at most two).
FILTERS = ("team", "department", "meeting")
# A release made before departments has no "department=…" keys: the page then offers none (app/figures/page.py).


class Refused(Exception):
    """The period cannot be released: not closed, or a month with a hidden cell."""


@dataclass(frozen=True)
class Outcome:
    release: FigureRelease
    new: bool


def rules() -> Rules:
    """The organisation's rules from its settings; never below Statistics Denmark's floor."""
    count = max(disclosure.FLOOR, int(settings.get("min_group_count") or 5))
    stat = max(disclosure.FLOOR, int(settings.get("min_group_mean") or 10))
    return Rules(k_count=count, k_stat=stat, round_to_five=bool(settings.get("round_to_five")))


def filter_sets(team_ids: list[int], departments: dict[int, int] | None = None) -> list[tuple[tuple[str, str], ...]]:
    """No filter, each filter value, and each pair of a team or a department with a kind of meeting:
    at most two (rule 4). `departments`: each team's department (teams without one are left out)."""
    teams_ = [(("team", str(t)),) for t in team_ids]
    departments_ = [(("department", str(d)),) for d in sorted(set((departments or {}).values()))]
    meetings = [(("meeting", m),) for m in MEETING_GROUPS]
    return [(), *teams_, *departments_, *meetings, *[t + m for t, m in product(teams_, meetings)],
            *[d + m for d, m in product(departments_, meetings)]]


def _narrow(facts: Facts, filters: tuple[tuple[str, str], ...], departments: dict[int, int] | None = None) -> Facts:
    chosen = dict(filters)
    department = int(chosen["department"]) if "department" in chosen else None
    teams_of = frozenset(t for t, d in (departments or {}).items() if d == department)
    return facts.where(team=int(chosen["team"]) if "team" in chosen else None, meeting=chosen.get("meeting"),
                       department=department, department_teams=teams_of if department is not None else None)


def nests(filters: tuple[tuple[str, str], ...], departments: dict[int, int] | None) -> tuple:
    """A team's filter value lies within its department's (disclosure.Table.nests)."""
    chosen = dict(filters)
    department = (departments or {}).get(int(chosen["team"])) if "team" in chosen else None
    return ((("team", chosen["team"]), ("department", str(department))),) if department is not None else ()


def _outer(filters: tuple[tuple[str, str], ...], departments: dict[int, int] | None) -> list[tuple]:
    """The filter sets a team's lies within: its department's, alone and with the team's kind of meeting."""
    found = []
    for (inner, outer) in nests(filters, departments):
        rest = [f for f in filters if f != inner]
        for size in range(len(rest) + 1):
            for coarser in combinations(rest, size):
                found.append(tuple(sorted((*coarser, outer), key=lambda f: FILTERS.index(f[0]))))
    return found


# The table of the children a figure rests on is named after the figure with this ending.
RESTS_ON = ":children"


def compute(facts: Facts, team_ids: list[int], departments: dict[int, int] | None = None) -> list[Table]:
    """Every figure's raw table, unfiltered and for every combination of filters; beside each, the
    count of children it rests on, as a table of its own, so the engine protects that number too."""
    tables = []
    for filters in filter_sets(team_ids, departments):
        narrowed = _narrow(facts, filters, departments)
        nested = nests(filters, departments)
        for figure in catalogue.ordered():
            cells = tuple(figure.compute(narrowed))
            tables.append(Table(figure=figure.id, dimensions=figure.dimensions, kind=figure.kind, cells=cells,
                                filters=filters, nests=nested, population=figure.population))
            tables.append(Table(figure=figure.id + RESTS_ON, dimensions=("all",), kind="count",
                                cells=_rests_on(cells), filters=filters, nests=nested,
                                population=figure.population and figure.population + RESTS_ON,
                                within=figure.within and figure.within + RESTS_ON))
    return tables


def _rests_on(cells: tuple) -> tuple:
    children = frozenset().union(*(c.children for c in cells)) if cells else frozenset()
    if not children:
        return ()
    members = [c.members for c in cells if c.members is not None]
    return (Cell(key=("all",), count=len(children), children=children,
                 members=frozenset().union(*members) if members else None),)


def _children(facts: Facts) -> frozenset[int]:
    return frozenset(row.case_id for row in facts.in_period)


# The engine's reasons a filter value cannot be chosen, as the page names them.
REASONS = {"group": "small_group", "remainder": "small_remainder", "members": "few_caseworkers"}


def _everyone_table(facts: Facts, filters: tuple[tuple[str, str], ...], members: bool = True) -> Table:
    """The children (and, for a team, its case workers) a page of figures rests on, as one count.

    As a parent, without its case workers: rule 5a asks whether the group shown rests on 3 case
    workers; the engine takes a remainder's case workers as the parent's minus the group's, which
    would refuse every team's kind of meeting whose case workers also hold the other kinds."""
    rows = facts.in_period
    children = frozenset(row.case_id for row in rows)
    members = frozenset(row.caseworker_id for row in rows) if facts.grouped and members else None
    cells = (Cell(key=("all",), count=len(children), children=children, members=members),) if children else ()
    return Table(figure="children", dimensions=("all",), kind="count", cells=cells, filters=filters)


def filter_verdicts(facts: Facts, team_ids: list[int], rules_: Rules,
                    departments: dict[int, int] | None = None) -> dict[str, str | None]:
    """Whether each filter value (and pair) may be chosen: None, or why not (rules 4 and 5a, the
    engine's filter_allowed). A value whose own group or whose remainder (each coarser group minus
    it) rests on fewer than k_count children cannot be chosen; nor a team of fewer than 3 case
    workers; nor a pair of which either value cannot be chosen alone. A team is also a group within
    its department: the department minus the team is a remainder too."""
    sets = filter_sets(team_ids, departments)
    groups = {filters: _narrow(facts, filters, departments) for filters in sets}
    shown = {filters: _everyone_table(found, filters) for filters, found in groups.items()}
    parents = {filters: _everyone_table(found, filters, members=False) for filters, found in groups.items()}
    verdicts: dict[str, str | None] = {}
    for filters in sets[1:]:
        why = next((verdicts[key((f,))] for f in filters if len(filters) > 1 and verdicts.get(key((f,)))), None)
        coarsers = [coarser for size in range(len(filters)) for coarser in combinations(filters, size)]
        for coarser in coarsers + _outer(filters, departments):
            if why is None and coarser in parents:
                found = disclosure.filter_allowed(parents[coarser], shown[filters], rules_)
                why = REASONS.get(found, found) if found else None
        verdicts[key(filters)] = why
    return verdicts


def key(filters: tuple[tuple[str, str], ...]) -> str:
    """The filters as the page's query string names them: "team=3&meeting=other"."""
    return "&".join(f"{name}={value}" for name, value in filters)


def published(table: Table, shown: list[Shown], children: Shown | None) -> dict[str, Any]:
    """A protected table as stored: its cells as the engine lets them be shown, nothing raw; the
    children it rests on as the engine lets that be shown (None: hidden, with why)."""
    return {
        "figure": table.figure, "filters": key(table.filters),
        "children": children.count if children is not None else 0,
        "children_hidden": children.hidden if children is not None else None,
        "cells": [{"key": list(s.key), "count": s.count, "value": s.value, "children": s.children,
                   "hidden": s.hidden} for s in shown],
    }


def build(period: Period, facts: Facts, team_ids: list[int], rules_: Rules,
          departments: dict[int, int] | None = None) -> dict[str, Any]:
    """Compute, protect and serialise one period's release; nothing is stored.
    `departments`: each team's department (the leader's figures by department)."""
    verdicts = filter_verdicts(facts, team_ids, rules_, departments)
    # Every table goes through the engine, also those of a filter value that cannot be chosen: the
    # teams add up to the organisation, so a refused team's cells are protected in the others'.
    protected = disclosure.protect(compute(facts, team_ids, departments), rules_)
    rests_on = {(t.figure.removesuffix(RESTS_ON), t.filters): next((c for c in shown if c.key == ("all",)), None)
                for t, shown in protected if t.figure.endswith(RESTS_ON)}
    stored = []
    for table, shown in protected:
        if table.figure.endswith(RESTS_ON) or (table.filters and verdicts[key(table.filters)] is not None):
            continue  # a group too small to choose is never stored: nothing of it is published
        stored.append(published(table, shown, rests_on.get((table.figure, table.filters))))
    if period.kind == "month":
        hidden = sum(1 for t in stored for c in t["cells"] if c["hidden"])
        if hidden:
            raise Refused(f"A month is released only where every cell passes; {hidden} cell(s) of {period.code} "
                          "would be hidden. Release its quarter or half-year instead.")
    everyone = len(_children(facts))
    return {"tables": stored, "filters": verdicts, "children": everyone,
            "rules": {"k_count": rules_.k_count, "k_stat": rules_.k_stat, "round_to_five": rules_.round_to_five,
                      "min_members": rules_.min_members}}


def _normal(value: Any) -> Any:
    """The value as JSON gives it back, so a stored release compares equal to a fresh one."""
    return json.loads(json.dumps(value))


def changes(before: list[dict], after: list[dict]) -> dict[str, int]:
    """Per figure, how many published cells differ (added, gone or changed); never which."""
    def cells(tables):
        return {(t["figure"], t["filters"], tuple(c["key"])): (c["count"], c["value"], c["hidden"])
                for t in tables for c in t["cells"]}

    old, new = cells(before), cells(after)
    counted: dict[str, int] = {}
    for where in old.keys() | new.keys():
        if old.get(where) != new.get(where):
            counted[where[0]] = counted.get(where[0], 0) + 1
    return dict(sorted(counted.items()))


# Releases read by this process, by (id, created_at), parsed once: a stored release never changes
# (app/figures/models.py refuses updates), so a page need not read and parse its tables again.
KEPT = "figure_releases"
KEEP = 16


def latest(period: str, scope: str = SCOPE) -> FigureRelease | None:
    """The newest version of the period's release: looked up by id, its tables parsed once per process."""
    found = db.session.execute(select(FigureRelease.id, FigureRelease.created_at)
                               .where(FigureRelease.period == period, FigureRelease.scope == scope)
                               .order_by(FigureRelease.version.desc()).limit(1)).first()
    if found is None:
        return None
    kept = current_app.extensions.setdefault(KEPT, {})
    at = (found.id, found.created_at)
    if at not in kept:
        stored = db.session.get(FigureRelease, found.id)
        # A copy outside the session: read, never written (a release is kept as written).
        row = FigureRelease(**{column.key: getattr(stored, column.key) for column in FigureRelease.__table__.columns})
        by_filters: dict[str, dict[str, dict]] = {}
        for table in row.tables:
            by_filters.setdefault(table["filters"], {})[table["figure"]] = table
        for stale in list(kept)[:max(0, len(kept) - KEEP + 1)]:  # the oldest read first
            kept.pop(stale, None)
        kept[at] = (row, by_filters)
    return kept[at][0]


def tables_of(release: FigureRelease, filters: str) -> dict[str, dict]:
    """The release's tables for one choice of filters ("team=3&meeting=other"), by figure."""
    kept = current_app.extensions.get(KEPT, {}).get((release.id, release.created_at))
    if kept is not None and kept[0] is release:
        return kept[1].get(filters, {})
    return {t["figure"]: t for t in release.tables if t["filters"] == filters}


def release(period: Period, today: date, read: Facts | None = None) -> Outcome:
    """Release the period: a new version if a published figure changed, else the latest as it is.
    `read`: rows read for a span holding the period (load_span), else they are read here."""
    if not period.closed(today):
        last = period.end - timedelta(days=1)
        raise Refused(f"{period.code} is not closed yet: its last day is {last.isoformat()}. Figures are released "
                      "for closed periods only, so a figure never changes from one day to the next.")
    team_ids = list(teams())
    departments = {team: found.id for team, found in department_of(team_ids).items() if found is not None}
    facts = read.for_period(period) if read is not None else load(period)
    content = _normal(build(period, facts, team_ids, rules(), departments))
    before = latest(period.code)
    if before is not None and all(getattr(before, name) == content[name]
                                  for name in ("tables", "filters", "children", "rules")):
        return Outcome(before, False)
    row = FigureRelease(period=period.code, scope=SCOPE, version=(before.version + 1) if before else 1,
                        changes=changes(before.tables, content["tables"]) if before else {}, **content)
    db.session.add(row)
    db.session.flush()
    return Outcome(row, True)


def released_periods(scope: str = SCOPE) -> list[str]:
    """The periods with a release, newest first."""
    found = db.session.scalars(select(FigureRelease.period).where(FigureRelease.scope == scope).distinct()).all()
    return sorted(found, reverse=True)
