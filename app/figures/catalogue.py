"""The figures (FIGURES.md "The catalogue"): a registry, one entry per figure.

Each entry says what the figure counts, its unit, its caveat, its dimensions, its chart, and the
function that computes its raw cells from the release's rows (app/figures/facts.py). A cell knows
the distinct children it rests on; the disclosure engine decides what may be published. A new
figure is a new entry here: the release, the page and the print view need no change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

from flask_babel import lazy_gettext as _l

from app.figures import sums
from app.figures.disclosure import Cell
from app.figures.facts import Facts, InvitationFact, group_of
from app.instruments import Instrument, current_catalogue, score
from app.instruments.catalogue import DONT_KNOW, NUMERIC_TYPES
from app.reconcile.divergence import divergence, number
from app.reconcile.signals import Measurement, outcome_signals, session_signals

CAVEAT = _l("Tallene beskriver, de beviser ikke: de viser, hvad der er sket, ikke hvorfor.")


@dataclass(frozen=True)
class Figure:
    id: str
    title: str
    counts: str  # what it counts, in words
    unit: str
    dimensions: tuple[str, ...]
    kind: str  # "count", "statistic" or "distribution" (disclosure.Table.kind)
    chart: str  # "stacked" (counts or a distribution per row) or "bars" (a share or mean per row)
    compute: Callable[[Facts], list[Cell]]
    caveat: str = CAVEAT
    # The dimension a cell's value is read along for the chart's series; None: one series.
    series: str | None = None
    # True: the chart's values are shares, drawn on 0–100.
    percent: bool = False
    # The words for a value of one of its dimensions, (dimension, value) -> text, where the page's
    # own words (app/figures/page.py LABELS) do not say it; None there: the page's words.
    label: Callable[[str, str], str | None] | None = None
    # Where a value of one of its dimensions goes in the table, (dimension, value) -> a sort key of
    # the same type for every value of the dimension; None: by the value (a code), totals last.
    order: Callable[[str, str], tuple] | None = None
    # Where another figure counts the very same rows, a name both give (disclosure.Table.population).
    population: str | None = None
    # The figure whose children hold this one's (P1's answers come from I1's invitations): a reader
    # knows the children one rests on are at most the other's (disclosure.Table.within).
    within: str | None = None


FIGURES: dict[str, Figure] = {}


def register(figure: Figure) -> Figure:
    if figure.id in FIGURES:
        raise ValueError(f"figure {figure.id} is registered twice")
    FIGURES[figure.id] = figure
    return figure


def figure(**fields) -> Callable[[Callable[[Facts], list[Cell]]], Callable[[Facts], list[Cell]]]:
    """Register the decorated function as the compute function of a figure."""

    def wrap(compute):
        register(Figure(compute=compute, **fields))
        return compute

    return wrap


# --- helpers ------------------------------------------------------------------------------------

def _cell(key: tuple[str, ...], rows: Iterable[InvitationFact], facts: Facts, count: int | None = None,
          value: float | None = None, respondents: int | None = None) -> Cell:
    """A cell resting on these rows: their children, and their case workers where grouped by team (rule 5a)."""
    rows = list(rows)
    return Cell(key=key, count=len(rows) if count is None else count,
                children=frozenset(row.case_id for row in rows), respondents=respondents,
                members=frozenset(row.caseworker_id for row in rows) if facts.grouped else None,
                value=value)


def _share(part: int, whole: int) -> float:
    """A percentage with one decimal."""
    return round(100 * part / whole, 1) if whole else 0.0


def find_instrument(instrument_id: str) -> Instrument | None:
    catalogue = current_catalogue()
    return catalogue.get(instrument_id) if instrument_id in catalogue else None


def _instruments(facts: Facts) -> dict[str, Instrument | None]:
    """The forms by id, looked up once per release."""
    found = facts.cache.setdefault("instruments", {})
    return found


def _form(facts: Facts, instrument_id: str) -> Instrument | None:
    found = _instruments(facts)
    if instrument_id not in found:
        found[instrument_id] = find_instrument(instrument_id)
    return found[instrument_id]


def _once(facts: Facts, name: str, work: Callable[[], object]):
    """Work something out once per release, from all its rows; every filter reuses it."""
    if name not in facts.cache:
        facts.cache[name] = work()
    return facts.cache[name]


def _picked(facts: Facts, name: str, work: Callable[[], list[tuple]]) -> list[tuple]:
    """The items (each a row first) worked out once per release, those of this copy's team and
    kind of meeting: bucketed once, so a filter picks buckets instead of testing every row."""
    def bucketed() -> dict[tuple[int, str], list[tuple]]:
        buckets: dict[tuple[int, str], list[tuple]] = defaultdict(list)
        for item in work():
            buckets[(item[0].team_id, group_of(item[0]))].append(item)
        return buckets

    return [item for (team, meeting), items in _once(facts, name, bucketed).items()
            if facts.keeps_team(team) and (facts.meeting is None or meeting == facts.meeting)
            for item in items]


def _scored(instrument: Instrument, answer) -> float | None:
    """The answer's total on the form, if it is a complete answer of the form's current series."""
    if answer.declined or answer.version not in instrument.one_series():
        return None
    return score(instrument, answer.answers).total


def age_band(age: int) -> str:
    return "0-5" if age < 6 else "6-12" if age < 13 else "13-17" if age < 18 else "18+"


# --- implementation ------------------------------------------------------------------------------

STATES = ("answered", "declined", "expired", "revoked", "waiting")


@figure(id="I1", title=_l("Invitationer efter status"), counts=_l("Invitationer til at svare efter møder i perioden, "
        "efter hvem der blev spurgt, og hvad der skete med invitationen."), unit=_l("invitationer"),
        dimensions=("role", "state"), kind="count", chart="stacked", series="state")
def invitations_by_state(facts: Facts) -> list[Cell]:
    """Summed per team and kind of meeting once per release, in the database where the rows came from it."""
    return sums.i1(facts)


@figure(id="I2", title=_l("Barnet svarede selv"), counts=_l("Andelen af feedbackrunder i perioden, hvor barnet selv "
        "svarede, efter barnets alder."), unit=_l("procent af runderne"), dimensions=("age_band",), kind="statistic",
        chart="bars", percent=True)
def child_answered(facts: Facts) -> list[Cell]:
    rounds: dict[int, list[InvitationFact]] = defaultdict(list)
    for row in facts.in_period:
        rounds[row.round_id].append(row)
    bands: dict[str, list[list[InvitationFact]]] = defaultdict(list)
    for rows in rounds.values():
        bands[age_band(rows[0].child_age)].append(rows)
    cells = []
    for band, band_rounds in sorted(bands.items()):
        answered = sum(1 for rows in band_rounds if any(r.role == "child" and r.status == "answered" for r in rows))
        cells.append(_cell((band,), [rows[0] for rows in band_rounds], facts, count=len(band_rounds),
                           value=_share(answered, len(band_rounds))))
    return cells


@figure(id="I3", title=_l("Tid til svar og til beslutning"), counts=_l("Dage fra mødet til svaret (median), og fra "
        "første svar til rådgiverens beslutning (median); runder, der stadig venter på en beslutning."),
        unit=_l("dage"), dimensions=("measure",), kind="statistic", chart="bars")
def time_to_answer(facts: Facts) -> list[Cell]:
    to_answer: list[tuple[int, InvitationFact]] = []
    rounds: dict[int, list[InvitationFact]] = defaultdict(list)
    for row in facts.in_period:
        rounds[row.round_id].append(row)
        answered = [a.submitted_on for a in row.answers if not a.declined]
        if answered:
            to_answer.append((max(0, (min(answered) - row.held_on).days), row))
    to_decision, waiting = [], []
    for rows in rounds.values():
        firsts = [a.submitted_on for r in rows for a in r.answers if not a.declined]
        if not firsts:
            continue
        if rows[0].decided_on is None:
            waiting.append(rows[0])
        else:
            to_decision.append((max(0, (rows[0].decided_on - min(firsts)).days), rows[0]))
    cells = []
    for key, found in (("to_answer", to_answer), ("to_decision", to_decision)):
        if found:
            cells.append(_cell((key,), [row for _, row in found], facts, value=float(median(d for d, _ in found))))
    if waiting:
        cells.append(_cell(("waiting_decision",), waiting, facts))
    return cells


DUE_STATES = ("on_time", "late", "missing")


@figure(id="I4", title=_l("Det, der skulle nås"), counts=_l("Opfølgninger pr. telefon med hver forælder (14 dage "
        "efter mødet), udførerens status før et opfølgningsmøde og målinger af indikatorer efter sagens rytme, der "
        "skulle være gjort i perioden: til tiden, for sent eller ikke gjort."), unit=_l("opgaver"), dimensions=("task", "done"), kind="count", chart="stacked",
        series="done")
def due_and_done(facts: Facts) -> list[Cell]:
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for row in facts.due:
        if facts.period.contains(row.due_on):
            groups[(row.kind, row.state)].append(row)
    return [_cell(key, rows, facts) for key, rows in sorted(groups.items())]


# --- participation -------------------------------------------------------------------------------

MEASURES = ("agree", "mean", "dont_know")


@figure(id="P1", title=_l("Evaluering af inddragelse"), counts=_l("Svar på evalueringen af inddragelse efter møder i "
        "perioden: andelen, der er enige (4–5), gennemsnittet (1–5, højere er bedre) og andelen, der svarede "
        "»ved ikke«, for hvert spørgsmål og efter hvem der svarede."), unit=_l("procent og gennemsnit"),
        dimensions=("item", "role", "measure"), kind="statistic", chart="bars", percent=True, series="role",
        within="I1")
def participation(facts: Facts) -> list[Cell]:
    def answered() -> list[tuple[InvitationFact, str, object]]:
        found = []
        for row in facts.everyone:
            for answer in row.answers:
                instrument = _form(facts, answer.instrument_id)
                if instrument is None or instrument.group != "participation" or answer.declined:
                    continue
                for item in instrument.items:
                    value = answer.answers.get(item.key)
                    if item.type in NUMERIC_TYPES and value is not None and facts.period.contains(row.held_on):
                        found.append((row, f"{instrument.id}:{item.key}", value))
        return found

    given: dict[tuple[str, str], list[tuple[InvitationFact, object]]] = defaultdict(list)
    for row, item, value in _picked(facts, "P1", answered):
        given[(item, row.role_group)].append((row, value))
    cells = []
    for (item, role), found in sorted(given.items()):
        numbers = [n for _, v in found if (n := number(v)) is not None]
        dont_know = sum(1 for _, v in found if v == DONT_KNOW)
        rows = [row for row, _ in found]
        persons = len({row.person_id for row in rows})
        agree = sum(1 for n in numbers if n >= 4)
        cells.append(_cell((item, role, "agree"), rows, facts, value=_share(agree, len(numbers)), respondents=persons))
        if numbers:
            mean = float(round(sum(numbers, Decimal(0)) / len(numbers), 2))
            cells.append(_cell((item, role, "mean"), rows, facts, value=mean, respondents=persons))
        cells.append(_cell((item, role, "dont_know"), rows, facts, value=_share(dont_know, len(found)),
                           respondents=persons))
    return cells


# --- FIT -----------------------------------------------------------------------------------------

CHANGES = ("recovered", "reliable_improvement", "no_reliable_change", "reliable_deterioration", "only_one")


def _series(facts: Facts, signals: str) -> dict[tuple[int, str], list[tuple[InvitationFact, float, dict]]]:
    """Each person's complete totals on each scored form with these signals, oldest first, over
    every row of the release: a filter chooses people by their latest row, never cuts a series."""
    found: dict[tuple[int, str], list[tuple[InvitationFact, float, dict]]] = defaultdict(list)
    for row in sorted(facts.everyone, key=lambda r: (r.held_on, r.round_id)):
        for answer in row.answers:
            instrument = _form(facts, answer.instrument_id)
            if instrument is None or not instrument.scored or instrument.scoring is None \
                    or instrument.scoring.signals != signals:
                continue  # the young child's faces are never scored, never counted (FIGURES.md F1)
            total = _scored(instrument, answer)
            if total is not None:
                found[(row.person_id, instrument.id)].append((row, total, answer.answers))
    return found


def _outcome_changes(facts: Facts) -> list[tuple[InvitationFact, str, float | None]]:
    """Each person's latest outcome score in the period, its change class (INSTRUMENTS.md §1) and its
    change in points from the first score (None: only one score), over every row of the release."""
    found = []
    for (_person, instrument_id), series in _series(facts, "outcome").items():
        if len(series) == 1:
            change, difference = "only_one", None
        else:
            measurements = [Measurement(total, answers, row.child_age) for row, total, answers in series]
            change = outcome_signals(_form(facts, instrument_id), measurements)[-1].code
            difference = float(series[-1][1]) - float(series[0][1])
        if facts.period.contains(series[-1][0].held_on):
            found.append((series[-1][0], change, difference))
    return found


@figure(id="F1", title=_l("Udvikling i FIT-udbytte"), counts=_l("For hvert barn og hver, der svarede: ændringen fra "
        "første til seneste FIT-udbytte, når den seneste scoring er fra perioden. Pålidelig ændring er 5 point; "
        "»kun én scoring« tælles for sig."), unit=_l("personer, der svarede"), dimensions=("role", "change"),
        kind="distribution", chart="stacked", series="change")
def outcome_change(facts: Facts) -> list[Cell]:
    groups: dict[tuple[str, str], list[InvitationFact]] = defaultdict(list)
    for latest, change, _difference in _picked(facts, "F1", lambda: _outcome_changes(facts)):
        groups[(latest.role_group, change)].append(latest)
    return [_cell(key, rows, facts, respondents=len({r.person_id for r in rows}))
            for key, rows in sorted(groups.items())]


@figure(id="F1M", title=_l("Gennemsnitlig ændring i FIT-udbytte"), counts=_l("For hver, der svarede: den "
        "gennemsnitlige ændring i point fra første til seneste FIT-udbytte blandt dem med mindst to scoringer, når den "
        "seneste er fra perioden, og ved siden af andelen, der kun har én scoring."), unit=_l("point og procent"),
        dimensions=("role", "measure"), kind="statistic", chart="bars")
def outcome_mean_change(facts: Facts) -> list[Cell]:
    """FIGURES.md F1 "mean change", and "the share with only one shown beside it", per respondent role."""
    groups: dict[str, list[tuple[InvitationFact, float | None]]] = defaultdict(list)
    for latest, _change, difference in _picked(facts, "F1", lambda: _outcome_changes(facts)):
        groups[latest.role_group].append((latest, difference))
    cells = []
    for role, found in sorted(groups.items()):
        changed = [(row, d) for row, d in found if d is not None]
        if changed:
            rows = [row for row, _ in changed]
            mean = round(sum(d for _, d in changed) / len(changed), 2)
            cells.append(_cell((role, "mean_change"), rows, facts, value=mean,
                               respondents=len({r.person_id for r in rows})))
        rows = [row for row, _ in found]
        cells.append(_cell((role, "only_one"), rows, facts, value=_share(len(found) - len(changed), len(found)),
                           respondents=len({r.person_id for r in rows})))
    return cells


SESSION_SIGNALS = {"session_below_cutoff", "session_item_low", "session_fall"}


@figure(id="F2", title=_l("FIT-sessionsvurderinger med et signal"), counts=_l("Andelen af sessionsvurderinger i "
        "perioden med et signal: under grænsen, et spørgsmål under 9, eller et fald siden sidst. Vises aldrig for "
        "den enkelte rådgiver."), unit=_l("procent af vurderingerne"), dimensions=("role",), kind="statistic", chart="bars", percent=True)
def session_signals_share(facts: Facts) -> list[Cell]:
    def ratings() -> list[tuple[InvitationFact, bool]]:
        found = []
        for (_person, instrument_id), series in _series(facts, "session").items():
            instrument = _form(facts, instrument_id)
            for index, (row, _total, _answers) in enumerate(series):
                if facts.period.contains(row.held_on):
                    measurements = [Measurement(t, a, r.child_age) for r, t, a in series[max(0, index - 1):index + 1]]
                    signals = session_signals(instrument, measurements)
                    found.append((row, any(s.code in SESSION_SIGNALS for s in signals)))
        return found

    groups: dict[str, list[tuple[InvitationFact, bool]]] = defaultdict(list)
    for row, signalled in _picked(facts, "F2", ratings):
        groups[row.role_group].append((row, signalled))
    return [_cell((role,), [r for r, _ in found], facts, value=_share(sum(s for _, s in found), len(found)),
                  respondents=len({r.person_id for r, _ in found}))
            for role, found in sorted(groups.items())]


# --- divergence ----------------------------------------------------------------------------------

PAIRS = ("child_parent", "parent_parent", "family_provider")


def _pair(one: str, other: str) -> str | None:
    groups = sorted((one, other))
    if groups == ["child", "parents"]:
        return "child_parent"
    if groups == ["parents", "parents"]:
        return "parent_parent"
    if groups in (["child", "provider"], ["parents", "provider"]):
        return "family_provider"
    return None


@figure(id="D1", title=_l("Uenighed mellem stemmerne"), counts=_l("Andelen af feedbackrunder i perioden, hvor to "
        "stemmer svarede på samme skema og var uenige om mindst ét spørgsmål ud over skemaets grænse, efter "
        "hvilke to stemmer."), unit=_l("procent af runderne"), dimensions=("pair",), kind="statistic", chart="bars", percent=True)
def divergence_by_pair(facts: Facts) -> list[Cell]:
    def rounds() -> list[tuple[InvitationFact, str, bool]]:
        grouped: dict[int, list[InvitationFact]] = defaultdict(list)
        for row in facts.everyone:
            if facts.period.contains(row.held_on):
                grouped[row.round_id].append(row)
        found = []
        for rows in grouped.values():
            verdicts: dict[str, bool] = {}
            voices = [(row, answer) for row in rows for answer in row.answers if not answer.declined]
            for i, (one, first) in enumerate(voices):
                for other, second in voices[i + 1:]:
                    pair = _pair(one.role_group, other.role_group)
                    instrument = _form(facts, first.instrument_id)
                    if pair is None or first.instrument_id != second.instrument_id or instrument is None:
                        continue
                    if not verdicts.get(pair):
                        verdicts[pair] = any(divergence(item, {1: first.answers.get(item.key),
                                                               2: second.answers.get(item.key)})
                                             for item in instrument.items)
            found += [(rows[0], pair, differs) for pair, differs in verdicts.items()]
        return found

    seen: dict[str, list[tuple[InvitationFact, bool]]] = defaultdict(list)
    for row, pair, differs in _picked(facts, "D1", rounds):
        seen[pair].append((row, differs))
    return [_cell((pair,), [r for r, _ in found], facts, value=_share(sum(d for _, d in found), len(found)))
            for pair, found in sorted(seen.items())]


@figure(id="D2", title=_l("Rådgiverens endelige status mod de andres"), counts=_l("Andelen af faktorer i "
        "indikatorrunder i perioden, hvor rådgiverens endelige status er en anden end hver eneste, der scorede "
        "faktoren, efter faktor."), unit=_l("procent af faktorerne"), dimensions=("factor",), kind="statistic",
        chart="bars", percent=True)
def final_differs_from_every_scorer(facts: Facts) -> list[Cell]:
    groups: dict[str, list] = defaultdict(list)
    for row in facts.factors:
        if facts.period.contains(row.held_on):
            groups[row.factor].append((row, all(status != row.final for status in row.scorers)))
    return [_cell((factor,), [r for r, _ in found], facts, value=_share(sum(d for _, d in found), len(found)))
            for factor, found in sorted(groups.items())]


def ordered() -> list[Figure]:
    """The registered figures in catalogue order."""
    order = {"I": 0, "P": 1, "F": 2, "D": 3}
    return sorted(FIGURES.values(), key=lambda f: (order.get(f.id[0], 9), f.id[0], _number_of(f.id), f.id))


def _number_of(figure_id: str) -> int:
    """The number in a figure's id, so K2 comes before K10."""
    digits = "".join(c for c in figure_id[1:] if c.isdigit())
    return int(digits) if digits else 0

