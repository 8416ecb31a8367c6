"""Count figures summed in the database: one GROUP BY per release instead of a walk over every row.

A count figure's cell is a sum over rows (FIGURES.md: its count, its distinct children, and where
grouped by team its distinct case workers, rule 5a). Every filter of a release (team, department,
kind of meeting) keeps or drops whole (team, method group) parts, so the figure is first summed
per part and cell key, each part knowing its children and case workers; a filter set's cell is
then the sum of its parts' counts and the union of their children and case workers: the same Cell
as summing the rows themselves (app/figures/catalogue.py's _cell), which the equivalence test
checks (tests/test_figure_equivalence.py).

Rows read from the database (Facts.source) are summed there (only the columns the figure needs,
no answers); rows made by hand are summed in Python, the reference. The disclosure engine gets the
same cells either way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from app.cases.models import Case, Meeting
from app.extensions import db
from app.figures.disclosure import Cell
from app.figures.facts import ROLE_GROUPS, Facts, group_of, meeting_group
from app.invitations.models import Invitation, Response, Round
from app.registrations.models import MethodRegistration


@dataclass(frozen=True)
class Part:
    """One (team, method group)'s share of one cell: its count, children and case workers."""

    team_id: int
    meeting: str
    key: tuple[str, ...]
    count: int
    children: frozenset[int]
    members: frozenset[int]


def cells(facts: Facts, name: str, parts: Callable[[], list[Part]]) -> list[Cell]:
    """The cells of this copy's team (or department) and kind of meeting, from parts worked out once
    per release, in key order: counts summed, children and case workers united."""
    found = facts.cache.get(name)
    if found is None:
        found = facts.cache[name] = parts()
    count: dict[tuple[str, ...], int] = defaultdict(int)
    children: dict[tuple[str, ...], list[frozenset[int]]] = defaultdict(list)
    members: dict[tuple[str, ...], list[frozenset[int]]] = defaultdict(list)
    for part in found:
        if facts.keeps_team(part.team_id) and (facts.meeting is None or part.meeting == facts.meeting):
            count[part.key] += part.count
            children[part.key].append(part.children)
            members[part.key].append(part.members)
    return [Cell(key=key, count=count[key], children=frozenset().union(*children[key]),
                 members=frozenset().union(*members[key]) if facts.grouped else None)
            for key in sorted(count)]


def from_rows(rows: Iterable, key: Callable[[object], tuple[str, ...]]) -> list[Part]:
    """The parts summed in Python, row by row (the reference, and rows made by hand)."""
    grouped: dict[tuple[int, str, tuple[str, ...]], list] = defaultdict(list)
    for row in rows:
        grouped[(row.team_id, group_of(row), key(row))].append(row)
    return [Part(team, meeting, found, len(rows), frozenset(r.case_id for r in rows),
                 frozenset(r.caseworker_id for r in rows)) for (team, meeting, found), rows in grouped.items()]


def _ids(column):
    """The distinct ids of a group as one value: an array on PostgreSQL, a comma list on SQLite."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.array_agg(column.distinct())
    return func.group_concat(column.distinct())


def _id_set(value) -> frozenset[int]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset(map(int, value.split(",")))
    return frozenset(value)


def invitation_states(facts: Facts) -> list[Part]:
    """I1's parts: invitations after meetings in the period by team, method group, role group and state."""
    if facts.source is None:
        return from_rows((row for row in facts.everyone if facts.period.contains(row.held_on)),
                         lambda row: (row.role_group, row.status))
    period, source = facts.period, facts.source
    given = (select(Response.invitation_id, func.count().label("n"),
                    func.sum(case((Response.declined.is_(True), 1), else_=0)).label("declined"))
             .where(Response.superseded_at.is_(None)).group_by(Response.invitation_id).subquery())
    correction = aliased(MethodRegistration)
    in_force = (select(MethodRegistration.meeting_id, func.max(MethodRegistration.id).label("id"))
                .where(MethodRegistration.meeting_id.is_not(None),
                       MethodRegistration.occurred_on < source.registered_before,
                       ~select(correction.id).where(correction.corrects_id == MethodRegistration.id).exists())
                .group_by(MethodRegistration.meeting_id).subquery())
    registered = aliased(MethodRegistration)
    state = case((Invitation.revoked_at.is_not(None), "revoked"),
                 ((given.c.n > 0) & (given.c.n == given.c.declined), "declined"),
                 (given.c.n > 0, "answered"),
                 (Invitation.expires_at <= source.now, "expired"), else_="waiting")
    columns = (Case.team_id, Meeting.kind, registered.method, registered.status, Invitation.respondent_role,
               state.label("state"))
    rows = db.session.execute(
        select(*columns, func.count(), _ids(Case.id), _ids(Case.caseworker_id))
        .select_from(Invitation).join(Round, Invitation.round_id == Round.id)
        .join(Meeting, Round.meeting_id == Meeting.id).join(Case, Meeting.case_id == Case.id)
        .outerjoin(given, given.c.invitation_id == Invitation.id)
        .outerjoin(in_force, in_force.c.meeting_id == Meeting.id)
        .outerjoin(registered, registered.id == in_force.c.id)
        .where(Round.kind == "feedback", Meeting.held_on >= period.start, Meeting.held_on < period.end)
        .group_by(*columns)
    ).all()
    merged: dict[tuple[int, str, tuple[str, ...]], list] = {}
    for team_id, kind, method, status, role, state_, count, children, members in rows:
        group = meeting_group(kind, None if method is None else method if status == "held" else "other")
        at = (team_id, group, (ROLE_GROUPS.get(role, "provider"), state_))
        found = merged.setdefault(at, [0, set(), set()])
        found[0] += count
        found[1].update(_id_set(children))
        found[2].update(_id_set(members))
    return [Part(team, meeting, key, count, frozenset(children), frozenset(members))
            for (team, meeting, key), (count, children, members) in merged.items()]


def i1(facts: Facts) -> list[Cell]:
    """FIGURES.md I1 from its parts."""
    return cells(facts, "I1:parts", lambda: invitation_states(facts))

