"""What the case page's "Resultatdokumentation" section shows: the form, the next
measurement, each round's final scores and classification, and the charts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from app.cases.models import Case
from app.cases.page import section
from app.i18n import current_language
from app.indicators import services
from app.indicators.catalogue import Factor, IndicatorForm, current_forms
from app.indicators.charts import StatusPoint, level_chart, status_chart
from app.indicators.classification import function_level_figure
from app.indicators.models import CaseIndicators, FinalScore, IndicatorRound
from app.indicators.scoring import LEVEL_FIELD
from app.labels import ICF_DEVELOPMENT_LABELS, INDICATOR_CATEGORY_LABELS
from app.security import csp_nonce

SHORT_DATE = "d/M-yy"


@dataclass(frozen=True)
class Chart:
    svg: Markup
    text: str  # the chart in words, shown as its caption


@dataclass
class RoundSummary:
    round_id: int
    held_on: date
    finals: dict[str, FinalScore]
    categories: dict[str, str]


@dataclass(frozen=True)
class MeetingLink:
    id: int
    kind: str
    held_on: date


@dataclass
class Section:
    settings: CaseIndicators | None
    form: IndicatorForm | None
    next_due: date | None
    overdue: bool
    factors: list[Factor] = field(default_factory=list)
    rounds: list[RoundSummary] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    # The newest meetings, to start an indicator round on.
    meetings: list[MeetingLink] = field(default_factory=list)


def category_label(code: str | None) -> str:
    if code is None:
        return ""
    return str(INDICATOR_CATEGORY_LABELS.get(code) or ICF_DEVELOPMENT_LABELS.get(code) or code)


def _value(row: FinalScore | None) -> float | None:
    return row.status if row is not None and row.has_status and row.status is not None else None


def factor_charts(form: IndicatorForm, factors: list[Factor], rounds: list[RoundSummary],
                  nonce: str | None) -> list[Chart]:
    lang = current_language()
    labels = [format_date(r.held_on, SHORT_DATE) for r in rounds]
    better = _("Lavere er bedre")
    charts = []
    for factor in factors:
        points = [StatusPoint(label, _value(r.finals.get(factor.key)),
                              (r.finals[factor.key].goal if factor.key in r.finals else None))
                  for label, r in zip(labels, rounds, strict=True)]
        if not any(p.status is not None for p in points):
            continue
        said = "; ".join(
            f"{p.label}: " + (_("status %(status)s", status=p.status) if p.status is not None else _("ingen status"))
            + (", " + _("mål %(goal)s", goal=p.goal) if p.goal is not None else "")
            for p in points
        )
        scale = form.scale
        description = _("%(factor)s: endelig status og mål ved hver måling (%(low)s er bedst). %(points)s.",
                        factor=factor.title(lang), low=min(scale), points=said)
        charts.append(Chart(status_chart(title=factor.title(lang), points=points, status_name=_("Endelig status"),
                                         goal_name=_("Mål"), direction=better, description=description, scale=scale,
                                         nonce=nonce), description))
    if form.is_icf:
        levels = [r.finals.get(LEVEL_FIELD) for r in rounds]
        letters = [row.level if row is not None and row.level else None for row in levels]
        if any(letters):
            said = "; ".join(f"{label}: {letter or _('ingen vurdering')}" for label, letter in zip(labels, letters, strict=True))
            description = _("Samlet funktionsniveau ved hver måling (A er bedst). %(points)s.", points=said)
            charts.append(Chart(level_chart(
                title=_("Samlet funktionsniveau"), labels=labels,
                figures=[function_level_figure(x) if x else None for x in letters],
                series_name=_("Funktionsniveau"), direction=_("A er bedst"), description=description,
                nonce=nonce), description))
    return charts


def _summaries(case: Case) -> tuple[list[RoundSummary], IndicatorRound | None]:
    """Each indicator round's final scores and classification, oldest meeting first; the last round's settings."""
    rounds = sorted((r for m in case.meetings for r in m.rounds if r.kind == "indicators"),
                    key=lambda r: (r.meeting.held_on, r.id))
    infos = services.indicator_rounds_of([r.id for r in rounds])
    rounds = [r for r in rounds if r.id in infos]
    finals = services.final_scores_of([r.id for r in rounds])
    summaries, previous = [], None
    for round_ in rounds:
        now = finals.get(round_.id, {})
        categories = (services.classify_factors(infos[round_.id], finals.get(previous.id, {}), now)
                      if previous is not None else {})
        summaries.append(RoundSummary(round_.id, round_.meeting.held_on, now, categories))
        previous = round_
    return summaries, (infos[rounds[-1].id] if rounds else None)


@section("indicators")
def case_section(case: Case, today: date, with_charts: bool = True) -> Section:
    """The case page's "Resultatdokumentation": in a few queries, whatever the number of meetings."""
    settings = services.case_settings(case)
    forms = current_forms()
    form = forms.get(settings.form_id) if settings and settings.form_id in forms else None
    summaries, last_info = _summaries(case)
    due = next_due = None
    if settings is not None:
        done, rhythm = [r.held_on for r in summaries], services.procedure().rhythm_months
        due = services.due_from(settings, done, today, rhythm)
        next_due = services.next_from(settings, done, today, rhythm)
    found = Section(settings, form, next_due, due is not None and due < today, rounds=summaries,
                    meetings=[MeetingLink(m.id, m.kind, m.held_on) for m in case.meetings[:3]])
    shown_form = services.form_of(last_info) if last_info is not None else None
    if shown_form is not None:
        found.form = found.form or shown_form
        found.factors = shown_form.factors(last_info.family_split)
        if with_charts:
            found.charts = factor_charts(shown_form, found.factors, found.rounds, csp_nonce())
    return found
