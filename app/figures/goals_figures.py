"""The indicator and goal figures (FIGURES.md "Indicators and goals": G1, G2, G3), registered in
the catalogue (app/figures/catalogue.py) like every other figure: the release, the page, the
exports and the half-year report need no change.

G1: the outcome of each factor between a child's indicator round and the round before it
(INSTRUMENTS.md §4, app/indicators/classification.py), with "ikke fulgt op" as its own
category: a factor the round left without a status, and every factor of a measurement that was
due in the period and not made. By factor, and by the kind of measure (intervention type)
running that day, where a kind resting on fewer than 3 providers is not shown on its own
(rule 5a: the providers are the cell's members).
G2: the final status of each factor at the child's first indicator round (intake) beside its
latest, for children whose latest round is in the period.
G3: goal attainment, the case worker's beside the provider's, at a goal's first, second and
third (or later) follow-up, by life domain.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask_babel import lazy_gettext as _l

from app.figures.catalogue import _cell, _picked, figure
from app.figures.disclosure import Cell
from app.figures.facts import Facts, IndicatorFact
from app.indicators.classification import (
    CATEGORIES,
    NOT_CLASSIFIABLE,
    NOT_FOLLOWED_UP,
    classify,
)
from app.labels import (
    CASEWORKER_ATTAINMENT_LABELS,
    DOMAIN_LABELS,
    INDICATOR_CATEGORY_LABELS,
)
from app.measures.services import MeasureFact

NO_MEASURE = "no_measure"  # G1T: no measure ran that day
UNKNOWN = "unknown"  # G1T: a measure without a provider
WHEN = ("intake", "latest")  # G2
STATUSES = ("1", "2", "3", "4", "5", "dont_know")  # G2: the 1–5 scale (1 best) and "ved ikke"
FOLLOW_UPS = ("1", "2", "3")  # G3: a goal's first, second and third (or later) follow-up
WHO = ("caseworker", "provider")  # G3
# The values of these figures' tables, for the page (app/figures/page.py _label).
WORDS = {
    "intake": _l("Første måling"), "latest": _l("Seneste måling"), "dont_know": _l("Ved ikke"),
    NO_MEASURE: _l("Ingen indsats"), "caseworker": _l("Rådgiveren"), "provider": _l("Udfører og skole"),
}
FOLLOW_UP_WORDS = {"1": _l("1. opfølgning"), "2": _l("2. opfølgning"), "3": _l("3. eller senere opfølgning")}
G3_ROW = _l("%(domain)s · %(follow_up)s · %(who)s")


def label(value: str) -> str | None:
    """The words for one of these figures' values: an outcome category (G1), an intervention type
    (G1T, "kind|…"), a G3 row ("g3|domain|follow-up|who"); None for a value not of theirs."""
    if value.startswith("g3|") and value.count("|") == 3:
        _g3, domain, follow_up, who = value.split("|")
        return str(G3_ROW) % {"domain": DOMAIN_LABELS.get(domain, domain), "follow_up": FOLLOW_UP_WORDS.get(follow_up, follow_up),
                              "who": WORDS.get(who, who)}
    if value.startswith("kind|"):
        from app.measures.ladder import current_ladder

        kind = current_ladder().kind(value.removeprefix("kind|"))
        return kind.name("da") if kind is not None else value.removeprefix("kind|")
    if value.startswith("g3:"):
        return str(CASEWORKER_ATTAINMENT_LABELS.get(value.removeprefix("g3:"), value))
    if value in INDICATOR_CATEGORY_LABELS:
        return str(INDICATOR_CATEGORY_LABELS[value])
    if value in WORDS:
        return str(WORDS[value])
    return None


# --- G1 ------------------------------------------------------------------------------------------

def _by_case(rows) -> dict[int, dict[int, list[IndicatorFact]]]:
    """Each case's indicator rounds, oldest first: round id → its factors' final scores."""
    cases: dict[int, dict[int, list[IndicatorFact]]] = defaultdict(dict)
    for row in sorted(rows, key=lambda r: (r.case_id, r.held_on, r.round_id)):
        cases[row.case_id].setdefault(row.round_id, []).append(row)
    return cases


def _category(before: IndicatorFact | None, now: IndicatorFact | None) -> str:
    """INSTRUMENTS.md §4's table for one factor, as the case's page classifies it
    (app/indicators/services.py classify_factors): a status off the scale is said, never guessed."""
    s2 = now.status if now is not None else None
    try:
        return classify(before.status if before else None, before.goal if before else None, s2)
    except ValueError:
        return NOT_FOLLOWED_UP if s2 is None else NOT_CLASSIFIABLE


def outcomes(facts: Facts) -> list[tuple[IndicatorFact, str, str, date]]:
    """(the row counted, its factor, its category, the day) for every factor of every indicator round
    in the period against the case's round before it, and every factor of the case's last round
    before a measurement that fell due in the period and was not made ("ikke fulgt op")."""
    found = []
    cases = _by_case(row for row in facts.indicators if row.held_on < facts.period.end)
    for rounds in cases.values():
        ordered = list(rounds.values())
        for previous, current in zip(ordered, ordered[1:]):
            if not facts.period.contains(current[0].held_on):
                continue
            before, now = {r.factor: r for r in previous}, {r.factor: r for r in current}
            for factor in sorted(before.keys() | now.keys()):
                found.append((now.get(factor) or current[0], factor, _category(before.get(factor), now.get(factor)),
                              current[0].held_on))
    for due in facts.cache.get("all_due", facts.due):
        if due.kind != "measurement" or due.state != "missing" or not facts.period.contains(due.due_on):
            continue
        earlier = [round_ for round_ in cases.get(due.case_id, {}).values() if round_[0].held_on < due.due_on]
        if earlier:
            last = earlier[-1]
            found += [(_missed(row, due), row.factor, NOT_FOLLOWED_UP, due.due_on) for row in last]
    return found


def _missed(row: IndicatorFact, due) -> IndicatorFact:
    """The row a missed measurement counts as: the case's, under the team and method of the due list."""
    return IndicatorFact(row.case_id, due.team_id, due.caseworker_id, due.meeting_kind, due.due_on, row.round_id,
                         row.factor, None, None, due.method)


@figure(id="G1", title=_l("Udvikling på indikatorerne"), counts=_l("For hver faktor: udviklingen fra én måling af "
        "indikatorerne til den næste, når den næste er fra perioden, efter skemaets kategorier. En måling, der "
        "skulle være gjort i perioden og ikke blev det, og en faktor uden status, tælles som »ikke fulgt op«."),
        unit=_l("faktorer"), dimensions=("factor", "category"), kind="distribution", chart="stacked",
        series="category", percent=True,
        caveat=_l("Tallene beskriver, de beviser ikke: de viser, hvad der er sket, ikke hvorfor. »Ikke fulgt op« er "
                  "en kategori for sig og er ikke trukket fra: et barn, der ikke blev målt, tæller stadig med."))
def indicator_outcomes(facts: Facts) -> list[Cell]:
    groups: dict[tuple[str, str], list[IndicatorFact]] = defaultdict(list)
    for row, factor, category, _day in _picked(facts, "G1", lambda: outcomes(facts)):
        groups[(factor, category)].append(row)
    return [_cell(key, rows, facts) for key, rows in sorted(groups.items(), key=_in_order)]


def _in_order(item) -> tuple:
    key = item[0]
    return (*key[:-1], CATEGORIES.index(key[-1]) if key[-1] in CATEGORIES else len(CATEGORIES))


def _running(measures: tuple[MeasureFact, ...], case_id: int, day: date, cache: dict) -> list[MeasureFact]:
    by_case = cache.get("G1T:measures")
    if by_case is None:
        by_case = cache["G1T:measures"] = defaultdict(list)
        for measure in measures:
            by_case[measure.case_id].append(measure)
    return [m for m in by_case.get(case_id, ()) if m.runs_on(day)]


@figure(id="G1T", title=_l("Udvikling på indikatorerne efter indsats"), counts=_l("Udviklingen på indikatorerne som "
        "i G1, efter den slags indsats, barnet fik den dag: én faktor tæller under hver indsats, der kørte. En "
        "indsats, som færre end 3 udførere leverer, vises ikke for sig, så en enkelt udfører ikke kan ses."),
        unit=_l("faktorer"), dimensions=("kind", "category"), kind="distribution", chart="stacked",
        series="category", percent=True,
        caveat=_l("Tallene beskriver, de beviser ikke: børn får forskellige indsatser, fordi de har det forskelligt, "
                  "så indsatserne kan ikke sammenlignes som en effekt. »Ikke fulgt op« er en kategori for sig."))
def indicator_outcomes_by_measure(facts: Facts) -> list[Cell]:
    groups: dict[tuple[str, str], list[tuple[IndicatorFact, frozenset]]] = defaultdict(list)
    for row, _factor, category, day in _picked(facts, "G1", lambda: outcomes(facts)):
        running = _running(facts.case_measures, row.case_id, day, facts.cache)
        for kind in sorted({m.kind for m in running}):
            # A measure without a provider on the list: who delivered it is not known, so all such
            # count as one provider (rule 5a never takes an unknown for three).
            providers = frozenset(m.provider or UNKNOWN for m in running if m.kind == kind)
            groups[(f"kind|{kind}", category)].append((row, providers))
        if not running:
            groups[(NO_MEASURE, category)].append((row, frozenset()))
    cells = []
    for key, found in sorted(groups.items(), key=_in_order):
        cell = _cell(key, [row for row, _providers in found], facts)
        # Rule 5a: the providers behind a kind of measure are its members, not the case workers.
        members = None if key[0] == NO_MEASURE else frozenset().union(*(p for _row, p in found))
        cells.append(Cell(key=cell.key, count=cell.count, children=cell.children, members=members))
    return cells


# --- G2 ------------------------------------------------------------------------------------------

def _status(row: IndicatorFact | None) -> str | None:
    if row is None or row.status is None:
        return None
    return "dont_know" if row.status == "dont_know" else str(row.status) if str(row.status) in STATUSES else None


def intake_and_latest(facts: Facts) -> list[tuple[IndicatorFact, str, str, str]]:
    """(the latest row, factor, "intake"/"latest", status) for each child whose latest indicator round
    is in the period and is not its first: the factor's final status at both rounds."""
    found = []
    for rounds in _by_case(row for row in facts.indicators if row.held_on < facts.period.end).values():
        ordered = list(rounds.values())
        if len(ordered) < 2 or not facts.period.contains(ordered[-1][0].held_on):
            continue
        first, last = {r.factor: r for r in ordered[0]}, {r.factor: r for r in ordered[-1]}
        for factor in sorted(first.keys() | last.keys()):
            for when, rows in (("intake", first), ("latest", last)):
                status = _status(rows.get(factor))
                if status is not None:
                    found.append((ordered[-1][0], factor, when, status))
    return found


@figure(id="G2", title=_l("Status ved første og seneste måling"), counts=_l("For hver faktor: rådgiverens endelige "
        "status (1 er bedst, 5 er værst) ved barnets første måling af indikatorerne og ved den seneste, for børn, hvis "
        "seneste måling er fra perioden og ikke er den første."), unit=_l("børn"), dimensions=("factor", "when", "status"),
        kind="distribution", chart="bars", series="status", percent=True,
        caveat=_l("Tallene beskriver, de beviser ikke: de viser, hvad der er sket, ikke hvorfor. Børn med kun én måling "
                  "er ikke med."))
def status_at_intake_and_latest(facts: Facts) -> list[Cell]:
    groups: dict[tuple[str, str, str], list[IndicatorFact]] = defaultdict(list)
    for row, factor, when, status in _picked(facts, "G2", lambda: intake_and_latest(facts)):
        groups[(factor, when, status)].append(row)
    return [_cell(key, rows, facts) for key, rows in
            sorted(groups.items(), key=lambda item: (item[0][0], WHEN.index(item[0][1]), STATUSES.index(item[0][2])))]


# --- G3 ------------------------------------------------------------------------------------------

def attainments(facts: Facts) -> list[tuple]:
    """(the assessment, its G3 row, its step) for every assessment at a meeting in the period: a goal's
    follow-up is the place of the meeting among the meetings where it was assessed (the third and
    later are one: "three dates")."""
    meetings: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for row in facts.goals:
        if row.held_on < facts.period.end:
            meetings[row.goal_id].append((row.held_on, row.meeting_id))
    order = {goal_id: {meeting_id: i for i, (_d, meeting_id) in enumerate(sorted(set(found)))}
             for goal_id, found in meetings.items()}
    found = []
    for row in facts.goals:
        if facts.period.contains(row.held_on):
            follow_up = FOLLOW_UPS[min(order[row.goal_id][row.meeting_id], len(FOLLOW_UPS) - 1)]
            found.append((row, f"g3|{row.domain}|{follow_up}|{row.who}", f"g3:{row.attainment}"))
    return found


@figure(id="G3", title=_l("Målopfyldelse"), counts=_l("Hvor langt målene i barnets plan er nået, efter livsområde, "
        "ved målets 1., 2. og 3. (eller senere) opfølgning: rådgiverens vurdering ved siden af udførerens og skolens i "
        "statusbeskrivelsen før mødet. Tæller vurderinger ved møder i perioden."), unit=_l("vurderinger af mål"),
        dimensions=("goal", "attainment"), kind="distribution", chart="stacked", series="attainment", percent=True,
        caveat=_l("Tallene beskriver, de beviser ikke: et mål kan være sat højt eller lavt. Rådgiveren og udføreren "
                  "vurderer hver for sig, og »ikke fulgt op« er en kategori for sig."))
def goal_attainment(facts: Facts) -> list[Cell]:
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for row, group, step in _picked(facts, "G3", lambda: attainments(facts)):
        groups[(group, step)].append(row)
    steps = [f"g3:{step}" for step in CASEWORKER_ATTAINMENT_LABELS]
    return [_cell(key, rows, facts) for key, rows in sorted(groups.items(), key=lambda i: (i[0][0], steps.index(i[0][1])
                                                                                           if i[0][1] in steps else 99))]

