"""The network-method key figures and the intervention ladder (FIGURES.md K1, K2, K5–K10).

Each figure is a catalogue entry (app/figures/catalogue.py `figure`): a pure function of the
release's rows (app/figures/facts.py: MethodFact, MeasureFact), so each can be tested on hand-made
rows. The method registrations and measures are read unnarrowed: a figure picks the rows of the
copy's team (or department) itself, and the meeting filter picks registrations by the method
registered. A measure belongs to no meeting, so the ladder's figures (K8, K9) have no cells under
the meeting filter. K3 and K4 of the network-method guide are P1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.figures.catalogue import _cell, _form, _share, figure
from app.figures.disclosure import Cell
from app.figures.facts import METHOD_KINDS, Facts, MeasureFact, MethodFact
from app.instruments.catalogue import NUMERIC_TYPES
from app.labels import METHOD_OUTCOME_LABELS
from app.measures.ladder import current_ladder
from app.reconcile.divergence import number
from app.settings import lists

ALL = "all"
UNKNOWN = "unknown"  # a registration made before the occasion was asked (issue 14 item 3)
OCCASIONS = ("first", "follow_up")
NOT_HELD = ("not_used", "failed")
MOVEMENTS = ("new", "up", "same", "down", "ended")

WORDS = {
    "occasion": {"first": _l("Første møde"), "follow_up": _l("Opfølgende møde"), UNKNOWN: _l("Ikke oplyst"),
                 ALL: _l("Alle møder")},
    "status": {"not_used": _l("Tilbudt, men ikke brugt"), "failed": _l("Forsøgt, men lykkedes ikke")},
    "outcome": {"closed": _l("Lukket uden yderligere indsats"), "measure": _l("En indsats"),
                "network_role": _l("Netværket tog en rolle i stedet for en indsats"),
                "continues": _l("Sagen fortsætter")},
    "reopen_reason": {ALL: _l("Genåbnet i alt")},
    "movement": {"new": _l("Ny på trappen"), "up": _l("Op ad trappen"), "same": _l("Samme trin"),
                 "down": _l("Ned ad trappen"), "ended": _l("Ude af trappen")},
    "placement": {"network_share": _l("Anbragt i netværket"), "target": _l("Ledelsens mål")},
    "measure": {"participation": _l("Enige i evalueringen af inddragelse"),
                "closed": _l("Lukket uden yderligere indsats"),
                "network_role": _l("Netværket tog en rolle i stedet for en indsats")},
}
# The organisation's lists the codes of a dimension come from (app/settings/lists.py).
LISTS = {"target_group": "target_group", "case_type": "case_type", "failure_reason": "method_failure_reason",
         "reopen_reason": "reopen_reason"}


def label(dimension: str, value: str) -> str | None:
    """The words for a value of a K figure's dimension; None: the page's own words (the methods)."""
    if value in WORDS.get(dimension, {}):
        return str(WORDS[dimension][value])
    if dimension in LISTS:
        return lists.label(LISTS[dimension], value)
    if dimension == "rung":
        rung = current_ladder().rung(value)
        locale = get_locale()
        return rung.name(locale.language if locale else "da") if rung else value
    if dimension == "outcome":
        return str(METHOD_OUTCOME_LABELS.get(value, value))
    return None


# The order of the values of a dimension in the table and the chart; others by their codes, "all" last.
ORDER = {"occasion": (*OCCASIONS, UNKNOWN, ALL), "movement": MOVEMENTS, "status": NOT_HELD,
         "outcome": ("network_role", "measure", "closed", "continues"),
         "measure": ("participation", "closed", "network_role"), "placement": ("network_share", "target")}


def order(dimension: str, value: str) -> tuple[int, str]:
    """Where a value of a K figure's dimension goes: the ladder's rungs from the bottom up, the
    named orders above, and any other value by its code with "all" last."""
    if dimension in ORDER:
        known = ORDER[dimension]
        return (known.index(value) if value in known else len(known), value)
    if dimension == "rung":
        rung = current_ladder().rung(value)
        return (rung.position if rung else 100, value)
    return (1 if value == ALL else 0, value)


def _registrations(facts: Facts) -> list[MethodFact]:
    """The registrations of this copy's team (or department) and method, dated in the period."""
    return [r for r in facts.registrations if facts.period.contains(r.occurred_on) and facts.keeps(r)]


def _held(facts: Facts) -> list[MethodFact]:
    return [r for r in _registrations(facts) if r.status == "held"]


def _count(key: tuple[str, ...], rows: Iterable, facts: Facts) -> Cell:
    return _cell(key, rows, facts)


def _share_of_cases(key: tuple[str, ...], rows: list, hits: set[int], facts: Facts) -> Cell:
    """The share of the distinct cases behind `rows` that are in `hits`, resting on those cases."""
    cases = {row.case_id for row in rows}
    part = len(cases & hits)
    cell = _cell(key, rows, facts, count=len(cases), value=_share(part, len(cases)))
    return Cell(key=cell.key, count=cell.count, children=cell.children, members=cell.members, value=cell.value,
                numerator=part)


# --- K1 ------------------------------------------------------------------------------------------

# K1 and K7 count the same rows (_held): a reader knows their totals are equal (disclosure.Table.population).
HELD = "held method meetings"


@figure(id="K1", title=_l("Brug af metoderne efter målgruppe og sagstype"), counts=_l("Familierådslagninger og "
        "netværksmøder holdt i perioden, efter barnets målgruppe og sagens type, og om det var sagens første møde "
        "med metoden eller et opfølgende. Vælg mødetypen for at se én metode."), unit=_l("møder"),
        dimensions=("target_group", "case_type", "occasion"), kind="count", chart="stacked", series="occasion",
        label=label, order=order, population=HELD)
def use_by_target_group_and_case_type(facts: Facts) -> list[Cell]:
    """FIGURES.md K1: use of each method (the meeting filter) by target group and case type, first vs
    follow-up meetings. One table holds both groupings: two tables of the same meetings, one by
    target group and one by case type, would let their small cells be worked out from each other
    (rule 7's audit found that), while one table's lines are all protected together."""
    groups: dict[tuple[str, str, str], list[MethodFact]] = defaultdict(list)
    for row in _held(facts):
        groups[(row.target_group, row.case_type, row.occasion or UNKNOWN)].append(row)
    return [_count(key, rows, facts) for key, rows in sorted(groups.items())]


# --- K2 ------------------------------------------------------------------------------------------

@figure(id="K2", title=_l("Metoden blev ikke til noget"), counts=_l("Familierådslagninger og netværksmøder, der i "
        "perioden blev tilbudt, men ikke brugt, eller blev forsøgt, men ikke lykkedes, efter grunden."),
        unit=_l("registreringer"), dimensions=("failure_reason", "method", "status"), kind="count", chart="stacked",
        series="status", label=label, order=order)
def not_used_or_failed(facts: Facts) -> list[Cell]:
    """FIGURES.md K2: offered and not used, or attempted and failed, with reasons."""
    groups: dict[tuple[str, str, str], list[MethodFact]] = defaultdict(list)
    for row in _registrations(facts):
        if row.status in NOT_HELD:
            groups[(row.failure_reason or "other", row.method, row.status)].append(row)
    return [_count(key, rows, facts) for key, rows in sorted(groups.items())]


# --- K5, K6 --------------------------------------------------------------------------------------

def _closed(rows: Iterable[MethodFact]) -> set[int]:
    return {row.case_id for row in rows if row.outcome == "closed"}


@figure(id="K5", title=_l("Lukket uden yderligere indsats"), counts=_l("Af alle sager, hvor der i perioden blev "
        "holdt en familierådslagning eller et netværksmøde: andelen, der blev lukket uden yderligere indsats efter "
        "det første møde, efter et opfølgende møde, og i alt."), unit=_l("procent af sagerne"),
        dimensions=("method", "occasion"), kind="statistic", chart="bars", percent=True, series="occasion",
        label=label, order=order)
def closed_without_measure(facts: Facts) -> list[Cell]:
    """FIGURES.md K5: every share of a method has one denominator, all cases where the method was
    used (held) in the period, so its cells rest on the same children and nothing is told by
    subtracting one from another."""
    held = _held(facts)
    cells = []
    for method in METHOD_KINDS:
        used = [r for r in held if r.method == method]
        if not used:
            continue
        for occasion in OCCASIONS:
            closed = _closed(r for r in used if r.occasion == occasion)
            cells.append(_share_of_cases((method, occasion), used, closed, facts))
        cells.append(_share_of_cases((method, ALL), used, _closed(used), facts))
    return cells


@figure(id="K6", title=_l("Lukkede sager, der blev åbnet igen"), counts=_l("Af de sager, der blev lukket uden "
        "yderligere indsats efter en familierådslagning eller et netværksmøde i perioden: andelen, der er åbnet "
        "igen, indtil tallene blev udgivet, efter grunden."), unit=_l("procent af de lukkede sager"),
        dimensions=("method", "reopen_reason"), kind="statistic", chart="bars", percent=True, series="reopen_reason",
        label=label, order=order)
def reopened(facts: Facts) -> list[Cell]:
    """FIGURES.md K6: the share of K5's closed cases re-opened, by the reason."""
    cells = []
    for method in METHOD_KINDS:
        closed = [r for r in _held(facts) if r.method == method and r.outcome == "closed"]
        if not closed:
            continue
        again = [r for r in closed if r.reopened_on is not None]
        for reason in sorted({r.reopen_reason or "other" for r in again}):
            hits = {r.case_id for r in again if (r.reopen_reason or "other") == reason}
            cells.append(_share_of_cases((method, reason), closed, hits, facts))
        cells.append(_share_of_cases((method, ALL), closed, {r.case_id for r in again}, facts))
    return cells


# --- K7 ------------------------------------------------------------------------------------------

@figure(id="K7", title=_l("Netværksløsninger i stedet for en indsats"), counts=_l("Familierådslagninger og "
        "netværksmøder holdt i perioden, efter hvad mødet førte til: at netværket tog en rolle i stedet for en "
        "indsats, en indsats, at sagen blev lukket, eller at den fortsætter."), unit=_l("møder"),
        dimensions=("method", "outcome"), kind="count", chart="stacked", series="outcome", label=label, order=order,
        population=HELD)
def network_solutions(facts: Facts) -> list[Cell]:
    """FIGURES.md K7: network solutions instead of a measure, beside the other outcomes."""
    groups: dict[tuple[str, str], list[MethodFact]] = defaultdict(list)
    for row in _held(facts):
        groups[(row.method, row.outcome)].append(row)
    return [_count(key, rows, facts) for key, rows in sorted(groups.items())]


# --- K8, K9: the ladder --------------------------------------------------------------------------

def _ladder_cases(facts: Facts) -> dict[int, list[MeasureFact]]:
    """Each case's measures (its team's or department's); none under the meeting filter."""
    if facts.meeting is not None:
        return {}
    found: dict[int, list[MeasureFact]] = defaultdict(list)
    for row in facts.measures:
        if facts.keeps_team(row.team_id) and row.started_on < facts.period.end:
            found[row.case_id].append(row)
    return found


def _running(rows: list[MeasureFact], day) -> list[MeasureFact]:
    return [r for r in rows if r.started_on <= day and (r.ended_on is None or r.ended_on >= day)]


def _top(rows: list[MeasureFact]) -> int | None:
    return max((r.position for r in rows), default=None)


def movement(before: int | None, after: int | None) -> str:
    """Where a child went on the ladder over the period: from the highest rung it stood on the day
    before to the highest it stood on the last day (None: on no rung)."""
    if before is None:
        return "new"
    if after is None:
        return "ended"
    return "up" if after > before else "down" if after < before else "same"


@figure(id="K8", title=_l("Børn på indsatstrappen"), counts=_l("Børn med en indsats i perioden, på det højeste trin, "
        "de stod på, og hvor de bevægede sig hen: fra trinet dagen før perioden til trinet på periodens sidste dag. "
        "Kan ikke deles op efter mødetype."), unit=_l("børn"), dimensions=("rung", "movement"), kind="count",
        chart="stacked", series="movement", label=label, order=order)
def ladder(facts: Facts) -> list[Cell]:
    """FIGURES.md K8: children per rung in the period (a half-year in the half-year report), and
    their movements down and up the ladder."""
    start, last = facts.period.start, facts.period.end - timedelta(days=1)
    groups: dict[tuple[str, str], list[MeasureFact]] = defaultdict(list)
    for rows in _ladder_cases(facts).values():
        in_period = [r for r in rows if r.ended_on is None or r.ended_on >= start]
        if not in_period:
            continue
        highest = max(in_period, key=lambda r: (r.position, r.started_on))
        moved = movement(_top(_running(rows, start - timedelta(days=1))), _top(_running(rows, last)))
        groups[(highest.rung, moved)].append(highest)
    return [_cell(key, rows, facts) for key, rows in sorted(groups.items())]


@figure(id="K9", title=_l("Anbringelser i netværket"), counts=_l("Børn anbragt i perioden: andelen, der var anbragt "
        "i netværket, ved siden af ledelsens mål, når administratoren har sat det. Kan ikke deles op efter "
        "mødetype."), unit=_l("procent af de anbragte børn"), dimensions=("placement",), kind="statistic",
        chart="bars", percent=True, label=label, order=order)
def network_placements(facts: Facts) -> list[Cell]:
    """FIGURES.md K9: network placements as a share of all placements, against the target."""
    start = facts.period.start
    placed: list[MeasureFact] = []
    network: set[int] = set()
    for rows in _ladder_cases(facts).values():
        found = [r for r in rows if r.placement and (r.ended_on is None or r.ended_on >= start)]
        if found:
            placed.append(found[-1])
            if any(r.network for r in found):
                network.add(found[-1].case_id)
    if not placed:
        return []
    cells = [_share_of_cases(("network_share",), placed, network, facts)]
    if facts.target_network_share is not None:
        # The target is no one's data; it rests on the same children, so it is shown with the share.
        cells.append(_cell(("target",), placed, facts, value=float(facts.target_network_share)))
    return cells


# --- K10 -----------------------------------------------------------------------------------------

def _agreeing(facts: Facts, rounds: dict[int, MethodFact]) -> dict[tuple[str, str], list[tuple[object, bool]]]:
    """Per (target group, method): each numeric answer to a participation form after a held method
    in the period (P1), and whether it agrees (4–5)."""
    found: dict[tuple[str, str], list[tuple[object, bool]]] = defaultdict(list)
    for row in facts.in_period:
        held = rounds.get(row.round_id)
        if held is None:
            continue
        for answer in row.answers:
            instrument = _form(facts, answer.instrument_id)
            if instrument is None or instrument.group != "participation" or answer.declined:
                continue
            for item in instrument.items:
                value = number(answer.answers.get(item.key)) if item.type in NUMERIC_TYPES else None
                if value is not None:
                    found[(held.target_group, held.method)].append((row, value >= 4))
    return found


@figure(id="K10", title=_l("Metoderne efter målgruppe"), counts=_l("For hver målgruppe og metode i perioden: andelen "
        "af svarene på evalueringen af inddragelse, der er enige (4–5), andelen af sagerne, der blev lukket uden "
        "yderligere indsats, og andelen af møderne, hvor netværket tog en rolle i stedet for en indsats."),
        unit=_l("procent"), dimensions=("target_group", "method", "measure"), kind="statistic", chart="bars",
        percent=True, series="measure", label=label, order=order)
def by_method_and_target_group(facts: Facts) -> list[Cell]:
    """FIGURES.md K10: P1, K5 and K7 by method × target group."""
    held = _held(facts)
    rounds = {round_id: row for row in held for round_id in row.rounds}
    cells = []
    for (target_group, method), found in sorted(_agreeing(facts, rounds).items()):
        rows = [row for row, _agrees in found]
        agree = sum(1 for _row, agrees in found if agrees)
        cells.append(Cell(key=(target_group, method, "participation"), count=len(found),
                          children=frozenset(r.case_id for r in rows), respondents=len({r.person_id for r in rows}),
                          members=frozenset(r.caseworker_id for r in rows) if facts.grouped else None,
                          value=_share(agree, len(found)), numerator=agree))
    groups: dict[tuple[str, str], list[MethodFact]] = defaultdict(list)
    for row in held:
        groups[(row.target_group, row.method)].append(row)
    for (target_group, method), rows in sorted(groups.items()):
        cells.append(_share_of_cases((target_group, method, "closed"), rows, _closed(rows), facts))
        network = [r for r in rows if r.outcome == "network_role"]
        cells.append(Cell(key=(target_group, method, "network_role"), count=len(rows),
                          children=frozenset(r.case_id for r in rows),
                          members=frozenset(r.caseworker_id for r in rows) if facts.grouped else None,
                          value=_share(len(network), len(rows)), numerator=len(network)))
    return cells

